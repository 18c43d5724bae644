import { EMPTY, from, Observable, type ObservableInputTuple } from 'rxjs';

export interface LockstepOptions {
  /**
   * How many values one source may hold while it waits for the others (default 1). In the tick
   * protocol each channel carries one frame per tick, so a source holding more is running ahead.
   */
  maxBuffered?: number;
  /** Source names for error messages, in source order (default 'source 0', 'source 1', …). */
  names?: readonly string[];
  /**
   * Emit the same array every time, refilled per tuple (default false: a new array per tuple).
   * The tuple is then valid only during the emission: for per-tick paths that must not allocate.
   */
  reuseTuple?: boolean;
}

/** A source got more than `maxBuffered` values ahead of the slowest one. */
export class LockstepOverflowError extends Error {
  readonly code = 'LOCKSTEP_OVERFLOW';
  readonly source: string;
  readonly maxBuffered: number;
  /** The source that holds nothing and is being waited for. */
  readonly waitingFor: string;

  constructor(source: string, maxBuffered: number, waitingFor: string) {
    super(
      `lockstep: '${source}' ran ${maxBuffered + 1} values ahead while '${waitingFor}' has sent none (at most ${maxBuffered} may wait). ` +
        `A channel skipped a tick or a producer ran ahead of the clock; raise maxBuffered only if a deeper pipeline is intended`,
    );
    this.name = 'LockstepOverflowError';
    this.source = source;
    this.maxBuffered = maxBuffered;
    this.waitingFor = waitingFor;
  }
}

/**
 * Combines sources in lockstep: the n-th output holds the n-th value of every source, emitted as
 * soon as the last of them arrives. Like rxjs `zip`, but each source's buffer is bounded: a source
 * that gets more than `maxBuffered` values ahead of the slowest one errors the output with a
 * LockstepOverflowError naming it, instead of growing the other queues without limit.
 *
 * Completes when a source has completed and its buffer is empty (no further tuple can form);
 * any source error is passed on; unsubscribing releases every source.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { lockstep } from './lockstep.ts';
 *
 * const clock = new Subject<number>();
 * const link = new Subject<string>();
 * lockstep([clock, link], { names: ['clock', 'A→B'] }).subscribe({
 *   next: ([tick, frame]) => console.log(tick, frame), // 0 'a0', then 1 'a1'
 *   error: (e) => console.error(e.message),
 * });
 * link.next('a0');
 * clock.next(0); // completes tick 0
 * clock.next(1);
 * link.next('a1'); // completes tick 1
 * clock.next(2);
 * clock.next(3); // error: 'clock' ran 2 values ahead while 'A→B' has sent none
 * ```
 *
 * @param sources The sources, combined by position.
 * @param options Buffer bound and source names.
 * @see zip
 */
export function lockstep<A extends readonly unknown[]>(sources: readonly [...ObservableInputTuple<A>], options: LockstepOptions = {}): Observable<A> {
  const maxBuffered = options.maxBuffered ?? 1;
  if (!(Number.isInteger(maxBuffered) && maxBuffered >= 1)) {
    throw new RangeError(`lockstep: maxBuffered must be an integer ≥ 1, got ${maxBuffered}`);
  }
  const n = sources.length;
  const name = (i: number): string => options.names?.[i] ?? `source ${i}`;
  // No sources: no tuple can ever form (as zip).
  if (n === 0) return EMPTY as Observable<A>;

  return new Observable<A>((subscriber) => {
    // One fixed ring per source, sized once: buffering allocates nothing per value.
    const rings: unknown[][] = Array.from({ length: n }, () => new Array<unknown>(maxBuffered));
    const heads = new Int32Array(n);
    const lengths = new Int32Array(n);
    const completed = new Uint8Array(n);
    const shared = options.reuseTuple ? new Array<unknown>(n) : null;
    // Sources with at least one buffered value, so readiness is one comparison, not a scan.
    let nonEmpty = 0;

    for (let i = 0; i < n && !subscriber.closed; i++) {
      subscriber.add(
        from(sources[i]!).subscribe({
          next: (value) => {
            // This value completes a tuple when every other source holds one and this one holds
            // none (if it held one, that tuple would need this source's older value first).
            if (lengths[i] === 0 && nonEmpty === n - 1) {
              // Take the heads before emitting, so that a re-entrant next() from the subscriber
              // (a producer reacting to this tuple within the same tick) sees settled buffers.
              const tuple = shared ?? new Array<unknown>(n);
              let endAfter = false;
              for (let j = 0; j < n; j++) {
                if (j === i) {
                  tuple[j] = value;
                  continue;
                }
                const ring = rings[j]!;
                tuple[j] = ring[heads[j]!];
                // Drop the reference, so the ring does not keep a consumed frame alive.
                ring[heads[j]!] = undefined;
                heads[j] = (heads[j]! + 1) % maxBuffered;
                if (--lengths[j]! === 0) {
                  nonEmpty--;
                  // A completed source with nothing left can never contribute again.
                  if (completed[j]) endAfter = true;
                }
              }
              subscriber.next(tuple as unknown as A);
              if (shared) shared.fill(undefined);
              if (endAfter) subscriber.complete();
              return;
            }
            if (lengths[i] === maxBuffered) {
              // Fail loudly: name the source that ran ahead and one it is waiting for.
              let waiting = 0;
              while (waiting < n && lengths[waiting]! > 0) waiting++;
              subscriber.error(new LockstepOverflowError(name(i), maxBuffered, name(waiting)));
              return;
            }
            rings[i]![(heads[i]! + lengths[i]!) % maxBuffered] = value;
            if (lengths[i]!++ === 0) nonEmpty++;
          },
          error: (e: unknown) => subscriber.error(e),
          complete: () => {
            completed[i] = 1;
            // Values still buffered can pair with later values of the others; end only when empty.
            if (lengths[i] === 0) subscriber.complete();
          },
        }),
      );
    }
    return () => {
      for (const ring of rings) ring.fill(undefined);
      shared?.fill(undefined);
    };
  });
}
