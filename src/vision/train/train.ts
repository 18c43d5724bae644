/**
 * The training loop: AdamW (warm-up, cosine decay) on softmax cross-entropy, seeded shuffles, a preprocessing function in
 * front of the model. Baseline and filtered models run this same code with the same seed; only
 * `preprocess` differs (identity vs. the sWTA filter), which is what makes the comparison fair.
 *
 * Deterministic for a given seed and backend: initial parameters come from the config's seed
 * (params.ts), batch order from `seed`, and there is no dropout.
 */
import { Random } from '../../random.ts';
import { tf } from '../vit/backend.ts';
import { forwardFlops, type VisionTransformer } from '../vit/model.ts';
import type { ImageDataset } from '../data/types.ts';
import { applyPreprocess, identity, type Preprocess } from '../preprocess.ts';
import { AdamW, learningRateAt } from './adam.ts';
import { crossEntropy, makeBatch } from './batches.ts';
import { evaluate } from './evaluate.ts';
import { checkInputShape } from './shape.ts';

/** Peak learning rate: the best of 1e-3, 2e-3, 3e-3 and 4e-3 for the default digit ViT at batch 32 on 3–8 k MNIST images. */
export const DEFAULT_LEARNING_RATE = 4e-3;

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Peak AdamW step size; default DEFAULT_LEARNING_RATE. */
  learningRate?: number;
  /** Fraction of all steps spent warming the learning rate up linearly; default 0.1. Then cosine decay to 0. */
  warmupFraction?: number;
  /** Decoupled weight decay of the kernels; default 0. */
  weightDecay?: number;
  /** Seed of the batch order. */
  seed: number;
  /** Applied once to the training and validation images; default identity (the baseline). */
  preprocess?: Preprocess;
  /** Scored after every epoch (and every `evalEvery` steps, if set). */
  val?: ImageDataset;
  /** Also score `val` every this many steps, for the whole run (the accuracy-vs-steps curve); default only per epoch. */
  evalEvery?: number;
  /** Record the first step at which the validation accuracy reaches this value. */
  targetAccuracy?: number;
  /** Record the first step at which the validation accuracy reaches each of these values. */
  targets?: readonly number[];
  /** Called after every step. */
  onStep?: (p: StepProgress) => void;
  /** Called after every epoch. */
  onEpoch?: (e: EpochRecord) => void;
}

export interface StepProgress {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  totalSteps: number;
  loss: number;
}

export interface CurvePoint {
  step: number;
  valAccuracy: number;
  valMiou?: number;
}

export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch. */
  loss: number;
  valAccuracy?: number;
  valMiou?: number;
  /** Wall-clock time since training started, ms. */
  elapsedMs: number;
}

export interface TrainResult {
  history: EpochRecord[];
  steps: number;
  /** Wall-clock time of the training steps, ms (validation scoring excluded). */
  trainMs: number;
  /** Wall-clock time spent scoring the validation set, ms. */
  evalMs: number;
  /** Time spent in `preprocess`, ms (reported separately from training). */
  preprocessMs: number;
  /** First step at which val accuracy ≥ targetAccuracy (checked every evalEvery steps and per epoch); null if never. */
  stepsToTarget: number | null;
  /** First step at which val accuracy ≥ each of `targets`, in order; null where never. */
  stepsToTargets: (number | null)[];
  /** Validation scores every evalEvery steps and after every epoch (step 0: before training, when evalEvery is set). */
  curve: CurvePoint[];
  /** Estimated FLOPs of one training step (3 × forward per image × batch size). */
  flopsPerStep: number;
}

export async function trainVit(model: VisionTransformer, train: ImageDataset, opts: TrainOptions): Promise<TrainResult> {
  checkInputShape(model.config, train);
  if (opts.val) checkInputShape(model.config, opts.val);
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1) throw new RangeError(`epochs must be a positive integer, got ${opts.epochs}`);
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}`);
  if (train.n === 0) throw new Error(`training set '${train.source}' is empty`);

  const pre = opts.preprocess ?? identity;
  const t0 = performance.now();
  const trainSet = pre === identity ? train : { ...train, images: applyPreprocess(pre, train.images, train) };
  const valSet = opts.val && pre !== identity ? { ...opts.val, images: applyPreprocess(pre, opts.val.images, opts.val) } : opts.val;
  const preprocessMs = performance.now() - t0;

  const optimizer = new AdamW(model.params, { weightDecay: opts.weightDecay ?? 0 });
  const baseLr = opts.learningRate ?? DEFAULT_LEARNING_RATE;
  const rng = new Random(Random.derive(opts.seed, 'batch-order'));
  const order = new Int32Array(train.n);
  const stepsPerEpoch = Math.ceil(train.n / opts.batchSize);
  const totalSteps = stepsPerEpoch * opts.epochs;
  const warmupSteps = Math.round((opts.warmupFraction ?? 0.1) * totalSteps);
  const history: EpochRecord[] = [];
  let step = 0;
  let stepsToTarget: number | null = null;
  const targets = opts.targets ?? [];
  const stepsToTargets: (number | null)[] = targets.map(() => null);
  const curve: CurvePoint[] = [];
  let evalMs = 0;
  const start = performance.now();

  const score = async (): Promise<{ valAccuracy?: number; valMiou?: number }> => {
    if (!valSet) return {};
    const e0 = performance.now();
    const s = await evaluate(model, valSet);
    evalMs += performance.now() - e0;
    if (opts.targetAccuracy !== undefined && stepsToTarget === null && s.accuracy >= opts.targetAccuracy) stepsToTarget = step;
    targets.forEach((t, i) => {
      if (stepsToTargets[i] === null && s.accuracy >= t) stepsToTargets[i] = step;
    });
    const last = curve.at(-1);
    if (!last || last.step !== step) curve.push({ step, valAccuracy: s.accuracy, ...(s.miou === undefined ? {} : { valMiou: s.miou }) });
    return { valAccuracy: s.accuracy, ...(s.miou === undefined ? {} : { valMiou: s.miou }) };
  };
  if (opts.evalEvery) await score();

  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      shuffle(order, rng);
      let lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const lr = learningRateAt(step + 1, totalSteps, baseLr, warmupSteps);
        const lossT = tf.tidy((): tf.Scalar => {
          const batch = makeBatch(trainSet, order, s * opts.batchSize, opts.batchSize);
          return optimizer.step(() => crossEntropy(model.forward(batch.x), batch.y, batch.mask, model.config.numClasses), lr);
        });
        const loss = (await lossT.data())[0]!;
        lossT.dispose();
        if (!Number.isFinite(loss)) throw new Error(`training diverged at epoch ${epoch}, step ${step + 1}: loss is ${loss}; lower the learning rate`);
        lossSum += loss;
        step++;
        opts.onStep?.({ epoch, step, stepsPerEpoch, totalSteps, loss });
        if (opts.evalEvery && step % opts.evalEvery === 0) await score();
      }
      const record: EpochRecord = { epoch, loss: lossSum / stepsPerEpoch, ...(await score()), elapsedMs: performance.now() - start };
      history.push(record);
      opts.onEpoch?.(record);
    }
  } finally {
    optimizer.dispose();
  }
  return {
    history,
    steps: step,
    trainMs: performance.now() - start - evalMs,
    evalMs,
    preprocessMs,
    stepsToTarget,
    stepsToTargets,
    curve,
    flopsPerStep: 3 * forwardFlops(model.config) * opts.batchSize,
  };
}

/** Fisher–Yates shuffle of 0 … n−1 into `order`, from `rng`. */
function shuffle(order: Int32Array, rng: Random): void {
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
