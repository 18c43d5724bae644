import { describe, expect, it } from 'vitest';
import { pearson, scenario } from '../../scenarios/swta/restoration.ts';

describe('sWTA signal restoration (10 seeds from 1)', () => {
  it('the output correlates with the clean profile better than the noisy input', async () => {
    const { result } = await scenario.run({ seed: 1 });
    expect(result.seeds).toBe(10);
    expect(result.outputCorrelation as number).toBeGreaterThan(result.inputCorrelation as number);
  });

  it('pearson: closed-form cases', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });
});
