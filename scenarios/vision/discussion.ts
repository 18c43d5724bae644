/**
 * The analysis section of docs/results/vision.md. Every number, list and verdict is read from the
 * report (or measured here, like the filter's output level), so the text stays true when the
 * command is run again with another filter or budget; explanations say where they are readings.
 */
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { loadMnist } from '../../src/vision/data/mnist.ts';
import { preprocessFor } from '../../src/vision/preprocess.ts';
import type { TaskResult, VisionReport } from './report.ts';

const pct = (v: number): string => (Number.isFinite(v) ? (100 * v).toFixed(1) : '–');
const signed = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${pct(Math.abs(v))}` : '–');

/** "label: sWTA a vs best control (name) b, Δ d [lo, hi]". */
function versus(t: TaskResult): string {
  const p = t.vsBestControl!;
  const label = t.task.replace(/^[^:]*:\s*/, '').replace(/^MNIST → /, '');
  return `${label} ${pct(t.arms[p.arm]!.mean)} vs ${p.against} ${pct(t.arms[p.against]!.mean)} (Δ ${signed(p.delta.mean)} [${signed(p.delta.low)}, ${signed(p.delta.high)}])`;
}

export function discussion(report: VisionReport): string {
  const p = loadRateFit().params;
  const flat = (1 - p.alpha + p.beta) / (1 - p.alpha + 9 * p.beta); // uniform 3×3 patch vs a lone pool
  const level = meanOutputLevel();
  const out: string[] = ['## Analysis', ''];
  out.push(
    `**What the filter does.** With the fitted rate parameters (α = ${p.alpha.toFixed(2)}, β = ${p.beta.toFixed(2)}, T = ${p.thresholdHz.toFixed(2).replace('-', '−')} Hz) the shared inhibition of a 3×3 neighbourhood nearly cancels a uniform region: a pixel inside a flat patch keeps (1 − α + β)/(1 − α + 9β) = ${(100 * flat).toFixed(0)} % of the response of a lone bright pixel on black. It is a local-contrast (centre-surround, local-maximum) operator, and its outputs are small — mean ${level.filtered.toFixed(3)} on the first ${level.n} MNIST test digits against ${level.raw.toFixed(3)} raw. The controls separate what of this is specific to the circuit: \`swta-nocomp\` keeps the filter's pointwise transfer without the competition; \`divnorm\` normalizes over the same neighbourhoods without an active set; \`lcn\` and \`standardize\` remove local or global offset and gain by standard means.`,
  );
  out.push('');

  const tasks = report.tasks.filter((t) => t.vsBestControl && t.table !== 'source' && !t.score.startsWith('day:'));
  const byDelta = [...tasks].sort((a, b) => b.vsBestControl!.delta.mean - a.vsBestControl!.delta.mean);
  const firsts = new Map<string, number>();
  for (const t of tasks) firsts.set(t.ranking[0]!, (firsts.get(t.ranking[0]!) ?? 0) + 1);
  if (tasks.length) {
    out.push(
      `**Which arm is best out of distribution.** Over ${tasks.length} out-of-distribution scores the top-ranked arm is ${[...firsts].sort((a, b) => b[1] - a[1]).map(([a, n]) => `${a} on ${n}`).join(', ')}. ` +
        `The sWTA filter's largest margins over the best control: ${byDelta.slice(0, 3).map(versus).join('; ')}. Its largest deficits: ${byDelta.slice(-3).reverse().map(versus).join('; ')}.`,
    );
    out.push('');
  }
  const src = report.tasks.find((t) => t.group === 'digits' && t.score === 'mnist');
  if (src) {
    out.push(`**In domain.** MNIST test (first ${report.config.budget.evalN}): ${src.ranking.map((a) => `${a} ${pct(src.arms[a]!.mean)}`).join(', ')}.`);
    out.push('');
  }
  const night = report.tasks.find((t) => t.score === 'night:miou');
  const day = report.tasks.find((t) => t.score === 'day:miou');
  if (night && day) {
    const drop = (a: string): string => pct((day.arms[a]?.mean ?? NaN) - (night.arms[a]?.mean ?? NaN));
    out.push(
      `**Night.** Day → night mIoU drop per arm: ${day.ranking.map((a) => `${a} ${drop(a)}`).join(', ')} points. A small drop with a low day score is not a gain: the night claim is judged on night mIoU itself, against the best control, and only where the day model is good enough (day mIoU of the baseline ${pct(day.arms['none']?.mean ?? NaN)} %, target ≥ 60 %).`,
    );
    out.push('');
  }
  out.push(
    `**Limits.** ${pairedSeedsText(report)}; the best control is chosen per score after the fact, which favours the controls; the filter's parameters come from the calibration chain and were not tuned for accuracy, and neither were the controls' (LCN: the 9×9 Gaussian window of Jarrett et al. 2009; divisive normalization: the filter's 3×3 window, σ = the MNIST mean pixel). The street scenes are procedural and the segmentation budget is small.`,
  );
  return out.join('\n');
}

/** "5 seeds" when every arm finished every seed, else the range of seeds per arm. */
function pairedSeedsText(report: VisionReport): string {
  const counts = Object.values(report.config.finished).flatMap((arms) => Object.values(arms).map((s) => s.length));
  if (counts.length === 0) return 'no finished runs';
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? `${lo} seed${lo === 1 ? '' : 's'} per arm` : `${lo}–${hi} seeds per arm (see the note at the top)`;
}

/** Mean pixel value of MNIST test digits, raw and through the sWTA filter. */
function meanOutputLevel(n = 500): { n: number; raw: number; filtered: number } {
  const ds = loadMnist({ split: 'test', limit: n });
  const out = preprocessFor('swta')(ds.images, { n: ds.n, height: ds.height, width: ds.width, channels: ds.channels });
  const mean = (a: Float32Array): number => a.reduce((s, x) => s + x, 0) / a.length;
  return { n: ds.n, raw: mean(ds.images), filtered: mean(out) };
}
