import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from '../../../src/vision/data/idx.ts';
import { loadDataset } from '../../../src/vision/data/registry.ts';
import { put, solidPng, tempDir } from '../helpers.ts';

describe('dataset specs', () => {
  it('loads built-ins at a model shape', async () => {
    const m = await loadDataset('mnist:test', { limit: 5, shape: { height: 14, width: 14, channels: 3 } });
    expect([m.n, m.height, m.width, m.channels, m.source]).toEqual([5, 14, 14, 3, 'mnist:test']);
    expect((await loadDataset('mnist-m:test', { limit: 3 })).channels).toBe(3);
    expect((await loadDataset('mnist-c:fog:5', { limit: 3 })).source).toMatch(/fog@5/);
    expect((await loadDataset('fonts', { limit: 3 })).n).toBe(3);
    const street = await loadDataset('street:night', { limit: 2, shape: { height: 32, width: 32, channels: 3 } });
    expect([street.n, street.height, street.task]).toEqual([2, 32, 'segment']);
  });

  it('recognises files and folders', async () => {
    const dir = tempDir();
    put(join(dir, 'x.csv'), '1,0,0,0,1\n0,1,1,1,1\n');
    expect((await loadDataset(join(dir, 'x.csv'))).n).toBe(2);
    put(join(dir, 'my-images-idx3-ubyte'), encodeIdx([2, 2, 2], new Uint8Array(8)));
    put(join(dir, 'my-labels-idx1-ubyte'), encodeIdx([2], new Uint8Array([0, 1])));
    expect((await loadDataset(join(dir, 'my-images-idx3-ubyte'))).n).toBe(2);
    put(join(dir, 'classes', 'a', '1.png'), solidPng(3, 3, [9, 9, 9]));
    expect((await loadDataset(join(dir, 'classes'), { shape: { height: 4, width: 4, channels: 1 } })).height).toBe(4);
  });

  it('says what is wrong with a spec', async () => {
    await expect(loadDataset('nope')).rejects.toThrow(/dataset 'nope' is neither a built-in \(mnist\[:train\|test\]/);
    await expect(loadDataset('mnist:val')).rejects.toThrow(/split must be 'train' or 'test', got 'val'/);
    await expect(loadDataset('mnist-c')).rejects.toThrow(/name a corruption, e\.g\. mnist-c:fog/);
    await expect(loadDataset('street:dusk')).rejects.toThrow(/say street:day or street:night/);
    const dir = tempDir();
    put(join(dir, 'lonely-images-idx3-ubyte'), encodeIdx([1, 1, 1], new Uint8Array(1)));
    await expect(loadDataset(join(dir, 'lonely-images-idx3-ubyte'))).rejects.toThrow(/no labels file found beside it/);
  });
});
