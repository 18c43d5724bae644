/**
 * The analysis section of docs/results/vision.md. Every number, every list of gains and losses and
 * every verdict is read from the report (or measured here, like the filter's output level), so the
 * text stays true when the command is run again with another filter or budget; the explanations
 * are attached to the outcomes they explain and say where they are hypotheses.
 */
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { loadMnist } from '../../src/vision/data/mnist.ts';
import { preprocessFor } from '../../src/vision/preprocess.ts';
import type { TaskResult, VisionReport } from './report.ts';

const pct = (v: number): string => (Number.isFinite(v) ? (100 * v).toFixed(1) : '–');
const signed = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${pct(Math.abs(v))}` : '–');

export function discussion(report: VisionReport): string {
  const task = (group: string, score: string): TaskResult | undefined => report.tasks.find((t) => t.group === group && t.score === score);
  /** "a → b (Δ, verdict)" for a task, or '–' when it was not run. */
  const ab = (group: string, score: string): string => {
    const t = task(group, score);
    return t ? `${pct(t.baseline.mean)} → ${pct(t.filtered.mean)} % (Δ ${signed(t.delta)}${t.verdict === 'within spread' ? ', within the seed spread' : ''})` : '–';
  };
  /** "label a → b (Δ)" for each task, joined. */
  const list = (ts: readonly TaskResult[]): string => ts.map((t) => `${label(t)} ${ab(t.group, t.score)}`).join('; ');

  /** Relative clean-vs-shifted distance of a shift, raw → trained filter, from the invariance table. */
  const dist = (score: string): [number, number] => {
    const r = report.invariance?.rows.find((x) => x.score === score);
    return r ? [r.distance[0]!, r.distance[1]!] : [NaN, NaN];
  };
  const noiseRatios = ['gaussian_noise', 'shot_noise', 'impulse_noise'].map((c) => dist(`mnist-c:${c}:3`)).map(([a, b]) => b / a);
  const [darkRaw, darkFiltered] = dist('mnist-c:dark:3');
  const p = loadRateFit().params;
  const flat = (1 - p.alpha + p.beta) / (1 - p.alpha + 9 * p.beta); // uniform 3×3 patch vs a lone pool
  const level = meanOutputLevel();
  const out: string[] = ['## Analysis', ''];

  out.push(
    `**What the filter does.** With the fitted rate parameters (α = ${p.alpha.toFixed(2)}, β = ${p.beta.toFixed(2)}, T = ${p.thresholdHz.toFixed(2).replace('-', '−')} Hz) the shared inhibition of a 3×3 neighbourhood nearly cancels a uniform region: a pixel inside a flat patch keeps (1 − α + β)/(1 − α + 9β) = ${(100 * flat).toFixed(0)} % of the response of a lone bright pixel on black. The filter is therefore a local-contrast (centre-surround, local-maximum) operator: offsets and slow gradients are removed, edges and isolated bright points are kept. Its outputs are also small — mean ${level.filtered.toFixed(3)} on the first ${level.n} MNIST test digits against ${level.raw.toFixed(3)} for the raw digits. Everything below follows from these two properties, and the training-free distance table above predicts the sign of most accuracy changes.`,
  );
  out.push('');

  const digits = report.tasks.filter((t) => t.group === 'digits' && t.table === 'zero-shot');
  if (digits.length) {
    const better = digits.filter((t) => t.verdict === 'better').sort((a, b) => b.delta - a.delta);
    const worse = digits.filter((t) => t.verdict === 'worse').sort((a, b) => a.delta - b.delta);
    const has = (ts: readonly TaskResult[], prefix: string): boolean => ts.some((t) => t.score.startsWith(prefix));
    const noiseLosses = worse.filter((t) => /noise/.test(t.score));
    const geometric = digits.filter((t) => /:(rotate|shear|scale|translate):/.test(t.score));
    const sentences = [
      `**Zero-shot digits.** Of ${digits.length} unseen digit domains the filter is better beyond the seed spread on ${better.length} and worse on ${worse.length}.`,
      better.length ? `The largest gains: ${list(better.slice(0, 6))}.` : 'No domain gains beyond the spread.',
      worse.length ? `The losses: ${list(worse)}.` : 'No domain loses beyond the spread.',
    ];
    if (has(better, 'mnist-c:fog') || has(better, 'mnist-c:bright') || has(better, 'mnist-c:contrast')) {
      sentences.push('Fog, bright and low contrast change the background level or the ink-to-background range; the baseline ViT, which saw only black backgrounds, then sees ink everywhere or nowhere and drifts towards one class, while the filter subtracts the local level before the ViT sees it.');
    }
    if (has(better, 'fonts')) sentences.push(`Font digits gain too (${ab('digits', 'fonts')}); the likely reason (a hypothesis; fonts are not paired with MNIST digits, so the distance table cannot test it) is that both domains become outlines, so stroke width and fill matter less.`);
    if (noiseLosses.length) {
      sentences.push(`Isolated noise pixels are local maxima, which the winner-take-all lets win their neighbourhood, so the filter can amplify what noise is: at severity 3 the distance to the clean twin changes ${Math.min(...noiseRatios).toFixed(1)}–${Math.max(...noiseRatios).toFixed(1)}-fold across Gaussian, shot and impulse noise.`);
    }
    if (has(worse, 'mnist-c:dark')) {
      sentences.push(`Dark is a gain and gamma change that the filter neither removes nor much amplifies (distance ${darkRaw.toFixed(2)} → ${darkFiltered.toFixed(2)}), yet the filtered model loses more than the baseline; our reading, not tested, is that the filtered inputs are already ≈ ${(level.raw / level.filtered).toFixed(0)}× weaker than raw ones, so a further gain of 0.3 leaves the patch embeddings close to their bias-only state.`);
    }
    if (geometric.length) {
      const g = (v: TaskResult['verdict']): number => geometric.filter((t) => t.verdict === v).length;
      sentences.push(`Geometric shifts, which a local filter cannot undo, are mixed: of ${geometric.length} (rotate, shear, scale, translate at severities 3 and 5) ${g('better')} gain, ${g('worse')} lose and ${g('within spread')} stay within the spread.`);
    }
    out.push(sentences.join(' '));
    out.push('');
  }

  if (task('fonts', 'mnist')) {
    out.push(
      `**Cross-domain.** MNIST → fonts: zero-shot ${ab('digits', 'fonts')}; with k = 10 labelled fonts per class ${ab('digits', 'fonts@k')}${task('digits', 'fonts@k')?.verdict === 'within spread' && task('digits', 'fonts')?.verdict === 'better' ? ': fine-tuning on 100 target images recovers most of what the filter gave for free' : ''}. Fonts → MNIST: zero-shot ${ab('fonts', 'mnist')}, with k = 10 ${ab('fonts', 'mnist@k')}; in-domain on fonts ${ab('fonts', 'fonts')}.`,
    );
    out.push('');
  }

  const night = task('street', 'night:miou');
  const day = task('street', 'day:miou');
  if (night && day) {
    const dropB = day.baseline.mean - night.baseline.mean;
    const dropF = day.filtered.mean - night.filtered.mean;
    out.push(
      `**Nighttime segmentation: the filter does ${night.verdict === 'better' ? '' : 'not '}improve night mIoU beyond the seed spread.** Night mIoU ${ab('street', 'night:miou')}; day mIoU on the same unseen layouts ${ab('street', 'day:miou')}. ` +
        `Paired by seed, the filtered model has the higher night mIoU in ${wins(night)} of ${night.seeds.length} seeds. Night pixel accuracy ${task('street', 'night:pixel')?.verdict === 'better' ? 'does rise beyond the spread' : 'changes'} (${ab('street', 'night:pixel')}), and the filtered model loses far less from day to night (${pct(dropF)} mIoU points against ${pct(dropB)}): its representation is more light-invariant. It pays for that by day (pixel accuracy ${ab('street', 'day:pixel')}): the street classes are mostly regions of uniform colour (road, sidewalk, building, sky), and the filter, which runs on luminance and rescales all three channels, keeps ≈ ${(100 * flat).toFixed(0)} % of a flat region's level, so the ViT is left with outlines and hue and confuses large regions (a reading; per-class IoU was not recorded). ` +
        (night.verdict === 'better'
          ? 'The night gain is larger than the seed spread, but it is a trade: the same filter costs far more by day, so it is not a free improvement.'
          : night.verdict === 'worse'
            ? 'At night the filtered model is worse beyond the spread as well.'
            : `The night difference is smaller than the seed spread (sd ${pct(night.baseline.sd)} baseline, ${pct(night.filtered.sd)} filtered over ${night.seeds.length} seeds): the baseline's night score varies a lot between seeds, the filtered one less.`),
    );
    out.push('');
  }

  const c = report.compute;
  const src = task('digits', 'mnist');
  if (c && src) {
    out.push(
      `**Source domain and compute.** On MNIST itself the filter changes the accuracy by ${signed(src.delta)} points (${pm(src)}; ${src.verdict}). It reaches ${pct(c.targetAccuracy)} % validation accuracy in ${c.filtered.reached} of ${c.filtered.runs} seeds (baseline ${c.baseline.reached} of ${c.baseline.runs}), after ${c.filtered.stepsToTarget.mean.toFixed(0)} ± ${c.filtered.stepsToTarget.sd.toFixed(0)} steps against ${c.baseline.stepsToTarget.mean.toFixed(0)} ± ${c.baseline.stepsToTarget.sd.toFixed(0)} — ${computeVerdict(c.baseline.stepsToTarget, c.filtered.stepsToTarget)}. The filter's own cost is small (≈ ${((100 * c.filterOpsPerImage) / c.forwardFlopsPerImage).toFixed(0)} % of one forward pass, applied once per image).`,
    );
    out.push('');
  }

  out.push(
    `**What was tried, and the limits of this study.** The filter was used exactly as the calibration chain defines it (3×3, no context drive), with nothing tuned for accuracy, by design. The first budget (6 000 MNIST images, 1 000 test images per domain) took ≈ 12 min per run on the shared cores and was cut to the present one after a single baseline run, before any filtered model had been trained; the seeds were then raised from 3 to 5 to tighten the spread. The filter's parameters changed once, for the filter-vs-circuit check and not for accuracy: the rate fit was re-measured on 2.7 s windows with strongly driven losers (α 0.95 → 0.80, β 0.39 → 0.19; the filter's correlation with the spiking module rose from 0.85–0.91 to 0.94–0.98). With the earlier parameters the same runs gave fog +53, bright +32, fonts +8 and MNIST-M +8 points, but blur −27, dark −39 and shot noise −8; night mIoU +3.1 (within the spread) and day mIoU −17: a stronger competition made a sharper local-maximum operator, better against offsets, worse against blur and noise. Larger neighbourhoods and VIP or LAMP5 context drive were compared only in the training-free distance table: larger windows help bright and stripes but hurt noise, blur and fog; LAMP5 drive (divisive normalization) gives the filtered images closest to their clean twins for the noise, blur and fog shifts, but still further than raw images for noise and blur. The budgets are small (a 72 k-parameter ViT, 375 steps on 4 000 digits; 100 steps on 400 street scenes), so absolute accuracies and mIoUs are far below what these architectures reach with full training, and the ranking could change with longer training; the comparison is paired (same seed → same initialisation, data and order), but ${report.config.seeds.length} seeds are few and sd estimates from them are rough. The baseline has no input normalization or augmentation: a per-image mean subtraction or brightness augmentation would probably recover much of the fog and bright gap too, and that control was not run.`,
  );
  out.push('');
  out.push(
    '**Next.** (1) Give the ViT the raw and the filtered image as two channels, so the filter adds invariance without removing the region information that segmentation and blurred digits need. (2) Train the LAMP5-driven variant, which the distance table ranks best among the filters for noise, blur and fog. (3) Put a divisive gain normalization in front of the competition (what LAMP5 models) to address low light. (4) Add the cheap non-circuit controls (per-image standardisation, brightness and contrast augmentation) so a gain can be credited to the sWTA rather than to any offset removal. (5) Longer training and more seeds, above all for street scenes, and per-class IoU to see which classes the filter loses by day and gains at night.',
  );
  return out.join('\n');
}

/** Seeds in which the filtered arm scored higher than the baseline of the same seed. */
function wins(t: TaskResult): number {
  return t.perSeed.filtered.filter((v, i) => v > t.perSeed.baseline[i]!).length;
}

function pm(t: TaskResult): string {
  return `${pct(t.baseline.mean)} ± ${pct(t.baseline.sd)} → ${pct(t.filtered.mean)} ± ${pct(t.filtered.sd)} %`;
}

/** "Mnist-C fog (severity 3)"-style label of a task: its table row name. */
function label(t: TaskResult): string {
  return t.task.replace(/^[^:]*:\s*/, '').replace(/^MNIST → /, '');
}

/** Training-compute conclusion from steps to the target accuracy (mean ± sd), by the report's spread rule. */
function computeVerdict(baseline: { mean: number; sd: number }, filtered: { mean: number; sd: number }): string {
  const delta = filtered.mean - baseline.mean;
  if (Math.abs(delta) <= baseline.sd + filtered.sd) return `a difference of ${Math.abs(delta).toFixed(0)} steps, within the seed spread: no measurable saving in training compute`;
  return delta < 0 ? `${((-100 * delta) / baseline.mean).toFixed(0)} % fewer steps, beyond the seed spread` : `${((100 * delta) / baseline.mean).toFixed(0)} % more steps, beyond the seed spread: the filter costs training compute`;
}

/** Mean pixel value of MNIST test digits, raw and through the sWTA filter. */
function meanOutputLevel(n = 500): { n: number; raw: number; filtered: number } {
  const ds = loadMnist({ split: 'test', limit: n });
  const out = preprocessFor('swta')(ds.images, { n: ds.n, height: ds.height, width: ds.width, channels: ds.channels });
  const mean = (a: Float32Array): number => a.reduce((s, x) => s + x, 0) / a.length;
  return { n: ds.n, raw: mean(ds.images), filtered: mean(out) };
}
