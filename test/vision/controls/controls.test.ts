import { describe, expect, it } from 'vitest';
import { loadRateFit } from '../../../src/calibration/rate-fit-artifact.ts';
import { Random } from '../../../src/random.ts';
import { divisiveNormalization, localContrastNormalization, MNIST_MEAN_PIXEL, standardize } from '../../../src/vision/controls/index.ts';
import { loadMnist } from '../../../src/vision/data/mnist.ts';
import { swtaFilter } from '../../../src/vision/filter/index.ts';
import type { Preprocess } from '../../../src/vision/preprocess.ts';

const artifact = loadRateFit();
const rng = new Random(5);
const shape = { n: 3, height: 9, width: 8, channels: 1 };
const images = Float32Array.from({ length: 3 * 9 * 8 }, () => rng.uniform());

/**
 * Indices of the input pixels whose change alters output pixel (y, x) of a one-image grey shape.
 * The base image is near-uniform, so every pool of a window is in the sWTA's active set and a small
 * change of any of them moves the threshold.
 */
function footprint(f: Preprocess, y: number, x: number, H = 9, W = 9): Set<number> {
  const s = { n: 1, height: H, width: W, channels: 1 };
  const base = Float32Array.from({ length: H * W }, (_, i) => 0.5 + 0.05 * (((i * 7) % 5) / 5));
  const ref = f(base, s)[y * W + x]!;
  const hit = new Set<number>();
  for (let i = 0; i < H * W; i++) {
    const probe = new Float32Array(base);
    probe[i] = probe[i]! + 0.02;
    if (Math.abs(f(probe, s)[y * W + x]! - ref) > 1e-7) hit.add(i);
  }
  return hit;
}

describe('control preprocessings (src/vision/controls)', () => {
  it('per-image standardization: every image has mean 0 and sd 1 (|error| < 1e-5); a constant image maps to 0', () => {
    const out = standardize()(images, shape);
    const per = 72;
    for (let img = 0; img < 3; img++) {
      const v = Array.from(out.subarray(img * per, (img + 1) * per));
      const m = v.reduce((a, b) => a + b, 0) / per;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / per);
      expect(Math.abs(m)).toBeLessThan(1e-5);
      expect(Math.abs(sd - 1)).toBeLessThan(1e-5);
    }
    expect(Array.from(standardize()(new Float32Array(72).fill(0.4), { ...shape, n: 1 })).every((v) => v === 0)).toBe(true);
  });

  it('standardization and LCN are invariant to a gain and an offset of the image (|Δ| < 1e-4)', () => {
    const shifted = images.map((v) => 0.5 * v + 0.2);
    for (const f of [standardize(), localContrastNormalization()]) {
      const a = f(images, shape);
      const b = f(shifted, shape);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-4);
    }
  });

  it('LCN: zero output on a flat image, zero mean of the local Gaussian-weighted residual, and a blank image gives 0 (no NaN)', () => {
    const lcn = localContrastNormalization();
    expect(Array.from(lcn(new Float32Array(81).fill(0.7), { n: 1, height: 9, width: 9, channels: 1 })).every((v) => Math.abs(v) < 1e-6)).toBe(true);
    expect(Array.from(lcn(new Float32Array(81), { n: 1, height: 9, width: 9, channels: 1 })).every((v) => v === 0)).toBe(true);
    // A lone bright pixel: positive at the pixel, negative around it.
    const dot = new Float32Array(81);
    dot[40] = 1;
    const out = lcn(dot, { n: 1, height: 9, width: 9, channels: 1 });
    expect(out[40]!).toBeGreaterThan(0);
    expect(out[41]!).toBeLessThan(0);
  });

  it("divisive normalization uses exactly the sWTA filter's neighbourhoods (3×3, clipped at the border)", () => {
    const dn = divisiveNormalization();
    const filter = swtaFilter(artifact);
    for (const [y, x] of [[4, 4], [0, 0], [0, 5], [8, 3]] as const) {
      expect([...footprint(dn, y, x)].sort((a, b) => a - b)).toEqual([...footprint(filter, y, x)].sort((a, b) => a - b));
    }
    expect(footprint(dn, 4, 4).size).toBe(9);
    expect(footprint(dn, 0, 0).size).toBe(4);
  });

  it('divisive normalization: y = (1 + σ)·x / (σ + window mean), σ = 0.1307; a uniform white region maps to 1 (|error| < 1e-6)', () => {
    const dn = divisiveNormalization();
    const s = { n: 1, height: 3, width: 3, channels: 1 };
    const img = new Float32Array([0.1, 0.3, 0.2, 0.4, 0.9, 0.5, 0.2, 0.6, 0.3]);
    const mean = img.reduce((a, b) => a + b, 0) / 9;
    expect(Math.abs(dn(img, s)[4]! - ((1 + MNIST_MEAN_PIXEL) * 0.9) / (MNIST_MEAN_PIXEL + mean))).toBeLessThan(1e-6);
    // Corner (0, 0): its window is the 2×2 block [0.1, 0.3, 0.4, 0.9].
    expect(Math.abs(dn(img, s)[0]! - ((1 + MNIST_MEAN_PIXEL) * 0.1) / (MNIST_MEAN_PIXEL + 0.425))).toBeLessThan(1e-6);
    for (const v of dn(new Float32Array(9).fill(1), s)) expect(Math.abs(v - 1)).toBeLessThan(1e-6);
  });

  it('MNIST_MEAN_PIXEL is the mean pixel of the first 10 000 MNIST training images (|error| < 0.003)', () => {
    const ds = loadMnist({ split: 'train', limit: 10_000 });
    let s = 0;
    for (const v of ds.images) s += v;
    expect(Math.abs(s / ds.images.length - MNIST_MEAN_PIXEL)).toBeLessThan(0.003);
  });

  it('the no-competition filter is the filter with competition gain 0, i.e. with β = 0 in the rate fit, and acts pixel by pixel', () => {
    const off = swtaFilter(artifact, { competitionGain: 0 });
    const betaZero = swtaFilter({ ...artifact, params: { ...artifact.params, beta: 0 } });
    expect(Array.from(off(images, shape))).toEqual(Array.from(betaZero(images, shape)));
    // Pointwise: the output at a pixel depends on that pixel only.
    expect([...footprint(off, 4, 4)]).toEqual([4 * 9 + 4]);
    // Gain 1 is the fitted filter.
    expect(Array.from(swtaFilter(artifact, { competitionGain: 1 })(images, shape))).toEqual(Array.from(swtaFilter(artifact)(images, shape)));
    expect(() => swtaFilter(artifact, { competitionGain: -1 })).toThrow(/competitionGain must be finite and ≥ 0/);
  });

  it('rejects a mismatched shape and an even window, naming the control', () => {
    expect(() => standardize()(new Float32Array(5), { n: 1, height: 2, width: 2, channels: 1 })).toThrow(/standardize: 5 values/);
    expect(() => localContrastNormalization({ windowPx: 4 })).toThrow(/windowPx must be an odd integer/);
    expect(() => divisiveNormalization({ sigma: 0 })).toThrow(/sigma must be finite and > 0/);
  });
});
