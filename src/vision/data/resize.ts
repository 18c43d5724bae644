/**
 * Resizing and channel conversion to a model's input shape.
 *
 * Images: separable resampling with a triangle (tent) kernel whose support grows with the
 * downscale factor, so shrinking averages every source pixel (no aliasing, like PIL's BILINEAR
 * with antialias) and enlarging is plain bilinear interpolation. Pixel centres are aligned
 * (x_src = (x_dst + 0.5) · scale − 0.5).
 * Labels: nearest neighbour, so no class is invented at a boundary.
 * Channels: grey → RGB repeats the value; RGB → grey is luma (Rec. 601: 0.299 R + 0.587 G + 0.114 B).
 */
import { checkDataset, clampToUnit, type ImageDataset } from './types.ts';

export interface InputShape {
  height: number;
  width: number;
  channels: number;
}

interface Taps {
  /** For output index o: first source index and weights (normalised), flat. */
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  maxTaps: number;
}

function taps(srcSize: number, dstSize: number): Taps {
  const scale = srcSize / dstSize;
  const support = Math.max(1, scale);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(dstSize);
  const count = new Int32Array(dstSize);
  const weights = new Float32Array(dstSize * maxTaps);
  for (let o = 0; o < dstSize; o++) {
    const centre = (o + 0.5) * scale - 0.5;
    const lo = Math.max(0, Math.ceil(centre - support));
    const hi = Math.min(srcSize - 1, Math.floor(centre + support));
    let sum = 0;
    let k = 0;
    for (let s = lo; s <= hi && k < maxTaps; s++, k++) {
      const w = Math.max(0, 1 - Math.abs(s - centre) / support);
      weights[o * maxTaps + k] = w;
      sum += w;
    }
    // At the very edge every tap may be 0 weight (centre beyond the last pixel): fall back to the nearest one.
    if (sum === 0) {
      const nearest = Math.min(srcSize - 1, Math.max(0, Math.round(centre)));
      start[o] = nearest;
      count[o] = 1;
      weights[o * maxTaps] = 1;
      continue;
    }
    for (let j = 0; j < k; j++) weights[o * maxTaps + j]! /= sum;
    start[o] = lo;
    count[o] = k;
  }
  return { start, count, weights, maxTaps };
}

/**
 * Resizes n images (NHWC, any channel count) from h×w to dh×dw. Returns `images` itself when the size
 * already matches.
 */
export function resizeImages(images: Float32Array, n: number, h: number, w: number, c: number, dh: number, dw: number): Float32Array {
  if (h === dh && w === dw) return images;
  const tx = taps(w, dw);
  const ty = taps(h, dh);
  const tmp = new Float32Array(h * dw * c); // one image, resized along x
  const out = new Float32Array(n * dh * dw * c);
  for (let i = 0; i < n; i++) {
    const src = i * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < dw; x++) {
        const s0 = tx.start[x]!;
        const k = tx.count[x]!;
        const wo = x * tx.maxTaps;
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let j = 0; j < k; j++) acc += tx.weights[wo + j]! * images[src + (y * w + s0 + j) * c + ch]!;
          tmp[(y * dw + x) * c + ch] = acc;
        }
      }
    }
    const dst = i * dh * dw * c;
    for (let y = 0; y < dh; y++) {
      const s0 = ty.start[y]!;
      const k = ty.count[y]!;
      const wo = y * ty.maxTaps;
      for (let x = 0; x < dw; x++) {
        for (let ch = 0; ch < c; ch++) {
          let acc = 0;
          for (let j = 0; j < k; j++) acc += ty.weights[wo + j]! * tmp[((s0 + j) * dw + x) * c + ch]!;
          out[dst + (y * dw + x) * c + ch] = acc;
        }
      }
    }
  }
  return out;
}

/** Nearest-neighbour resize of per-pixel labels (n × h × w) to dh × dw. */
export function resizeLabels<T extends Int32Array | Uint8Array>(labels: T, n: number, h: number, w: number, dh: number, dw: number): T {
  if (h === dh && w === dw) return labels;
  const out = (labels instanceof Uint8Array ? new Uint8Array(n * dh * dw) : new Int32Array(n * dh * dw)) as T;
  const xs = new Int32Array(dw);
  for (let x = 0; x < dw; x++) xs[x] = Math.min(w - 1, Math.floor(((x + 0.5) * w) / dw));
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < dh; y++) {
      const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / dh));
      const srow = (i * h + sy) * w;
      const drow = (i * dh + y) * dw;
      for (let x = 0; x < dw; x++) out[drow + x] = labels[srow + xs[x]!]!;
    }
  }
  return out;
}

/** Converts n×h×w pixels from `from` to `to` channels (1 ↔ 3). Returns the input when they match. */
export function convertChannels(images: Float32Array, pixels: number, from: number, to: number): Float32Array {
  if (from === to) return images;
  const out = new Float32Array(pixels * to);
  if (from === 1 && to === 3) {
    for (let p = 0; p < pixels; p++) {
      const v = images[p]!;
      out[3 * p] = v;
      out[3 * p + 1] = v;
      out[3 * p + 2] = v;
    }
    return out;
  }
  if (from === 3 && to === 1) {
    for (let p = 0; p < pixels; p++) out[p] = 0.299 * images[3 * p]! + 0.587 * images[3 * p + 1]! + 0.114 * images[3 * p + 2]!;
    return out;
  }
  throw new RangeError(`convertChannels: cannot convert ${from} channels to ${to} (only 1 ↔ 3)`);
}

/**
 * The dataset at the model's input shape: resized (labels too, for segmentation), channels
 * converted, values clamped to [0, 1]. Returns the dataset itself when nothing changes.
 */
export function toInputShape(ds: ImageDataset, shape: InputShape): ImageDataset {
  if (ds.height === shape.height && ds.width === shape.width && ds.channels === shape.channels) return ds;
  const resized = resizeImages(ds.images, ds.n, ds.height, ds.width, ds.channels, shape.height, shape.width);
  const images = convertChannels(resized, ds.n * shape.height * shape.width, ds.channels, shape.channels);
  // Clamp: the tent kernel is non-negative, so only rounding can leave [0, 1], but keep the contract exact.
  clampToUnit(images);
  const labels = ds.task === 'segment' ? resizeLabels(ds.labels, ds.n, ds.height, ds.width, shape.height, shape.width) : ds.labels;
  return checkDataset({ ...ds, images, labels, height: shape.height, width: shape.width, channels: shape.channels });
}
