/**
 * The out-of-distribution experiments: every task as a set of runs, one per arm, that share
 * everything — ViT config and initialisation seed, training images, batch order, steps,
 * learning-rate schedule, fine-tuning picks and test sets — except the preprocessing function in
 * front of the model (the baseline's identity, the sWTA filter, or a control). Each seed gives one
 * run per arm, so differences between arms are paired by seed.
 *
 * Three groups of runs (one training each, several scores per training):
 * ```
 * digits   train on MNIST → score MNIST test (source), fonts, MNIST-M, each MNIST-C corruption at
 *          each severity (zero-shot), then fine-tune on k fonts per class → score fonts again;
 *          steps to the target MNIST validation accuracy (compute task); checkpoints (demo weights)
 * fonts    train on font digits → score fonts (source), MNIST zero-shot, then k MNIST per class → MNIST
 * street   train on day street scenes → mIoU on unseen scenes by day and by night (same layouts)
 * ```
 * Runs are cached one JSON file per run (group/arm/seed) in a folder, so an interrupted experiment
 * resumes where it stopped and several processes (`shard`) can share one plan; a cached run is
 * reused only if its whole spec (budget, seed, data, test sets) is the planned one and its arm's
 * preprocessing is unchanged (its parameters, and its output on fixed probe images, so a change to
 * the code counts too).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { Random } from '../../src/random.ts';
import { corrupt } from '../../src/vision/data/corruptions.ts';
import { renderFontDigits } from '../../src/vision/data/font-digits.ts';
import { loadMnist } from '../../src/vision/data/mnist.ts';
import { toMnistM } from '../../src/vision/data/mnist-m.ts';
import { toInputShape } from '../../src/vision/data/resize.ts';
import { renderStreetScenes } from '../../src/vision/data/street/render.ts';
import { pickDataset, sliceDataset, type ImageDataset } from '../../src/vision/data/types.ts';
import { identity, preprocessFor, type FilterName, type Preprocess } from '../../src/vision/preprocess.ts';
import { evaluate } from '../../src/vision/train/evaluate.ts';
import { trainVit, type CurvePoint, type EpochRecord } from '../../src/vision/train/train.ts';
import { initBackend } from '../../src/vision/vit/backend.ts';
import { saveCheckpoint } from '../../src/vision/vit/checkpoint.ts';
import { configFor, type VitConfig } from '../../src/vision/vit/config.ts';
import { forwardFlops, VisionTransformer } from '../../src/vision/vit/model.ts';
import type { OodBudget } from './budget.ts';

export const GROUPS = ['digits', 'fonts', 'street'] as const;
export type Group = (typeof GROUPS)[number];

/** Seeds of the generated domains (fixed: the test sets are the same for every run and seed). */
export const DATA_SEEDS = {
  /** Font digits: test set (MNIST → fonts and fonts in-domain), fonts training, fonts validation, k-shot pool. */
  fontsTest: 1,
  fontsTrain: 11,
  fontsVal: 12,
  fontsPool: 13,
  /** MNIST-M textures and MNIST-C corruption noise. */
  shift: 1,
  /** Street scenes: training layouts by day, validation layouts, unseen test layouts (scored by day and night). */
  streetTrain: 1,
  streetVal: 3,
  streetTest: 2,
} as const;

/**
 * The arms: one name per preprocessing in front of the ViT (src/vision/preprocess.ts). 'none' is the
 * baseline; 'swta' the sWTA filter (colour: luminance competes); 'swta-rgb' the filter per colour
 * channel (colour groups only: on grey images it is 'swta'); the rest are controls.
 */
export const ARMS = ['none', 'swta', 'swta-rgb', 'swta-nocomp', 'standardize', 'lcn', 'divnorm'] as const satisfies readonly FilterName[];
export type Arm = string;
/** The arms that are the sWTA filter (the claims are tested with the first that a group runs). */
export const SWTA_ARMS: readonly string[] = ['swta', 'swta-rgb'];

/** The arms a group runs: the colour variant only where images have colour. */
export function armsOf(group: Group, arms: readonly string[] = ARMS): string[] {
  return arms.filter((a) => group === 'street' || a !== 'swta-rgb');
}

/** Everything that defines a run. The arms of a seed differ only in `arm` (= the preprocessing's name). */
export interface RunSpec {
  group: Group;
  /** Name of the preprocessing in front of the ViT (checkpoint metadata), e.g. 'none' or 'swta'. */
  arm: Arm;
  seed: number;
  vit: VitConfig;
  train: {
    data: string;
    n: number;
    val: string;
    valN: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    warmupFraction: number;
    evalEvery?: number;
    /** Validation accuracies whose first crossing is recorded (compute task). */
    targets?: number[];
  };
  finetune?: { data: string; k: number; epochs: number; batchSize: number; learningRate: number };
  /** Score keys, in order (see scoreKeys), and images (scenes) per test set. */
  scores: string[];
  evalN: number;
}

export interface RunResult {
  key: string;
  spec: RunSpec;
  steps: number;
  flopsPerStep: number;
  /** First step at which the source validation accuracy reached each of spec.train.targets; null where never. */
  stepsToTargets: (number | null)[];
  /** Source validation accuracy every evalEvery steps (digits), or per epoch. */
  curve: CurvePoint[];
  trainSeconds: number;
  evalSeconds: number;
  history: EpochRecord[];
  /** Score key → value (accuracy, or mIoU / pixel accuracy for street), as fractions. */
  scores: Record<string, number>;
  finetune?: { steps: number; trainSeconds: number };
  /** Checkpoint folder of the model before fine-tuning (digits). */
  checkpoint?: string;
}

export interface OodOptions {
  budget: OodBudget;
  seeds: readonly number[];
  groups?: readonly Group[];
  /** Which arms to run (default ARMS); every group runs those of armsOf. */
  arms?: readonly string[];
  /** Folder of finished runs (one JSON file per run): runs found there are not trained again. */
  cacheDir?: string;
  /** Where the digits checkpoints go (one folder per arm and seed); none saved without it. */
  modelDir?: string;
  /** Replace the preprocessing of an arm name (tests: e.g. a filter that changes nothing). */
  preprocess?: Readonly<Record<string, Preprocess>>;
  /** Train only the runs with plan index ≡ index (mod count), so that `count` processes share the plan; the others are read from the cache if there. */
  shard?: { index: number; count: number };
  /** false: train nothing, report the cached runs only (default true). */
  train?: boolean;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Called after every finished (or cached) run with all results so far, e.g. to write partial reports. */
  onRun?: (result: RunResult, all: readonly RunResult[]) => void | Promise<void>;
}

export interface OodResults {
  budget: OodBudget;
  seeds: number[];
  groups: Group[];
  /** The arms run (names), in order. */
  arms: string[];
  runs: RunResult[];
  /** Forward FLOPs per image of the digit and street ViTs. */
  forwardFlops: { digits: number; street: number };
  /** Measured preprocessing time, ms per image (28×28 grey digits and street scenes), per arm, on this machine, at the end of the run. */
  filterMsPerImage: Record<string, { digits: number; street: number }>;
}

export function runKey(group: Group, arm: Arm, seed: number): string {
  return `${group}/${arm}/seed${seed}`;
}

/** The score keys of a group under a budget. */
export function scoreKeys(group: Group, budget: OodBudget): string[] {
  switch (group) {
    case 'digits':
      return ['mnist', 'fonts', 'mnist-m', ...budget.corruptions.flatMap((c) => budget.severities.map((s) => `mnist-c:${c}:${s}`)), 'fonts@k'];
    case 'fonts':
      return ['fonts', 'mnist', 'mnist@k'];
    case 'street':
      return ['day:miou', 'night:miou', 'day:pixel', 'night:pixel'];
  }
}

const DIGIT_SHAPE = { height: 28, width: 28, channels: 1 } as const;

/** The run spec of a group, arm and seed; specs of one seed are identical but for `arm`. */
export function planRun(group: Group, arm: Arm, seed: number, budget: OodBudget): RunSpec {
  const common = { group, arm, seed, scores: scoreKeys(group, budget), evalN: group === 'street' ? budget.street.evalN : budget.evalN };
  const ft = budget.finetune;
  switch (group) {
    case 'digits': {
      const d = budget.digits;
      return {
        ...common,
        vit: configFor({ ...DIGIT_SHAPE, numClasses: 10, task: 'classify' }, { ...budget.vit, seed }),
        train: { data: 'mnist:train', n: d.trainN, val: 'mnist:train (held out)', valN: d.valN, epochs: d.epochs, batchSize: d.batchSize, learningRate: d.learningRate, warmupFraction: d.warmupFraction, evalEvery: d.evalEvery, targets: [...d.targets] },
        finetune: { data: `fonts:seed${DATA_SEEDS.fontsPool}`, k: ft.k, epochs: ft.epochs, batchSize: ft.batchSize, learningRate: ft.learningRate },
      };
    }
    case 'fonts': {
      const f = budget.fonts;
      return {
        ...common,
        vit: configFor({ ...DIGIT_SHAPE, numClasses: 10, task: 'classify' }, { ...budget.vit, seed }),
        train: { data: `fonts:seed${DATA_SEEDS.fontsTrain}`, n: f.trainN, val: `fonts:seed${DATA_SEEDS.fontsVal}`, valN: f.valN, epochs: f.epochs, batchSize: f.batchSize, learningRate: f.learningRate, warmupFraction: f.warmupFraction },
        finetune: { data: 'mnist:train (unused by the digits group)', k: ft.k, epochs: ft.epochs, batchSize: ft.batchSize, learningRate: ft.learningRate },
      };
    }
    case 'street': {
      const s = budget.street;
      return {
        ...common,
        vit: configFor({ height: s.size, width: s.size, channels: 3, numClasses: 8, task: 'segment' }, { ...budget.street.vit, seed }),
        train: { data: `street:day:seed${DATA_SEEDS.streetTrain}`, n: s.trainN, val: `street:day:seed${DATA_SEEDS.streetVal}`, valN: s.valN, epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate, warmupFraction: s.warmupFraction },
      };
    }
  }
}

/** Every run of an experiment, in training order: group by group, seed by seed, arm by arm. */
export function planRuns(groups: readonly Group[], seeds: readonly number[], budget: OodBudget, arms: readonly string[] = ARMS): RunSpec[] {
  return groups.flatMap((g) => seeds.flatMap((seed) => armsOf(g, arms).map((arm) => planRun(g, arm, seed, budget))));
}

/** The images of every set the runs of a budget use; each is built once per process on first use. */
class Datasets {
  private readonly memo = new Map<string, ImageDataset>();
  constructor(private readonly budget: OodBudget) {}

  get(name: string, make: () => ImageDataset): ImageDataset {
    let ds = this.memo.get(name);
    if (!ds) {
      ds = make();
      this.memo.set(name, ds);
    }
    return ds;
  }

  private poolN(): number {
    return Math.max(100, 40 * this.budget.finetune.k);
  }

  /** MNIST train: [0, trainN) training, [trainN, trainN + valN) validation, then the k-shot pool of the fonts group. */
  private mnistTrain(): ImageDataset {
    const d = this.budget.digits;
    return this.get('mnist:train', () => loadMnist({ split: 'train', limit: d.trainN + d.valN + this.poolN() }));
  }
  digitsTrain(): ImageDataset {
    return this.get('digits:train', () => sliceDataset(this.mnistTrain(), 0, this.budget.digits.trainN));
  }
  digitsVal(): ImageDataset {
    const d = this.budget.digits;
    return this.get('digits:val', () => sliceDataset(this.mnistTrain(), d.trainN, d.valN));
  }
  mnistPool(): ImageDataset {
    const d = this.budget.digits;
    return this.get('mnist:pool', () => sliceDataset(this.mnistTrain(), d.trainN + d.valN, this.poolN()));
  }
  mnistTest(): ImageDataset {
    return this.get('mnist:test', () => loadMnist({ split: 'test', limit: this.budget.evalN }));
  }
  fontsTest(): ImageDataset {
    return this.get('fonts:test', () => renderFontDigits({ n: this.budget.evalN, seed: DATA_SEEDS.fontsTest }));
  }
  fontsTrain(): ImageDataset {
    return this.get('fonts:train', () => renderFontDigits({ n: this.budget.fonts.trainN, seed: DATA_SEEDS.fontsTrain }));
  }
  fontsVal(): ImageDataset {
    return this.get('fonts:val', () => renderFontDigits({ n: this.budget.fonts.valN, seed: DATA_SEEDS.fontsVal }));
  }
  fontsPool(): ImageDataset {
    return this.get('fonts:pool', () => renderFontDigits({ n: this.poolN(), seed: DATA_SEEDS.fontsPool }));
  }
  /** MNIST-M (colour) as the grey model sees it: luma of |texture − digit|. */
  mnistM(): ImageDataset {
    return this.get('mnist-m', () => toInputShape(toMnistM(this.mnistTest(), DATA_SEEDS.shift), DIGIT_SHAPE));
  }
  corrupted(name: string, severity: number): ImageDataset {
    return this.get(`mnist-c:${name}:${severity}`, () => corrupt(this.mnistTest(), name, { severity, seed: DATA_SEEDS.shift }));
  }
  street(which: 'train' | 'val' | 'day' | 'night'): ImageDataset {
    const s = this.budget.street;
    const size = { height: s.size, width: s.size };
    return this.get(`street:${which}`, () => {
      if (which === 'train') return renderStreetScenes({ n: s.trainN, seed: DATA_SEEDS.streetTrain, time: 'day', ...size });
      if (which === 'val') return renderStreetScenes({ n: s.valN, seed: DATA_SEEDS.streetVal, time: 'day', ...size });
      return renderStreetScenes({ n: s.evalN, seed: DATA_SEEDS.streetTest, time: which, ...size });
    });
  }
  /** The test set of a digit score key ('mnist', 'fonts', 'mnist-m', 'mnist-c:<name>:<severity>'). */
  digitTest(key: string): ImageDataset {
    if (key === 'mnist') return this.mnistTest();
    if (key === 'fonts') return this.fontsTest();
    if (key === 'mnist-m') return this.mnistM();
    const [, name, sev] = key.split(':');
    if (key.startsWith('mnist-c:') && name !== undefined && sev !== undefined) return this.corrupted(name, Number(sev));
    throw new Error(`no digit test set for score '${key}'`);
  }
}

/** k images per class from `pool`, chosen by a seeded shuffle (the same picks for both arms of a seed). */
export function pickKShot(pool: ImageDataset, k: number, seed: number): ImageDataset {
  const rng = new Random(Random.derive(seed, 'k-shot'));
  const idx = Array.from({ length: pool.n }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const taken = new Array<number>(pool.numClasses).fill(0);
  const chosen: number[] = [];
  for (const i of idx) {
    const c = pool.labels[i]!;
    if (taken[c]! < k) {
      taken[c]!++;
      chosen.push(i);
    }
  }
  const short = taken.findIndex((t) => t < k);
  if (short >= 0) throw new Error(`k-shot: the pool '${pool.source}' has only ${taken[short]} images of class ${short}, need ${k}`);
  return { ...pickDataset(pool, chosen), source: `${pool.source} (${k} per class, seed ${seed})` };
}

/**
 * A preprocessing function that remembers its output per input array: each fixed dataset is
 * filtered once per process and reused by every seed (the filter is deterministic, so this changes
 * no result, only time).
 */
export function memoisePreprocess(fn: Preprocess): Preprocess {
  if (fn === identity) return identity;
  const cache = new WeakMap<Float32Array, Float32Array>();
  return (images, shape) => {
    let out = cache.get(images);
    if (!out) {
      out = fn(images, shape);
      cache.set(images, out);
    }
    return out;
  };
}

/** One cached run: the fingerprint of its arm's preprocessing when it was made, and the result. */
interface CacheEntry {
  fingerprint: string;
  run: RunResult;
}

function cachePath(dir: string, key: string): string {
  return join(dir, `${key.replaceAll('/', '-')}.json`);
}

function readCached(dir: string | undefined, key: string, fingerprint: string, log: (s: string) => void): RunResult | undefined {
  if (!dir) return undefined;
  const file = cachePath(dir, key);
  if (!existsSync(file)) return undefined;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheEntry>;
    if (c.fingerprint !== fingerprint) {
      log(`${key}: cached run was made with another '${key.split('/')[1]}' preprocessing; training again`);
      return undefined;
    }
    return c.run;
  } catch (e) {
    log(`${key}: cache file ${file} is unreadable (${e instanceof Error ? e.message : String(e)}); training again`);
    return undefined;
  }
}

function writeCached(dir: string, key: string, fingerprint: string, run: RunResult): void {
  mkdirSync(dir, { recursive: true });
  const file = cachePath(dir, key);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ fingerprint, run } satisfies CacheEntry));
  renameSync(tmp, file);
}

/** Deep equality of JSON data (a cached run counts only if its whole spec is the planned one). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Runs (or reads from the cache) every run of the requested groups, seeds and arms. */
export async function runOod(opts: OodOptions): Promise<OodResults> {
  const log = opts.log ?? ((): void => {});
  const budget = opts.budget;
  const groups = [...(opts.groups ?? GROUPS)];
  const seeds = [...opts.seeds];
  const armNames = [...(opts.arms ?? ARMS)];
  if (seeds.length === 0) throw new Error('runOod: give at least one seed');
  for (const g of groups) if (!GROUPS.includes(g)) throw new Error(`unknown task group '${g}'; known: ${GROUPS.join(', ')}`);
  if (new Set(armNames).size !== armNames.length) throw new Error(`runOod: arms repeat: ${armNames.join(', ')}`);
  const shard = opts.shard ?? { index: 0, count: 1 };
  if (!(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new Error(`runOod: shard must be index/count with 0 ≤ index < count, got ${shard.index}/${shard.count}`);
  }
  await initBackend();

  const pre = new Map<string, Preprocess>();
  for (const a of armNames) pre.set(a, memoisePreprocess(opts.preprocess?.[a] ?? preprocessFor(a)));
  const data = new Datasets(budget);
  const fingerprints = new Map(armNames.map((a) => [a, armFingerprint(a, pre.get(a)!, data)]));
  const results: RunResult[] = [];

  const plan = planRuns(groups, seeds, budget, armNames);
  for (const [i, spec] of plan.entries()) {
    const key = runKey(spec.group, spec.arm, spec.seed);
    const fingerprint = fingerprints.get(spec.arm)!;
    const stored = readCached(opts.cacheDir, key, fingerprint, log);
    const hit = stored && sameJson(stored.spec, spec) ? stored : undefined;
    if (stored && !hit) log(`${key}: cached run has another budget; training again`);
    const checkpointMissing = hit?.checkpoint !== undefined && opts.modelDir !== undefined && !existsSync(join(hit.checkpoint, 'model.json'));
    let result: RunResult;
    if (hit && !checkpointMissing) {
      log(`${key}: cached`);
      result = hit;
    } else if (i % shard.count !== shard.index || opts.train === false) {
      continue; // another process of the shard trains it, or reporting only
    } else {
      const t0 = performance.now();
      log(`${key}: training (${spec.train.n} × ${spec.train.epochs} epochs of ${spec.train.data})`);
      result = await runOne(spec, key, pre.get(spec.arm)!, data, opts.modelDir, log);
      log(`${key}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s — ${summarise(result)}`);
      if (opts.cacheDir) writeCached(opts.cacheDir, key, fingerprint, result);
    }
    results.push(result);
    await opts.onRun?.(result, results);
  }

  const digitsConfig = configFor({ ...DIGIT_SHAPE, numClasses: 10, task: 'classify' }, { ...budget.vit, seed: 1 });
  const s = budget.street;
  const streetConfig = configFor({ height: s.size, width: s.size, channels: 3, numClasses: 8, task: 'segment' }, { ...s.vit, seed: 1 });
  const filterMsPerImage: Record<string, { digits: number; street: number }> = {};
  for (const a of armNames) {
    const raw = opts.preprocess?.[a] ?? preprocessFor(a);
    filterMsPerImage[a] = { digits: timeFilter(raw, data.mnistTest()), street: groups.includes('street') ? timeFilter(raw, data.street('day')) : NaN };
  }
  return { budget, seeds, groups, arms: armNames, runs: results, forwardFlops: { digits: forwardFlops(digitsConfig), street: forwardFlops(streetConfig) }, filterMsPerImage };
}

/**
 * What the cached runs of an arm depend on in its preprocessing: the name, the rate-fit parameters
 * behind the 'swta…' arms, and a hash of its output on the first 16 MNIST test digits and on a
 * fixed colour probe, so a changed artifact or a changed implementation invalidates that arm's runs.
 */
function armFingerprint(name: string, fn: Preprocess, data: Datasets): string {
  const probe = sliceDataset(data.mnistTest(), 0, 16);
  const colour = { n: 1, height: 8, width: 8, channels: 3 };
  const colourImages = Float32Array.from({ length: 192 }, (_, i) => ((i * 37) % 101) / 100);
  const hash = createHash('sha256');
  for (const out of [fn(probe.images, probe), fn(colourImages, colour)]) hash.update(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
  return JSON.stringify({ name, params: name.startsWith('swta') ? loadRateFit().params : null, output: hash.digest('hex').slice(0, 16) });
}

function timeFilter(fn: Preprocess, ds: ImageDataset): number {
  const n = Math.min(ds.n, 200);
  const part = sliceDataset(ds, 0, n);
  const t0 = performance.now();
  fn(part.images, part);
  return (performance.now() - t0) / n;
}

function summarise(r: RunResult): string {
  const first = r.spec.scores.slice(0, 3).map((k) => `${k} ${(100 * r.scores[k]!).toFixed(1)}%`);
  const reached = (r.spec.train.targets ?? []).map((t, i) => `${(100 * t).toFixed(0)}% at ${r.stepsToTargets[i] ?? 'never'}`);
  return `${first.join(', ')}${reached.length ? `; steps to ${reached.join(', ')}` : ''}`;
}

async function runOne(spec: RunSpec, key: string, pre: Preprocess, data: Datasets, modelDir: string | undefined, log: (s: string) => void): Promise<RunResult> {
  const [train, val] =
    spec.group === 'digits' ? [data.digitsTrain(), data.digitsVal()] : spec.group === 'fonts' ? [data.fontsTrain(), data.fontsVal()] : [data.street('train'), data.street('val')];
  const model = new VisionTransformer(spec.vit);
  try {
    const t = spec.train;
    const res = await trainVit(model, train, {
      epochs: t.epochs,
      batchSize: t.batchSize,
      learningRate: t.learningRate,
      warmupFraction: t.warmupFraction,
      seed: spec.seed,
      preprocess: pre,
      val,
      ...(t.evalEvery === undefined ? {} : { evalEvery: t.evalEvery }),
      ...(t.targets === undefined ? {} : { targets: t.targets }),
      onEpoch: (e) => log(`  ${key} epoch ${e.epoch}: loss ${e.loss.toFixed(3)}, val ${e.valMiou !== undefined ? `mIoU ${(100 * e.valMiou).toFixed(1)}%` : `${(100 * (e.valAccuracy ?? NaN)).toFixed(1)}%`}, ${(e.elapsedMs / 1000).toFixed(0)} s`),
    });
    const scores: Record<string, number> = {};
    const result: RunResult = {
      key,
      spec,
      steps: res.steps,
      flopsPerStep: res.flopsPerStep,
      stepsToTargets: res.stepsToTargets,
      curve: res.curve,
      trainSeconds: res.trainMs / 1000,
      evalSeconds: res.evalMs / 1000,
      history: res.history,
      scores,
    };

    if (spec.group === 'street') {
      for (const time of ['day', 'night'] as const) {
        const s = await evaluate(model, data.street(time), { preprocess: pre, batchSize: 32 });
        scores[`${time}:miou`] = s.miou ?? NaN;
        scores[`${time}:pixel`] = s.accuracy;
      }
      return result;
    }

    const zeroShot = spec.scores.filter((k) => !k.endsWith('@k'));
    for (const k of zeroShot) {
      const test = spec.group === 'fonts' && k === 'fonts' ? data.fontsTest() : data.digitTest(k);
      scores[k] = (await evaluate(model, test, { preprocess: pre })).accuracy;
    }
    if (spec.group === 'digits' && modelDir !== undefined) {
      const dir = join(modelDir, `digits-${spec.arm}-seed${spec.seed}`);
      await saveCheckpoint(model, dir, {
        preprocess: spec.arm,
        classNames: train.classNames ?? [],
        training: {
          data: `${spec.train.data} (first ${spec.train.n})`,
          n: spec.train.n,
          epochs: spec.train.epochs,
          batchSize: spec.train.batchSize,
          learningRate: spec.train.learningRate,
          seed: spec.seed,
          steps: res.steps,
          trainSeconds: res.trainMs / 1000,
          history: res.history,
          madeBy: 'swta vision ood',
          mnistTestAccuracy: scores['mnist'] ?? null,
          mnistTestImages: data.mnistTest().n,
        },
      });
      result.checkpoint = dir;
    }

    // Fine-tuning on k labelled target samples per class (continues from the source model).
    const ft = spec.finetune;
    if (ft) {
      const pool = spec.group === 'digits' ? data.fontsPool() : data.mnistPool();
      const shots = pickKShot(pool, ft.k, spec.seed);
      const r = await trainVit(model, shots, { epochs: ft.epochs, batchSize: ft.batchSize, learningRate: ft.learningRate, seed: spec.seed, preprocess: pre });
      const target = spec.group === 'digits' ? data.fontsTest() : data.mnistTest();
      scores[spec.group === 'digits' ? 'fonts@k' : 'mnist@k'] = (await evaluate(model, target, { preprocess: pre })).accuracy;
      result.finetune = { steps: r.steps, trainSeconds: r.trainMs / 1000 };
    }
    return result;
  } finally {
    model.dispose();
  }
}
