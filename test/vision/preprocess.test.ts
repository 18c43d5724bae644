import { describe, expect, it } from 'vitest';
import { applyPreprocess, FILTER_NAMES, identity, preprocessFor } from '../../src/vision/preprocess.ts';

describe('preprocess hook', () => {
  const shape = { n: 1, height: 1, width: 2, channels: 1 };

  it("'none' is the identity (the baseline)", () => {
    const x = new Float32Array([0.2, 0.9]);
    expect(preprocessFor('none')).toBe(identity);
    expect(applyPreprocess(identity, x, shape)).toBe(x);
  });

  it("'swta' is the sWTA filter built from the rate-fit artifact; unknown names are named", () => {
    const f = preprocessFor('swta');
    const x = new Float32Array([0.2, 0.9]);
    const y = applyPreprocess(f, x, shape, 'swta');
    expect(y[1]).toBeGreaterThan(y[0]!);
    expect(() => preprocessFor('blur')).toThrow(/unknown filter 'blur'; known: none, swta, swta-rgb, swta-nocomp, standardize, lcn, divnorm/);
  });

  it('checks that a filter keeps the shape and gives finite values (signed outputs allowed)', () => {
    expect(() => applyPreprocess(() => new Float32Array(1), new Float32Array(2), shape, 'bad')).toThrow(/bad: returned 1 values for 2 inputs/);
    expect(() => applyPreprocess((x) => x.map((v) => v / 0), new Float32Array([0, 0.9]), shape, 'div0')).toThrow(/div0: output value NaN at index 0 is not finite/);
    expect(Array.from(applyPreprocess((x) => x.map((v) => v - 0.5), new Float32Array([0.25, 0.75]), shape, 'shift'))).toEqual([-0.25, 0.25]);
  });

  it('every filter name resolves, keeps the shape and is deterministic on grey and colour images', () => {
    for (const name of FILTER_NAMES) {
      const f = preprocessFor(name);
      for (const s of [{ n: 2, height: 6, width: 5, channels: 1 }, { n: 1, height: 4, width: 4, channels: 3 }]) {
        const x = Float32Array.from({ length: s.n * s.height * s.width * s.channels }, (_, i) => ((i * 37) % 11) / 10);
        const y = applyPreprocess(f, x, s, name);
        expect(y.length).toBe(x.length);
        expect(Array.from(f(x, s))).toEqual(Array.from(y));
      }
    }
  });
});
