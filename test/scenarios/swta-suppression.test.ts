import { describe, expect, it } from 'vitest';
import { steadyState, type RateParams } from '../../src/rate/ltu.ts';
import {
  analyzeSuppression, monotonicViolations, predictedSilencingInputRatio, predictedSilencingRatio, scenario, silencing, SUPPRESSION, type SeedSweep,
} from '../../scenarios/swta/suppression.ts';

const PARAMS: RateParams = { inputScale: 1, alpha: 0.8, beta: 0.2, thresholdHz: 1, vipGainPerHz: 0, lamp5GainPerHz: 0 };

describe('sWTA suppression sweep: the measuring code', () => {
  it('the predicted silencing ratio (1 − α + β)/β is where the rate model silences the loser', () => {
    const R = predictedSilencingRatio(PARAMS);
    expect(R).toBeCloseTo(2, 12);
    // Drives u = I − T: the loser's drive 9 Hz (I = 10 Hz); the winner's R·9 Hz is the switch point.
    const rI = predictedSilencingInputRatio(PARAMS, 10);
    expect(rI).toBeCloseTo((2 * 9 + 1) / 10, 12);
    expect(steadyState(PARAMS, [(rI - 0.01) * 10, 10])[1]!).toBeGreaterThan(0);
    expect(steadyState(PARAMS, [(rI + 0.01) * 10, 10])[1]!).toBe(0);
  });

  it('silencing: threshold max(spontaneous, 10 % of isolated), linear interpolation, first ratio, never', () => {
    const ratios = [1, 2, 3, 4];
    // Isolated 20 Hz, spontaneous 0.5 Hz: threshold 2 Hz, crossed between 2 (6 Hz) and 3 (1 Hz) at 2.8.
    expect(silencing(ratios, [10, 6, 1, 0], 0.5, 20)).toEqual({ thresholdHz: 2, firstSilencedRatio: 3, silencingRatio: 2.8 });
    // A spontaneous rate above 10 % of isolated sets the threshold.
    expect(silencing(ratios, [10, 6, 3, 0], 3, 20).silencingRatio).toBe(3);
    expect(silencing(ratios, [1, 0, 0, 0], 0, 20).silencingRatio).toBe(1);
    expect(silencing(ratios, [10, 9, 8, 7], 0, 20)).toEqual({ thresholdHz: 2, firstSilencedRatio: null, silencingRatio: null });
  });

  it('monotonicity: the indices where a curve falls', () => {
    expect(monotonicViolations([0.5, 0.6, 0.6, 0.9])).toEqual([]);
    expect(monotonicViolations([0.5, 0.7, 0.6, 0.9, 0.8])).toEqual([2, 4]);
  });

  it('criteria on synthetic sweeps: a loser that follows the prediction passes, one silenced early fails', () => {
    const ratios = [1.2, 1.6, 2.0, 2.4];
    const sweep = (seed: number, loserHz: number[]): SeedSweep => ({ seed, spontaneousHz: 0, isolatedHz: 20, winnerHz: ratios.map((r) => 10 * r), loserHz });
    // Prediction 2.0: the loser stays ≥ 2 Hz below it and crosses 2 Hz at 2.0 exactly.
    const good = analyzeSuppression([sweep(1, [12, 7, 2, 0]), sweep(2, [12, 7, 2, 0])], PARAMS, ratios);
    expect(good.measured.silencingRatio).toBeCloseTo(2, 12);
    expect(good.criteria.loserAliveBelowPrediction).toEqual({ pass: true, checkedRatios: [1.2, 1.6], failingRatios: [] });
    expect(good.criteria.silencingRatioWithinTolerance.pass).toBe(true);
    expect(good.criteria.selectionMonotonic.pass).toBe(true);
    expect(good.curve[0]!.loserHz).toEqual({ mean: 12, sd: 0 });
    const early = analyzeSuppression([sweep(1, [4, 0, 0, 0]), sweep(2, [2, 1, 0, 0])], PARAMS, ratios);
    expect(early.curve[0]!.loserHz).toEqual({ mean: 3, sd: Math.SQRT2 });
    expect(early.criteria.loserAliveBelowPrediction.failingRatios).toEqual([1.6]);
    expect(early.measured.silencingRatio).toBeCloseTo(1.2 + 0.4 * (1 / 2.5), 12);
    expect(early.criteria.silencingRatioWithinTolerance.pass).toBe(false);
    expect(early.measured.perSeed).toEqual([1.2 + 0.4 * (2 / 4), 1.2]);
  });

  it('selection: a fall within the seed noise is listed, a fall on every seed fails the check', () => {
    const ratios = [1.2, 1.6, 2.0];
    const sweep = (winnerHz: number[], loserHz: number[]): SeedSweep => ({ seed: 0, spontaneousHz: 0, isolatedHz: 20, winnerHz, loserHz });
    // Shares 0.6, 0.8, 0.7 and 0.6, 0.7, 0.79: the mean falls at 2.0 (0.75 → 0.745) without a consistent sign.
    const noisy = analyzeSuppression([sweep([6, 8, 7], [4, 2, 3]), sweep([6, 7, 7.9], [4, 3, 2.1])], PARAMS, ratios);
    expect(noisy.criteria.selectionMonotonic).toEqual({ pass: true, significantFallsAtRatios: [], fallsAtRatios: [2.0] });
    const falling = analyzeSuppression([sweep([6, 8, 7], [4, 2, 3]), sweep([6, 8, 6.9], [4, 2, 3.1]), sweep([6, 8, 7.1], [4, 2, 2.9])], PARAMS, ratios);
    expect(falling.criteria.selectionMonotonic.pass).toBe(false);
    expect(falling.criteria.selectionMonotonic.significantFallsAtRatios).toEqual([2.0]);
    expect(falling.curve[1]!.invertedSeeds).toBe(0);
    expect(analyzeSuppression([sweep([6, 8, 7], [4, 9, 3])], PARAMS, ratios).curve[1]!.invertedSeeds).toBe(1);
  });

  it('the quick run (2 seeds from 3) sweeps ≥ 8 ratios over 1.1–2.5 and reports every measure and criterion', async () => {
    const { result, table } = await scenario.run({ seed: 3, quick: true });
    const ratios = result.ratios as number[];
    expect(ratios.length).toBeGreaterThanOrEqual(8);
    expect(ratios[0]).toBe(1.1);
    expect(ratios.at(-1)).toBe(2.5);
    expect(result.seeds).toEqual([3, 4]);
    const perSeed = result.perSeed as SeedSweep[];
    expect(perSeed).toHaveLength(SUPPRESSION.quickSeeds);
    for (const s of perSeed) expect(s.loserHz).toHaveLength(ratios.length);
    const curve = result.curve as { loserHz: { mean: number; sd: number } }[];
    expect(curve[0]!.loserHz.mean).toBeCloseTo((perSeed[0]!.loserHz[0]! + perSeed[1]!.loserHz[0]!) / 2, 12);
    const criteria = result.criteria as Record<string, { pass: boolean }>;
    for (const k of ['loserAliveBelowPrediction', 'silencingRatioWithinTolerance', 'selectionMonotonic']) expect(typeof criteria[k]!.pass).toBe('boolean');
    expect((result.prediction as { silencingRatio: number }).silencingRatio).toBeGreaterThan(1);
    expect(table.filter((l) => /PASS|FAIL/.test(l))).toHaveLength(3);
  });
});
