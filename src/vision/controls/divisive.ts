import type { ImageShape } from '../data/types.ts';
import type { Preprocess } from '../preprocess-type.ts';
import { boxWeights, checkShape, localMean } from './window.ts';

/** Mean pixel of the MNIST training set (60 000 images, values in [0, 1]): 0.1307. */
export const MNIST_MEAN_PIXEL = 0.1307;

export interface DivisiveOptions {
  /** Odd neighbourhood side, pixels: the sWTA filter's window (default 3, as the filter). */
  windowPx?: number;
  /** Semi-saturation σ, in pixel units; default MNIST_MEAN_PIXEL (the source domain's mean level). */
  sigma?: number;
}

/**
 * Divisive normalization over the sWTA filter's neighbourhoods (Carandini & Heeger 2012, n = 1;
 * docs/reference/swta-and-truenorth.md §7 option 3), per channel:
 *
 *   y_i = (1 + σ) · x_i / (σ + mean_{j ∈ N(i)} x_j)
 *
 * N(i) is the same clipped windowPx × windowPx window as the filter's; (1 + σ) maps a uniform white
 * region to 1. Normalization without competition for an active set: every pixel is divided by its
 * neighbourhood's mean, none is thresholded away.
 */
export function divisiveNormalization(options: DivisiveOptions = {}): Preprocess {
  const sigma = options.sigma ?? MNIST_MEAN_PIXEL;
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new RangeError(`divisiveNormalization: sigma must be finite and > 0, got ${sigma}`);
  const weights = boxWeights(options.windowPx ?? 3);
  return (images: Float32Array, shape: ImageShape): Float32Array => {
    checkShape(images, shape, 'divisiveNormalization');
    const pool = localMean(images, shape, weights, new Float32Array(images.length));
    const out = new Float32Array(images.length);
    for (let i = 0; i < images.length; i++) out[i] = ((1 + sigma) * images[i]!) / (sigma + pool[i]!);
    return out;
  };
}
