import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { steadyState, type RateParams } from '../../src/rate/ltu.ts';
import { meanCi, meanSd, type MeanSd } from '../../src/stats.ts';
import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { LOSER_INPUT_HZ } from '../../src/calibration/conditions.ts';
import { fmt, fmtMeanSd, REFERENCE_RATIO, seedRange, twoPoolRunner } from './common.ts';
import { parseBackend, type Backend } from './module-runner.ts';

/**
 * Soft competition across input ratios. The loser's input is held at LOSER_INPUT_HZ and the
 * winner's is ratio × that; per seed (network instance) the sweep also measures the loser alone
 * (its isolated rate) and with background drive only (its spontaneous rate).
 *
 * Silencing: the loser counts as silenced at a ratio when its rate is at or below
 * max(spontaneous rate, SILENCED_FRACTION × isolated rate). The measured silencing ratio is the
 * first sweep ratio at which the seed-mean loser rate is silenced, refined by linear interpolation
 * of that rate between this ratio and the one before it (where it crosses the threshold); it is the
 * sweep's first ratio when the loser is silenced there already, and null when it never is. Each
 * seed's own silencing ratio is computed the same way.
 *
 * Selection: the winner's share w/(w + l) per seed; the mean curve is monotonic unless it falls
 * significantly somewhere: a step whose paired per-seed change has a 95 % t interval entirely
 * below 0 (falls within the seed noise are listed but do not fail the check).
 *
 * Prediction: the rate reduction (src/rate/ltu.ts) silences the loser when the winner's drive
 * exceeds (1 − α + β)/β times the loser's (the one-winner threshold θ₁ = β u₁/(1 − α + β) reaching
 * u₂), with α, β from the committed rate fit. The drive is s·I − T, so in input-rate terms the
 * ratio is slightly smaller; the scenario reports both and judges against the drive ratio.
 */
export const SUPPRESSION = {
  /** Winner / loser input rate. */
  ratios: [1.1, 1.2, 1.3, 1.4, 1.6, 1.8, 2.0, 2.2, 2.5],
  seeds: 10,
  /** Seeds of `--quick` (tests). */
  quickSeeds: 2,
  /** Below this fraction of its isolated rate the loser counts as silenced. */
  silencedFraction: 0.1,
  /** Largest relative deviation of the measured from the predicted silencing ratio that passes. */
  predictionTolerance: 0.15,
} as const;

export interface SeedSweep {
  seed: number;
  spontaneousHz: number;
  isolatedHz: number;
  winnerHz: number[];
  loserHz: number[];
}

/** One seed: spontaneous and isolated loser rates, then winner and loser over the ratios. */
export function sweepSeed(seed: number, backend: Backend = 'conductance', ratios: readonly number[] = SUPPRESSION.ratios): SeedSweep {
  const r = twoPoolRunner({ seed, backend });
  const spontaneousHz = r.measure({ inputsHz: [0, 0] }).pools[1]!;
  const isolatedHz = r.measure({ inputsHz: [0, LOSER_INPUT_HZ] }).pools[1]!;
  const runs = ratios.map((x) => r.measure({ inputsHz: [x * LOSER_INPUT_HZ, LOSER_INPUT_HZ] }));
  return { seed, spontaneousHz, isolatedHz, winnerHz: runs.map((m) => m.pools[0]!), loserHz: runs.map((m) => m.pools[1]!) };
}

export interface Silencing {
  /** The loser rate at or below which it counts as silenced (Hz). */
  thresholdHz: number;
  /** First sweep ratio with the loser silenced (null: never within the sweep). */
  firstSilencedRatio: number | null;
  /** The crossing, linearly interpolated between that ratio and the previous one. */
  silencingRatio: number | null;
}

export function silencing(ratios: readonly number[], loserHz: readonly number[], spontaneousHz: number, isolatedHz: number, fraction: number = SUPPRESSION.silencedFraction): Silencing {
  const thresholdHz = Math.max(spontaneousHz, fraction * isolatedHz);
  const i = loserHz.findIndex((x) => x <= thresholdHz);
  if (i < 0) return { thresholdHz, firstSilencedRatio: null, silencingRatio: null };
  if (i === 0) return { thresholdHz, firstSilencedRatio: ratios[0]!, silencingRatio: ratios[0]! };
  const [r0, r1, l0, l1] = [ratios[i - 1]!, ratios[i]!, loserHz[i - 1]!, loserHz[i]!];
  return { thresholdHz, firstSilencedRatio: r1, silencingRatio: r0 + ((l0 - thresholdHz) * (r1 - r0)) / (l0 - l1) };
}

/** The rate model's silencing drive ratio (1 − α + β)/β. */
export function predictedSilencingRatio(p: Pick<RateParams, 'alpha' | 'beta'>): number {
  return (1 - p.alpha + p.beta) / p.beta;
}

/** The same point as a ratio of input rates at a given loser input: I_w/I_l with s·I_w − T = R (s·I_l − T). */
export function predictedSilencingInputRatio(p: RateParams, loserInputHz: number): number {
  const R = predictedSilencingRatio(p);
  const s = p.inputScale;
  return (R * (s * loserInputHz - p.thresholdHz) + p.thresholdHz) / (s * loserInputHz);
}

const share = (w: number, l: number): number => (w + l > 0 ? w / (w + l) : 0.5);

/** Indices i where ys[i] < ys[i − 1] (a non-decreasing curve has none). */
export function monotonicViolations(ys: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < ys.length; i++) if (ys[i]! < ys[i - 1]!) out.push(i);
  return out;
}

export interface SuppressionAnalysis {
  ratios: number[];
  spontaneousHz: MeanSd;
  isolatedHz: MeanSd;
  curve: {
    ratio: number; winnerHz: MeanSd; loserHz: MeanSd; loserFraction: MeanSd; winnerShare: MeanSd;
    /** Seeds on which the pool with the weaker input fires more. */
    invertedSeeds: number;
    modelWinnerHz: number; modelLoserHz: number;
  }[];
  prediction: {
    alpha: number; beta: number; silencingRatio: number; silencingInputRatio: number;
    /**
     * The silencing definition applied to the rate model's own loser curve on the sweep grid (no
     * spontaneous rate): where the model's loser falls below SILENCED_FRACTION of its isolated rate,
     * before its rate reaches 0 at silencingInputRatio.
     */
    modelSilencing: Silencing;
  };
  measured: Silencing & { perSeed: (number | null)[]; perSeedSilenced: MeanSd; seedsNeverSilenced: number };
  selectionCurve: [number, number][];
  criteria: {
    loserAliveBelowPrediction: { pass: boolean; checkedRatios: number[]; failingRatios: number[] };
    silencingRatioWithinTolerance: { pass: boolean; relativeError: number | null; tolerance: number };
    selectionMonotonic: { pass: boolean; significantFallsAtRatios: number[]; fallsAtRatios: number[] };
  };
}

/** Means over seeds, the prediction from the rate parameters, the measured silencing ratio and the criteria. */
export function analyzeSuppression(sweeps: readonly SeedSweep[], params: RateParams, ratios: readonly number[] = SUPPRESSION.ratios): SuppressionAnalysis {
  const over = <T>(f: (s: SeedSweep) => T): T[] => sweeps.map(f);
  const spontaneousHz = meanSd(over((s) => s.spontaneousHz));
  const isolatedHz = meanSd(over((s) => s.isolatedHz));
  const curve = ratios.map((ratio, i) => {
    const model = steadyState(params, [ratio * LOSER_INPUT_HZ, LOSER_INPUT_HZ]);
    return {
      ratio,
      winnerHz: meanSd(over((s) => s.winnerHz[i]!)),
      loserHz: meanSd(over((s) => s.loserHz[i]!)),
      loserFraction: meanSd(over((s) => (s.isolatedHz > 0 ? s.loserHz[i]! / s.isolatedHz : NaN))),
      winnerShare: meanSd(over((s) => share(s.winnerHz[i]!, s.loserHz[i]!))),
      invertedSeeds: sweeps.filter((s) => s.loserHz[i]! > s.winnerHz[i]!).length,
      modelWinnerHz: model[0]!,
      modelLoserHz: model[1]!,
    };
  });
  const predicted = predictedSilencingRatio(params);
  const measuredMean = silencing(ratios, curve.map((c) => c.loserHz.mean), spontaneousHz.mean, isolatedHz.mean);
  const perSeed = sweeps.map((s) => silencing(ratios, s.loserHz, s.spontaneousHz, s.isolatedHz).silencingRatio);
  const silencedSeeds = perSeed.filter((x): x is number => x !== null);

  const checkedRatios = ratios.filter((r) => r < predicted);
  const failingRatios = checkedRatios.filter((r) => {
    const c = curve[ratios.indexOf(r)]!;
    return !(c.loserHz.mean > spontaneousHz.mean && c.loserHz.mean >= SUPPRESSION.silencedFraction * isolatedHz.mean);
  });
  const relativeError = measuredMean.silencingRatio === null ? null : (measuredMean.silencingRatio - predicted) / predicted;
  const falls = monotonicViolations(curve.map((c) => c.winnerShare.mean));
  const significantFalls = falls.filter((i) => meanCi(sweeps.map((s) => share(s.winnerHz[i]!, s.loserHz[i]!) - share(s.winnerHz[i - 1]!, s.loserHz[i - 1]!))).high < 0);
  return {
    ratios: [...ratios],
    spontaneousHz,
    isolatedHz,
    curve,
    prediction: {
      alpha: params.alpha, beta: params.beta, silencingRatio: predicted, silencingInputRatio: predictedSilencingInputRatio(params, LOSER_INPUT_HZ),
      modelSilencing: silencing(ratios, curve.map((c) => c.modelLoserHz), 0, steadyState(params, [0, LOSER_INPUT_HZ])[1]!),
    },
    measured: { ...measuredMean, perSeed, perSeedSilenced: meanSd(silencedSeeds), seedsNeverSilenced: perSeed.length - silencedSeeds.length },
    selectionCurve: curve.map((c) => [c.ratio, c.winnerShare.mean]),
    criteria: {
      loserAliveBelowPrediction: { pass: failingRatios.length === 0, checkedRatios, failingRatios },
      silencingRatioWithinTolerance: { pass: relativeError !== null && Math.abs(relativeError) <= SUPPRESSION.predictionTolerance, relativeError, tolerance: SUPPRESSION.predictionTolerance },
      selectionMonotonic: { pass: significantFalls.length === 0, significantFallsAtRatios: significantFalls.map((i) => ratios[i]!), fallsAtRatios: falls.map((i) => ratios[i]!) },
    },
  };
}

const [LOSER_COLOR, SHARE_COLOR, PREDICTION_COLOR] = ['#1f77b4', '#d62728', '#7f7f7f'];
const passFail = (b: boolean): string => (b ? 'PASS' : 'FAIL');

export const scenario: Scenario = {
  description: 'loser, winner and selection over winner/loser input ratios 1.1–2.5 and seeds; measured vs predicted silencing ratio; pass/fail per criterion',
  async run(options) {
    const backend = parseBackend(options.backend);
    const seeds = seedRange(options.seed, options.quick ? SUPPRESSION.quickSeeds : SUPPRESSION.seeds);
    const sweeps = seeds.map((s) => {
      const sw = sweepSeed(s, backend);
      options.log?.(`seed ${s} swept`);
      return sw;
    });
    const fit = loadRateFit();
    const a = analyzeSuppression(sweeps, fit.params);
    const ref = a.curve.find((c) => c.ratio === REFERENCE_RATIO);
    const c = a.criteria;
    const m = a.measured;
    const noiseFalls = c.selectionMonotonic.fallsAtRatios.filter((r) => !c.selectionMonotonic.significantFallsAtRatios.includes(r));
    const table = [
      `loser input ${LOSER_INPUT_HZ} Hz per fibre, winner = ratio × ${LOSER_INPUT_HZ} Hz; ${seeds.length} seeds (${seeds[0]}–${seeds.at(-1)}), mean ± sd over seeds`,
      `loser alone (isolated) ${fmtMeanSd(sweeps.map((s) => s.isolatedHz), 1)} Hz; loser spontaneous (background only) ${fmtMeanSd(sweeps.map((s) => s.spontaneousHz), 2)} Hz`,
      `silenced: loser ≤ max(spontaneous, ${SUPPRESSION.silencedFraction * 100} % of isolated) = ${fmt(m.thresholdHz)} Hz (seed means)`,
      ' ratio      winner Hz       loser Hz   loser/isolated   winner share   inverted   rate model: winner, loser Hz',
      ...a.curve.map((p) => `${fmt(p.ratio).padStart(6)} ${`${fmt(p.winnerHz.mean, 1)} ± ${fmt(p.winnerHz.sd, 1)}`.padStart(14)} ${`${fmt(p.loserHz.mean, 1)} ± ${fmt(p.loserHz.sd, 1)}`.padStart(14)} ${`${fmt(p.loserFraction.mean)} ± ${fmt(p.loserFraction.sd)}`.padStart(16)} ${`${fmt(p.winnerShare.mean)} ± ${fmt(p.winnerShare.sd)}`.padStart(14)} ${`${p.invertedSeeds}/${seeds.length}`.padStart(10)}   ${fmt(p.modelWinnerHz, 1)}, ${fmt(p.modelLoserHz, 1)}`),
      '(inverted: seeds on which the pool with the weaker input fires more)',
      `predicted silencing ratio (1 − α + β)/β = ${fmt(a.prediction.silencingRatio)} (α ${fmt(a.prediction.alpha, 3)}, β ${fmt(a.prediction.beta, 3)}: data/calibration/rate-fit.json); as an input-rate ratio at a ${LOSER_INPUT_HZ} Hz loser (threshold included): ${fmt(a.prediction.silencingInputRatio)}`,
      `the same definition on the rate model's loser curve gives ${a.prediction.modelSilencing.silencingRatio === null ? 'never' : fmt(a.prediction.modelSilencing.silencingRatio)} (its loser reaches 0 at ${fmt(a.prediction.silencingInputRatio)})`,
      `measured silencing ratio ${m.silencingRatio === null ? `> ${a.ratios.at(-1)} (never silenced)` : fmt(m.silencingRatio)}${m.firstSilencedRatio === null ? '' : ` (first silenced sweep ratio ${fmt(m.firstSilencedRatio)})`}; per seed ${m.perSeed.length - m.seedsNeverSilenced > 0 ? `${fmt(m.perSeedSilenced.mean)} ± ${fmt(m.perSeedSilenced.sd)}` : '—'}, ${m.seedsNeverSilenced} of ${m.perSeed.length} seeds never silenced`,
      ...(ref ? [`loserFraction at the reference ratio ${REFERENCE_RATIO}: ${fmt(ref.loserFraction.mean)} ± ${fmt(ref.loserFraction.sd)}`] : []),
      'criteria:',
      `  loser above its spontaneous rate and ≥ ${SUPPRESSION.silencedFraction * 100} % of isolated at every ratio below the prediction: ${passFail(c.loserAliveBelowPrediction.pass)}${c.loserAliveBelowPrediction.failingRatios.length ? ` (fails at ${c.loserAliveBelowPrediction.failingRatios.join(', ')})` : ''}`,
      `  measured silencing ratio within ${SUPPRESSION.predictionTolerance * 100} % of the prediction: ${passFail(c.silencingRatioWithinTolerance.pass)}${c.silencingRatioWithinTolerance.relativeError === null ? ' (never silenced)' : ` (${fmt(100 * c.silencingRatioWithinTolerance.relativeError, 0)} %)`}`,
      `  mean selection curve monotonic (no fall beyond the seed noise): ${passFail(c.selectionMonotonic.pass)}${c.selectionMonotonic.significantFallsAtRatios.length ? ` (falls significantly at ${c.selectionMonotonic.significantFallsAtRatios.join(', ')})` : ''}${noiseFalls.length ? `; falls within the noise at ${noiseFalls.join(', ')}` : ''}`,
    ];
    const pts = (f: (p: SuppressionAnalysis['curve'][number]) => number) => a.curve.map((p) => [p.ratio, f(p)] as const);
    const R = a.prediction.silencingRatio;
    return {
      result: {
        seeds,
        backend,
        loserInputHz: LOSER_INPUT_HZ,
        silencedFraction: SUPPRESSION.silencedFraction,
        ...a,
        referenceRatio: REFERENCE_RATIO,
        loserFraction: ref ? ref.loserFraction.mean : NaN,
        perSeed: sweeps,
      },
      table,
      svg: lineChart(
        [
          { label: 'loser / isolated', points: pts((p) => p.loserFraction.mean), color: LOSER_COLOR },
          { label: '± sd', points: pts((p) => p.loserFraction.mean + p.loserFraction.sd), dashed: true, color: LOSER_COLOR },
          { label: '', points: pts((p) => Math.max(0, p.loserFraction.mean - p.loserFraction.sd)), dashed: true, color: LOSER_COLOR },
          { label: 'winner share', points: pts((p) => p.winnerShare.mean), color: SHARE_COLOR },
          { label: 'predicted silencing', points: [[R, 0], [R, 1]], dashed: true, color: PREDICTION_COLOR },
        ],
        { title: `Soft competition over input ratios (${seeds.length} seeds)`, xLabel: 'winner / loser input rate', yLabel: 'fraction' },
      ),
    };
  },
};
