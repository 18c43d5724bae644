import { describe, expect, it } from 'vitest';
import { scenario } from '../../scenarios/swta/hysteresis.ts';

describe('sWTA hysteresis (seeds 1–2)', () => {
  it('with the context the selection has a hysteresis loop (width > 0), wider than without', async () => {
    const { result } = await scenario.run({ seed: 1 });
    const withCtx = result.widthWithContext as number;
    const without = result.widthWithoutContext as number;
    expect(withCtx).toBeGreaterThan(0);
    expect(withCtx).toBeGreaterThan(without);
  });
});
