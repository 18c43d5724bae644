import { describe, expect, it } from 'vitest';
import { scenario as amplification } from '../../scenarios/swta/amplification.ts';

describe('sWTA amplification (seed 3)', () => {
  it('the winner is amplified in competition: gainCompeting > 1 (Hz/Hz)', async () => {
    const { result } = await amplification.run({ seed: 3 });
    expect(result.gainCompeting as number).toBeGreaterThan(1);
    expect(result.gainAlone as number).toBeGreaterThan(0);
  });
});
