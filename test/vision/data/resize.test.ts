import { describe, expect, it } from 'vitest';
import { convertChannels, resizeImages, resizeLabels, toInputShape } from '../../../src/vision/data/resize.ts';
import type { ImageDataset } from '../../../src/vision/data/types.ts';

describe('resizing', () => {
  it('keeps a constant image constant, up and down', () => {
    const img = new Float32Array(10 * 14 * 3).fill(0.3);
    for (const [dh, dw] of [[5, 7], [28, 28], [3, 40]] as const) {
      const out = resizeImages(img, 1, 10, 14, 3, dh, dw);
      expect(out.length).toBe(dh * dw * 3);
      for (const v of out) expect(v).toBeCloseTo(0.3, 6);
    }
  });

  it('preserves the mean when shrinking by an integer factor (no aliasing loss)', () => {
    const img = new Float32Array(8 * 8).map((_, i) => ((i * 7919) % 13) / 13);
    const out = resizeImages(img, 1, 8, 8, 1, 4, 4);
    const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out)).toBeCloseTo(mean(img), 1);
  });

  it('resizes labels by nearest neighbour, inventing no class', () => {
    const labels = new Uint8Array([0, 0, 3, 3, 0, 0, 3, 3]); // 2×4: left half 0, right half 3
    expect(Array.from(resizeLabels(labels, 1, 2, 4, 1, 2))).toEqual([0, 3]);
    expect(Array.from(resizeLabels(labels, 1, 2, 4, 4, 8)).every((l) => l === 0 || l === 3)).toBe(true);
  });

  it('converts grey ↔ RGB (luma for RGB → grey)', () => {
    expect(Array.from(convertChannels(new Float32Array([0.5]), 1, 1, 3))).toEqual([0.5, 0.5, 0.5]);
    expect(convertChannels(new Float32Array([1, 0, 0]), 1, 3, 1)[0]).toBeCloseTo(0.299, 6);
  });

  it('brings a segmentation dataset to a model shape, labels included', () => {
    const ds: ImageDataset = {
      images: new Float32Array(2 * 4 * 4).fill(1),
      labels: new Uint8Array(2 * 4 * 4).fill(2),
      n: 2,
      height: 4,
      width: 4,
      channels: 1,
      task: 'segment',
      numClasses: 3,
      source: 'toy',
    };
    const out = toInputShape(ds, { height: 8, width: 8, channels: 3 });
    expect([out.n, out.height, out.width, out.channels, out.images.length, out.labels.length]).toEqual([2, 8, 8, 3, 2 * 64 * 3, 2 * 64]);
    expect(toInputShape(ds, { height: 4, width: 4, channels: 1 })).toBe(ds);
  });
});
