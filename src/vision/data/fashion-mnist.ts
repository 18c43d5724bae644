/**
 * Fashion-MNIST (Xiao et al. 2017), the non-digit control: 28×28 grey clothing images in ten classes,
 * from the gzipped IDX files of the Debian package `dataset-fashion-mnist`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadIdxDataset } from './idx-dataset.ts';
import type { ImageDataset } from './types.ts';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

export interface FashionMnistOptions {
  split: 'train' | 'test';
  limit?: number;
  /** Folder with the four .gz IDX files; default the Debian path. */
  dir?: string;
}

/** True when the Fashion-MNIST files are on this machine. */
export function fashionMnistAvailable(dir = FASHION_MNIST_DIR): boolean {
  return existsSync(join(dir, 't10k-images-idx3-ubyte.gz'));
}

export function loadFashionMnist(opts: FashionMnistOptions): ImageDataset {
  const dir = opts.dir ?? FASHION_MNIST_DIR;
  if (!fashionMnistAvailable(dir)) {
    throw new Error(`Fashion-MNIST: no IDX files in ${dir}; install the Debian package: apt-get install dataset-fashion-mnist`);
  }
  const prefix = opts.split === 'train' ? 'train' : 't10k';
  return loadIdxDataset({
    images: join(dir, `${prefix}-images-idx3-ubyte.gz`),
    labels: join(dir, `${prefix}-labels-idx1-ubyte.gz`),
    numClasses: 10,
    classNames: FASHION_CLASSES,
    source: `fashion-mnist:${opts.split}`,
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
  });
}
