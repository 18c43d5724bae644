import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkRequest, checkUpgrade, isLoopback, type AccessConfig } from './access.ts';
import { backendInfo } from './backends.ts';
import { loadImageFilter } from './camera-filter.ts';
import type { QueueLimits } from './client-queue.ts';
import { encodeMessage } from './codec.ts';
import { createLiveHost, LIVE_HOST_DEFAULTS } from './live-host.ts';
import { LiveSimulation, type LiveSimOptions } from './live-sim.ts';
import { WS_PATH } from './protocol.ts';
import type { ClientSession, SessionSocket } from './session.ts';
import { bundleViewer, type ViewerAssets } from './viewer-assets.ts';
import { loadClassifier } from './vit-classifier.ts';

export interface LiveServerOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback). Any other address requires a token. */
  host?: string;
  /** Token for a non-loopback host; generated when omitted. */
  token?: string;
  /** Browser origins allowed besides the server's own page. */
  allowOrigins?: string[];
  /** Largest inbound frame (bytes); default 2 MiB. */
  maxPayloadBytes?: number;
  queue?: Partial<QueueLimits>;
  sim?: LiveSimOptions;
  /** A ViT checkpoint folder; default: the first one under data/vision/. */
  modelDir?: string;
  /** Bundle and serve the browser viewer (default true). */
  viewer?: boolean;
  /** Start the simulation right away (default true). */
  autostart?: boolean;
  log?: (line: string) => void;
}

export const SERVER_DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  ...LIVE_HOST_DEFAULTS,
} as const;

export interface LiveServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly token: string | null;
  readonly sim: LiveSimulation;
  readonly sessions: ReadonlyMap<string, ClientSession>;
  close(): Promise<void>;
}

const VERSION = '0.1.0';

/**
 * `swta serve`: the live demo over HTTP (the viewer) and WebSocket (PROTOCOL.md). One simulation,
 * any number of clients, each with its own bounded queue; the simulation never waits for one.
 *
 * @example
 * ```ts
 * const server = await startLiveServer({ port: 0 });
 * console.log(`open ${server.url}`);          // http://127.0.0.1:<port>/
 * process.once('SIGINT', () => void server.close());
 * ```
 */
export async function startLiveServer(options: LiveServerOptions = {}): Promise<LiveServer> {
  const log = options.log ?? (() => {});
  const host = options.host ?? SERVER_DEFAULTS.host;
  const loopback = isLoopback(host);
  const token = loopback ? null : options.token ?? randomBytes(16).toString('hex');
  const maxPayload = options.maxPayloadBytes ?? SERVER_DEFAULTS.maxPayloadBytes;
  const side = SERVER_DEFAULTS.cameraSide;

  const sim = new LiveSimulation(options.sim);
  const [backends, classifier, assets] = await Promise.all([
    backendInfo(),
    loadClassifier({ ...(options.modelDir === undefined ? {} : { modelDir: options.modelDir }), width: side, height: side }),
    options.viewer === false ? Promise.resolve(null) : bundleViewer(),
  ]);
  const live = createLiveHost({
    sim, backends, classifier, filter: loadImageFilter(), cameraSide: side, server: `swta/${VERSION}`, maxPayloadBytes: maxPayload,
    ...(options.queue === undefined ? {} : { queue: options.queue }), log,
  });
  const sockets = new Map<string, WebSocket>();
  let closing = false;

  const access: AccessConfig = { host, port: options.port ?? SERVER_DEFAULTS.port, token, allowOrigins: options.allowOrigins ?? [] };
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, clientTracking: false });
  const http = createServer((req, res) => serveHttp(req, res, access, assets));
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const verdict = closing ? { ok: false as const, status: 503, reason: 'server shutting down' } : checkUpgrade(req, access);
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.status === 401 ? 'Unauthorized' : verdict.status === 403 ? 'Forbidden' : 'Error'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${verdict.reason}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  const accept = (ws: WebSocket): void => {
    const sock: SessionSocket = {
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (data, done) => ws.send(data, { binary: true }, done),
      // A close reason may hold at most 123 bytes.
      close: (code, reason) => ws.close(code, Buffer.from(reason).subarray(0, 120).toString()),
    };
    const session = live.accept(sock);
    const id = session.id;
    sockets.set(id, ws);
    ws.on('message', (data, isBinary) => session.onFrame(data instanceof Uint8Array ? data : Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data), isBinary));
    ws.on('error', (e) => log(`client ${id}: ${e.message}`));
    ws.on('close', () => {
      live.drop(session);
      sockets.delete(id);
    });
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(access.port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  access.port = port;
  const shown = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${port}/${token ? `?token=${token}` : ''}`;
  const wsUrl = `ws://${shown}:${port}${WS_PATH}${token ? `?token=${token}` : ''}`;
  if (options.autostart !== false) await sim.start();

  return {
    url,
    wsUrl,
    port,
    token,
    sim,
    sessions: live.sessions,
    async close() {
      if (closing) return;
      closing = true;
      const bye = encodeMessage({ type: 'bye', reason: 'server shutting down' });
      for (const ws of sockets.values()) {
        try {
          ws.send(bye, { binary: true });
          ws.close(1001, 'server shutting down');
        } catch {
          // Already closing.
        }
      }
      live.close();
      await sim.close();
      classifier.dispose();
      await new Promise<void>((resolve) => {
        // A client that does not answer the close handshake is cut off after a grace period.
        const timer = setTimeout(() => {
          for (const ws of sockets.values()) ws.terminate();
          http.closeAllConnections();
        }, 500);
        http.close(() => {
          clearTimeout(timer);
          resolve();
        });
        http.closeIdleConnections();
        if (sockets.size === 0) http.closeAllConnections();
      });
      wss.close();
    },
  };
}

function serveHttp(req: IncomingMessage, res: ServerResponse, access: AccessConfig, assets: ViewerAssets | null): void {
  const verdict = checkRequest(req, access);
  if (!verdict.ok) {
    res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${verdict.reason}\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('only GET and HEAD\n');
    return;
  }
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const files: Record<string, [string, string] | undefined> = assets
    ? { '/': [assets.html, 'text/html'], '/index.html': [assets.html, 'text/html'], '/viewer.js': [assets.js, 'text/javascript'], '/viewer.css': [assets.css, 'text/css'] }
    : {};
  const file = files[path];
  if (!file) {
    res.writeHead(path === '/favicon.ico' ? 204 : 404, { 'content-type': 'text/plain; charset=utf-8' }).end(path === '/favicon.ico' ? undefined : `no ${path} here; the viewer is at /\n`);
    return;
  }
  const hostHeader = req.headers.host ?? `127.0.0.1:${access.port}`;
  res.writeHead(200, {
    'content-type': `${file[1]}; charset=utf-8`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'self'; connect-src 'self' ws://${hostHeader}; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; style-src 'self'; script-src 'self'; frame-ancestors 'none'`,
  });
  res.end(req.method === 'HEAD' ? undefined : file[0]);
}
