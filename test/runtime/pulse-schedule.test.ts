import { describe, expect, it } from 'vitest';
import { PulseSchedule } from '../../runtime/pulse-schedule.ts';

const a = { module: 'a', source: 'a.in0' };
const b = { module: 'b', source: 'b.in0' };

describe('PulseSchedule (timed rate pulses shared by the sessions and the live server)', () => {
  it('sums the active pulses per source over [fromTick, untilTick) and reports the ticks where rates change', () => {
    const s = new PulseSchedule();
    s.add({ sources: [a, b], fromTick: 10, untilTick: 20, rateHz: 12 });
    s.add({ sources: [a], fromTick: 15, untilTick: 30, rateHz: 5 });
    expect([9, 10, 15, 19, 20, 29, 30].map((t) => s.rateAt('a', 'a.in0', t))).toEqual([0, 12, 17, 17, 5, 5, 0]);
    expect([9, 10, 19, 20].map((t) => s.rateAt('b', 'b.in0', t))).toEqual([0, 12, 12, 0]);
    expect([9, 10, 15, 20, 25, 30].map((t) => s.changesAt(t))).toEqual([false, true, true, true, false, true]);
    expect(s.sources()).toEqual([a, b]);
  });

  it('cancels pulses by tag, prunes ended ones, and rejects bad ticks and rates with the rule', () => {
    const s = new PulseSchedule();
    s.add({ tag: 'cue', sources: [a], fromTick: 0, untilTick: 100, rateHz: 12 });
    s.add({ tag: 'reset', sources: [b], fromTick: 0, untilTick: 10, rateHz: 60 });
    s.cancel('cue');
    expect(s.rateAt('a', 'a.in0', 50)).toBe(0);
    expect(s.rateAt('b', 'b.in0', 5)).toBe(60);
    s.prune(11);
    expect(s.changesAt(10)).toBe(false);
    expect(() => s.add({ sources: [a], fromTick: 5, untilTick: 4, rateHz: 1 })).toThrow(/0 ≤ fromTick ≤ untilTick/);
    expect(() => s.add({ sources: [a], fromTick: 0.5, untilTick: 4, rateHz: 1 })).toThrow(/integer ticks/);
    expect(() => s.add({ sources: [a], fromTick: 0, untilTick: 4, rateHz: Number.NaN })).toThrow(/finite number ≥ 0 Hz/);
  });
});
