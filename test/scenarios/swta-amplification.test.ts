import { describe, expect, it } from 'vitest';
import { scenario as amplification } from '../../scenarios/swta/amplification.ts';
import { scenario as suppression } from '../../scenarios/swta/suppression.ts';

describe('sWTA amplification and suppression (seed 3)', () => {
  it('the winner is amplified in competition: gainCompeting > 1 (Hz/Hz)', async () => {
    const { result } = await amplification.run({ seed: 3 });
    expect(result.gainCompeting as number).toBeGreaterThan(1);
    expect(result.gainAlone as number).toBeGreaterThan(0);
  });

  it('the loser is suppressed but not silenced (0.05 ≤ loserFraction ≤ 0.5); the selection curve is smooth', async () => {
    const { result } = await suppression.run({ seed: 3 });
    const lf = result.loserFraction as number;
    expect(lf).toBeGreaterThanOrEqual(0.05);
    expect(lf).toBeLessThanOrEqual(0.5);
    const curve = result.selectionCurve as [number, number][];
    // Smooth, not a step: intermediate shares exist between the extremes, and the trend rises.
    expect(curve.filter(([, s]) => s > 0.2 && s < 0.8).length).toBeGreaterThanOrEqual(3);
    expect(curve.at(-1)![1]).toBeGreaterThan(curve[0]![1] + 0.5);
  });
});
