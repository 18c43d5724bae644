import { describe, expect, it } from 'vitest';
import { ablationMetrics } from '../../scenarios/swta/ablation.ts';

describe('sWTA ablations (seed 3)', () => {
  const intact = ablationMetrics(undefined, 3);

  it('silencing SST (feedback inhibition) weakens the competition: the loser keeps more of its rate', () => {
    const sst = ablationMetrics('SST', 3);
    expect(sst.loserFraction).toBeGreaterThan(intact.loserFraction + 0.15);
  });

  it('silencing VIP removes the VIP effect exactly (its drive then reaches nothing)', () => {
    const vip = ablationMetrics('VIP', 3);
    expect(intact.vipEffect).toBeGreaterThan(0);
    expect(vip.vipEffect).toBe(0);
  });
});
