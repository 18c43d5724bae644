/**
 * Where the pacer gets wall time and timers from, injected like xstate's `createActor(logic,
 * { clock })`: the system clock in a real run, a SimulatedClock in tests, so that no test sleeps
 * and no test depends on the machine's speed. Times are milliseconds.
 */
export interface TimeSource {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /**
   * Block this thread for `ms`, to well under a millisecond (optional). The real-time pacer sleeps
   * the last stretch before a tick's slot with it: a timer waits at least 1 ms and often wakes a
   * millisecond late, which alone would start ticks late.
   */
  sleep?(ms: number): void;
}

/**
 * A word nobody notifies: Atomics.wait on it is a plain sleep with a timeout (futex, µs precision).
 * A page that is not cross-origin isolated has no SharedArrayBuffer; its clock has no sleep().
 */
const sleepWord = typeof SharedArrayBuffer === 'function' ? new Int32Array(new SharedArrayBuffer(4)) : null;

/**
 * A 0-ms turn of the event loop: setImmediate in Node; in a browser, where there is none, a
 * MessageChannel message (a timer would be clamped to 4 ms once nested).
 */
const turn: { set(fn: () => void): unknown; clear(handle: unknown): void } =
  typeof setImmediate === 'function'
    ? { set: (fn) => setImmediate(fn), clear: (h) => clearImmediate(h as ReturnType<typeof setImmediate>) }
    : (() => {
        const queue = new Map<number, () => void>();
        let next = 0;
        const channel = new MessageChannel();
        channel.port1.onmessage = (ev: MessageEvent<number>) => {
          const fn = queue.get(ev.data);
          queue.delete(ev.data);
          fn?.();
        };
        return {
          set: (fn) => {
            const id = next++;
            queue.set(id, fn);
            channel.port2.postMessage(id);
            return id;
          },
          clear: (h) => queue.delete(h as number),
        };
      })();

/**
 * performance.now(), the event loop's timers, and Atomics.wait for sleep(). A 0-ms timeout becomes setImmediate: Node's
 * setTimeout waits at least 1 ms, which would cost a fast run 5 % at one yield per 20 ms. The same
 * clock runs in a browser Web Worker (Atomics.wait is allowed there, given a SharedArrayBuffer).
 */
export const systemClock: TimeSource = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => (ms > 0 ? { timeout: setTimeout(fn, ms) } : { immediate: turn.set(fn) }),
  clearTimeout: (handle) => {
    const h = handle as { timeout?: ReturnType<typeof setTimeout>; immediate?: unknown };
    if (h.timeout !== undefined) clearTimeout(h.timeout);
    if (h.immediate !== undefined) turn.clear(h.immediate);
  },
  ...(sleepWord
    ? {
        sleep: (ms: number) => {
          if (ms > 0) Atomics.wait(sleepWord, 0, 0, ms);
        },
      }
    : {}),
};

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * Virtual time for tests (after xstate's SimulatedClock): time moves only through increment() or
 * set(), and due timers fire in time order (then in order of creation) as it passes them.
 *
 * @example
 * ```ts
 * const clock = new SimulatedClock();
 * clock.setTimeout(() => console.log('fired at', clock.now()), 5);
 * clock.increment(10); // fired at 5; clock.now() is 10 afterwards
 * ```
 */
export class SimulatedClock implements TimeSource {
  private time = 0;
  private nextId = 1;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Advance by `ms`, firing every timer that falls due on the way (also ones scheduled meanwhile). */
  increment(ms: number): void {
    this.set(this.time + ms);
  }

  /** Move to time `ms` (never backwards), firing due timers in order. */
  set(ms: number): void {
    const target = Math.max(ms, this.time);
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.timers) if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      // A callback may move time on itself (a tick that "takes" time): never go back.
      this.time = Math.max(this.time, next.at);
      next.fn();
    }
    this.time = Math.max(this.time, target);
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.length;
  }
}
