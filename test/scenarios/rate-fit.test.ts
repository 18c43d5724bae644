import { describe, expect, it } from 'vitest';
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { scenario } from '../../scenarios/swta/rate-fit.ts';

describe('rate-fit: the LTU reduction of the conductance module (seed 3)', () => {
  it('a fresh fit on today\'s code reproduces the committed artifact (same seed, same spikes, same fit) with r2 ≥ 0.9', async () => {
    const committed = loadRateFit();
    const { result } = await scenario.run({ seed: committed.source.seed });
    const p = result.params as Record<string, number>;
    for (const [k, v] of Object.entries(committed.params)) expect(p[k], k).toBeCloseTo(v, 9);
    expect(result.r2 as number).toBeCloseTo(committed.r2, 9);
    expect(committed.r2).toBeGreaterThanOrEqual(0.9);
    expect(p.alpha).toBeLessThan(1);
    expect(p.beta).toBeGreaterThan(0);
  });
});
