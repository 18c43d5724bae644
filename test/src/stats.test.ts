import { describe, expect, it } from 'vitest';
import { ciIncludes, fisherZ, logGamma, mean, meanCi, meanSd, sd, studentTCdf, tQuantile } from '../../src/stats.ts';

describe('shared statistics', () => {
  it('mean and sample sd (n − 1)', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sd([3])).toBe(0);
    expect(meanSd([]).mean).toBeNaN();
  });

  it('logGamma: Γ(n) = (n − 1)! and Γ(½) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  // Reference values: scipy.stats.t (ppf, cdf), to the digits printed there.
  it('Student t quantiles and CDF against tabled values', () => {
    const q975: [number, number][] = [[1, 12.706204736432095], [2, 4.302652729911275], [4, 2.7764451051977987], [9, 2.2621571627409915], [19, 2.093024054408263], [1000, 1.9623390808264074]];
    for (const [df, q] of q975) expect(tQuantile(0.975, df), `df ${df}`).toBeCloseTo(q, 9);
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977987, 9);
    expect(studentTCdf(1.5, 3)).toBeCloseTo(0.8847080673775886, 12);
    expect(studentTCdf(-2.2, 7)).toBeCloseTo(0.03186550765131839, 12);
  });

  it('paired Fisher-z difference: mean and 95 % CI of a hand example (3 pairs, t with 2 df)', () => {
    const rIn = [0.5, 0.6, 0.7];
    const rOut = [0.6, 0.8, 0.7];
    // Δz = atanh(r_out) − atanh(r_in) = 0.143841, 0.405465, 0; mean 0.183102, sd 0.205564,
    // half-width 4.302653 · 0.205564 / √3 = 0.510650.
    const ci = meanCi(rIn.map((r, i) => fisherZ(rOut[i]!) - fisherZ(r)));
    expect(ci.mean).toBeCloseTo(0.18310204811135164, 12);
    expect(ci.sd).toBeCloseTo(0.20556400162478383, 12);
    expect(ci.low).toBeCloseTo(-0.32754724052228434, 9);
    expect(ci.high).toBeCloseTo(0.6937513367449877, 9);
    expect(ciIncludes(ci, 0)).toBe(true);
  });

  it('a constant sample has a zero-width interval; one value has none', () => {
    const c = meanCi([0, 0, 0]);
    expect([c.low, c.high]).toEqual([0, 0]);
    expect(ciIncludes(c, 0)).toBe(true);
    expect(meanCi([1]).low).toBeNaN();
    expect(ciIncludes(meanCi([1]), 1)).toBe(false);
    expect(() => fisherZ(1.5)).toThrow(RangeError);
  });
});
