/**
 * How late this thread wakes from a short timed sleep: the floor under any real-time figure on this
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
}

export function measureWakeJitter(durationMs: number, o: { sleepMs?: number; thresholdMs?: number } = {}): WakeJitter {
  const sleepMs = o.sleepMs ?? 0.5;
  const thresholdMs = o.thresholdMs ?? 5;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const over = new Float64Array(Math.ceil(durationMs / sleepMs) + 1);
  let n = 0;
  const end = performance.now() + durationMs;
  while (n < over.length) {
    const t0 = performance.now();
    if (t0 >= end) break;
    Atomics.wait(cell, 0, 0, sleepMs);
    over[n++] = Math.max(0, performance.now() - t0 - sleepMs);
  }
  const sorted = over.subarray(0, n).sort();
  let late = 0;
  for (let i = 0; i < n; i++) if (sorted[i]! > thresholdMs) late++;
  const q = (p: number): number => (n === 0 ? NaN : sorted[Math.min(n - 1, Math.floor(p * n))]!);
  return { samples: n, sleepMs, medianMs: q(0.5), p999Ms: q(0.999), maxMs: n === 0 ? NaN : sorted[n - 1]!, lateWakeups: late, thresholdMs };
}
