import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/vision/vit/backend.ts';
import { loadCheckpoint, saveCheckpoint } from '../../../src/vision/vit/checkpoint.ts';
import { DIGITS_VIT, STREET_VIT } from '../../../src/vision/vit/config.ts';
import { VisionTransformer } from '../../../src/vision/vit/model.ts';
import { tempDir } from '../helpers.ts';

beforeAll(async () => {
  await initBackend();
});

describe('checkpoints', () => {
  it('save → load gives the same config, metadata and outputs (both heads)', async () => {
    for (const config of [{ ...DIGITS_VIT, depth: 1, seed: 4 }, { ...STREET_VIT, height: 16, width: 16, depth: 1 }]) {
      const model = new VisionTransformer(config);
      // Make the (zero-initialised) head non-trivial so the comparison means something.
      model.params.get('head/kernel')!.assign(tf.randomNormal(model.params.get('head/kernel')!.shape, 0, 1, 'float32', 9));
      const dir = join(tempDir(), 'model');
      await saveCheckpoint(model, dir, { preprocess: 'none', classNames: ['a', 'b'], training: { epochs: 1 } });
      const loaded = await loadCheckpoint(dir);
      expect(loaded.model.config).toEqual(model.config);
      expect(loaded.meta).toEqual({ preprocess: 'none', classNames: ['a', 'b'], training: { epochs: 1 } });
      const x = tf.randomUniform([2, config.height, config.width, config.channels], 0, 1, 'float32', 3) as tf.Tensor4D;
      const a = tf.tidy(() => model.forward(x));
      const b = tf.tidy(() => loaded.model.forward(x));
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      // Also loadable by the path of model.json.
      expect((await loadCheckpoint(join(dir, 'model.json'))).model.config).toEqual(model.config);
      tf.dispose([x, a, b]);
      model.dispose();
      loaded.model.dispose();
    }
  });

  it('explains a missing folder, a truncated weights file and a wrong shape', async () => {
    await expect(loadCheckpoint(join(tempDir(), 'none'))).rejects.toThrow(/no model\.json \(not a model folder; train one with: swta vision train/);
    const model = new VisionTransformer({ ...DIGITS_VIT, depth: 1 });
    const dir = join(tempDir(), 'm');
    await saveCheckpoint(model, dir, { preprocess: 'none' });
    model.dispose();
    const bin = join(dir, 'weights.bin');
    const bytes = readFileSync(bin);
    writeFileSync(bin, bytes.subarray(0, bytes.length - 4));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/weights\.bin: \d+ bytes, the manifest needs \d+/);
    writeFileSync(bin, bytes);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    json.modelTopology.config.dim = 32;
    json.modelTopology.config.heads = 4;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/'embed\/kernel' has shape \[49, 64\], expected \[49, 32\]/);
  });
});
