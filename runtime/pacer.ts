import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import { TICK_MS } from '../src/engine.ts';
import { systemClock, type TimeSource } from './clock.ts';
import { reasonOf } from './errors.ts';
import type { NetworkRunner } from './runner.ts';

/**
 * How fast ticks run.
 * - 'fast': back to back, as fast as the machine allows (yielding to the event loop every batchMs).
 * - 'realtime': tick k of a run is due to start at k × TICK_MS × timeScale wall ms after the run
 *   started. timeScale is wall time per simulated time, the same unit as the reported
 *   realTimeFactor: 1 = real time, 2 = half speed, 0.5 = twice real time.
 */
export type Pacing = { mode: 'fast' } | { mode: 'realtime'; timeScale?: number; slackMs?: number };

export type ClockPhase = 'idle' | 'running' | 'paused' | 'stopped' | 'failed';

/** What the clock reports (status$). Times are wall milliseconds unless named simulated. */
export interface ClockStatus {
  phase: ClockPhase;
  /** Ticks completed by the network. */
  tick: number;
  /** Simulated time run under this clock. */
  simulatedMs: number;
  /** Wall time elapsed while running under this clock (pauses excluded). */
  wallMs: number;
  /** Achieved wall time per simulated time (docs/reference/anchors.md §0: < 1 is faster than real time); NaN before the first tick. */
  realTimeFactor: number;
  /** The same over the ticks since the previous status. */
  recentRealTimeFactor: number;
  /** Wall time spent inside ticks per simulated time: the headroom left in real time (< 1 keeps up). */
  busyFactor: number;
  /** The target timeScale in real time; NaN when running as fast as possible. */
  targetRealTimeFactor: number;
  /** Real time only: ticks that finished more than slackMs after the end of their slot (definition at Pacer.loop). */
  deadlineMisses: number;
  /** How late the latest tick finished relative to the end of its slot (0 when on time). */
  lagMs: number;
  maxLagMs: number;
  /** Why the run failed (phase 'failed'). */
  error?: string;
}

/** One deadline miss (real time only), as it happens. */
export interface DeadlineMiss {
  /** The tick that finished late (runner tick count before it ran). */
  tick: number;
  /** How long after the end of its slot it finished (> slackMs). */
  lateMs: number;
  /**
   * When it finished, on the pacer's clock (the system clock: performance.now(); add
   * performance.timeOrigin for a Unix time comparable across threads).
   */
  atMs: number;
}

/** What the pacer needs of a network runner (a fake one in tests). */
export type PacedRunner = Pick<NetworkRunner, 'tick' | 'phase' | 'start' | 'runTick' | 'pause' | 'resume'>;

export interface PacerOptions {
  /** Default { mode: 'fast' }. */
  pacing?: Pacing;
  /** Default the system clock; a SimulatedClock in tests. */
  clock?: TimeSource;
  /** A status every this many ticks (default 100), and at every phase change. */
  statusEveryTicks?: number;
  /** Longest stretch of ticks run without yielding to the event loop (default 20 ms). */
  batchMs?: number;
}

/**
 * Drives a network runner tick by tick and reports how that went, without hiding anything: the
 * achieved real-time factor and, in real time, every deadline miss and the lag, on `status$`.
 * A late tick is never skipped (the simulation must not change with the machine's speed): the
 * clock catches up by running due ticks back to back, and each late one counts as a miss.
 *
 * Commands and pause/stop take effect between ticks; a spike subscriber may call them mid-tick.
 *
 * @example
 * ```ts
 * const pacer = new Pacer(runner, { pacing: { mode: 'realtime', timeScale: 1 } });
 * pacer.status$.subscribe((s) => console.log(s.tick, s.realTimeFactor, s.deadlineMisses));
 * const final = await pacer.run(1000); // one simulated second, in about one wall second
 * ```
 */
export class Pacer {
  readonly status$: Observable<ClockStatus>;
  private readonly runner: PacedRunner;
  private readonly clock: TimeSource;
  private readonly pacing: Pacing;
  private readonly periodMs: number;
  private readonly slackMs: number;
  private readonly statusEvery: number;
  private readonly batchMs: number;
  private readonly subject: BehaviorSubject<ClockStatus>;
  private readonly missSubject = new Subject<DeadlineMiss>();
  /** Every deadline miss when it happens (status$ carries their count). */
  readonly deadlineMisses$: Observable<DeadlineMiss> = this.missSubject.asObservable();

  private phase: ClockPhase = 'idle';
  private remaining = 0;
  private simulatedTicks = 0;
  /** Wall time of the running stretches before the current one, and time spent inside ticks. */
  private wallBefore = 0;
  private busyMs = 0;
  /** Wall time of the current running stretch's start, and the simulated ticks at that moment. */
  private anchor = 0;
  private anchorTicks = 0;
  private lastStatusWall = 0;
  private lastStatusTicks = 0;
  private misses = 0;
  private lagMs = 0;
  private maxLagMs = 0;
  private stopRequested = false;
  private pauseRequested = false;
  private timer: unknown = undefined;
  private settle: { resolve: (s: ClockStatus) => void; reject: (e: unknown) => void } | undefined;

  constructor(runner: PacedRunner, options: PacerOptions = {}) {
    this.runner = runner;
    this.clock = options.clock ?? systemClock;
    this.pacing = options.pacing ?? { mode: 'fast' };
    const scale = this.pacing.mode === 'realtime' ? this.pacing.timeScale ?? 1 : NaN;
    if (this.pacing.mode === 'realtime' && !(scale > 0 && Number.isFinite(scale))) throw new RangeError(`timeScale must be a finite number > 0 (1 = real time), got ${scale}`);
    this.periodMs = TICK_MS * scale;
    this.slackMs = this.pacing.mode === 'realtime' ? this.pacing.slackMs ?? 5 : Infinity;
    if (!(this.slackMs >= 0)) throw new RangeError(`slackMs must be ≥ 0, got ${this.slackMs}`);
    this.statusEvery = options.statusEveryTicks ?? 100;
    this.batchMs = options.batchMs ?? 20;
    this.subject = new BehaviorSubject(this.snapshot());
    this.status$ = this.subject.asObservable();
  }

  get status(): ClockStatus {
    return this.subject.value;
  }

  /**
   * Run `ticks` ticks (all of them unless stopped; Infinity: until stop()). Resolves with the
   * final status; rejects with the runner's error when a module fails.
   */
  run(ticks = Infinity): Promise<ClockStatus> {
    if (this.phase === 'running' || this.phase === 'paused') throw new Error(`the clock is already ${this.phase}; stop() it or wait for run() to settle`);
    if (this.phase === 'failed') throw new Error(`the clock failed (${this.status.error}); create a new network`);
    if (!(ticks >= 0)) throw new RangeError(`ticks must be ≥ 0, got ${ticks}`);
    if (this.runner.phase === 'idle') this.runner.start();
    this.remaining = ticks;
    this.stopRequested = false;
    this.pauseRequested = false;
    this.enterRunning();
    return new Promise<ClockStatus>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.schedule(0);
    });
  }

  /** Pause after the current tick; the modules enter 'paused'. */
  pause(): void {
    if (this.phase === 'running') this.pauseRequested = true;
  }

  /** Continue a paused run on a fresh schedule: the pause does not count as lag. */
  resume(): void {
    if (this.phase !== 'paused') return;
    this.runner.resume();
    this.enterRunning();
    this.schedule(0);
  }

  /** End the run after the current tick; run() resolves with phase 'stopped'. */
  stop(): void {
    if (this.phase === 'paused') {
      this.runner.resume();
      this.finish('stopped');
    } else if (this.phase === 'running') this.stopRequested = true;
  }

  private enterRunning(): void {
    this.anchor = this.clock.now();
    this.anchorTicks = this.simulatedTicks;
    this.lastStatusWall = this.wallMs();
    this.lastStatusTicks = this.simulatedTicks;
    this.setPhase('running');
  }

  /** Wall time elapsed while running. */
  private wallMs(): number {
    return this.wallBefore + (this.phase === 'running' ? this.clock.now() - this.anchor : 0);
  }

  /** Leave the running stretch: its wall time is banked, the next one starts a fresh schedule. */
  private leaveRunning(): void {
    if (this.phase === 'running') this.wallBefore += this.clock.now() - this.anchor;
  }

  /** Sleep for the next slot on a timer only when it is further away than this; nearer, clock.sleep(). */
  private static readonly PRECISE_SLEEP_MS = 3;

  private schedule(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.loop(), ms);
  }

  /** One batch: run the ticks that are due, then sleep until the next one is. */
  private loop(): void {
    this.timer = undefined;
    const realtime = this.pacing.mode === 'realtime';
    const batchStart = this.clock.now();
    while (this.remaining > 0) {
      if (this.stopRequested) return this.finish('stopped');
      if (this.pauseRequested) return this.enterPause();
      const k = this.simulatedTicks - this.anchorTicks;
      let start = this.clock.now();
      if (realtime) {
        // Never start a tick before its slot: sleep until it is due. The pacing must not make a
        // tick late itself, so a timer (≥ 1 ms, often a millisecond late) only sleeps until
        // PRECISE_SLEEP_MS before the slot, and clock.sleep() the rest.
        const dueMs = this.anchor + k * this.periodMs;
        const wait = dueMs - start;
        if (wait > 0) {
          if (!this.clock.sleep) return this.schedule(wait);
          if (wait > Pacer.PRECISE_SLEEP_MS) return this.schedule(wait - Pacer.PRECISE_SLEEP_MS);
          this.clock.sleep(wait);
          start = this.clock.now();
        }
      }
      try {
        this.runner.runTick();
      } catch (e) {
        this.busyMs += this.clock.now() - start;
        return this.fail(e);
      }
      const end = this.clock.now();
      this.busyMs += end - start;
      this.simulatedTicks++;
      this.remaining--;
      if (realtime) {
        // A deadline miss: tick k of this running stretch finished more than slackMs after its
        // slot ended (anchor + (k + 1) × period). Each tick is judged on its own, also the ones run
        // back to back to catch up after a late one, so a stall counts every tick it delayed, and a
        // run that catches up (real-time factor 1.0 on average) still reports all of them.
        const late = end - (this.anchor + (k + 1) * this.periodMs);
        this.lagMs = Math.max(0, late);
        this.maxLagMs = Math.max(this.maxLagMs, this.lagMs);
        if (late > this.slackMs) {
          this.misses++;
          if (this.missSubject.observed) this.missSubject.next({ tick: this.runner.tick - 1, lateMs: late, atMs: end });
        }
      }
      if (this.simulatedTicks - this.lastStatusTicks >= this.statusEvery) this.publish();
      // Yield to the event loop now and then, so I/O, viewers and pause/stop get a turn.
      if (end - batchStart >= this.batchMs) return this.schedule(0);
    }
    this.finish(this.stopRequested ? 'stopped' : 'idle');
  }

  private enterPause(): void {
    this.pauseRequested = false;
    this.runner.pause();
    this.leaveRunning();
    this.setPhase('paused');
  }

  private finish(phase: 'idle' | 'stopped'): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.stopRequested = false;
    this.leaveRunning();
    this.setPhase(phase);
    const settle = this.settle;
    this.settle = undefined;
    settle?.resolve(this.status);
  }

  private fail(e: unknown): void {
    this.leaveRunning();
    this.setPhase('failed', reasonOf(e));
    const settle = this.settle;
    this.settle = undefined;
    settle?.reject(e);
  }

  private setPhase(phase: ClockPhase, error?: string): void {
    this.phase = phase;
    this.publish(error);
  }

  private publish(error?: string): void {
    const wallMs = this.wallMs();
    this.subject.next(this.snapshot(wallMs, error));
    this.lastStatusWall = wallMs;
    this.lastStatusTicks = this.simulatedTicks;
  }

  private snapshot(wallMs = 0, error?: string): ClockStatus {
    const simulatedMs = this.simulatedTicks * TICK_MS;
    const recentTicks = this.simulatedTicks - this.lastStatusTicks;
    return {
      phase: this.phase,
      tick: this.runner.tick,
      simulatedMs,
      wallMs,
      realTimeFactor: simulatedMs > 0 ? wallMs / simulatedMs : NaN,
      recentRealTimeFactor: recentTicks > 0 ? (wallMs - this.lastStatusWall) / (recentTicks * TICK_MS) : NaN,
      busyFactor: simulatedMs > 0 ? this.busyMs / simulatedMs : NaN,
      targetRealTimeFactor: this.pacing.mode === 'realtime' ? this.periodMs / TICK_MS : NaN,
      deadlineMisses: this.misses,
      lagMs: this.lagMs,
      maxLagMs: this.maxLagMs,
      ...(error === undefined ? {} : { error }),
    };
  }
}
