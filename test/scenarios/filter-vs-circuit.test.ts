import { describe, expect, it } from 'vitest';
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { FILTER_CHECK, filterCheckImages, filterOutputs, meanOf, meanPairwiseR } from '../../scenarios/swta/filter-vs-circuit.ts';

// The spiking side (circuitRates) runs in test/vision/filter/swta-filter.test.ts; these are the
// scenario's pure parts.
describe('filter-vs-circuit helpers', () => {
  it('images: deterministic, 4 pixels each, in [minPixel, 1]', () => {
    const a = filterCheckImages(5);
    expect(a).toEqual(filterCheckImages(5));
    expect(a.map((img) => img.length)).toEqual([4, 4, 4, 4, 4]);
    for (const img of a) for (const p of img) expect(p >= FILTER_CHECK.minPixel && p <= 1).toBe(true);
    expect(filterCheckImages(2, 8)).not.toEqual(filterCheckImages(2));
  });

  it('filter outputs: 4 values per image in [0, 1]', () => {
    const out = filterOutputs(loadRateFit(), filterCheckImages(3));
    expect(out.length).toBe(12);
    for (const v of out) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('meanOf and meanPairwiseR: closed-form cases', () => {
    expect(meanOf([[1, 2], [3, 6]])).toEqual([2, 4]);
    // Pairs (a, b) r = 1, (a, c) r = −1, (b, c) r = −1: mean −1/3.
    expect(meanPairwiseR([[1, 2, 3], [2, 4, 6], [3, 2, 1]])).toBeCloseTo(-1 / 3, 12);
    expect(() => meanPairwiseR([[1, 2]])).toThrow(/at least 2/);
  });
});
