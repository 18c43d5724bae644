import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/vision.ts';
import { loadMnist } from '../../../src/vision/data/mnist.ts';
import { preprocessFor } from '../../../src/vision/preprocess.ts';
import { evaluate } from '../../../src/vision/train/evaluate.ts';
import { initBackend } from '../../../src/vision/vit/backend.ts';
import { loadCheckpoint } from '../../../src/vision/vit/checkpoint.ts';

/**
 * The demo weights that `swta vision ood` ships: the seed-1 MNIST models of the zero-shot runs of
 * the default budget (57 600 training digits × 4 epochs), baseline and behind the sWTA filter; their
 * accuracy on the full MNIST test set is in docs/results/vision.md (Shipped weights). Each must
 * reach ≥ 95 % on the first 1 000 test images.
 */
const VISION = fileURLToPath(new URL('../../../data/vision/', import.meta.url));
const SHIPPED = [
  { dir: join(VISION, 'mnist-baseline'), filter: 'none' },
  { dir: join(VISION, 'mnist-swta'), filter: 'swta' },
] as const;
const TEST_IMAGES = 1000;
const MIN_ACCURACY = 0.95;

beforeAll(async () => {
  await initBackend();
});

describe('shipped ViT weights (data/vision)', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const { dir, filter } of SHIPPED) {
    it(`${dir.split('/').slice(-2).join('/')} loads, is small, and reaches ≥ ${MIN_ACCURACY * 100} % on ${TEST_IMAGES} MNIST test digits`, async () => {
      expect(existsSync(join(dir, 'model.json'))).toBe(true);
      expect(statSync(join(dir, 'weights.bin')).size).toBeLessThan(400 * 1024);
      const { model, meta } = await loadCheckpoint(dir);
      expect(meta.preprocess).toBe(filter);
      expect(model.config).toMatchObject({ height: 28, width: 28, channels: 1, task: 'classify', numClasses: 10 });
      const scores = await evaluate(model, loadMnist({ split: 'test', limit: TEST_IMAGES }), { preprocess: preprocessFor(meta.preprocess) });
      model.dispose();
      console.log(`${dir}: ${(100 * scores.accuracy).toFixed(1)} % on ${scores.n} MNIST test images`);
      expect(scores.n).toBe(TEST_IMAGES);
      expect(scores.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
    });
  }

  it('swta vision eval --model data/vision/mnist-swta --json ends with {"accuracy", "n"}', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
    await main(['eval', '--model', SHIPPED[1].dir, '--data', 'mnist:test', '--limit', '1000', '--json']);
    const last = JSON.parse(lines.at(-1)!) as { accuracy: number; n: number };
    expect(last.n).toBe(1000);
    // The same figure as evaluate() with the recorded filter in front: the CLI puts it there itself.
    const { model, meta } = await loadCheckpoint(SHIPPED[1].dir);
    const direct = await evaluate(model, loadMnist({ split: 'test', limit: 1000 }), { preprocess: preprocessFor(meta.preprocess) });
    model.dispose();
    expect(meta.preprocess).toBe('swta');
    expect(last.accuracy).toBe(direct.accuracy);
  });
});
