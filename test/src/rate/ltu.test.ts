import { describe, expect, it } from 'vitest';
import { activeSetThreshold, effectiveGains, loneRateHz, simulateRates, steadyState, winnerGain, type RateParams } from '../../../src/rate/ltu.ts';

const P: RateParams = { inputScale: 1, alpha: 0.5, beta: 0.4, thresholdHz: 0, vipGainPerHz: 0.02, lamp5GainPerHz: 0.03 };

describe('LTU sWTA rate model (docs/reference/swta-and-truenorth.md §4.2)', () => {
  it('a lone winner has gain 1/(1 − α + β)', () => {
    const x = steadyState(P, [10, 0, 0]);
    expect(x[0]).toBeCloseTo(10 / (1 - 0.5 + 0.4), 12);
    expect(x[1]).toBe(0);
    expect(winnerGain(P)).toBeCloseTo(1 / 0.9, 12);
  });

  it('hand-worked two-unit case: both active, common threshold θ = β S', () => {
    // u = (10, 8): S = 18/(1 − 0.5 + 2·0.4) = 13.846…, θ = 5.538…, x = (u − θ)/(1 − α)
    const x = steadyState(P, [10, 8]);
    const theta = (0.4 * 18) / 1.3;
    expect(x[0]).toBeCloseTo((10 - theta) / 0.5, 12);
    expect(x[1]).toBeCloseTo((8 - theta) / 0.5, 12);
  });

  it('a weak input below the common threshold is silenced (the LTU has no soft floor)', () => {
    const x = steadyState(P, [10, 3]);
    expect(x[1]).toBe(0);
    expect(x[0]).toBeCloseTo(10 / 0.9, 12);
  });

  it('the dynamics converge to the closed form, with and without context', () => {
    for (const c of [{}, { vipHz: 20 }, { lamp5Hz: 10 }]) {
      const inputs = [12, 9, 4, 11];
      const closed = steadyState(P, inputs, c);
      const sim = simulateRates(P, inputs, { ...c, durationMs: 2000, dtMs: 0.1 });
      sim.forEach((v, i) => expect(v).toBeCloseTo(closed[i]!, 6));
    }
  });

  it('VIP raises and LAMP5 lowers the winner gain', () => {
    expect(winnerGain(P, { vipHz: 20 })).toBeGreaterThan(winnerGain(P));
    expect(winnerGain(P, { lamp5Hz: 20 })).toBeLessThan(winnerGain(P));
  });

  it('the pieces the image filter calls: θ of the active set on sorted drives, and a lone pool', () => {
    // u = (10, 8, 3): the third is below θ_3, so θ = θ_2 = β·18/(1 − α + 2β) as in the two-unit case.
    const g = effectiveGains(P);
    expect(activeSetThreshold(Float64Array.of(10, 8, 3), 3, g)).toBeCloseTo((0.4 * 18) / 1.3, 12);
    expect(activeSetThreshold(Float64Array.of(10, 8, 3), 1, g)).toBeCloseTo((0.4 * 10) / 0.9, 12);
    expect(loneRateHz(P, 10)).toBeCloseTo(steadyState(P, [10])[0]!, 12);
    expect(loneRateHz({ ...P, thresholdHz: 20 }, 10)).toBe(0);
  });

  it('α ≥ 1 has no closed form: a clear error', () => {
    expect(() => steadyState({ ...P, alpha: 1.2 }, [1, 2])).toThrow(/effective α < 1/);
  });

  it('α > 1: the state depends on history (multistability)', () => {
    const q = { ...P, alpha: 1.2, beta: 1 };
    const fromA = simulateRates(q, [10, 10], { x0: [30, 0], durationMs: 1000, maxRateHz: 200 });
    const fromB = simulateRates(q, [10, 10], { x0: [0, 30], durationMs: 1000, maxRateHz: 200 });
    expect(fromA[0]!).toBeGreaterThan(fromA[1]! + 10);
    expect(fromB[1]!).toBeGreaterThan(fromB[0]! + 10);
  });
});
