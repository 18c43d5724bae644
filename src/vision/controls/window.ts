import type { ImageShape } from '../data/types.ts';

/**
 * Weighted local mean per pixel and channel over a square window of odd side `weights.length`
 * (a separable kernel: weight(dy, dx) = w[dy]·w[dx]), clipped at the image border and renormalised
 * over the pixels inside it — the same neighbourhoods as the sWTA filter's sliding window
 * (src/vision/filter/swta-filter.ts) when the weights are uniform. Writes into `out`.
 */
export function localMean(src: Float32Array, shape: ImageShape, weights: Float64Array, out: Float32Array): Float32Array {
  const { n, height: H, width: W, channels: C } = shape;
  const half = weights.length >> 1;
  for (let img = 0; img < n; img++) {
    const base = img * H * W * C;
    for (let c = 0; c < C; c++) {
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          let acc = 0;
          let wsum = 0;
          for (let dy = -half; dy <= half; dy++) {
            const yy = y + dy;
            if (yy < 0 || yy >= H) continue;
            const wy = weights[dy + half]!;
            for (let dx = -half; dx <= half; dx++) {
              const xx = x + dx;
              if (xx < 0 || xx >= W) continue;
              const w = wy * weights[dx + half]!;
              acc += w * src[base + (yy * W + xx) * C + c]!;
              wsum += w;
            }
          }
          out[base + (y * W + x) * C + c] = acc / wsum;
        }
      }
    }
  }
  return out;
}

/** Uniform weights of an odd window side. */
export function boxWeights(windowPx: number): Float64Array {
  checkWindow(windowPx, 'boxWeights');
  return new Float64Array(windowPx).fill(1);
}

/** Gaussian weights exp(−d²/2σ²) of an odd window side. */
export function gaussianWeights(windowPx: number, sigmaPx: number): Float64Array {
  checkWindow(windowPx, 'gaussianWeights');
  if (!(sigmaPx > 0)) throw new RangeError(`gaussianWeights: sigmaPx must be > 0, got ${sigmaPx}`);
  const half = windowPx >> 1;
  return Float64Array.from({ length: windowPx }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * sigmaPx * sigmaPx)));
}

export function checkWindow(windowPx: number, who: string): void {
  if (!(Number.isInteger(windowPx) && windowPx >= 1 && windowPx % 2 === 1)) throw new RangeError(`${who}: windowPx must be an odd integer ≥ 1, got ${windowPx}`);
}

export function checkShape(images: Float32Array, shape: ImageShape, who: string): void {
  const { n, height: H, width: W, channels: C } = shape;
  if (images.length !== n * H * W * C) throw new RangeError(`${who}: ${images.length} values do not match shape ${n}×${H}×${W}×${C}`);
}
