/**
 * Batches of a dataset as tensors: images [b, H, W, C] and one-hot targets (with a mask for ignored
 * segmentation pixels). The gather into a reused typed array is the only copy.
 */
import { tf } from '../vit/backend.ts';
import { IGNORE_LABEL, type ImageDataset } from '../data/types.ts';

export interface Batch {
  x: tf.Tensor4D;
  /** Class per image [b] or per pixel [b, H, W] (int32; IGNORE_LABEL replaced by 0 and masked out). */
  y: tf.Tensor;
  /** 1 where the label counts, 0 where it is IGNORE_LABEL; same shape as y (float32). */
  mask: tf.Tensor;
}

/** The images `indices[start … start+size)` of `ds` as tensors. Caller disposes (or runs inside tf.tidy). */
export function makeBatch(ds: ImageDataset, indices: ArrayLike<number>, start: number, size: number): Batch {
  const b = Math.min(size, indices.length - start);
  const img = ds.height * ds.width * ds.channels;
  const per = ds.task === 'classify' ? 1 : ds.height * ds.width;
  const x = new Float32Array(b * img);
  const y = new Int32Array(b * per);
  const mask = new Float32Array(b * per);
  for (let j = 0; j < b; j++) {
    const i = indices[start + j]!;
    x.set(ds.images.subarray(i * img, (i + 1) * img), j * img);
    for (let k = 0; k < per; k++) {
      const l = ds.labels[i * per + k]!;
      const ignore = l === IGNORE_LABEL && ds.task === 'segment';
      y[j * per + k] = ignore ? 0 : l;
      mask[j * per + k] = ignore ? 0 : 1;
    }
  }
  const yShape = ds.task === 'classify' ? [b] : [b, ds.height, ds.width];
  return {
    x: tf.tensor4d(x, [b, ds.height, ds.width, ds.channels]),
    y: tf.tensor(y, yShape, 'int32'),
    mask: tf.tensor(mask, yShape, 'float32'),
  };
}

/** Mean softmax cross-entropy over the unmasked targets; logits [..., K], labels [...] int32. */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor, mask: tf.Tensor, numClasses: number): tf.Scalar {
  const logp = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logp, tf.oneHot(labels as tf.Tensor1D, numClasses)), -1); // log p(true class)
  return tf.div(tf.neg(tf.sum(tf.mul(picked, mask))), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}
