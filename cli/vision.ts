/**
 * `swta vision train|eval|show` — train a ViT (with or without a filter in front), score a saved
 * model on any supported dataset, or write a grid of sample images to a PNG.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import { BUILTIN_DATASETS, loadDataset, type LoadOptions } from '../src/vision/data/registry.ts';
import { pickDataset, type ImageDataset } from '../src/vision/data/types.ts';
import { encodePng } from '../src/vision/data/png.ts';
import { Random } from '../src/random.ts';
import { FILTER_NAMES, preprocessFor } from '../src/vision/preprocess.ts';
import { initBackend } from '../src/vision/vit/backend.ts';
import { loadCheckpoint, saveCheckpoint } from '../src/vision/vit/checkpoint.ts';
import { configFor, type VitConfig } from '../src/vision/vit/config.ts';
import { forwardFlops, VisionTransformer } from '../src/vision/vit/model.ts';
import { evaluate } from '../src/vision/train/evaluate.ts';
import { trainVit } from '../src/vision/train/train.ts';
import { didYouMean } from '../src/graph/suggest.ts';
import { parseCommandArgs, UsageError } from './args.ts';

const USAGE = `usage:
  swta vision train [--data mnist:train] [--val <spec> | --val-fraction 0.1] [--limit n] [--epochs 5]
                    [--batch 32] [--lr 0.004] [--seed 1] [--filter ${FILTER_NAMES.join('|')}] [--out out/vision/model]
                    [--patch p] [--dim d] [--depth l] [--heads h] [--pool cls|mean] [--json]
  swta vision eval  --model <dir> --data <spec> [--limit n] [--data-seed s] [--batch 256] [--json]
  swta vision show  --data <spec> [--count 64] [--out samples.png]
  swta vision ood   [--quick] [--seeds 1,2,3,4,5] [--tasks digits,fonts,street] [--arms …] [--jobs 2]   (OOD experiments; ood --help)

datasets (<spec>): ${BUILTIN_DATASETS.join(', ')},
  or a path: file.csv, images-idx3-ubyte[.gz] (labels beside it), images.idx,labels.idx,
  a folder of class folders, or a Cityscapes / Dark Zurich / ACDC / images+labels folder.`;

export async function main(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'train') return train(rest);
  if (sub === 'eval') return evalCommand(rest);
  if (sub === 'show') return show(rest);
  if (sub === 'ood') return (await import('./vision-ood.ts')).main(rest);
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(USAGE);
    return;
  }
  throw new UsageError(`unknown vision command '${sub}'${didYouMean(sub, ['train', 'eval', 'show', 'ood'])} (known: train, eval, show, ood)\n${USAGE}`);
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got '${v}'`);
  return n;
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got '${v}'`);
  return n;
}

async function train(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta vision train', USAGE, {
    args,
    options: {
      data: { type: 'string', default: 'mnist:train' },
      val: { type: 'string' },
      'val-fraction': { type: 'string', default: '0.1' },
      limit: { type: 'string' },
      'val-limit': { type: 'string' },
      'data-seed': { type: 'string' },
      epochs: { type: 'string', default: '5' },
      batch: { type: 'string', default: '32' },
      lr: { type: 'string', default: '0.004' },
      seed: { type: 'string', default: '1' },
      filter: { type: 'string', default: 'none' },
      out: { type: 'string', default: 'out/vision/model' },
      patch: { type: 'string' },
      dim: { type: 'string' },
      depth: { type: 'string' },
      heads: { type: 'string' },
      pool: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (parsed === null) return;
  const { values } = parsed;
  // Resolve the filter first: an unavailable filter fails before any data is loaded.
  const preprocess = preprocessFor(values.filter);
  const seed = int('seed', values.seed)!;
  const epochs = int('epochs', values.epochs)!;
  const batchSize = int('batch', values.batch)!;
  const learningRate = num('lr', values.lr)!;
  const log = values.json ? (): void => {} : (s: string): void => console.log(s);
  await initBackend();

  const limit = int('limit', values.limit);
  const dataSeed = int('data-seed', values['data-seed']);
  const loadOpts: LoadOptions = { ...(limit === undefined ? {} : { limit }), ...(dataSeed === undefined ? {} : { seed: dataSeed }) };
  const raw = await loadDataset(values.data, loadOpts);
  const overrides: Partial<VitConfig> = { seed };
  for (const k of ['patch', 'dim', 'depth', 'heads'] as const) {
    const v = int(k, values[k]);
    if (v !== undefined) overrides[k] = v;
  }
  if (values.pool !== undefined) {
    if (values.pool !== 'cls' && values.pool !== 'mean') throw new Error(`--pool must be cls or mean, got '${values.pool}'`);
    overrides.pool = values.pool;
  }
  const config = configFor(raw, overrides);
  let trainSet = raw;
  let valSet: ImageDataset | undefined;
  if (values.val !== undefined) {
    const valLimit = int('val-limit', values['val-limit']);
    valSet = await loadDataset(values.val, { shape: config, ...(valLimit === undefined ? {} : { limit: valLimit }) });
  } else {
    const frac = num('val-fraction', values['val-fraction'])!;
    if (frac > 0) [trainSet, valSet] = holdOut(raw, frac, seed);
  }

  const model = new VisionTransformer(config);
  log(
    `training a ViT (${model.size.toLocaleString('en')} parameters, ${(forwardFlops(config) / 1e6).toFixed(2)} MFLOP/image forward) ` +
      `on ${trainSet.n} images of ${trainSet.source} (${config.height}×${config.width}×${config.channels}, ${config.task}), filter '${values.filter}'` +
      (valSet ? `, validating on ${valSet.n}` : ''),
  );
  const bar = new cliProgress.SingleBar(
    {
      format: 'epoch {epoch}/{epochs} |{bar}| {percentage}% | step {value}/{total} | loss {loss} | val {val} | eta {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let lastVal = '–';
  bar.start(Math.ceil(trainSet.n / batchSize) * epochs, 0, { epoch: 1, epochs, loss: '–', val: lastVal });
  let result;
  try {
    result = await trainVit(model, trainSet, {
      epochs,
      batchSize,
      learningRate,
      seed,
      preprocess,
      ...(valSet ? { val: valSet } : {}),
      onStep: (p) => bar.update(p.step, { epoch: p.epoch, loss: p.loss.toFixed(3) }),
      onEpoch: (e) => {
        if (e.valAccuracy !== undefined) lastVal = e.valMiou !== undefined ? `mIoU ${e.valMiou.toFixed(3)}` : `${(100 * e.valAccuracy).toFixed(1)}%`;
        bar.update({ val: lastVal });
      },
    });
  } finally {
    bar.stop();
  }
  const last = result.history[result.history.length - 1];
  await saveCheckpoint(model, values.out, {
    preprocess: values.filter,
    ...(raw.classNames ? { classNames: raw.classNames } : {}),
    training: {
      data: values.data,
      n: trainSet.n,
      epochs,
      batchSize,
      learningRate,
      seed,
      steps: result.steps,
      trainSeconds: result.trainMs / 1000,
      history: result.history,
    },
  });
  model.dispose();
  const summary = {
    out: values.out,
    filter: values.filter,
    n: trainSet.n,
    steps: result.steps,
    trainSeconds: Number((result.trainMs / 1000).toFixed(2)),
    preprocessSeconds: Number((result.preprocessMs / 1000).toFixed(3)),
    loss: last?.loss ?? null,
    valAccuracy: last?.valAccuracy ?? null,
    ...(last?.valMiou === undefined ? {} : { valMiou: last.valMiou }),
  };
  if (values.json) console.log(JSON.stringify(summary));
  else {
    const acc = `accuracy ${((summary.valAccuracy ?? NaN) * 100).toFixed(2)}%`;
    const scores = config.task === 'segment' ? `mIoU ${((summary.valMiou ?? NaN) * 100).toFixed(2)}%, pixel ${acc}` : acc;
    log(`saved ${values.out} after ${summary.trainSeconds} s; ${valSet ? `validation ${scores}` : 'no validation set'}`);
  }
}

/** A seeded random split of a dataset into (train, held-out) with `fraction` held out. */
function holdOut(ds: ImageDataset, fraction: number, seed: number): [ImageDataset, ImageDataset] {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`--val-fraction must lie in (0, 1), got ${fraction}`);
  const rng = new Random(Random.derive(seed, 'hold-out'));
  const idx = Array.from({ length: ds.n }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const nVal = Math.max(1, Math.round(ds.n * fraction));
  const val = pickDataset(ds, idx.slice(0, nVal).sort((a, b) => a - b));
  const rest = pickDataset(ds, idx.slice(nVal).sort((a, b) => a - b));
  return [{ ...rest, source: `${ds.source} (train part)` }, { ...val, source: `${ds.source} (held out)` }];
}

async function evalCommand(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta vision eval', USAGE, {
    args,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      limit: { type: 'string' },
      'data-seed': { type: 'string' },
      split: { type: 'string' },
      batch: { type: 'string', default: '256' },
      json: { type: 'boolean', default: false },
    },
  });
  if (parsed === null) return;
  const { values } = parsed;
  if (values.model === undefined) throw new UsageError(`swta vision eval: --model <dir> is required\n${USAGE}`);
  if (values.data === undefined) throw new UsageError(`swta vision eval: --data <spec> is required\n${USAGE}`);
  await initBackend();
  const { model, meta } = await loadCheckpoint(values.model);
  const preprocess = preprocessFor(meta.preprocess);
  const limit = int('limit', values.limit);
  const dataSeed = int('data-seed', values['data-seed']);
  const ds = await loadDataset(values.data, {
    shape: model.config,
    ...(limit === undefined ? {} : { limit }),
    ...(dataSeed === undefined ? {} : { seed: dataSeed }),
    ...(values.split === undefined ? {} : { split: values.split }),
  });
  const t0 = performance.now();
  const scores = await evaluate(model, ds, { preprocess, batchSize: int('batch', values.batch)! });
  const ms = performance.now() - t0;
  model.dispose();
  if (!values.json) {
    console.log(`${ds.source}: ${ds.n} images, model ${values.model} (filter '${meta.preprocess}'), ${(ms / Math.max(1, ds.n)).toFixed(2)} ms/image`);
    if (scores.miou !== undefined) console.log(`mIoU ${(100 * scores.miou).toFixed(2)}%  pixel accuracy ${(100 * scores.accuracy).toFixed(2)}%`);
    else console.log(`accuracy ${(100 * scores.accuracy).toFixed(2)}%`);
  }
  console.log(JSON.stringify({ accuracy: scores.accuracy, n: scores.n, ...(scores.miou === undefined ? {} : { miou: scores.miou }) }));
}

async function show(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta vision show', USAGE, {
    args,
    options: {
      data: { type: 'string' },
      count: { type: 'string', default: '64' },
      'data-seed': { type: 'string' },
      out: { type: 'string', default: 'samples.png' },
    },
  });
  if (parsed === null) return;
  const { values } = parsed;
  if (values.data === undefined) throw new UsageError(`swta vision show: --data <spec> is required\n${USAGE}`);
  const count = int('count', values.count)!;
  const dataSeed = int('data-seed', values['data-seed']);
  const ds = await loadDataset(values.data, { limit: count, ...(dataSeed === undefined ? {} : { seed: dataSeed }) });
  const png = sampleGrid(ds, Math.min(count, ds.n));
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, png);
  console.log(`wrote ${values.out}: ${Math.min(count, ds.n)} images of ${ds.source}${ds.task === 'segment' ? ' (each above its label map)' : ''}`);
}

/** A PNG grid of the first `count` images (segmentation: each image above its colour-coded labels). */
function sampleGrid(ds: ImageDataset, count: number): Uint8Array {
  const cols = Math.min(count, Math.max(1, Math.round(Math.sqrt(count))));
  const rows = Math.ceil(count / cols);
  const cellH = ds.task === 'segment' ? 2 * ds.height : ds.height;
  const W = cols * ds.width;
  const H = rows * cellH;
  const out = new Uint8Array(W * H * 3);
  for (let i = 0; i < count; i++) {
    const ox = (i % cols) * ds.width;
    const oy = Math.floor(i / cols) * cellH;
    for (let y = 0; y < ds.height; y++) {
      for (let x = 0; x < ds.width; x++) {
        const src = ((i * ds.height + y) * ds.width + x) * ds.channels;
        const dst = ((oy + y) * W + ox + x) * 3;
        for (let c = 0; c < 3; c++) out[dst + c] = Math.round(255 * ds.images[src + (ds.channels === 3 ? c : 0)]!);
        if (ds.task === 'segment') {
          const l = ds.labels[(i * ds.height + y) * ds.width + x]!;
          const d2 = ((oy + ds.height + y) * W + ox + x) * 3;
          // A fixed pseudo-random colour per class id; ignored pixels black.
          for (let c = 0; c < 3; c++) out[d2 + c] = l === 255 ? 0 : (l * [97, 57, 151][c]! + [40, 90, 20][c]!) % 256;
        }
      }
    }
  }
  return encodePng(out, W, H, 3);
}
