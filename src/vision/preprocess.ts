/**
 * The one place where a filtered model differs from the baseline: a preprocessing function applied
 * to every image before the ViT, at training and at evaluation alike. The baseline uses `identity`;
 * the filtered model uses the sWTA filter (src/vision/filter). The checkpoint
 * records the filter's name, and evaluation looks it up here, so a model is always evaluated
 * behind the filter it was trained behind.
 */
import { loadRateFit } from '../calibration/rate-fit-artifact.ts';
import type { ImageShape } from './data/types.ts';
import { swtaFilter } from './filter/index.ts';
import type { Preprocess } from './preprocess-type.ts';

export type { Preprocess };

export const identity: Preprocess = (images) => images;

/** Names accepted by `--filter` and stored in checkpoints. */
export const FILTER_NAMES = ['none', 'swta'] as const;

/**
 * The preprocessing function of a filter name.
 *
 * 'swta' returns the sWTA filter (src/vision/filter) built from the rate-fit artifact of the
 * calibration chain. Nothing else in training or evaluation changes.
 */
export function preprocessFor(name: string): Preprocess {
  switch (name) {
    case 'none':
      return identity;
    case 'swta':
      // The filter's parameters come from the calibration chain's rate-fit artifact, never typed in.
      return swtaFilter(loadRateFit());
    default:
      throw new Error(`unknown filter '${name}'; known: ${FILTER_NAMES.join(', ')}`);
  }
}

/** Applies a filter to a whole dataset-shaped batch and checks the contract (same length, finite, in [0, 1]). */
export function applyPreprocess(pre: Preprocess, images: Float32Array, shape: ImageShape, name = 'preprocess'): Float32Array {
  const out = pre(images, shape);
  if (out.length !== images.length) throw new Error(`${name}: returned ${out.length} values for ${images.length} inputs (shape must not change)`);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (!(v >= 0 && v <= 1)) throw new Error(`${name}: output value ${v} at index ${i} is outside [0, 1]`);
  }
  return out;
}
