import { Subject, zip } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { lockstep, LockstepOverflowError } from '../../runtime/lockstep.ts';

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('lockstep', () => {
  it('emits the n-th values of every source together, when the last of them arrives', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const clock = cold('-a---b---c|');
      const link = cold(' ---1---2-----3|');
      // c waits for 3; the clock completed with c still buffered, so the output ends with that tuple.
      expectObservable(lockstep([clock, link])).toBe('---x---y-----(z|)', { x: ['a', '1'], y: ['b', '2'], z: ['c', '3'] });
    });
  });

  it('fails loudly when one source runs more than maxBuffered values ahead (zip would just queue)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const clock = cold('ab--|');
      const link = cold('---1|');
      const error = new LockstepOverflowError('clock', 1, 'A→B');
      expectObservable(lockstep([clock, link], { names: ['clock', 'A→B'] })).toBe('-#', undefined, error);
      expectObservable(zip([clock, link])).toBe('---x|', { x: ['a', '1'] });
    });
  });

  it('with maxBuffered 2 lets a source run two values ahead, not three', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const ahead = cold('abc---|');
      const slow = cold('-----1|');
      expectObservable(lockstep([ahead, slow], { maxBuffered: 2 })).toBe('--#', undefined, new LockstepOverflowError('source 0', 2, 'source 1'));
      expectObservable(lockstep([cold('ab---|'), slow], { maxBuffered: 2 })).toBe('-----x|', { x: ['a', '1'] });
    });
  });

  it('the overflow error names the source that ran ahead and the one it waits for', () => {
    const e = new LockstepOverflowError("link 'm0->m1'", 1, 'clock');
    expect(e.code).toBe('LOCKSTEP_OVERFLOW');
    expect(e.message).toMatch(/^lockstep: 'link 'm0->m1'' ran 2 values ahead while 'clock' has sent none \(at most 1 may wait\)/);
  });

  it('passes on a source error and unsubscribes every source', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = hot('--a--#', undefined, new Error('engine died'));
      const b = cold('----1-----2|');
      expectObservable(lockstep([a, b])).toBe('----x#', { x: ['a', '1'] }, new Error('engine died'));
      expectSubscriptions(b.subscriptions).toBe('^----!');
    });
  });

  it('releases its sources on unsubscribe', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-a-b-c-d|');
      const b = cold('-1-2-3-4|');
      expectObservable(lockstep([a, b]), '----!').toBe('-x-y', { x: ['a', '1'], y: ['b', '2'] });
      expectSubscriptions(a.subscriptions).toBe('^---!');
      expectSubscriptions(b.subscriptions).toBe('^---!');
    });
  });

  it('completes at once without sources, and rejects a bad bound', () => {
    scheduler().run(({ expectObservable }) => {
      expectObservable(lockstep([])).toBe('|');
    });
    expect(() => lockstep([new Subject<number>()], { maxBuffered: 0 })).toThrow(/maxBuffered must be an integer ≥ 1, got 0/);
  });

  it('is re-entrant: a subscriber may feed a source while handling a tuple (a module emitting within its tick)', () => {
    const clock = new Subject<number>();
    const self = new Subject<string>();
    const seen: [number, string][] = [];
    lockstep([clock, self]).subscribe(([t, frame]) => {
      seen.push([t, frame]);
      // The module's next frame goes out while lockstep is still delivering this one.
      self.next(`f${t}`);
    });
    self.next('f-1');
    for (let t = 0; t < 3; t++) clock.next(t);
    expect(seen).toEqual([[0, 'f-1'], [1, 'f0'], [2, 'f1']]);
  });

  it('reuseTuple: emits one array, refilled per tuple and cleared after each emission', () => {
    const clock = new Subject<number>();
    const link = new Subject<string>();
    const tuples: unknown[] = [];
    const seen: string[] = [];
    lockstep([clock, link], { reuseTuple: true }).subscribe((tuple) => {
      tuples.push(tuple);
      seen.push(`${tuple[0]}${tuple[1]}`);
    });
    for (let t = 0; t < 3; t++) {
      link.next(`f${t - 1}`);
      clock.next(t);
    }
    expect(seen).toEqual(['0f-1', '1f0', '2f1']);
    expect(tuples[0]).toBe(tuples[2]);
    expect(tuples[0]).toEqual([undefined, undefined]);
  });
});
