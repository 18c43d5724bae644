import { describe, expect, it } from 'vitest';
import { Random } from '../../src/random.ts';

describe('Random', () => {
  it('same seed, same stream; different seeds, different streams', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const xa = Array.from({ length: 100 }, () => a.nextUint32());
    const xb = Array.from({ length: 100 }, () => b.nextUint32());
    const xc = Array.from({ length: 100 }, () => c.nextUint32());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('state save/restore replays the stream exactly', () => {
    const r = new Random(7);
    r.normal();
    const s = r.getState();
    const first = [r.uniform(), r.normal(), r.normal()];
    r.setState(s);
    expect([r.uniform(), r.normal(), r.normal()]).toEqual(first);
  });

  it('uniform mean ≈ 1/2, normal mean ≈ 0 and sd ≈ 1, geometric mean ≈ (1−p)/p (n = 200 000, 5σ bounds)', () => {
    const r = new Random(1);
    const n = 200_000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let sg = 0;
    for (let i = 0; i < n; i++) {
      su += r.uniform();
      const z = r.normal();
      sn += z;
      sn2 += z * z;
      sg += r.geometric(0.2);
    }
    expect(Math.abs(su / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sn / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(sg / n - 4)).toBeLessThan(5 * Math.sqrt(0.8 / 0.04 / n));
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Random(NaN)).toThrow(/finite/);
  });
});
