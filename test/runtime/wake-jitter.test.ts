import { describe, expect, it } from 'vitest';
import { measureWakeJitter, startWakeJitterProbe } from '../../runtime/wake-jitter.ts';

// Wall-clock figures are machine-dependent: these tests check the bookkeeping, never a duration bound.
describe('wake-up jitter probe', () => {
  it('measures oversleeps of short sleeps: consistent quantiles, stalls only above the threshold', () => {
    const j = measureWakeJitter(50, { sleepMs: 0.5, thresholdMs: 0 });
    expect(j.samples).toBeGreaterThan(0);
    expect(j.medianMs).toBeGreaterThanOrEqual(0);
    expect(j.p999Ms).toBeGreaterThanOrEqual(j.medianMs);
    expect(j.maxMs).toBeGreaterThanOrEqual(j.p999Ms);
    // Threshold 0: every wake-up that was late at all is a stall, stamped within the run.
    expect(j.lateWakeups).toBe(j.stalls.length);
    const now = performance.timeOrigin + performance.now();
    for (const s of j.stalls) {
      expect(s.lateMs).toBeGreaterThan(0);
      expect(s.fromEpochMs).toBeLessThanOrEqual(now);
      expect(s.fromEpochMs).toBeGreaterThan(now - 60_000);
    }
  });

  it('runs on a thread of its own, reports its priority once measuring, then its figures', async () => {
    const probe = await startWakeJitterProbe({ durationMs: 30, thresholdMs: 5, priority: 'normal' });
    expect(probe.priority).toMatchObject({ requested: 'normal', applied: 'normal' });
    if (process.platform === 'linux') expect(probe.priority.tid).not.toBe(process.pid);
    const j = await probe.result;
    expect(j.samples).toBeGreaterThan(0);
    expect(j.thresholdMs).toBe(5);
  });
});
