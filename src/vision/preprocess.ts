/**
 * The one place where a filtered model differs from the baseline: a preprocessing function applied
 * to every image before the ViT, at training and at evaluation alike. The baseline uses `identity`;
 * the filtered model uses the sWTA filter (src/vision/filter). The checkpoint
 * records the filter's name, and evaluation looks it up here, so a model is always evaluated
 * behind the filter it was trained behind.
 */
import { loadRateFit } from '../calibration/rate-fit-artifact.ts';
import type { ImageShape } from './data/types.ts';
import { divisiveNormalization, localContrastNormalization, standardize } from './controls/index.ts';
import { swtaFilter } from './filter/index.ts';
import type { Preprocess } from './preprocess-type.ts';

export type { Preprocess };

export const identity: Preprocess = (images) => images;

/** Names accepted by `--filter` and stored in checkpoints. */
export const FILTER_NAMES = ['none', 'swta', 'swta-rgb', 'swta-nocomp', 'standardize', 'lcn', 'divnorm'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

/** One line per filter name, for usage texts and reports. */
export const FILTER_DESCRIPTIONS: Readonly<Record<FilterName, string>> = {
  none: 'the image as it is (baseline)',
  swta: 'sWTA filter, 3×3 neighbourhoods; colour: luminance competes, channels rescaled (keeps hue)',
  'swta-rgb': 'sWTA filter, 3×3 neighbourhoods; colour: every channel competes on its own',
  'swta-nocomp': 'sWTA filter with its competition gain β set to 0 (pointwise transfer, no neighbourhood)',
  standardize: 'per-image standardization (mean 0, sd 1)',
  lcn: 'local contrast normalization (9×9 Gaussian window, σ 2 px)',
  divnorm: "divisive normalization over the filter's 3×3 neighbourhoods (σ = MNIST mean pixel)",
};

/**
 * The preprocessing function of a filter name.
 *
 * The 'swta…' names return the sWTA filter (src/vision/filter) built from the rate-fit artifact of
 * the calibration chain; the others are the controls of src/vision/controls. Nothing else in
 * training or evaluation changes.
 */
export function preprocessFor(name: string): Preprocess {
  switch (name) {
    case 'none':
      return identity;
    case 'swta':
      // The filter's parameters come from the calibration chain's rate-fit artifact, never typed in.
      return swtaFilter(loadRateFit());
    case 'swta-rgb':
      return swtaFilter(loadRateFit(), { colour: 'perChannel' });
    case 'swta-nocomp':
      return swtaFilter(loadRateFit(), { competitionGain: 0 });
    case 'standardize':
      return standardize();
    case 'lcn':
      return localContrastNormalization();
    case 'divnorm':
      return divisiveNormalization();
    default:
      throw new Error(`unknown filter '${name}'; known: ${FILTER_NAMES.join(', ')}`);
  }
}

/**
 * Applies a filter to a whole dataset-shaped batch and checks the contract (same length, finite).
 * Outputs need not stay in [0, 1]: standardization and contrast normalization are signed.
 */
export function applyPreprocess(pre: Preprocess, images: Float32Array, shape: ImageShape, name = 'preprocess'): Float32Array {
  const out = pre(images, shape);
  if (out.length !== images.length) throw new Error(`${name}: returned ${out.length} values for ${images.length} inputs (shape must not change)`);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (!Number.isFinite(v)) throw new Error(`${name}: output value ${v} at index ${i} is not finite`);
  }
  return out;
}
