// Entry of every worker thread of the worker placement. Node 20 cannot start a worker on a .ts
// file, and `--import tsx` in a worker's execArgv comes too late for its entry module, so this
// plain module registers tsx's loader inside the worker first and then loads the TypeScript host.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker-host.ts', import.meta.url).href);
