import { describe, expect, it } from 'vitest';
import { applyPreprocess, identity, preprocessFor } from '../../src/vision/preprocess.ts';

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
    expect(() => preprocessFor('blur')).toThrow(/unknown filter 'blur'; known: none, swta/);
  });

  it('checks that a filter keeps the shape and the [0, 1] range', () => {
    expect(() => applyPreprocess(() => new Float32Array(1), new Float32Array(2), shape, 'bad')).toThrow(/bad: returned 1 values for 2 inputs/);
    expect(() => applyPreprocess((x) => x.map((v) => v * 2), new Float32Array([0.2, 0.9]), shape, 'gain')).toThrow(/gain: output value 1\.(8|79)\d* at index 1 is outside \[0, 1\]/);
  });
});
