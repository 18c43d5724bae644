import { describe, expect, it } from 'vitest';
import { FAST_EXP_MAX, FAST_EXP_MIN, fastExp } from '../../../adapters/conductance/fast-exp.ts';
import { Random } from '../../../src/random.ts';

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
/** Distance in units in the last place between two positive finite doubles. */
function ulps(a: number, b: number): number {
  f64[0] = a;
  const ia = i64[0]!;
  f64[0] = b;
  const d = ia - i64[0]!;
  return Number(d < 0n ? -d : d);
}

describe('fastExp', () => {
  it('is within 2 ulp of Math.exp over the fast range, and equal to it on most arguments', () => {
    const rng = new Random(7);
    let worst = 0;
    let equal = 0;
    const n = 200_000;
    for (let k = 0; k < n; k++) {
      // Half over the whole fast range, half over the range the neuron update uses (|x| ≲ 30).
      const x = k % 2 === 0 ? FAST_EXP_MIN + (FAST_EXP_MAX - FAST_EXP_MIN) * rng.uniform() : -30 + 60 * rng.uniform();
      const d = ulps(fastExp(x), Math.exp(x));
      if (d > worst) worst = d;
      if (d === 0) equal++;
    }
    expect(worst).toBeLessThanOrEqual(2);
    expect(equal / n).toBeGreaterThan(0.7);
  });

  it('gives e^0 = 1 exactly, e^1 = Math.E, and 1 for arguments far below one ulp', () => {
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-0)).toBe(1);
    expect(fastExp(1)).toBe(Math.E);
    expect(fastExp(1e-300)).toBe(1);
    expect(fastExp(-1e-300)).toBe(1);
  });

  it('hands subnormal results, overflow, infinities and NaN to Math.exp', () => {
    for (const x of [-708.5, -745, -746, 709.5, 710, Infinity, -Infinity]) expect(fastExp(x)).toBe(Math.exp(x));
    expect(fastExp(NaN)).toBeNaN();
  });
});
