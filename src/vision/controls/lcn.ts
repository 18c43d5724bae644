import type { ImageShape } from '../data/types.ts';
import type { Preprocess } from '../preprocess-type.ts';
import { checkShape, gaussianWeights, localMean } from './window.ts';

export interface LcnOptions {
  /** Odd side of the Gaussian window, pixels; default 9 (Jarrett et al. 2009, §2). */
  windowPx?: number;
  /** Gaussian σ, pixels; default 2, so the 9-pixel window spans ±2σ. */
  sigmaPx?: number;
}

/**
 * Local contrast normalization (Jarrett et al. 2009, §2; Pinto et al. 2008), per channel:
 * ```
 * v = x − G∗x                 subtractive: remove the Gaussian-weighted local mean
 * σ = √(G∗v²)                 local contrast
 * y = v / max(c, σ)           divisive, c = the image's mean σ (so flat regions are not blown up)
 * ```
 * G is a Gaussian window renormalised at the border. A blank image maps to 0.
 */
export function localContrastNormalization(options: LcnOptions = {}): Preprocess {
  const weights = gaussianWeights(options.windowPx ?? 9, options.sigmaPx ?? 2);
  return (images: Float32Array, shape: ImageShape): Float32Array => {
    checkShape(images, shape, 'localContrastNormalization');
    const per = shape.height * shape.width * shape.channels;
    const v = localMean(images, shape, weights, new Float32Array(images.length));
    for (let i = 0; i < v.length; i++) v[i] = images[i]! - v[i]!;
    const sq = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) sq[i] = v[i]! * v[i]!;
    const sigma = localMean(sq, shape, weights, sq);
    const out = new Float32Array(images.length);
    for (let img = 0; img < shape.n; img++) {
      const base = img * per;
      let c = 0;
      for (let i = 0; i < per; i++) c += Math.sqrt(sigma[base + i]!);
      c /= per;
      for (let i = 0; i < per; i++) {
        const d = Math.max(c, Math.sqrt(sigma[base + i]!));
        out[base + i] = d > 0 ? v[base + i]! / d : 0;
      }
    }
    return out;
  };
}
