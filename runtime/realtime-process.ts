import { spawn } from 'node:child_process';
import os from 'node:os';

/**
 * V8 flags a paced real-time run needs on every isolate of its process. V8 reads them when an
 * isolate's heap is set up, so they must be on the command line: v8.setFlagsFromString() at run
 * time reaches only isolates created afterwards (workers), never the main one.
 *
 * --no-memory-reducer: V8's memory reducer shrinks a heap that has grown, about 8 s after a
 * mark-compact, with up to three full collections 0.5 s apart. Module loading (tsx) grows the
 * heap, so in a paced run those collections landed 6–8 s in, 2–6 ms each, on the ticking or the
 * pacing thread: bursts of deadline misses at the same moment of every run, on an idle machine.
 * A real-time run keeps its heap at its size instead (a few MB).
 */
export const REALTIME_V8_FLAGS: readonly string[] = ['--no-memory-reducer'];

/**
 * Make sure this process runs with REALTIME_V8_FLAGS. When they are already on, resolves null and
 * the caller carries on. Otherwise runs the same command again in a child process with the flags
 * added (same Node.js, same loader flags, same arguments, same stdio), forwards SIGINT and SIGTERM
 * to it, and resolves with its exit code: the caller then exits with that code and does nothing else.
 */
export async function relaunchWithRealtimeFlags(): Promise<number | null> {
  const missing = REALTIME_V8_FLAGS.filter((f) => !process.execArgv.includes(f));
  if (missing.length === 0) return null;
  const child = spawn(process.execPath, [...process.execArgv, ...missing, ...process.argv.slice(1)], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (e) => reject(new Error(`could not relaunch with ${missing.join(' ')}: ${e.message}`, { cause: e })));
      // A child killed by a signal exits, as in a shell, with 128 + the signal's number.
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === null ? 0 : os.constants.signals[signal])));
    });
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
}
