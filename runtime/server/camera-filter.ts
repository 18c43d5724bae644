import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { swtaFilter, type SwtaFilterOptions } from '../../src/vision/filter/index.ts';

/**
 * The image filter of the live camera path: one grey image in [0, 1] → one of the same size.
 * It is the sWTA image filter (src/vision/filter): the fitted rate sWTA of the calibration chain
 * (parameters from data/calibration/rate-fit.json, none typed in here) over each pixel's 3 × 3
 * neighbourhood — the same filter a model trained with `--filter swta` saw.
 */
export interface ImageFilter {
  /** What the camera result's `filter` field says. */
  readonly name: string;
  /** Filter `input` (w·h values in [0, 1]) into `out` (same size, values in [0, 1]). */
  apply(input: Float32Array, width: number, height: number, out: Float32Array): void;
}

export function loadImageFilter(options: SwtaFilterOptions = {}): ImageFilter {
  const filter = swtaFilter(loadRateFit(), options);
  return {
    name: `swta (src/vision/filter, ${filter.windowPx}×${filter.windowPx} neighbourhoods, rate-fit artifact)`,
    apply(input, width, height, out) {
      out.set(filter(input, { n: 1, height, width, channels: 1 }));
    },
  };
}
