/**
 * The one in-memory shape of every image dataset in swta, whatever file it came from.
 *
 * ```
 * images[((i * height + y) * width + x) * channels + c]   in [0, 1], NHWC, row-major
 * labels[i]                                               classification: class of image i
 * labels[(i * height + y) * width + x]                    segmentation: class of pixel (x, y) of image i
 * ```
 *
 * Plain typed arrays, no tensors: loaders, renderers, corruptions and the sWTA filter work on these
 * without TensorFlow.js, and the trainer turns batches into tensors at the last moment.
 */
export interface ImageDataset {
  /** n × height × width × channels intensities in [0, 1] (NHWC). */
  images: Float32Array;
  /**
   * Class indices: one per image (task 'classify') or one per pixel (task 'segment'). In segmentation,
   * IGNORE_LABEL (255) marks pixels that count in no loss and no metric (Cityscapes convention).
   */
  labels: Int32Array | Uint8Array;
  /** Number of images. */
  n: number;
  height: number;
  width: number;
  /** 1 (grey) or 3 (RGB). */
  channels: number;
  task: 'classify' | 'segment';
  /** Number of classes; labels lie in [0, numClasses) (plus IGNORE_LABEL in segmentation). */
  numClasses: number;
  /** Optional class names, index = label. */
  classNames?: readonly string[];
  /** Where the data came from, for messages and reports, e.g. "mnist:test" or a file path. */
  source: string;
}

/** The shape of a batch of images without labels: what a preprocessing filter sees. */
export interface ImageShape {
  n: number;
  height: number;
  width: number;
  channels: number;
}

/** Segmentation label that marks "no class here" (void, unlabelled, out of image). */
export const IGNORE_LABEL = 255;

/** The ten digit classes, shared by every digit domain. */
export const DIGIT_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Clamps every value to [0, 1] in place: the range ImageDataset.images holds. */
export function clampToUnit(images: Float32Array): void {
  for (let i = 0; i < images.length; i++) images[i] = Math.min(1, Math.max(0, images[i]!));
}

/**
 * Checks a dataset's internal consistency; throws naming the dataset and the broken field.
 * Loaders call this once before returning, so a malformed file fails at load, not mid-training.
 */
export function checkDataset(ds: ImageDataset): ImageDataset {
  const where = `dataset '${ds.source}'`;
  for (const k of ['n', 'height', 'width', 'channels', 'numClasses'] as const) {
    if (!Number.isInteger(ds[k]) || ds[k] < 0) throw new Error(`${where}: ${k} must be a non-negative integer, got ${ds[k]}`);
  }
  if (ds.channels !== 1 && ds.channels !== 3) throw new Error(`${where}: channels must be 1 or 3, got ${ds.channels}`);
  const expectImages = ds.n * ds.height * ds.width * ds.channels;
  if (ds.images.length !== expectImages) {
    throw new Error(`${where}: images has ${ds.images.length} values, expected n×h×w×c = ${ds.n}×${ds.height}×${ds.width}×${ds.channels} = ${expectImages}`);
  }
  const expectLabels = ds.task === 'classify' ? ds.n : ds.n * ds.height * ds.width;
  if (ds.labels.length !== expectLabels) {
    throw new Error(`${where}: labels has ${ds.labels.length} values, expected ${expectLabels} (${ds.task === 'classify' ? 'one per image' : 'one per pixel'})`);
  }
  for (let i = 0; i < ds.labels.length; i++) {
    const l = ds.labels[i]!;
    if ((l < 0 || l >= ds.numClasses) && !(ds.task === 'segment' && l === IGNORE_LABEL)) {
      throw new Error(`${where}: label ${l} at index ${i} is outside [0, ${ds.numClasses})`);
    }
  }
  return ds;
}

/** Images [start, start + count) of a dataset, copied. */
export function sliceDataset(ds: ImageDataset, start: number, count: number): ImageDataset {
  const end = Math.min(ds.n, start + count);
  const s = Math.max(0, Math.min(start, end));
  const px = ds.height * ds.width;
  const perLabel = ds.task === 'classify' ? 1 : px;
  return {
    ...ds,
    images: ds.images.slice(s * px * ds.channels, end * px * ds.channels),
    labels: ds.labels.slice(s * perLabel, end * perLabel),
    n: end - s,
  };
}

/** The images at the given indices, in that order, copied (for shuffles, k-shot picks and splits). */
export function pickDataset(ds: ImageDataset, indices: ArrayLike<number>): ImageDataset {
  const imageSize = ds.height * ds.width * ds.channels;
  const perLabel = ds.task === 'classify' ? 1 : ds.height * ds.width;
  const images = new Float32Array(indices.length * imageSize);
  const labels = ds.labels instanceof Uint8Array ? new Uint8Array(indices.length * perLabel) : new Int32Array(indices.length * perLabel);
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j]!;
    if (!Number.isInteger(i) || i < 0 || i >= ds.n) throw new RangeError(`pickDataset(${ds.source}): index ${i} is outside [0, ${ds.n})`);
    images.set(ds.images.subarray(i * imageSize, (i + 1) * imageSize), j * imageSize);
    labels.set(ds.labels.subarray(i * perLabel, (i + 1) * perLabel), j * perLabel);
  }
  return { ...ds, images, labels, n: indices.length };
}

/** Several datasets of the same shape and task, one after another. */
export function concatDatasets(parts: readonly ImageDataset[], source?: string): ImageDataset {
  const first = parts[0];
  if (!first) throw new Error('concatDatasets: no datasets given');
  for (const p of parts) {
    if (p.height !== first.height || p.width !== first.width || p.channels !== first.channels || p.task !== first.task) {
      throw new Error(
        `concatDatasets: '${p.source}' is ${p.task} ${p.height}×${p.width}×${p.channels} but '${first.source}' is ${first.task} ${first.height}×${first.width}×${first.channels}; resize with toInputShape() first`,
      );
    }
  }
  const n = parts.reduce((a, p) => a + p.n, 0);
  const images = new Float32Array(parts.reduce((a, p) => a + p.images.length, 0));
  const labels = new Int32Array(parts.reduce((a, p) => a + p.labels.length, 0));
  let io = 0;
  let lo = 0;
  for (const p of parts) {
    images.set(p.images, io);
    labels.set(p.labels, lo);
    io += p.images.length;
    lo += p.labels.length;
  }
  return {
    ...first,
    images,
    labels,
    n,
    numClasses: Math.max(...parts.map((p) => p.numClasses)),
    source: source ?? parts.map((p) => p.source).join('+'),
  };
}
