/**
 * docs/results/vision.json and vision.md from the runs of `runOod`: one task entry per
 * (score, group) with the per-seed values, mean ± sd of each arm, the difference and how it
 * compares with the seed spread; the compute task; and the shipped weights.
 */
import type { CORRUPTION_NAMES } from '../../src/vision/data/corruptions.ts';
import type { InvarianceTable } from './invariance.ts';
import type { Arm, Group, OodResults, RunResult } from './ood.ts';
import { meanSd, verdict, type MeanSd, type Verdict } from './stats.ts';

export type Table = 'zero-shot' | 'cross-domain' | 'night' | 'source';

export interface TaskDef {
  task: string;
  metric: 'accuracy' | 'mIoU' | 'pixel accuracy';
  group: Group;
  score: string;
  table: Table;
}

export interface TaskResult {
  task: string;
  metric: string;
  /** The seeds with both arms finished. */
  seeds: number[];
  baseline: MeanSd;
  filtered: MeanSd;
  /** filtered.mean − baseline.mean. */
  delta: number;
  /** 'better' / 'worse' when |delta| > sd_baseline + sd_filtered, else 'within spread'. */
  verdict: Verdict;
  perSeed: { baseline: number[]; filtered: number[] };
  group: Group;
  score: string;
  table: Table;
}

export interface ArmCompute {
  /** Seeds that reached the target accuracy, of those run. */
  reached: number;
  runs: number;
  stepsToTarget: MeanSd;
  flopsToTarget: MeanSd;
  perSeedSteps: (number | null)[];
  /** Final source validation accuracy. */
  finalValAccuracy: MeanSd;
  trainMsPerStep: MeanSd;
}

export interface ComputeResult {
  task: string;
  targetAccuracy: number;
  valImages: number;
  evalEvery: number;
  batchSize: number;
  totalSteps: number;
  forwardFlopsPerImage: number;
  flopsPerStep: number;
  /** Upper-bound count of the filter's simple operations per 28×28 image (see filterOpsPerImage). */
  filterOpsPerImage: number;
  filterMsPerImage: { digits: number; street: number };
  seeds: number[];
  baseline: ArmCompute;
  filtered: ArmCompute;
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
  weights: WeightInfo[];
  /** Training-free diagnostic: clean-vs-shifted relative distance without and with filter variants (invariance.ts). */
  invariance?: InvarianceTable;
  config: {
    budget: OodResults['budget'];
    seeds: number[];
    groups: string[];
    arms: Record<Arm, string>;
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

function runOf(runs: readonly RunResult[], group: Group, arm: Arm, seed: number): RunResult | undefined {
  return runs.find((r) => r.spec.group === group && r.spec.arm === arm && r.spec.seed === seed);
}

/** Seeds of a group for which both arms have finished. */
function pairedSeeds(results: OodResults, group: Group): number[] {
  return results.seeds.filter((s) => runOf(results.runs, group, 'baseline', s) && runOf(results.runs, group, 'filtered', s));
}

export function taskResults(results: OodResults): TaskResult[] {
  const out: TaskResult[] = [];
  for (const d of taskDefs(results)) {
    const seeds = pairedSeeds(results, d.group);
    if (seeds.length === 0) continue;
    const values = (arm: Arm): number[] => seeds.map((s) => runOf(results.runs, d.group, arm, s)!.scores[d.score] ?? NaN);
    const b = values('baseline');
    const f = values('filtered');
    const bs = meanSd(b);
    const fs = meanSd(f);
    out.push({ task: d.task, metric: d.metric, seeds, baseline: bs, filtered: fs, delta: fs.mean - bs.mean, verdict: verdict(bs, fs), perSeed: { baseline: b, filtered: f }, group: d.group, score: d.score, table: d.table });
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
  const seeds = pairedSeeds(results, 'digits');
  if (seeds.length === 0) return null;
  const d = results.budget.digits;
  const arm = (a: Arm): ArmCompute => {
    const runs = seeds.map((s) => runOf(results.runs, 'digits', a, s)!);
    const reachedRuns = runs.filter((r) => r.stepsToTarget !== null);
    return {
      reached: reachedRuns.length,
      runs: runs.length,
      stepsToTarget: meanSd(reachedRuns.map((r) => r.stepsToTarget!)),
      flopsToTarget: meanSd(reachedRuns.map((r) => r.stepsToTarget! * r.flopsPerStep)),
      perSeedSteps: runs.map((r) => r.stepsToTarget),
      finalValAccuracy: meanSd(runs.map((r) => r.history.at(-1)?.valAccuracy ?? NaN)),
      trainMsPerStep: meanSd(runs.map((r) => (1000 * r.trainSeconds) / r.steps)),
    };
  };
  const first = runOf(results.runs, 'digits', 'baseline', seeds[0]!)!;
  return {
    task: `training steps until the MNIST validation accuracy (${d.valN} held-out training images, scored every ${d.evalEvery} steps) first reaches ${(100 * d.targetAccuracy).toFixed(0)} %`,
    targetAccuracy: d.targetAccuracy,
    valImages: d.valN,
    evalEvery: d.evalEvery,
    batchSize: d.batchSize,
    totalSteps: first.steps,
    forwardFlopsPerImage: results.forwardFlops.digits,
    flopsPerStep: first.flopsPerStep,
    filterOpsPerImage: filterOpsPerImage(28, 28, 1),
    filterMsPerImage: results.filterMsPerImage,
    seeds,
    baseline: arm('baseline'),
    filtered: arm('filtered'),
  };
}

export function buildReport(results: OodResults, weights: readonly WeightInfo[] = [], invariance?: InvarianceTable): VisionReport {
  return {
    tasks: taskResults(results),
    compute: computeResult(results),
    weights: [...weights],
    ...(invariance ? { invariance } : {}),
    config: {
      budget: results.budget,
      seeds: results.seeds,
      groups: results.groups,
      arms: results.arms,
      trainSeconds: results.runs.reduce((a, r) => a + r.trainSeconds + (r.finetune?.trainSeconds ?? 0), 0),
      runs: results.runs.length,
      generatedBy: 'swta vision ood (scenarios/vision)',
    },
  };
}

// ————— Markdown —————

const pct = (v: number, digits = 1): string => (Number.isFinite(v) ? (100 * v).toFixed(digits) : '–');
const pm = (m: MeanSd): string => `${pct(m.mean)} ± ${pct(m.sd)}`;
const signed = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${pct(Math.abs(v))}` : '–');
const mark = (v: Verdict): string => (v === 'better' ? '**better**' : v === 'worse' ? '**worse**' : 'within spread');

function taskTable(rows: readonly TaskResult[], label: (t: TaskResult) => string, unit: string): string {
  const lines = [`| task | ${unit} baseline | ${unit} filtered | Δ (filtered − baseline) | vs. seed spread | per seed (baseline / filtered) |`, '|---|---:|---:|---:|---|---|'];
  for (const t of rows) {
    const perSeed = t.seeds.map((s, i) => `s${s}: ${pct(t.perSeed.baseline[i]!)} / ${pct(t.perSeed.filtered[i]!)}`).join('; ');
    lines.push(`| ${label(t)} | ${pm(t.baseline)} | ${pm(t.filtered)} | ${signed(t.delta)} | ${mark(t.verdict)} | ${perSeed} |`);
  }
  return lines.join('\n');
}

function fmtFlops(f: number): string {
  if (!Number.isFinite(f)) return '–';
  if (f >= 1e12) return `${(f / 1e12).toFixed(2)} TFLOP`;
  if (f >= 1e9) return `${(f / 1e9).toFixed(1)} GFLOP`;
  return `${(f / 1e6).toFixed(2)} MFLOP`;
}

export interface MarkdownOptions {
  /** The command that regenerates the report. */
  command: string;
  /** Hand-written analysis (Markdown), placed after the tables. */
  discussion?: string;
  /** Shown at the top while runs are still missing. */
  partial?: boolean;
}

export function renderMarkdown(report: VisionReport, opts: MarkdownOptions): string {
  const b = report.config.budget;
  const seeds = report.config.seeds;
  const byTable = (t: Table): TaskResult[] => report.tasks.filter((x) => x.table === t);
  const strip = (t: TaskResult): string => t.task.replace(/^(zero-shot|cross-domain|source|night segmentation): /, '');
  const out: string[] = [];
  out.push('# Vision: the sWTA filter before a ViT, out of distribution');
  out.push('');
  if (opts.partial) out.push('> **Partial results** — the experiment is still running or was interrupted; tables show the seeds finished so far.\n');
  out.push(
    `Generated by \`${opts.command}\` (scenarios/vision, budget '${b.name}', seeds ${seeds.join(', ')}; ${report.config.runs} training runs, ${(report.config.trainSeconds / 60).toFixed(0)} min of training in all on 2 CPU cores shared with other jobs, TensorFlow.js WASM backend). Machine-readable: [vision.json](vision.json). Values are percentages, mean ± sample sd over seeds.`,
  );
  out.push('');

  // Summary
  // Source-domain scores and the day-scene control are not out of distribution.
  const ood = report.tasks.filter((t) => t.table !== 'source' && !t.score.startsWith('day:'));
  const better = ood.filter((t) => t.verdict === 'better');
  const worse = ood.filter((t) => t.verdict === 'worse');
  out.push('## Summary');
  out.push('');
  out.push(
    `Of ${ood.length} out-of-distribution scores, the filtered model is better than the baseline by more than the seed spread (|Δ| > sd_baseline + sd_filtered) on ${better.length}` +
      `${better.length ? ` (${better.map(strip).join('; ')})` : ''}, worse by more than the spread on ${worse.length}` +
      `${worse.length ? ` (${worse.map(strip).join('; ')})` : ''}, and within the spread on the other ${ood.length - better.length - worse.length}.`,
  );
  const night = report.tasks.find((t) => t.score === 'night:miou');
  if (night) out.push(`Night mIoU: baseline ${pm(night.baseline)}, filtered ${pm(night.filtered)} (Δ ${signed(night.delta)}, ${night.verdict}).`);
  const day = report.tasks.find((t) => t.score === 'day:miou');
  if (day) out.push(`Day mIoU on the same unseen layouts (control): baseline ${pm(day.baseline)}, filtered ${pm(day.filtered)} (Δ ${signed(day.delta)}, ${day.verdict}).`);
  for (const t of byTable('source')) out.push(`In-domain (${strip(t)}): baseline ${pm(t.baseline)}, filtered ${pm(t.filtered)} (Δ ${signed(t.delta)}, ${t.verdict}).`);
  out.push('');

  // Method
  const d = b.digits;
  const ft = b.finetune;
  const s = b.street;
  out.push('## Method');
  out.push('');
  out.push(
    [
      `- **One difference.** Each seed trains a pair of Vision Transformers with the same config and initialisation seed, the same training images in the same batch order, the same steps and AdamW schedule (linear warm-up over 10 % of steps, cosine decay, no weight decay, no dropout, no augmentation), the same fine-tuning picks and the same test sets. The baseline sees the images as they are (\`--filter none\`); the filtered model sees them through the sWTA filter (\`--filter swta\`: 3×3 neighbourhoods competing as pools of the rate sWTA, parameters from data/calibration/rate-fit.json, no context drive), at training and at test time. The filter was not tuned for accuracy.`,
      `- **ViT.** Digits: 28×28 grey, 7×7 patches, ${b.vit.depth ?? 2} blocks of width ${b.vit.dim ?? 64}, ${b.vit.heads ?? 4} heads, mean pooling (src/vision/vit/config.ts DIGITS_VIT). Streets: ${s.size}×${s.size} RGB, 8×8 patches, the same blocks, per-patch logits unpatchified to pixels (STREET_VIT).`,
      `- **Zero-shot digits.** Train on the first ${d.trainN} MNIST training images, ${d.epochs} epochs, batch ${d.batchSize}, peak lr ${d.learningRate}; no target sample in training. Test on the first ${b.evalN} images of each domain: MNIST test (source), font digits (Debian fonts, seed 1: random font, size, rotation ±15°, stroke, jitter), MNIST-M-like (MNIST test over procedural colour textures, |texture − digit|, converted to grey luma for the grey model), and each MNIST-C-like corruption of MNIST test at severities ${b.severities.join(' and ')} of 5 (src/vision/data/corruptions.ts; 3 is "clearly visible, digit still readable", 5 the strongest).`,
      `- **Cross-domain.** MNIST → fonts uses the MNIST models above (zero-shot = the fonts row of the zero-shot table); fonts → MNIST trains on ${b.fonts.trainN} font digits (seed 11), ${b.fonts.epochs} epochs. With k = ${ft.k}: the source model is fine-tuned on ${ft.k} labelled target images per class (a seeded pick per seed, the same for both arms; fonts from seed 13, MNIST from training images the MNIST models never used), ${ft.epochs} epochs, batch ${ft.batchSize}, peak lr ${ft.learningRate}, all parameters.`,
      `- **Night segmentation.** Train on ${s.trainN} procedural day street scenes (seed 1, 8 classes), ${s.epochs} epochs, batch ${s.batchSize}, peak lr ${s.learningRate}. Test on ${s.evalN} scenes of unseen layouts (seed 2) rendered by night (low light, gamma, sensor noise, colour cast, headlight and street-lamp glare) and by day — the same layouts under both lights, so the night-vs-day gap isolates the lighting.`,
      `- **Compute.** During the MNIST runs the validation accuracy on ${d.valN} held-out training images is scored every ${d.evalEvery} steps until it first reaches ${pct(d.targetAccuracy, 0)} %; FLOPs = steps × 3 × forward FLOPs × batch (trainVit's estimate).`,
      `- **Verdict.** "better"/"worse" when |Δ mean| > sd_baseline + sd_filtered, otherwise "within spread". With ${seeds.length} seeds this is a coarse test; the per-seed columns show the pairing (same seed → same initialisation and data order).`,
    ].join('\n'),
  );
  out.push('');

  out.push('## Zero-shot digits (train on MNIST only)');
  out.push('');
  out.push(taskTable([...byTable('source').filter((t) => t.group === 'digits'), ...byTable('zero-shot')], strip, 'accuracy %'));
  out.push('');
  out.push('## Cross-domain digits');
  out.push('');
  const zsFonts = report.tasks.find((t) => t.score === 'fonts' && t.group === 'digits');
  const cross = [...(zsFonts ? [{ ...zsFonts, task: 'cross-domain: MNIST → fonts, zero-shot' }] : []), ...byTable('cross-domain'), ...byTable('source').filter((t) => t.group === 'fonts')];
  cross.sort((a, c) => Number(a.task.includes('fonts →')) - Number(c.task.includes('fonts →')));
  out.push(taskTable(cross, strip, 'accuracy %'));
  out.push('');
  out.push('## Nighttime segmentation (train on day scenes)');
  out.push('');
  out.push(taskTable(byTable('night'), strip, '%'));
  out.push('');

  const c = report.compute;
  if (c) {
    out.push('## Training compute');
    out.push('');
    out.push(`${c.task}. Batch ${c.batchSize}, ${c.totalSteps} steps in all; the ViT costs ${fmtFlops(c.forwardFlopsPerImage)} per image forward, ${fmtFlops(c.flopsPerStep)} per training step (3 × forward × batch).`);
    out.push('');
    out.push('| | baseline | filtered |');
    out.push('|---|---:|---:|');
    const steps = (a: ArmCompute): string => (a.reached ? `${a.stepsToTarget.mean.toFixed(0)} ± ${a.stepsToTarget.sd.toFixed(0)}` : 'never');
    out.push(`| seeds reaching ${pct(c.targetAccuracy, 0)} % | ${c.baseline.reached}/${c.baseline.runs} | ${c.filtered.reached}/${c.filtered.runs} |`);
    out.push(`| steps to ${pct(c.targetAccuracy, 0)} % (mean ± sd over seeds that reached it) | ${steps(c.baseline)} | ${steps(c.filtered)} |`);
    out.push(`| per seed | ${c.baseline.perSeedSteps.map((v) => v ?? 'never').join(', ')} | ${c.filtered.perSeedSteps.map((v) => v ?? 'never').join(', ')} |`);
    out.push(`| training FLOPs to ${pct(c.targetAccuracy, 0)} % | ${fmtFlops(c.baseline.flopsToTarget.mean)} | ${fmtFlops(c.filtered.flopsToTarget.mean)} |`);
    out.push(`| final validation accuracy % | ${pm(c.baseline.finalValAccuracy)} | ${pm(c.filtered.finalValAccuracy)} |`);
    out.push(`| measured ms per training step (shared cores) | ${c.baseline.trainMsPerStep.mean.toFixed(0)} | ${c.filtered.trainMsPerStep.mean.toFixed(0)} |`);
    out.push('');
    out.push(
      `The filter itself is applied once per image (the filtered images are reused every epoch): ≤ ${(c.filterOpsPerImage / 1e6).toFixed(3)} M simple operations per 28×28 image (an upper bound, ${((100 * c.filterOpsPerImage) / c.forwardFlopsPerImage).toFixed(1)} % of one ViT forward pass), measured ${c.filterMsPerImage.digits.toFixed(2)} ms per digit image${Number.isFinite(c.filterMsPerImage.street) ? ` and ${c.filterMsPerImage.street.toFixed(2)} ms per ${b.street.size}×${b.street.size} street scene` : ''} on this machine.`,
    );
    out.push('');
  }

  if (report.weights.length) {
    out.push('## Shipped weights');
    out.push('');
    out.push('The seed-1 MNIST models of the zero-shot runs, before fine-tuning, for the live demo (`swta serve` prefers the filtered one):');
    out.push('');
    out.push('| folder | filter | size | MNIST test accuracy (full 10 000) |');
    out.push('|---|---|---:|---:|');
    for (const w of report.weights) out.push(`| ${w.path} | ${w.filter} | ${(w.bytes / 1024).toFixed(0)} KB | ${pct(w.mnistTestAccuracy, 2)} % (n = ${w.n}) |`);
    out.push('');
    out.push('Check: `swta vision eval --model data/vision/mnist-swta --data mnist:test --json` (last line `{"accuracy": …, "n": 10000}`).');
    out.push('');
  }

  const inv = report.invariance;
  if (inv) {
    out.push('## Does the filter undo the shift? (no training)');
    out.push('');
    out.push(
      `MNIST-M and every MNIST-C corruption are made from the same MNIST test digits, so each shifted image has a clean twin. The table gives the mean per-image relative distance ‖f(clean) − f(shifted)‖ / ‖f(clean)‖ after the same preprocessing f (first ${inv.n} test digits; scenarios/vision/invariance.ts): lower than "raw" means the filter removes part of the shift before the ViT sees it, higher means it adds to it. Only the 3×3 filter was trained; the other variants (larger neighbourhoods, VIP or LAMP5 context drive, all from the same rate-fit parameters) were only measured here. The last columns repeat the zero-shot accuracy change of the trained filter.`,
    );
    out.push('');
    out.push(`| shift | ${inv.variants.join(' | ')} | Δ accuracy (trained filter) |`);
    out.push(`|---|${inv.variants.map(() => '---:').join('|')}|---:|`);
    let agree = 0;
    let decided = 0;
    for (const r of inv.rows) {
      const best = Math.min(...r.distance);
      const t = report.tasks.find((x) => x.group === 'digits' && x.score === r.score);
      if (t && t.verdict !== 'within spread') {
        decided++;
        if (t.delta > 0 === r.distance[1]! < r.distance[0]!) agree++;
      }
      const delta = t ? `${signed(t.delta)}${t.verdict === 'within spread' ? '' : ` (${t.verdict})`}` : '–';
      out.push(`| ${r.shift} | ${r.distance.map((v) => (v === best ? `**${v.toFixed(2)}**` : v.toFixed(2))).join(' | ')} | ${delta} |`);
    }
    const lowered = inv.rows.filter((r) => r.distance[1]! < r.distance[0]!).map((r) => r.shift);
    out.push('');
    out.push(
      `The trained filter brings the shifted image closer to its clean twin for ${lowered.length} of ${inv.rows.length} shifts${lowered.length ? ` (${lowered.join(', ')})` : ''} and further away for the rest.` +
        (decided ? ` Where the accuracy change is larger than the seed spread, the sign of the distance change predicts its sign in ${agree} of ${decided} cases.` : ''),
    );
    out.push('');
  }

  if (opts.discussion) {
    out.push(opts.discussion.trim());
    out.push('');
  }
  return out.join('\n');
}
