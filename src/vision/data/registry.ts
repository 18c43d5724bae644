/**
 * One way to name a dataset on the command line, for `swta vision train|eval --data <spec>`.
 *
 * Built-in (no files needed beyond the npm and Debian packages):
 * ```
 * mnist[:train|test]              MNIST (default split: train)
 * fashion-mnist[:train|test]      Fashion-MNIST (Debian dataset-fashion-mnist)
 * mnist-m[:train|test]            MNIST over colour textures (seeded)
 * mnist-c:<corruption>[:1-5]      MNIST test with a corruption at a severity (default 3)
 * fonts[:colour]                  font digits (seeded; n = limit, default 10 000)
 * street:day|night                procedural street scenes (seeded; n = limit, default 1 000;
 *                                 default seed 1 by day, 2 by night, i.e. unseen scenes)
 * ```
 * Files (formats recognised by content and layout, not only by name):
 * ```
 * path/to/x.csv                   CSV, label + pixels per line
 * path/to/images-idx3-ubyte[.gz]  IDX images; labels found beside it (images → labels, idx3 → idx1),
 * images.idx,labels.idx           or both named, comma-separated
 * path/to/folder/                 a class-per-folder tree, or a Cityscapes / Dark Zurich / ACDC /
 *                                 images+labels segmentation tree
 * ```
 * Every dataset is returned at `shape` (resized, channels converted) when one is given.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { findSegmentationRoots, loadSegmentationFolder } from './cityscapes.ts';
import { corrupt, CORRUPTION_NAMES } from './corruptions.ts';
import { loadCsvDataset } from './csv.ts';
import { loadFashionMnist } from './fashion-mnist.ts';
import { renderFontDigits } from './font-digits.ts';
import { loadIdxDataset } from './idx-dataset.ts';
import { loadImageFolder } from './image-folder.ts';
import { loadMnist } from './mnist.ts';
import { toMnistM } from './mnist-m.ts';
import { toInputShape, type InputShape } from './resize.ts';
import { renderStreetScenes } from './street/render.ts';
import { sliceDataset, type ImageDataset } from './types.ts';

export interface LoadOptions {
  /** Resize to this shape (the model's input). Folders of images need it (default 28×28×1, street 64×64×3). */
  shape?: InputShape;
  /** Keep at most this many images (for generated sets: how many to make). */
  limit?: number;
  /** Seed of generated sets (fonts, mnist-m, mnist-c, street); see the defaults above. */
  seed?: number;
  /** Split for dataset folders that have one (e.g. 'val' in Cityscapes). */
  split?: string;
}

export const BUILTIN_DATASETS: readonly string[] = [
  'mnist[:train|test]',
  'fashion-mnist[:train|test]',
  'mnist-m[:train|test]',
  `mnist-c:<${CORRUPTION_NAMES.join('|')}>[:1-5]`,
  'fonts[:colour]',
  'street:day|night',
];

export async function loadDataset(spec: string, opts: LoadOptions = {}): Promise<ImageDataset> {
  const ds = await loadRaw(spec, opts);
  const limited = opts.limit !== undefined && ds.n > opts.limit ? sliceDataset(ds, 0, opts.limit) : ds;
  return opts.shape ? toInputShape(limited, opts.shape) : limited;
}

async function loadRaw(spec: string, opts: LoadOptions): Promise<ImageDataset> {
  const [name, a, b] = spec.split(':');
  const split = (s: string | undefined): 'train' | 'test' => {
    if (s === undefined || s === 'train') return 'train';
    if (s === 'test') return 'test';
    throw new Error(`dataset '${spec}': split must be 'train' or 'test', got '${s}'`);
  };
  const limit = opts.limit === undefined ? {} : { limit: opts.limit };
  switch (name) {
    case 'mnist':
      return loadMnist({ split: split(a), ...limit });
    case 'fashion-mnist':
      return loadFashionMnist({ split: split(a), ...limit });
    case 'mnist-m':
      return toMnistM(loadMnist({ split: split(a), ...limit }), opts.seed ?? 1);
    case 'mnist-c': {
      if (a === undefined) throw new Error(`dataset '${spec}': name a corruption, e.g. mnist-c:fog; known: ${CORRUPTION_NAMES.join(', ')}`);
      return corrupt(loadMnist({ split: 'test', ...limit }), a, { severity: b === undefined ? 3 : Number(b), seed: opts.seed ?? 1 });
    }
    case 'fonts':
      if (a !== undefined && a !== 'colour') throw new Error(`dataset '${spec}': the only option of fonts is ':colour'`);
      return renderFontDigits({ n: opts.limit ?? 10_000, seed: opts.seed ?? 1, colour: a === 'colour', size: opts.shape?.height ?? 28 });
    case 'street': {
      if (a !== 'day' && a !== 'night') throw new Error(`dataset '${spec}': say street:day or street:night`);
      return renderStreetScenes({
        n: opts.limit ?? 1000,
        seed: opts.seed ?? (a === 'day' ? 1 : 2),
        time: a,
        height: opts.shape?.height ?? 64,
        width: opts.shape?.width ?? 64,
      });
    }
    default:
      return loadPath(spec, opts);
  }
}

async function loadPath(spec: string, opts: LoadOptions): Promise<ImageDataset> {
  if (spec.includes(',')) {
    const [images, labels] = spec.split(',') as [string, string];
    return loadIdxDataset({ images, labels, ...(opts.limit === undefined ? {} : { limit: opts.limit }) });
  }
  if (!existsSync(spec)) {
    throw new Error(`dataset '${spec}' is neither a built-in (${BUILTIN_DATASETS.join(', ')}) nor an existing file or folder`);
  }
  if (statSync(spec).isDirectory()) {
    const entries = readdirSync(spec);
    const segLayout = ['leftImg8bit', 'rgb_anon', 'images'].some((d) => entries.includes(d));
    if (segLayout) {
      const roots = findSegmentationRoots(spec, opts.split);
      return loadSegmentationFolder({ ...roots, ...(opts.shape ?? { height: 64, width: 64, channels: 3 }), ...(opts.limit === undefined ? {} : { limit: opts.limit }) });
    }
    return loadImageFolder(spec, { ...(opts.shape ?? { height: 28, width: 28, channels: 1 }) });
  }
  if (spec.toLowerCase().endsWith('.csv')) return loadCsvDataset(spec, opts.limit === undefined ? {} : { limit: opts.limit });
  const labels = idxLabelsBeside(spec);
  return loadIdxDataset({ images: spec, labels, ...(opts.limit === undefined ? {} : { limit: opts.limit }) });
}

/** The labels file beside an IDX images file: the same name with images → labels and idx3 → idx1. */
function idxLabelsBeside(images: string): string {
  const name = basename(images);
  const guess = name.replace('images', 'labels').replace('idx3', 'idx1');
  const path = join(dirname(images), guess);
  if (guess === name || !existsSync(path)) {
    throw new Error(`dataset '${images}': no labels file found beside it (looked for ${path}); name both as '<images>,<labels>'`);
  }
  return path;
}
