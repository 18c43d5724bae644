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

  // Known failure of today's circuit on the network that seed 3 draws since every projection,
  // population and source draws from its own stream (src/random-streams.ts): gain 2.33 at no VIP
  // drive, 2.22 at 5 Hz. Over seeds 3–12 the VIP effect is +0.07 [−0.02, 0.17] at 10 Hz (swta run
  // swta-ablation): the circuit was tuned on the earlier draw. The retuning makes this pass; then
  // it.fails becomes it.
  it.fails('VIP drive raises the winner gain (strictly, level by level)', () => {
    expect(vip.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < vip.length; i++) expect(vip[i]!).toBeGreaterThan(vip[i - 1]!);
  });
});
