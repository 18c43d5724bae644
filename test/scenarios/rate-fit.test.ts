import { describe, expect, it } from 'vitest';
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { scenario } from '../../scenarios/swta/rate-fit.ts';

describe('rate-fit: the LTU reduction of the conductance module (seed 3)', () => {
  it('fits the measured transfer curves with r2 ≥ 0.9', async () => {
    const { result } = await scenario.run({ seed: 3 });
    expect(result.r2 as number).toBeGreaterThanOrEqual(0.9);
    const p = result.params as Record<string, number>;
    expect(p.alpha).toBeLessThan(1);
    expect(p.beta).toBeGreaterThan(0);
  });

  it('the committed artifact is a valid version-1 fit with r2 ≥ 0.9', () => {
    const a = loadRateFit();
    expect(a.r2).toBeGreaterThanOrEqual(0.9);
    expect(a.source.scenario).toBe('rate-fit');
  });
});
