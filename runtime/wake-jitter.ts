import { Worker } from 'node:worker_threads';
import { pinThreadToCpu, REALTIME_FIFO_PRIORITY, setThreadPriority, type ThreadPriority, type ThreadPriorityResult } from './thread-priority.ts';

/**
 * How late a thread wakes from a short timed sleep: the floor under any real-time figure on this
 * machine. A pacer cannot start a tick earlier than the operating system wakes it, so a platform
 * that now and then oversleeps by more than the slack makes deadline misses that no simulation
 * speed avoids. Measured with the pacer's own precise sleep (Atomics.wait).
 */
export interface WakeJitter {
  samples: number;
  sleepMs: number;
  /** Oversleep beyond the requested sleep (ms). */
  medianMs: number;
  p999Ms: number;
  maxMs: number;
  /** Wake-ups later than `thresholdMs`. */
  lateWakeups: number;
  thresholdMs: number;
  /** The late wake-ups (first MAX_STALLS): when the sleep began (Unix ms) and how late it ended. */
  stalls: { fromEpochMs: number; lateMs: number }[];
}

const MAX_STALLS = 100_000;

/** Sleep `sleepMs` again and again on this thread for `durationMs`, recording each oversleep. */
export function measureWakeJitter(durationMs: number, o: { sleepMs?: number; thresholdMs?: number } = {}): WakeJitter {
  const sleepMs = o.sleepMs ?? 0.5;
  const thresholdMs = o.thresholdMs ?? 5;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const over = new Float64Array(Math.ceil(durationMs / sleepMs) + 1);
  const stalls: WakeJitter['stalls'] = [];
  let n = 0;
  let lateWakeups = 0;
  const end = performance.now() + durationMs;
  while (n < over.length) {
    const t0 = performance.now();
    if (t0 >= end) break;
    Atomics.wait(cell, 0, 0, sleepMs);
    const late = Math.max(0, performance.now() - t0 - sleepMs);
    over[n++] = late;
    if (late > thresholdMs && lateWakeups++ < MAX_STALLS) stalls.push({ fromEpochMs: performance.timeOrigin + t0, lateMs: late });
  }
  const sorted = over.subarray(0, n).sort();
  const q = (p: number): number => (n === 0 ? NaN : sorted[Math.min(n - 1, Math.floor(p * n))]!);
  return { samples: n, sleepMs, medianMs: q(0.5), p999Ms: q(0.999), maxMs: n === 0 ? NaN : sorted[n - 1]!, lateWakeups, thresholdMs, stalls };
}

/** What the probe thread was asked to do (workerData of wake-jitter-probe.mjs). */
export interface WakeJitterProbeInit {
  durationMs: number;
  thresholdMs: number;
  priority: ThreadPriority;
  /** Pin the probe thread to this CPU (taskset), e.g. the ticking thread's. */
  cpu?: number;
}

/** A running probe: `result` settles when its duration is over. */
export interface WakeJitterProbe {
  priority: ThreadPriorityResult;
  result: Promise<WakeJitter>;
}

/**
 * measureWakeJitter on a thread of its own at `priority`, beside a paced run: its late wake-ups,
 * stamped in Unix time, show when the platform itself stalled, so a deadline miss at the same
 * moment can be told apart from one the simulation caused. It costs the run almost nothing: the
 * probe sleeps > 95 % of the time. Resolves once the probe thread is up and measuring, so its
 * start-up (loading, compiling) does not fall into the run it watches.
 */
export function startWakeJitterProbe(init: WakeJitterProbeInit): Promise<WakeJitterProbe> {
  const worker = new Worker(new URL('./wake-jitter-probe.mjs', import.meta.url), { workerData: init, execArgv: [] });
  let settle: { resolve: (j: WakeJitter) => void; reject: (e: unknown) => void } | undefined;
  const result = new Promise<WakeJitter>((resolve, reject) => {
    settle = { resolve, reject };
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: ProbeMessage) => {
      if (m.type === 'measuring') resolve({ priority: m.priority, result });
      else settle!.resolve(m.jitter);
    });
    const fail = (e: Error): void => {
      reject(e);
      settle!.reject(e);
    };
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`wake-jitter probe exited with code ${code} before reporting`)));
  });
}

type ProbeMessage = { type: 'measuring'; priority: ThreadPriorityResult } | { type: 'done'; jitter: WakeJitter };

/** The probe thread's body (wake-jitter-probe.mjs loads this module and calls it). */
export function runWakeJitterProbe(init: WakeJitterProbeInit, post: (m: ProbeMessage) => void): void {
  const pinError = init.cpu === undefined ? null : pinThreadToCpu(init.cpu);
  if (pinError) throw new Error(`wake-jitter probe: cannot pin to CPU ${init.cpu}: ${pinError}`);
  // One above the ticking thread: the probe's wake-ups are never delayed by ticks (it preempts
  // them, for a few µs per 0.5 ms), only by what stalls the CPU itself.
  post({ type: 'measuring', priority: setThreadPriority(init.priority, REALTIME_FIFO_PRIORITY + 1) });
  post({ type: 'done', jitter: measureWakeJitter(init.durationMs, { thresholdMs: init.thresholdMs }) });
}
