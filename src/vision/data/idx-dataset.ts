/**
 * An image dataset from a pair of IDX files (images [n, h, w] or [n, h, w, c]; labels [n]),
 * plain or gzipped: MNIST, Fashion-MNIST, EMNIST, or a user's own data in the same container.
 */
import { DataFormatError } from './errors.ts';
import { readIdxFile, type IdxArray } from './idx.ts';
import { checkDataset, type ImageDataset } from './types.ts';

export interface IdxDatasetFiles {
  images: string;
  labels: string;
  /** Keep only the first `limit` images. */
  limit?: number;
  /** Number of classes; default: max label + 1. */
  numClasses?: number;
  classNames?: readonly string[];
  /** Name for messages; default: the images path. */
  source?: string;
}

/** Loads images + labels IDX files; u8 pixels are divided by 255, float pixels must already lie in [0, 1] (or [0, 255]). */
export function loadIdxDataset(files: IdxDatasetFiles): ImageDataset {
  const img = readIdxFile(files.images);
  const lab = readIdxFile(files.labels);
  if (img.dims.length !== 3 && img.dims.length !== 4) {
    throw new DataFormatError(files.images, `image IDX must have 3 dimensions [n, h, w] or 4 [n, h, w, c], got [${img.dims.join(', ')}]`);
  }
  const [nAll, height, width] = img.dims as [number, number, number];
  const channels = img.dims.length === 4 ? img.dims[3]! : 1;
  if (channels !== 1 && channels !== 3) throw new DataFormatError(files.images, `images have ${channels} channels; 1 (grey) or 3 (RGB) are supported`);
  if (lab.dims.length !== 1) throw new DataFormatError(files.labels, `label IDX must have 1 dimension [n], got [${lab.dims.join(', ')}]`);
  if (lab.dims[0] !== nAll) {
    throw new DataFormatError(files.labels, `holds ${lab.dims[0]} labels but ${files.images} holds ${nAll} images`);
  }
  if (lab.type === 'f32' || lab.type === 'f64') throw new DataFormatError(files.labels, `labels must be integers, file holds ${lab.type}`);
  const n = files.limit === undefined ? nAll : Math.min(nAll, Math.max(0, Math.floor(files.limit)));
  const size = height * width * channels;
  const images = toUnit(img, n * size, files.images);
  const labels = new Int32Array(n);
  let maxLabel = -1;
  for (let i = 0; i < n; i++) {
    const l = lab.data[i]!;
    if (l < 0) throw new DataFormatError(files.labels, `label ${l} at index ${i} is negative`);
    labels[i] = l;
    if (l > maxLabel) maxLabel = l;
  }
  const numClasses = files.numClasses ?? maxLabel + 1;
  if (maxLabel >= numClasses) throw new DataFormatError(files.labels, `label ${maxLabel} is outside [0, ${numClasses})`);
  return checkDataset({
    images,
    labels,
    n,
    height,
    width,
    channels,
    task: 'classify',
    numClasses,
    ...(files.classNames ? { classNames: files.classNames } : {}),
    source: files.source ?? files.images,
  });
}

/** The first `count` elements of an IDX array mapped to [0, 1]. */
function toUnit(a: IdxArray, count: number, file: string): Float32Array {
  const out = new Float32Array(count);
  const d = a.data;
  if (a.type === 'u8') {
    for (let i = 0; i < count; i++) out[i] = d[i]! / 255;
    return out;
  }
  let max = -Infinity;
  let min = Infinity;
  for (let i = 0; i < count; i++) {
    const v = d[i]!;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  if (min < 0) throw new DataFormatError(file, `pixel values must be non-negative, found ${min}`);
  const scale = max <= 1 ? 1 : max <= 255 ? 1 / 255 : NaN;
  if (Number.isNaN(scale)) throw new DataFormatError(file, `pixel values must lie in [0, 1] or [0, 255], found max ${max}`);
  for (let i = 0; i < count; i++) out[i] = d[i]! * scale;
  return out;
}
