import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../runtime/server/rates.ts';

describe('RateMeter', () => {
  it('mean rate per neuron over the ticks so far, then over a sliding window', () => {
    const m = new RateMeter([10, 4], 4);
    const out = new Float32Array(2);
    m.add([2, 0]);
    expect(Array.from(m.hz(out))).toEqual([200, 0]); // 2 spikes / 10 neurons / 1 ms
    m.add([0, 4]);
    m.add([0, 0]);
    m.add([2, 0]);
    expect(Array.from(m.hz(out))).toEqual([100, 250]); // 4 / 10 / 4 ms; 4 / 4 / 4 ms
    m.add([0, 0]); // the first tick leaves the window
    expect(m.rate(0)).toBeCloseTo(50);
    m.clear();
    expect(m.rate(0)).toBe(0);
  });

  it('rejects a window that is not a positive integer', () => {
    expect(() => new RateMeter([1], 0)).toThrow(/windowTicks must be an integer ≥ 1, got 0/);
  });
});
