import { STRONG_LOSER_INPUTS_HZ } from '../../src/calibration/conditions.ts';
import { loadRateFit, type RateFitArtifact } from '../../src/calibration/rate-fit-artifact.ts';
import { Random } from '../../src/random.ts';
import { steadyState } from '../../src/rate/ltu.ts';
import { swtaFilter } from '../../src/vision/filter/index.ts';
import type { Scenario } from '../types.ts';
import { mean, pearson } from '../../src/stats.ts';
import { fmt } from './common.ts';
import { ModuleRunner } from './module-runner.ts';

/**
 * The check that the image filter is the circuit, with the figures behind it.
 *
 * A 2×2 image is 4 pools of one sWTA module (the filter's 3×3 window covers the whole image, so
 * every pixel competes with the other three on both sides); pixel p drives its pool at
 * FITTED_MAX_INPUT_HZ · p, as in the filter. The circuit's output is its mean pool rate over a
 * window after a settle; the filter's is its [0, 1] output (Pearson's r ignores the scale).
 *
 * The measurement needs a long window: with near-equal inputs the NMDA-rich pools take turns in
 * adaptation-driven episodes of a few hundred ms, so a short window counts which pool happened to
 * win. The scenario reports the seed-to-seed correlation (the ceiling of any comparison) for a
 * short and a long window, the filter's correlation with the seed-averaged circuit, and two-pool
 * conditions with a strong loser, the regime where the fitted rate model departs from the circuit.
 */
export const FILTER_CHECK = {
  pools: 4,
  poolSize: 80,
  /** Pixels drawn uniformly in [minPixel, 1]: inputs from 5.2 to 26 Hz. */
  minPixel: 0.2,
  imageSeed: 7,
  /** Discarded after each reset: the onset burst of every pool lasts ~100 ms. */
  settleMs: 300,
  /** Measurement window: 2700 ms holds ~10 turn-taking episodes. */
  windowMs: 2700,
  /** ModuleRunner's default window, for comparison. */
  shortWindowMs: 700,
} as const;

/** The random 2×2 images of the check (the same for every seed and window). */
export function filterCheckImages(count: number, seed: number = FILTER_CHECK.imageSeed): Float32Array[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: 4 }, () => FILTER_CHECK.minPixel + (1 - FILTER_CHECK.minPixel) * rng.uniform()));
}

/** Pool rates (Hz), image after image concatenated, of the 4-pool module with one noise seed. */
export function circuitRates(images: readonly Float32Array[], seed: number, windowMs: number = FILTER_CHECK.windowMs, maxInputHz: number = loadRateFit().inputRangeHz.max): number[] {
  const runner = new ModuleRunner({ module: { pools: FILTER_CHECK.pools, poolSize: FILTER_CHECK.poolSize }, seed, settleMs: FILTER_CHECK.settleMs, windowMs });
  return images.flatMap((img) => runner.measure({ inputsHz: Array.from(img, (p) => maxInputHz * p) }).pools);
}

/** The filter's outputs on the same images, concatenated like circuitRates. */
export function filterOutputs(artifact: Pick<RateFitArtifact, 'params' | 'inputRangeHz'>, images: readonly Float32Array[]): number[] {
  const f = swtaFilter(artifact);
  return images.flatMap((img) => Array.from(f(img, { n: 1, height: 2, width: 2, channels: 1 })));
}

/** Element-wise mean of equal-length vectors. */
export function meanOf(vectors: readonly (readonly number[])[]): number[] {
  return vectors[0]!.map((_, i) => mean(vectors.map((v) => v[i]!)));
}

/** Mean Pearson r over all pairs of vectors (≥ 2): how well one measurement predicts another. */
export function meanPairwiseR(vectors: readonly (readonly number[])[]): number {
  const rs: number[] = [];
  for (let i = 0; i < vectors.length; i++) for (let j = i + 1; j < vectors.length; j++) rs.push(pearson(vectors[i]!, vectors[j]!));
  if (rs.length === 0) throw new RangeError('meanPairwiseR: needs at least 2 vectors');
  return mean(rs);
}

export const scenario: Scenario = {
  description: "filter vs spiking module on 2×2 images: seed-to-seed ceiling per window, the filter's r, strong-loser conditions",
  async run(options) {
    const first = options.seed ?? FILTER_CHECK.imageSeed;
    const seeds = Array.from({ length: options.quick ? 2 : 4 }, (_, i) => first + i);
    const images = filterCheckImages(options.quick ? 8 : 16);
    const artifact = loadRateFit();
    const filtered = filterOutputs(artifact, images);
    const windows = [FILTER_CHECK.shortWindowMs, FILTER_CHECK.windowMs];
    const rows = windows.map((windowMs) => {
      const perSeed = seeds.map((s) => circuitRates(images, s, windowMs));
      options.log?.(`window ${windowMs} ms: ${seeds.length} seeds done`);
      return {
        windowMs,
        seedToSeedR: meanPairwiseR(perSeed),
        filterVsSingleSeedR: mean(perSeed.map((r) => pearson(filtered, r))),
        filterVsSeedMeanR: pearson(filtered, meanOf(perSeed)),
      };
    });
    const twoPool = new ModuleRunner({ module: { pools: 2, poolSize: FILTER_CHECK.poolSize }, seed: artifact.source.seed, settleMs: FILTER_CHECK.settleMs, windowMs: FILTER_CHECK.windowMs });
    const strongLoser = STRONG_LOSER_INPUTS_HZ.map((inputsHz) => ({
      inputsHz: [...inputsHz],
      circuitHz: twoPool.measure({ inputsHz }).pools,
      rateModelHz: steadyState(artifact.params, inputsHz),
    }));
    const table = [
      `${images.length} random 2×2 images (pixels ${FILTER_CHECK.minPixel}–1 → ${fmt(artifact.inputRangeHz.max * FILTER_CHECK.minPixel, 1)}–${artifact.inputRangeHz.max} Hz), seeds ${seeds.join(',')}, settle ${FILTER_CHECK.settleMs} ms`,
      'window ms   seed-to-seed r   filter vs one seed   filter vs seed mean',
      ...rows.map((r) => `${String(r.windowMs).padStart(9)}   ${fmt(r.seedToSeedR, 3).padStart(14)}   ${fmt(r.filterVsSingleSeedR, 3).padStart(18)}   ${fmt(r.filterVsSeedMeanR, 3).padStart(19)}`),
      `two pools, strong loser (seed ${artifact.source.seed}, ${FILTER_CHECK.windowMs} ms): inputs Hz → circuit Hz | rate-fit model Hz`,
      ...strongLoser.map((c) => `  ${c.inputsHz.join('/').padEnd(6)} → ${c.circuitHz.map((x) => fmt(x, 1)).join('/').padEnd(10)} | ${c.rateModelHz.map((x) => fmt(x, 1)).join('/')}`),
    ];
    return { result: { images: images.length, seeds, windows: rows, strongLoser }, table };
  },
};
