import { describe, expect, it } from 'vitest';
import { fitRateModel, type TransferSample } from '../../../src/rate/fit.ts';
import { steadyState, type RateParams } from '../../../src/rate/ltu.ts';

describe('fitRateModel', () => {
  it('recovers the parameters of synthetic transfer curves (r2 > 0.999)', () => {
    const truth: RateParams = { inputScale: 1, alpha: 0.55, beta: 0.35, thresholdHz: 2, vipGainPerHz: 0.03, lamp5GainPerHz: 0.05 };
    const samples: TransferSample[] = [];
    for (const x of [14, 18, 22, 26]) {
      samples.push({ inputsHz: [x, 0], outputsHz: steadyState(truth, [x, 0]) });
      for (const [v, l] of [[0, 0], [20, 0], [0, 10]] as const) {
        samples.push({ inputsHz: [x, 10], vipHz: v, lamp5Hz: l, outputsHz: steadyState(truth, [x, 10], { vipHz: v, lamp5Hz: l }) });
      }
    }
    const fit = fitRateModel(samples);
    expect(fit.r2).toBeGreaterThan(0.999);
    expect(fit.params.alpha).toBeCloseTo(truth.alpha, 2);
    expect(fit.params.beta).toBeCloseTo(truth.beta, 2);
    expect(fit.params.thresholdHz).toBeCloseTo(truth.thresholdHz, 1);
    expect(fit.params.vipGainPerHz).toBeCloseTo(truth.vipGainPerHz, 2);
    expect(fit.params.lamp5GainPerHz).toBeCloseTo(truth.lamp5GainPerHz, 2);
  });

  it('rejects an empty sample set', () => {
    expect(() => fitRateModel([])).toThrow(/no samples/);
  });
});
