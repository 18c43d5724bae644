import type { ClockStatus } from '../pacer.ts';
import type { Backend } from './protocol.ts';

export interface LiveStatus extends ClockStatus {
  backend: Backend;
  timeScale: number;
}

/** What the status reports beside the pacer's figures. */
export interface RunState {
  phase: ClockStatus['phase'];
  /** The runner's tick, when a runner exists. */
  tick: number | undefined;
  error: string | undefined;
  backend: Backend;
  timeScale: number;
}

/**
 * The clock figures of one run across its pacers: a speed change replaces the pacer, and the
 * status must still count the whole run (wall and simulated time, busy time, deadline misses,
 * the worst lag).
 */
export class RunTotals {
  private wallMs = 0;
  private simulatedMs = 0;
  private busyMs = 0;
  private misses = 0;
  private maxLagMs = 0;

  clear(): void {
    this.wallMs = 0;
    this.simulatedMs = 0;
    this.busyMs = 0;
    this.misses = 0;
    this.maxLagMs = 0;
  }

  /** Bank a finished pacer's figures. */
  add(st: ClockStatus): void {
    this.wallMs += st.wallMs;
    this.simulatedMs += st.simulatedMs;
    this.busyMs += st.simulatedMs > 0 ? st.busyFactor * st.simulatedMs : 0;
    this.misses += st.deadlineMisses;
    this.maxLagMs = Math.max(this.maxLagMs, st.maxLagMs);
  }

  /** The current pacer's status (if any) plus the banked totals of the run. */
  status(st: ClockStatus | undefined, run: RunState): LiveStatus {
    const wallMs = this.wallMs + (st?.wallMs ?? 0);
    const simulatedMs = this.simulatedMs + (st?.simulatedMs ?? 0);
    const busyMs = this.busyMs + (st && st.simulatedMs > 0 ? st.busyFactor * st.simulatedMs : 0);
    return {
      phase: run.phase,
      tick: run.tick ?? st?.tick ?? 0,
      simulatedMs,
      wallMs,
      realTimeFactor: simulatedMs > 0 ? wallMs / simulatedMs : NaN,
      recentRealTimeFactor: st?.recentRealTimeFactor ?? NaN,
      busyFactor: simulatedMs > 0 ? busyMs / simulatedMs : NaN,
      targetRealTimeFactor: run.timeScale,
      deadlineMisses: this.misses + (st?.deadlineMisses ?? 0),
      lagMs: st?.lagMs ?? 0,
      maxLagMs: Math.max(this.maxLagMs, st?.maxLagMs ?? 0),
      ...(run.error === undefined ? {} : { error: run.error }),
      backend: run.backend,
      timeScale: run.timeScale,
    };
  }
}
