/**
 * Classification accuracy and segmentation scores from predicted and true class ids (pure typed-array
 * code, no tensors). mIoU = mean over classes of TP / (TP + FP + FN), over the classes that occur in
 * the ground truth or the predictions (a class absent from both is left out, as in Cityscapes' eval).
 */
import { IGNORE_LABEL } from '../data/types.ts';

export interface Scores {
  /** Fraction of correct images (classify) or pixels (segment), ignoring IGNORE_LABEL. */
  accuracy: number;
  /** Number of images. */
  n: number;
  /** Segmentation only: mean intersection over union, and per class (NaN where the class never occurs). */
  miou?: number;
  iou?: number[];
}

/** confusion[t * K + p] counts true class t predicted as p. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, numClasses: number): Float64Array {
  if (truth.length !== predicted.length) throw new RangeError(`confusionMatrix: ${truth.length} labels but ${predicted.length} predictions`);
  const m = new Float64Array(numClasses * numClasses);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    if (t === IGNORE_LABEL || t < 0 || t >= numClasses) continue;
    m[t * numClasses + predicted[i]!]! += 1;
  }
  return m;
}

export function scoresFromConfusion(m: Float64Array, numClasses: number, n: number, segment: boolean): Scores {
  let correct = 0;
  let total = 0;
  for (let t = 0; t < numClasses; t++) {
    for (let p = 0; p < numClasses; p++) total += m[t * numClasses + p]!;
    correct += m[t * numClasses + t]!;
  }
  const accuracy = total === 0 ? NaN : correct / total;
  if (!segment) return { accuracy, n };
  const iou: number[] = [];
  let sum = 0;
  let count = 0;
  for (let k = 0; k < numClasses; k++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < numClasses; j++) {
      row += m[k * numClasses + j]!;
      col += m[j * numClasses + k]!;
    }
    const tp = m[k * numClasses + k]!;
    const union = row + col - tp;
    const v = union === 0 ? NaN : tp / union;
    iou.push(v);
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  return { accuracy, n, miou: count === 0 ? NaN : sum / count, iou };
}
