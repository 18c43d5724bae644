/**
 * MNIST-C-like corruptions (Mu & Gilmer 2019; Hendrycks & Dietterich 2019) as unseen shifts:
 * each maps an image in [0, 1] to an image of the same shape in [0, 1], at severity 1–5.
 * Image i of a corrupted set uses its own random stream derived from (seed, corruption, i), so
 * results do not depend on batch order. Any channel count; noise is drawn per channel.
 *
 * Severity tables are our choice, scaled so severity 3 is clearly visible but the digit still readable.
 */
import { Random } from '../../random.ts';
import { photonCount } from './poisson.ts';
import { addValueNoise } from './textures.ts';
import { checkDataset, clampToUnit, type ImageDataset } from './types.ts';

/** One image (h × w × c) in → out; `out` is pre-allocated, `img` is not modified. */
type CorruptionFn = (img: Float32Array, out: Float32Array, h: number, w: number, c: number, level: number, rng: Random) => void;

const pick = (table: readonly number[], level: number): number => table[level - 1]!;

export const CORRUPTIONS = {
  /** Additive Gaussian noise, σ per severity. */
  gaussian_noise: (img, out, _h, _w, _c, level, rng) => {
    const sd = pick([0.08, 0.12, 0.18, 0.26, 0.38], level);
    for (let i = 0; i < img.length; i++) out[i] = img[i]! + sd * rng.normal();
  },
  /** Poisson photon noise: x → Poisson(λ x)/λ. */
  shot_noise: (img, out, _h, _w, _c, level, rng) => {
    const lambda = pick([60, 25, 12, 5, 3], level);
    for (let i = 0; i < img.length; i++) out[i] = Math.round(photonCount(rng, lambda * img[i]!)) / lambda;
  },
  /** Salt and pepper: a fraction of samples set to 0 or 1. */
  impulse_noise: (img, out, _h, _w, _c, level, rng) => {
    const frac = pick([0.03, 0.06, 0.09, 0.17, 0.27], level);
    for (let i = 0; i < img.length; i++) out[i] = rng.uniform() < frac ? (rng.uniform() < 0.5 ? 0 : 1) : img[i]!;
  },
  /** Gaussian blur, σ in pixels. */
  blur: (img, out, h, w, c, level) => {
    const sigma = pick([0.5, 0.75, 1, 1.5, 2], level);
    const r = Math.ceil(3 * sigma);
    const k = Array.from({ length: 2 * r + 1 }, (_, j) => Math.exp(-((j - r) ** 2) / (2 * sigma * sigma)));
    const s = k.reduce((a, b) => a + b, 0);
    convolveSeparable(img, out, h, w, c, k.map((v) => v / s));
  },
  /** Motion blur: average along a line of the given length (pixels) at a random angle. */
  motion_blur: (img, out, h, w, c, level, rng) => {
    const len = pick([3, 5, 7, 9, 11], level);
    const theta = rng.uniform() * Math.PI;
    const dx = Math.cos(theta);
    const dy = Math.sin(theta);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let j = 0; j < len; j++) {
            const t = j - (len - 1) / 2;
            acc += sampleBilinear(img, h, w, c, y + t * dy, x + t * dx, ch);
          }
          out[(y * w + x) * c + ch] = acc / len;
        }
      }
    }
  },
  /** Contrast reduction towards the image mean. */
  contrast: (img, out, _h, _w, _c, level) => {
    const f = pick([0.4, 0.3, 0.2, 0.1, 0.05], level);
    let mean = 0;
    for (let i = 0; i < img.length; i++) mean += img[i]!;
    mean /= img.length;
    for (let i = 0; i < img.length; i++) out[i] = (img[i]! - mean) * f + mean;
  },
  /** Fog: fractal noise added, then rescaled so the maximum stays in range (imagecorruptions' fog). */
  fog: (img, out, h, w, c, level, rng) => {
    const amp = pick([0.4, 0.6, 0.8, 1.0, 1.3], level);
    const noise = new Float32Array(h * w);
    let a = 1;
    let total = 0;
    for (let o = 0; o < 4; o++, a *= 0.6) {
      addValueNoise(rng, h, w, 12 / 2 ** o, a, noise);
      total += a;
    }
    let max = 0;
    for (let i = 0; i < img.length; i++) max = Math.max(max, img[i]!);
    for (let p = 0; p < h * w; p++) {
      const f = (amp * noise[p]!) / total;
      for (let ch = 0; ch < c; ch++) out[p * c + ch] = ((img[p * c + ch]! + f) * max) / (max + amp);
    }
  },
  /** Low light: scaled down, gamma raised (darker mid-tones). */
  dark: (img, out, _h, _w, _c, level) => {
    const gain = pick([0.6, 0.45, 0.3, 0.2, 0.12], level);
    const gamma = pick([1.1, 1.2, 1.35, 1.5, 1.7], level);
    for (let i = 0; i < img.length; i++) out[i] = gain * Math.pow(img[i]!, gamma);
  },
  /** Brightness raised (additive, clipped): the background lifts towards the stroke. */
  bright: (img, out, _h, _w, _c, level) => {
    const b = pick([0.1, 0.2, 0.3, 0.45, 0.6], level);
    for (let i = 0; i < img.length; i++) out[i] = img[i]! + b;
  },
  /** Rotation about the centre by ±angle (degrees). */
  rotate: (img, out, h, w, c, level, rng) => {
    const deg = pick([10, 20, 30, 40, 50], level) * (rng.uniform() < 0.5 ? -1 : 1);
    const a = (deg * Math.PI) / 180;
    affine(img, out, h, w, c, [Math.cos(a), -Math.sin(a), Math.sin(a), Math.cos(a)], 0, 0);
  },
  /** Horizontal shear. */
  shear: (img, out, h, w, c, level, rng) => {
    const s = pick([0.1, 0.2, 0.3, 0.4, 0.5], level) * (rng.uniform() < 0.5 ? -1 : 1);
    affine(img, out, h, w, c, [1, s, 0, 1], 0, 0);
  },
  /** Isotropic scaling about the centre (shrinks). */
  scale: (img, out, h, w, c, level) => {
    const f = pick([0.9, 0.8, 0.7, 0.6, 0.5], level);
    affine(img, out, h, w, c, [1 / f, 0, 0, 1 / f], 0, 0);
  },
  /** Translation by a fraction of the side in a random direction. */
  translate: (img, out, h, w, c, level, rng) => {
    const d = pick([0.07, 0.11, 0.15, 0.19, 0.23], level) * Math.min(h, w);
    const a = rng.uniform() * 2 * Math.PI;
    affine(img, out, h, w, c, [1, 0, 0, 1], -d * Math.cos(a), -d * Math.sin(a));
  },
  /** A vertical band with inverted intensities (MNIST-C's stripe). */
  stripe: (img, out, h, w, c, level, rng) => {
    const bw = Math.max(1, Math.round(pick([0.08, 0.12, 0.16, 0.2, 0.25], level) * w));
    const x0 = rng.int(Math.max(1, w - bw));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          const i = (y * w + x) * c + ch;
          out[i] = x >= x0 && x < x0 + bw ? 1 - img[i]! : img[i]!;
        }
      }
    }
  },
} satisfies Record<string, CorruptionFn>;

export type CorruptionName = keyof typeof CORRUPTIONS;
export const CORRUPTION_NAMES = Object.keys(CORRUPTIONS) as CorruptionName[];

export interface CorruptOptions {
  /** 1 (mild) … 5 (severe); default 3. */
  severity?: number;
  seed: number;
}

/** A corrupted copy of a dataset: same shape, labels and task, values in [0, 1]. */
export function corrupt(ds: ImageDataset, name: string, opts: CorruptOptions): ImageDataset {
  const fn = (CORRUPTIONS as Record<string, CorruptionFn>)[name];
  if (!fn) throw new Error(`unknown corruption '${name}'; known: ${CORRUPTION_NAMES.join(', ')}`);
  const level = opts.severity ?? 3;
  if (!Number.isInteger(level) || level < 1 || level > 5) throw new RangeError(`corruption severity must be an integer 1–5, got ${level}`);
  const { n, height: h, width: w, channels: c } = ds;
  const size = h * w * c;
  const images = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const out = images.subarray(i * size, (i + 1) * size);
    fn(ds.images.subarray(i * size, (i + 1) * size), out, h, w, c, level, new Random(Random.derive(opts.seed, `${name}:${i}`)));
  }
  clampToUnit(images);
  return checkDataset({ ...ds, images, source: `${ds.source}+${name}@${level}` });
}

function convolveSeparable(img: Float32Array, out: Float32Array, h: number, w: number, c: number, k: readonly number[]): void {
  const r = (k.length - 1) / 2;
  const tmp = new Float32Array(img.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let j = -r; j <= r; j++) acc += k[j + r]! * img[(y * w + clampIndex(x + j, w)) * c + ch]!;
        tmp[(y * w + x) * c + ch] = acc;
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let j = -r; j <= r; j++) acc += k[j + r]! * tmp[(clampIndex(y + j, h) * w + x) * c + ch]!;
        out[(y * w + x) * c + ch] = acc;
      }
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** Bilinear sample with zero outside the image. */
function sampleBilinear(img: Float32Array, h: number, w: number, c: number, y: number, x: number, ch: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const tx = x - x0;
  const ty = y - y0;
  return (
    (1 - ty) * ((1 - tx) * pixelAt(img, h, w, c, y0, x0, ch) + tx * pixelAt(img, h, w, c, y0, x0 + 1, ch)) +
    ty * ((1 - tx) * pixelAt(img, h, w, c, y0 + 1, x0, ch) + tx * pixelAt(img, h, w, c, y0 + 1, x0 + 1, ch))
  );
}

function pixelAt(img: Float32Array, h: number, w: number, c: number, y: number, x: number, ch: number): number {
  return y < 0 || y >= h || x < 0 || x >= w ? 0 : img[(y * w + x) * c + ch]!;
}

/**
 * Inverse-mapped affine warp about the image centre: source = M · (dest − centre) + centre + (tx, ty),
 * with M = [m00, m01, m10, m11] acting on (x, y). Pixels mapped from outside the image are 0.
 */
function affine(img: Float32Array, out: Float32Array, h: number, w: number, c: number, m: readonly number[], tx: number, ty: number): void {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = m[0]! * (x - cx) + m[1]! * (y - cy) + cx + tx;
      const sy = m[2]! * (x - cx) + m[3]! * (y - cy) + cy + ty;
      for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = sampleBilinear(img, h, w, c, sy, sx, ch);
    }
  }
}
