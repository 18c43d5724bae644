import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/vision/vit/backend.ts';
import { checkVitConfig, DIGITS_VIT, STREET_VIT, type VitConfig } from '../../../src/vision/vit/config.ts';
import { forwardFlops, VisionTransformer } from '../../../src/vision/vit/model.ts';
import { matMul, patchify, unpatchify } from '../../../src/vision/vit/ops.ts';
import { countParams, initialValues } from '../../../src/vision/vit/params.ts';

beforeAll(async () => {
  await initBackend();
});

const TINY_CLS: VitConfig = { ...DIGITS_VIT, dim: 16, depth: 1, heads: 2 };
const TINY_SEG: VitConfig = { ...STREET_VIT, height: 16, width: 24, patch: 8, dim: 16, depth: 1, heads: 2 };

describe('ViT', () => {
  it('runs on the WASM backend', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  it('classification head: [b, 28, 28, 1] → [b, 10], class token or mean pooling', () => {
    for (const pool of ['cls', 'mean'] as const) {
      const model = new VisionTransformer({ ...TINY_CLS, pool });
      const y = tf.tidy(() => model.forward(tf.zeros([3, 28, 28, 1])));
      expect(y.shape).toEqual([3, 10]);
      y.dispose();
      model.dispose();
    }
  });

  it('segmentation head: [b, H, W, 3] → per-pixel logits [b, H, W, K]', () => {
    const model = new VisionTransformer(TINY_SEG);
    const y = tf.tidy(() => model.forward(tf.randomUniform([2, 16, 24, 3]) as tf.Tensor4D));
    expect(y.shape).toEqual([2, 16, 24, 8]);
    y.dispose();
    model.dispose();
  });

  it('patchify and unpatchify are inverse, and patches are the image blocks in row-major order', () => {
    const img = tf.tensor4d(Array.from({ length: 4 * 6 * 2 }, (_, i) => i), [1, 4, 6, 2]);
    const patches = patchify(img, 2); // [1, 6, 8]
    expect(patches.shape).toEqual([1, 6, 8]);
    // Patch 1 (row 0, column 1) holds pixels (0,2),(0,3),(1,2),(1,3), 2 channels each.
    const px = (y: number, x: number): number[] => [(y * 6 + x) * 2, (y * 6 + x) * 2 + 1];
    expect(Array.from((patches.arraySync() as number[][][])[0]![1]!)).toEqual([...px(0, 2), ...px(0, 3), ...px(1, 2), ...px(1, 3)]);
    expect(unpatchify(patches, 2, 2, 3).arraySync()).toEqual(img.arraySync());
    tf.dispose([img, patches]);
  });

  it('matMul with the hand-written gradient matches the built-in gradient', () => {
    const a = tf.randomNormal([2, 3, 5, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([2, 3, 4, 6], 0, 1, 'float32', 2);
    const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.sum(tf.square(f(x, y)));
    const ours = tf.grads(loss(matMul))([a, b]);
    const builtin = tf.grads(loss((x, y) => tf.matMul(x as tf.Tensor4D, y as tf.Tensor4D)))([a, b]);
    for (let i = 0; i < 2; i++) {
      const diff = tf.max(tf.abs(tf.sub(ours[i]!, builtin[i]!))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-3);
    }
    tf.dispose([a, b, ...ours, ...builtin]);
  });

  it('seeded initialisation: same seed same parameters, another seed different ones', () => {
    const a = initialValues(TINY_CLS);
    const b = initialValues(TINY_CLS);
    const c = initialValues({ ...TINY_CLS, seed: 2 });
    expect(b.get('block0/attn/qkv/kernel')!.values).toEqual(a.get('block0/attn/qkv/kernel')!.values);
    expect(c.get('block0/attn/qkv/kernel')!.values).not.toEqual(a.get('block0/attn/qkv/kernel')!.values);
    expect(a.get('head/kernel')!.values.every((v) => v === 0)).toBe(true);
  });

  it('counts parameters and FLOPs of the default digit model', () => {
    // Mean pooling, so no class token: embed 49·64+64, pos 16·64, per block 2·64 + 64·192+192 + 64·64+64 + 2·64 + 64·128+128 + 128·64+64, LN 128, head 64·10+10
    const perBlock = 128 + 64 * 192 + 192 + 64 * 64 + 64 + 128 + 64 * 128 + 128 + 128 * 64 + 64;
    const expected = 49 * 64 + 64 + 16 * 64 + DIGITS_VIT.depth * perBlock + 128 + 64 * 10 + 10;
    expect(DIGITS_VIT.pool).toBe('mean');
    expect(countParams({ ...DIGITS_VIT, pool: 'cls' })).toBe(expected + 64 + 64); // + class token + its position
    expect(countParams(DIGITS_VIT)).toBe(expected);
    expect(forwardFlops(DIGITS_VIT)).toBeGreaterThan(1e6);
  });

  it('rejects an inconsistent config, naming each field', () => {
    expect(() => checkVitConfig({ ...DIGITS_VIT, patch: 5, heads: 3 })).toThrow(/height 28 and width 28 must be multiples of patch 5[\s\S]*dim 64 must be a multiple of heads 3/);
  });

  it('does not leak tensors in forward', () => {
    const model = new VisionTransformer(TINY_CLS);
    const before = tf.memory().numTensors;
    // tf.tidy keeps the returned tensor: dispose it, and everything else must be gone.
    tf.tidy(() => model.forward(tf.zeros([2, 28, 28, 1]))).dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
