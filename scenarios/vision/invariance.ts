/**
 * A training-free diagnostic for the OOD results: does a filter make a shifted digit look more
 * like its clean original? For the paired shifts (MNIST-M and every MNIST-C corruption are built
 * from the same MNIST test digits), the per-image relative distance ‖f(clean) − f(shifted)‖ /
 * ‖f(clean)‖ after the same preprocessing f, averaged over images. A filter that lowers it removes
 * part of the shift before the ViT sees it; one that raises it adds to the shift. (A correlation
 * would miss offsets such as fog and gains such as contrast, which the ViT does see.)
 *
 * Cheap (no ViT), so it can compare filter variants that the experiment could not afford to train.
 */
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { corrupt } from '../../src/vision/data/corruptions.ts';
import { loadMnist } from '../../src/vision/data/mnist.ts';
import { toMnistM } from '../../src/vision/data/mnist-m.ts';
import { toInputShape } from '../../src/vision/data/resize.ts';
import type { ImageDataset } from '../../src/vision/data/types.ts';
import { swtaFilter, type SwtaFilterOptions } from '../../src/vision/filter/index.ts';
import { identity, type Preprocess } from '../../src/vision/preprocess.ts';

export interface FilterVariant {
  name: string;
  /** undefined: no filter (raw images). */
  options?: SwtaFilterOptions;
}

/** The filter as trained (3×3, no context) and variants the experiment did not train. */
export const FILTER_VARIANTS: readonly FilterVariant[] = [
  { name: 'raw' },
  { name: 'swta 3×3 (trained)', options: {} },
  { name: 'swta 5×5', options: { windowPx: 5 } },
  { name: 'swta 7×7', options: { windowPx: 7 } },
  { name: 'swta 3×3, VIP 20 Hz', options: { vipHz: 20 } },
  { name: 'swta 3×3, LAMP5 20 Hz', options: { lamp5Hz: 20 } },
];

export interface InvarianceRow {
  shift: string;
  /** Score key of the matching zero-shot task ('mnist-m', 'mnist-c:<name>:<severity>'). */
  score: string;
  /** Mean relative clean-vs-shifted distance per variant, in FILTER_VARIANTS order (lower: more invariant). */
  distance: number[];
}

export interface InvarianceTable {
  n: number;
  variants: string[];
  rows: InvarianceRow[];
}

/**
 * Per-image relative distance ‖a − b‖ / ‖a‖ (a the clean twin), averaged over the n images: 0 when
 * the shifted image is unchanged after preprocessing; unlike a correlation it also counts offsets
 * and gain changes, which the ViT (a linear patch embedding first) sees.
 */
export function meanRelativeDistance(a: Float32Array, b: Float32Array, n: number): number {
  const size = a.length / n;
  let total = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    let num = 0;
    let den = 0;
    for (let p = i * size; p < (i + 1) * size; p++) {
      num += (a[p]! - b[p]!) ** 2;
      den += a[p]! * a[p]!;
    }
    if (den > 0) {
      total += Math.sqrt(num / den);
      counted++;
    }
  }
  return counted ? total / counted : NaN;
}

export function invarianceTable(opts: { n: number; corruptions: readonly string[]; severities: readonly number[]; variants?: readonly FilterVariant[] }): InvarianceTable {
  const variants = opts.variants ?? FILTER_VARIANTS;
  const artifact = loadRateFit();
  const fns: Preprocess[] = variants.map((v) => (v.options === undefined ? identity : swtaFilter(artifact, v.options)));
  const clean = loadMnist({ split: 'test', limit: opts.n });
  const cleanOut = fns.map((f) => f(clean.images, clean));
  const shifts: [string, string, ImageDataset][] = [['MNIST-M (grey)', 'mnist-m', toInputShape(toMnistM(clean, 1), { height: 28, width: 28, channels: 1 })]];
  for (const c of opts.corruptions) for (const s of opts.severities) shifts.push([`${c} (severity ${s})`, `mnist-c:${c}:${s}`, corrupt(clean, c, { severity: s, seed: 1 })]);
  const rows = shifts.map(([shift, score, ds]) => ({
    shift,
    score,
    distance: fns.map((f, j) => meanRelativeDistance(cleanOut[j]!, f(ds.images, ds), ds.n)),
  }));
  return { n: clean.n, variants: variants.map((v) => v.name), rows };
}
