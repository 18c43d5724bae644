/**
 * Predictions and scores of a model on a dataset, in batches, behind the given preprocessing.
 */
import { tf } from '../vit/backend.ts';
import type { VisionTransformer } from '../vit/model.ts';
import type { ImageDataset } from '../data/types.ts';
import { applyPreprocess, identity, type Preprocess } from '../preprocess.ts';
import { confusionMatrix, scoresFromConfusion, type Scores } from './metrics.ts';
import { checkInputShape } from './shape.ts';

export interface EvaluateOptions {
  batchSize?: number;
  /** Applied to the images first; default identity. Pass the filter the model was trained behind. */
  preprocess?: Preprocess;
  /** Called after each batch with the number of images done. */
  onBatch?: (done: number, total: number) => void;
}

/** Predicted class per image [n] or per pixel [n·H·W]. Images must already be preprocessed. */
export async function predictClasses(model: VisionTransformer, ds: ImageDataset, batchSize = 256, onBatch?: (done: number, total: number) => void): Promise<Int32Array> {
  checkInputShape(model.config, ds);
  const img = ds.height * ds.width * ds.channels;
  const per = ds.task === 'classify' ? 1 : ds.height * ds.width;
  const out = new Int32Array(ds.n * per);
  for (let s = 0; s < ds.n; s += batchSize) {
    const b = Math.min(batchSize, ds.n - s);
    const pred = tf.tidy(() => {
      const x = tf.tensor4d(ds.images.subarray(s * img, (s + b) * img), [b, ds.height, ds.width, ds.channels]);
      return tf.argMax(model.forward(x), -1);
    });
    out.set(await pred.data(), s * per);
    pred.dispose();
    onBatch?.(s + b, ds.n);
  }
  return out;
}

export async function evaluate(model: VisionTransformer, ds: ImageDataset, opts: EvaluateOptions = {}): Promise<Scores> {
  const pre = opts.preprocess ?? identity;
  const images = pre === identity ? ds.images : applyPreprocess(pre, ds.images, ds);
  const pred = await predictClasses(model, { ...ds, images }, opts.batchSize ?? 256, opts.onBatch);
  const k = model.config.numClasses;
  return scoresFromConfusion(confusionMatrix(ds.labels, pred, k), k, ds.n, ds.task === 'segment');
}
