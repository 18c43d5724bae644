/** The server's viewer page (runtime/server/viewer-assets.ts): the viewer over a WebSocket to the server that served it. */
import { startViewer } from './app.ts';
import { Connection } from './connection.ts';

startViewer(() => new Connection());
