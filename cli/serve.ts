import { availableParallelism } from 'node:os';
import type { Placement } from '../runtime/runner.ts';
import { relaunchWithRealtimeFlags } from '../runtime/realtime-process.ts';
import { cpuPerWorker, parseThreadPriority, setThreadPriority, THREAD_PRIORITIES } from '../runtime/thread-priority.ts';
import { LIVE_BACKENDS as BACKENDS, DEFAULT_BACKEND, parseLiveBackend as parseBackend } from '../adapters/backends.ts';
import { parseCommandArgs, usage, UsageError } from './args.ts';
import { SERVER_DEFAULTS, startLiveServer } from '../runtime/server/server.ts';

const USAGE = `usage: swta serve [--port 8080] [--host 127.0.0.1] [--token T] [--allow-origin URL]...
                  [--seed 1] [--backend ${BACKENDS.join('|')}] [--workers auto|0|N] [--dt 0.1] [--time-scale 1]
                  [--pool-size 80] [--model <checkpoint dir>] [--priority ${THREAD_PRIORITIES.join('|')}] [--no-viewer]

Starts the live demo (two coupled sWTA modules on the conductance backend, in real time) and serves
the viewer at http://127.0.0.1:<port>/ and the protocol (PROTOCOL.md) at ws://127.0.0.1:<port>/ws.
Loopback only unless --host is given; then a token is required (generated unless --token).
--workers auto: the two modules on two worker threads when the machine has ≥ 2 cores, else one thread.
--priority: scheduling priority of the ticking threads (default normal; realtime = SCHED_FIFO,
  which keeps deadlines when other programs load the cores; needs root or CAP_SYS_NICE). With
  high or realtime the server runs with V8's memory reducer off (it relaunches itself so), and
  with realtime each worker is pinned to its own CPU.`;

/** \`swta serve\` — runs until SIGINT or SIGTERM, then shuts down cleanly. */
export async function main(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta serve', USAGE, {
    args,
    options: {
      port: { type: 'string', default: String(SERVER_DEFAULTS.port) },
      host: { type: 'string', default: SERVER_DEFAULTS.host },
      token: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true, default: [] },
      seed: { type: 'string', default: '1' },
      backend: { type: 'string', default: DEFAULT_BACKEND },
      workers: { type: 'string', default: 'auto' },
      dt: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      'pool-size': { type: 'string' },
      model: { type: 'string' },
      priority: { type: 'string', default: 'normal' },
      'no-viewer': { type: 'boolean', default: false },
    },
  });
  if (parsed === null) return;
  const { values } = parsed;
  const int = (name: string, v: string, min: number, max: number): number => {
    const n = Number(v);
    if (!(Number.isInteger(n) && n >= min && n <= max)) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got '${v}'\n${USAGE}`);
    return n;
  };
  const num = (name: string, v: string): number => {
    const n = Number(v);
    if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`--${name} must be a number > 0, got '${v}'`);
    return n;
  };
  const backend = usage(() => parseBackend(values.backend));
  const workers = values.workers === 'auto' ? (availableParallelism() >= 2 ? 2 : 0) : int('workers', values.workers, 0, 64);
  const priority = usage(() => parseThreadPriority(values.priority));
  if (priority !== 'normal') {
    const code = await relaunchWithRealtimeFlags();
    if (code !== null) {
      process.exitCode = code;
      return;
    }
  }
  // Under 'realtime' each worker runs on a CPU of its own: pinned threads keep their caches.
  const cpus = priority === 'realtime' ? cpuPerWorker(workers) : undefined;
  const placement: Placement = workers > 0 ? { kind: 'workers', workers, threadPriority: priority, ...(cpus ? { cpus } : {}) } : { kind: 'actors' };
  const mainPriority = setThreadPriority(priority);
  if (priority !== 'normal') console.log(`swta serve: priority ${mainPriority.applied} — ${mainPriority.detail}`);

  // Handlers first: a signal during start-up (bundling, compiling) still ends in a clean shutdown.
  let signalled: string | null = null;
  let onSignal: (signal: string) => void = (signal) => {
    signalled = signal;
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  const server = await startLiveServer({
    port: int('port', values.port, 0, 65535),
    host: values.host,
    ...(values.token === undefined ? {} : { token: values.token }),
    allowOrigins: values['allow-origin'],
    ...(values.model === undefined ? {} : { modelDir: values.model }),
    viewer: !values['no-viewer'],
    sim: {
      seed: int('seed', values.seed, 0, 2 ** 31 - 1),
      backend,
      placement,
      timeScale: num('time-scale', values['time-scale']),
      ...(values.dt === undefined ? {} : { dtMs: num('dt', values.dt) }),
      ...(values['pool-size'] === undefined ? {} : { network: { poolSize: int('pool-size', values['pool-size'], 1, 100_000) } }),
    },
    log: (line) => console.log(line),
  });
  console.log(`swta serve: viewer at ${server.url}`);
  console.log(`  protocol ${server.wsUrl} (PROTOCOL.md); ${placement.kind === 'workers' ? `${workers} worker threads` : 'one thread'}; Ctrl-C stops`);
  if (server.token) console.log(`  listening on ${values.host}: clients need the token (included in the URLs above)`);

  await new Promise<void>((resolve) => {
    onSignal = (signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      console.log(`swta serve: ${signal}, shutting down`);
      server.close().then(resolve, (e: unknown) => {
        console.error(`swta serve: shutdown failed: ${e instanceof Error ? e.message : String(e)}`);
        resolve();
      });
    };
    if (signalled !== null) onSignal(signalled);
  });
}
