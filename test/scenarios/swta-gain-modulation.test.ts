import { describe, expect, it } from 'vitest';
import { scenario } from '../../scenarios/swta/gain-modulation.ts';

describe('sWTA gain modulation (seed 3)', async () => {
  const { result } = await scenario.run({ seed: 3 });
  const vip = result.vipGains as number[];
  const lamp5 = result.lamp5Gains as number[];

  it('LAMP5 drive lowers the winner gain (strictly, level by level)', () => {
    expect(lamp5.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < lamp5.length; i++) expect(lamp5[i]!).toBeLessThan(lamp5[i - 1]!);
  });

  it('VIP drive raises the winner gain (strictly, level by level)', () => {
    expect(vip.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < vip.length; i++) expect(vip[i]!).toBeGreaterThan(vip[i - 1]!);
  });
});
