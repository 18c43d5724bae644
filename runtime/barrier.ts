import { CTRL } from './shared-layout.ts';

/**
 * The per-tick barrier of the worker placement, on the control words of the shared buffer.
 *
 *   main:    release(t) ─────────────────────────────▶ awaitDone()
 *   worker:          awaitRelease(t) → run tick t → arrive()
 *
 * The main thread releases tick t only after every worker arrived from tick t − 1, so between
 * release and arrival the workers run concurrently and never more than one tick apart. Atomics
 * order the plain writes of the shared buffer: whatever a worker wrote before arrive() is seen by
 * the main thread after awaitDone(), and by every worker after the next release.
 */
export class TickBarrier {
  private readonly ctrl: Int32Array;
  private readonly workers: number;

  constructor(words: Int32Array, workers: number) {
    this.ctrl = words;
    this.workers = workers;
  }

  /** Main thread: let the workers run tick `tick`. */
  release(tick: number): void {
    // DONE is reset before GO moves, and workers touch DONE only after they see GO move.
    Atomics.store(this.ctrl, CTRL.DONE, 0);
    Atomics.store(this.ctrl, CTRL.GO, tick + 1);
    Atomics.notify(this.ctrl, CTRL.GO);
  }

  /**
   * Main thread: block until every worker arrived. Returns false when `timeoutMs` passed with no
   * worker arriving (a worker died or hangs): the caller reports it rather than waiting forever.
   * No clock is read: performance.now() returns a fresh heap number per call, and this runs every tick.
   */
  awaitDone(timeoutMs: number): boolean {
    let done = Atomics.load(this.ctrl, CTRL.DONE);
    while (done < this.workers) {
      const woke = Atomics.wait(this.ctrl, CTRL.DONE, done, timeoutMs);
      const now = Atomics.load(this.ctrl, CTRL.DONE);
      if (woke === 'timed-out' && now === done) return false;
      done = now;
    }
    return true;
  }

  /** Main thread: end the workers' loops. */
  stop(): void {
    Atomics.store(this.ctrl, CTRL.STOP, 1);
    // Move GO so that a worker asleep on it wakes up and sees STOP.
    Atomics.add(this.ctrl, CTRL.GO, 1);
    Atomics.notify(this.ctrl, CTRL.GO);
  }

  /**
   * Worker: block until tick `ticksDone` is released (true) or the run is stopped (false).
   * With `spinMs` > 0 it first polls for up to that long before it sleeps. A worker that sleeps
   * between 1-ms ticks loses its CPU: on the 2-vCPU VM we measured, the kernel then woke both
   * workers on one CPU, and they ran one after the other (0.5 ms of work each took 1.2 ms per tick
   * instead of 0.6). A polling worker keeps its CPU.
   */
  awaitRelease(ticksDone: number, spinMs = 0): boolean {
    if (spinMs > 0) {
      const until = performance.now() + spinMs;
      while (Atomics.load(this.ctrl, CTRL.GO) <= ticksDone && Atomics.load(this.ctrl, CTRL.STOP) === 0 && performance.now() < until);
    }
    while (Atomics.load(this.ctrl, CTRL.GO) <= ticksDone && Atomics.load(this.ctrl, CTRL.STOP) === 0) {
      Atomics.wait(this.ctrl, CTRL.GO, ticksDone);
    }
    return Atomics.load(this.ctrl, CTRL.STOP) === 0;
  }

  /**
   * Worker: this worker finished the released tick; the last one wakes the main thread and gets
   * true (it should then sleep rather than poll, leaving its CPU to the main thread).
   */
  arrive(): boolean {
    if (Atomics.add(this.ctrl, CTRL.DONE, 1) + 1 !== this.workers) return false;
    Atomics.notify(this.ctrl, CTRL.DONE);
    return true;
  }
}
