import { performance } from 'node:perf_hooks';
import { loadRateFit } from '../src/calibration/rate-fit-artifact.ts';
import { swtaFilter } from '../src/vision/filter/index.ts';
import type { Benchmark, BenchOptions } from './types.ts';

/**
 * The sWTA image filter's cost per image (src/vision/filter), with the committed rate fit, on the
 * sizes the vision pipeline uses: MNIST digits (28×28 grey) and street scenes (128×128, grey and
 * colour). Median of `repeats` blocks of `images` calls each, after a warm-up.
 *
 *   npm run bench -- filter [--json] [--repeats 7] [--images 20]
 */
const SIZES: readonly (readonly [number, number, number])[] = [[28, 28, 1], [128, 128, 1], [128, 128, 3]];

function option(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!(Number.isInteger(v) && v > 0)) throw new Error(`--${name} must be an integer > 0, got '${args[i + 1]}'`);
  return v;
}

async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const repeats = option(options.args, 'repeats', 7);
  const images = option(options.args, 'images', 20);
  const filter = swtaFilter(loadRateFit());
  const msPerImage: Record<string, number> = {};
  for (const [h, w, c] of SIZES) {
    const img = new Float32Array(h * w * c).fill(0.5);
    const shape = { n: 1, height: h, width: w, channels: c };
    for (let i = 0; i < 5; i++) filter(img, shape);
    const blocks: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      for (let i = 0; i < images; i++) filter(img, shape);
      blocks.push((performance.now() - t0) / images);
    }
    blocks.sort((a, b) => a - b);
    const key = `${h}x${w}x${c}`;
    msPerImage[key] = blocks[Math.floor(blocks.length / 2)]!;
    options.log(`sWTA filter ${h}×${w}×${c}: ${msPerImage[key]!.toFixed(2)} ms per image (median of ${repeats} × ${images})`);
  }
  return { msPerImage, repeats, images };
}

export const benchmark: Benchmark = {
  description: 'the sWTA image filter: milliseconds per image at 28×28 grey and 128×128 grey and colour',
  run,
};
