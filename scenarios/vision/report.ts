/**
 * docs/results/vision.json and vision.md from the runs of `runOod`: one task entry per
 * (score, group) with every arm's per-seed values and mean ± sd, the ranking of the arms, and the
 * paired difference (95 % t-interval over seeds) of the sWTA filter against the best control and
 * against the baseline; the compute task (accuracy-vs-steps curves, steps and FLOPs to each target
 * validation accuracy); a verdict per claim; and the shipped weights.
 */
import type { CORRUPTION_NAMES } from '../../src/vision/data/corruptions.ts';
import { meanCi, type MeanCi } from '../../src/stats.ts';
import type { InvarianceTable } from './invariance.ts';
import { SWTA_ARMS, type Group, type OodResults, type RunResult } from './ood.ts';
import { meanSd, type MeanSd } from './stats.ts';

export type Table = 'zero-shot' | 'cross-domain' | 'night' | 'source';
/** The claims of docs/reference/swta-and-truenorth.md §7 the page answers one by one. */
export type Claim = 'zero-shot' | 'cross-domain' | 'night' | 'compute';

export interface TaskDef {
  task: string;
  metric: 'accuracy' | 'mIoU' | 'pixel accuracy';
  group: Group;
  score: string;
  table: Table;
}

export interface ArmScore extends MeanSd {
  /** Seed → value, for the seeds this arm finished. */
  perSeed: Record<string, number>;
}

/**
 * A paired comparison over the seeds both arms finished: the mean difference with its 95 %
 * t-interval. 'better' / 'worse' when the interval excludes 0, 'unresolved' otherwise (or with
 * fewer than 2 seeds).
 */
export interface Paired {
  arm: string;
  against: string;
  seeds: number[];
  delta: MeanCi;
  verdict: PairedVerdict;
}
export type PairedVerdict = 'better' | 'worse' | 'unresolved';

export interface TaskResult extends TaskDef {
  /** Arm → score over its finished seeds. */
  arms: Record<string, ArmScore>;
  /** Arms by mean score, best first. */
  ranking: string[];
  /** The sWTA arm the claims are tested with in this group ('swta' = luminance on colour images). */
  swtaArm: string | null;
  /** The control (any arm that is not an sWTA filter, the baseline included) with the highest mean. */
  bestControl: string | null;
  vsBestControl: Paired | null;
  vsBaseline: Paired | null;
}

export interface TargetCompute {
  target: number;
  /** Seeds that reached the target, of those run. */
  reached: number;
  runs: number;
  steps: MeanSd;
  flops: MeanSd;
  /** Per seed, in the order of `seeds`; null = never within the budget. */
  perSeed: (number | null)[];
}

export interface ArmCompute {
  arm: string;
  seeds: number[];
  targets: TargetCompute[];
  /** Mean ± sd over seeds of the validation accuracy at each scored step. */
  curve: { step: number; mean: number; sd: number; n: number }[];
  finalValAccuracy: MeanSd;
  trainMsPerStep: MeanSd;
  /** Measured preprocessing time per 28×28 image on this machine, ms. */
  preprocessMsPerImage: number;
}

export interface ComputeResult {
  valImages: number;
  evalEvery: number;
  batchSize: number;
  totalSteps: number;
  forwardFlopsPerImage: number;
  flopsPerStep: number;
  /** Upper-bound count of the sWTA filter's simple operations per 28×28 image (see filterOpsPerImage). */
  filterOpsPerImage: number;
  targets: number[];
  arms: ArmCompute[];
  /** sWTA minus the best control (fewest mean steps to the highest target), steps, over the seeds both reached it. */
  vsBestControl: (Paired & { target: number }) | null;
}

export interface ClaimVerdict {
  claim: Claim;
  /** Tasks of the claim, and how many the sWTA filter wins / loses against the best control (95 % CI excludes 0). */
  tasks: number;
  better: string[];
  worse: string[];
  /** One plain sentence. */
  text: string;
}

export interface WeightInfo {
  path: string;
  filter: string;
  seed: number;
  bytes: number;
  /** Accuracy on the full MNIST test set (10 000 images). */
  mnistTestAccuracy: number;
  n: number;
}

export interface VisionReport {
  tasks: TaskResult[];
  compute: ComputeResult | null;
  claims: ClaimVerdict[];
  weights: WeightInfo[];
  /** Training-free diagnostic: clean-vs-shifted relative distance without and with filter variants (invariance.ts). */
  invariance?: InvarianceTable;
  config: {
    budget: OodResults['budget'];
    seeds: number[];
    groups: string[];
    arms: string[];
    /** Which arms finished which seeds, per group. */
    finished: Record<string, Record<string, number[]>>;
    /** Per group: mean wall-clock minutes of one run (training + validation scoring, not testing), and the runs still missing. */
    cost: Record<string, { minutesPerRun: number; missing: number }>;
    /** Training time summed over all runs (including fine-tuning; not evaluation), seconds. */
    trainSeconds: number;
    runs: number;
    generatedBy: string;
  };
}

const CORRUPTION_LABEL: Record<(typeof CORRUPTION_NAMES)[number], string> = {
  gaussian_noise: 'Gaussian noise',
  shot_noise: 'shot noise',
  impulse_noise: 'impulse noise',
  blur: 'blur',
  motion_blur: 'motion blur',
  contrast: 'low contrast',
  fog: 'fog',
  dark: 'dark',
  bright: 'bright',
  rotate: 'rotate',
  shear: 'shear',
  scale: 'scale',
  translate: 'translate',
  stripe: 'stripe',
};

/** Every task of the budget, in report order. */
export function taskDefs(results: Pick<OodResults, 'budget' | 'groups'>): TaskDef[] {
  const b = results.budget;
  const k = b.finetune.k;
  const defs: TaskDef[] = [];
  const has = (g: Group): boolean => results.groups.includes(g);
  if (has('digits')) {
    defs.push({ task: 'source: MNIST → MNIST test', metric: 'accuracy', group: 'digits', score: 'mnist', table: 'source' });
    defs.push({ task: 'zero-shot: MNIST → fonts', metric: 'accuracy', group: 'digits', score: 'fonts', table: 'zero-shot' });
    defs.push({ task: 'zero-shot: MNIST → MNIST-M', metric: 'accuracy', group: 'digits', score: 'mnist-m', table: 'zero-shot' });
    for (const c of b.corruptions) {
      for (const s of b.severities) {
        const label = (CORRUPTION_LABEL as Record<string, string>)[c] ?? c;
        defs.push({ task: `zero-shot: MNIST → MNIST-C ${label} (severity ${s})`, metric: 'accuracy', group: 'digits', score: `mnist-c:${c}:${s}`, table: 'zero-shot' });
      }
    }
    defs.push({ task: `cross-domain: MNIST → fonts, k = ${k} per class`, metric: 'accuracy', group: 'digits', score: 'fonts@k', table: 'cross-domain' });
  }
  if (has('fonts')) {
    defs.push({ task: 'source: fonts → fonts test', metric: 'accuracy', group: 'fonts', score: 'fonts', table: 'source' });
    defs.push({ task: 'cross-domain: fonts → MNIST, zero-shot', metric: 'accuracy', group: 'fonts', score: 'mnist', table: 'cross-domain' });
    defs.push({ task: `cross-domain: fonts → MNIST, k = ${k} per class`, metric: 'accuracy', group: 'fonts', score: 'mnist@k', table: 'cross-domain' });
  }
  if (has('street')) {
    defs.push({ task: 'night segmentation: day → night scenes (unseen layouts)', metric: 'mIoU', group: 'street', score: 'night:miou', table: 'night' });
    defs.push({ task: 'night segmentation: day → day scenes (unseen layouts)', metric: 'mIoU', group: 'street', score: 'day:miou', table: 'night' });
    defs.push({ task: 'night segmentation: day → night scenes, pixel accuracy', metric: 'pixel accuracy', group: 'street', score: 'night:pixel', table: 'night' });
    defs.push({ task: 'night segmentation: day → day scenes, pixel accuracy', metric: 'pixel accuracy', group: 'street', score: 'day:pixel', table: 'night' });
  }
  return defs;
}

function runsOf(runs: readonly RunResult[], group: Group, arm: string): RunResult[] {
  return runs.filter((r) => r.spec.group === group && r.spec.arm === arm);
}

/** The arms of a group that finished at least one seed, in the order of `arms`. */
function armsRun(results: OodResults, group: Group): string[] {
  return results.arms.filter((a) => runsOf(results.runs, group, a).length > 0);
}

/** The sWTA arm the claims of a group are tested with: 'swta' (luminance on colour, plain on grey) if run. */
export function claimArm(arms: readonly string[]): string | null {
  return SWTA_ARMS.find((a) => arms.includes(a)) ?? null;
}

/** Paired difference a − b over the seeds both have; verdict by whether the 95 % interval excludes 0. */
export function paired(a: ArmScore, b: ArmScore, armA: string, armB: string, higherIsBetter = true): Paired {
  const seeds = Object.keys(a.perSeed).filter((s) => s in b.perSeed).map(Number).sort((x, y) => x - y);
  const delta = meanCi(seeds.map((s) => a.perSeed[s]! - b.perSeed[s]!));
  const sign = higherIsBetter ? 1 : -1;
  const verdict: PairedVerdict = !(seeds.length >= 2) || !Number.isFinite(delta.low) ? 'unresolved' : sign * delta.low > 0 && sign * delta.high > 0 ? 'better' : sign * delta.low < 0 && sign * delta.high < 0 ? 'worse' : 'unresolved';
  return { arm: armA, against: armB, seeds, delta, verdict };
}

export function taskResults(results: OodResults): TaskResult[] {
  const out: TaskResult[] = [];
  for (const d of taskDefs(results)) {
    const arms: Record<string, ArmScore> = {};
    for (const a of armsRun(results, d.group)) {
      const perSeed: Record<string, number> = {};
      for (const r of runsOf(results.runs, d.group, a)) perSeed[r.spec.seed] = r.scores[d.score] ?? NaN;
      arms[a] = { ...meanSd(Object.values(perSeed)), perSeed };
    }
    const names = Object.keys(arms);
    if (names.length === 0) continue;
    const ranking = [...names].sort((x, y) => arms[y]!.mean - arms[x]!.mean);
    const swtaArm = claimArm(names);
    const controls = ranking.filter((a) => !SWTA_ARMS.includes(a));
    const bestControl = controls[0] ?? null;
    out.push({
      ...d,
      arms,
      ranking,
      swtaArm,
      bestControl,
      vsBestControl: swtaArm && bestControl ? paired(arms[swtaArm]!, arms[bestControl]!, swtaArm, bestControl) : null,
      vsBaseline: swtaArm && arms['none'] ? paired(arms[swtaArm]!, arms['none'], swtaArm, 'none') : null,
    });
  }
  return out;
}

/**
 * Upper bound on the simple operations (compare, multiply-add) of the 3×3 sWTA filter per image:
 * per pixel, w² drive computations (2 ops), an insertion sort of w² values (≤ w²(w² − 1)/2
 * compares) and ≤ w² steps of the closed-form active set (≈ 6 ops), then the output (4 ops).
 */
export function filterOpsPerImage(height: number, width: number, channels: number, windowPx = 3): number {
  const w2 = windowPx * windowPx;
  return height * width * channels * (2 * w2 + (w2 * (w2 - 1)) / 2 + 6 * w2 + 4);
}

export function computeResult(results: OodResults): ComputeResult | null {
  if (!results.groups.includes('digits')) return null;
  const arms = armsRun(results, 'digits');
  if (arms.length === 0) return null;
  const d = results.budget.digits;
  const targets = [...d.targets];
  const perArm = arms.map((a): ArmCompute => {
    const runs = runsOf(results.runs, 'digits', a).sort((x, y) => x.spec.seed - y.spec.seed);
    const steps = new Map<number, number[]>();
    for (const r of runs) for (const p of r.curve) steps.set(p.step, [...(steps.get(p.step) ?? []), p.valAccuracy]);
    return {
      arm: a,
      seeds: runs.map((r) => r.spec.seed),
      targets: targets.map((t, i) => {
        const per = runs.map((r) => r.stepsToTargets[i] ?? null);
        const reached = runs.filter((r) => r.stepsToTargets[i] !== null && r.stepsToTargets[i] !== undefined);
        return {
          target: t,
          reached: reached.length,
          runs: runs.length,
          steps: meanSd(reached.map((r) => r.stepsToTargets[i]!)),
          flops: meanSd(reached.map((r) => r.stepsToTargets[i]! * r.flopsPerStep)),
          perSeed: per,
        };
      }),
      curve: [...steps].sort((x, y) => x[0] - y[0]).map(([step, v]) => ({ step, ...meanSd(v), n: v.length })),
      finalValAccuracy: meanSd(runs.map((r) => r.curve.at(-1)?.valAccuracy ?? r.history.at(-1)?.valAccuracy ?? NaN)),
      trainMsPerStep: meanSd(runs.map((r) => (1000 * r.trainSeconds) / r.steps)),
      preprocessMsPerImage: results.filterMsPerImage[a]?.digits ?? NaN,
    };
  });
  const first = runsOf(results.runs, 'digits', arms[0]!)[0]!;
  const swta = claimArm(arms);
  let vsBestControl: ComputeResult['vsBestControl'] = null;
  if (swta) {
    // The highest target that the sWTA arm and at least one control reached in ≥ 2 seeds.
    for (let i = targets.length - 1; i >= 0 && !vsBestControl; i--) {
      const stepsOf = (a: string): ArmScore => {
        const perSeed: Record<string, number> = {};
        for (const r of runsOf(results.runs, 'digits', a)) if (r.stepsToTargets[i] != null) perSeed[r.spec.seed] = r.stepsToTargets[i]!;
        return { ...meanSd(Object.values(perSeed)), perSeed };
      };
      const s = stepsOf(swta);
      if (Object.keys(s.perSeed).length < 2) continue;
      const controls = arms.filter((a) => !SWTA_ARMS.includes(a)).map((a) => [a, stepsOf(a)] as const).filter(([, v]) => Object.keys(v.perSeed).length >= 2);
      controls.sort((x, y) => x[1].mean - y[1].mean);
      const best = controls[0];
      if (best) vsBestControl = { ...paired(s, best[1], swta, best[0], false), target: targets[i]! };
    }
  }
  return {
    valImages: d.valN,
    evalEvery: d.evalEvery,
    batchSize: d.batchSize,
    totalSteps: first.steps,
    forwardFlopsPerImage: results.forwardFlops.digits,
    flopsPerStep: first.flopsPerStep,
    filterOpsPerImage: filterOpsPerImage(28, 28, 1),
    targets,
    arms: perArm,
    vsBestControl,
  };
}

/** A step count with a real minus sign. */
const stepsText = (v: number): string => `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(0)}`;

const CLAIM_TABLES: Record<Exclude<Claim, 'compute'>, (t: TaskResult) => boolean> = {
  'zero-shot': (t) => t.table === 'zero-shot',
  'cross-domain': (t) => t.table === 'cross-domain' || (t.group === 'digits' && t.score === 'fonts'),
  night: (t) => t.score === 'night:miou' || t.score === 'night:pixel',
};

const CLAIM_LABEL: Record<Claim, string> = {
  'zero-shot': 'Zero-shot digits',
  'cross-domain': 'Cross-domain digits',
  night: 'Nighttime segmentation',
  compute: 'Training compute',
};

/** Per claim: does the sWTA filter beat the best control beyond the seed spread (95 % CI of the paired difference excludes 0)? */
export function claimVerdicts(tasks: readonly TaskResult[], compute: ComputeResult | null): ClaimVerdict[] {
  const out: ClaimVerdict[] = [];
  for (const claim of ['zero-shot', 'cross-domain', 'night'] as const) {
    const ts = tasks.filter(CLAIM_TABLES[claim]).filter((t) => t.vsBestControl);
    if (ts.length === 0) {
      out.push({ claim, tasks: 0, better: [], worse: [], text: `${CLAIM_LABEL[claim]}: not tested — no sWTA and control runs of its task group have finished.` });
      continue;
    }
    const better = ts.filter((t) => t.vsBestControl!.verdict === 'better').map((t) => t.task);
    const worse = ts.filter((t) => t.vsBestControl!.verdict === 'worse').map((t) => t.task);
    const seeds = Math.min(...ts.map((t) => t.vsBestControl!.seeds.length));
    const text =
      seeds < 2
        ? `${CLAIM_LABEL[claim]}: not decided — fewer than 2 paired seeds.`
        : better.length > 0 && worse.length === 0
          ? `${CLAIM_LABEL[claim]}: the sWTA filter beats the best control beyond the spread on ${better.length} of ${ts.length} scores and loses on none.`
          : better.length === 0
            ? `${CLAIM_LABEL[claim]}: the sWTA filter does not beat the best control beyond the spread on any of ${ts.length} scores${worse.length ? ` (it loses on ${worse.length})` : ''}.`
            : `${CLAIM_LABEL[claim]}: mixed — the sWTA filter beats the best control beyond the spread on ${better.length} of ${ts.length} scores and loses on ${worse.length}.`;
    out.push({ claim, tasks: ts.length, better, worse, text });
  }
  if (compute) {
    const v = compute.vsBestControl;
    const text = !v
      ? `${CLAIM_LABEL.compute}: not decided — no target accuracy was reached by the sWTA filter and a control in ≥ 2 seeds.`
      : v.verdict === 'better'
        ? `${CLAIM_LABEL.compute}: the sWTA filter reaches ${(100 * v.target).toFixed(0)} % validation accuracy in fewer steps than the fastest control (${v.against}) beyond the spread (Δ ${stepsText(v.delta.mean)} steps, 95 % CI ${stepsText(v.delta.low)} to ${stepsText(v.delta.high)}).`
        : v.verdict === 'worse'
          ? `${CLAIM_LABEL.compute}: the sWTA filter needs more steps than the fastest control (${v.against}) to reach ${(100 * v.target).toFixed(0)} % validation accuracy, beyond the spread (Δ +${stepsText(v.delta.mean)} steps, 95 % CI ${stepsText(v.delta.low)} to ${stepsText(v.delta.high)}): no compute saving.`
          : `${CLAIM_LABEL.compute}: the sWTA filter does not save steps to ${(100 * v.target).toFixed(0)} % validation accuracy beyond the spread against the fastest control (${v.against}; Δ ${v.delta.mean >= 0 ? '+' : ''}${stepsText(v.delta.mean)} steps, 95 % CI ${stepsText(v.delta.low)} to ${stepsText(v.delta.high)}).`;
    out.push({ claim: 'compute', tasks: 1, better: v?.verdict === 'better' ? ['steps'] : [], worse: v?.verdict === 'worse' ? ['steps'] : [], text });
  }
  return out;
}

export function buildReport(results: OodResults, weights: readonly WeightInfo[] = [], invariance?: InvarianceTable): VisionReport {
  const tasks = taskResults(results);
  const compute = computeResult(results);
  const finished: Record<string, Record<string, number[]>> = {};
  for (const g of results.groups) {
    finished[g] = {};
    for (const a of results.arms) {
      const seeds = runsOf(results.runs, g, a).map((r) => r.spec.seed);
      if (seeds.length) finished[g][a] = seeds.sort((x, y) => x - y);
    }
  }
  const cost: Record<string, { minutesPerRun: number; missing: number }> = {};
  for (const g of results.groups) {
    const runs = results.runs.filter((r) => r.spec.group === g);
    const want = results.arms.filter((a) => g === 'street' || a !== 'swta-rgb').length * results.seeds.length;
    const minutes = runs.map((r) => (r.trainSeconds + (r.evalSeconds ?? 0) + (r.finetune?.trainSeconds ?? 0)) / 60);
    cost[g] = { minutesPerRun: minutes.length ? minutes.reduce((a, b) => a + b, 0) / minutes.length : NaN, missing: want - runs.length };
  }
  return {
    tasks,
    compute,
    claims: claimVerdicts(tasks, compute),
    weights: [...weights],
    ...(invariance ? { invariance } : {}),
    config: {
      budget: results.budget,
      seeds: results.seeds,
      groups: results.groups,
      arms: results.arms,
      finished,
      cost,
      trainSeconds: results.runs.reduce((a, r) => a + r.trainSeconds + (r.finetune?.trainSeconds ?? 0), 0),
      runs: results.runs.length,
      generatedBy: 'swta vision ood (scenarios/vision)',
    },
  };
}
