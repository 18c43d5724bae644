import { Random } from '../../src/random.ts';
import { ciIncludes, fisherZ, mean, meanCi, meanSd, pearson, sd, type MeanCi, type MeanSd } from '../../src/stats.ts';
import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { fmt } from './common.ts';
import { ModuleRunner, parseBackend, type Backend } from './module-runner.ts';

/**
 * Signal restoration over K pools: the clean profile is a Gaussian bump (σ = 1 pool) on a
 * baseline; the presented input is that bump blurred (σ = 2 pools) plus independent noise.
 * Restoration means the module's output correlates with the clean profile better than its input.
 *
 * The statistic is paired per seed (each seed draws its own profile, noise and network): the
 * Fisher-z difference Δz = atanh(r_out) − atanh(r_in), with its mean and 95 % t interval over
 * seeds; restoration is resolved when that interval excludes 0. The peak-location error is the
 * distance in pools between the profile's centre and the input's (or output's) largest pool.
 */
export const RESTORATION = {
  pools: 8,
  poolSize: 40,
  baselineHz: 4,
  peakHz: 22,
  cleanSigmaPools: 1,
  blurSigmaPools: 2,
  noiseSdHz: 4,
  /** Nearest-neighbour cooperation between adjacent pools (SwtaModuleOptions.neighbourP). */
  neighbourP: 0.3,
  seeds: 20,
  /** Seeds of `--quick` (tests). */
  quickSeeds: 4,
  ciLevel: 0.95,
} as const;

/**
 * |r| is held below 1 by this much before Fisher's z: a profile reproduced exactly (r = 1) would
 * otherwise give an infinite z and an undefined interval.
 */
const R_MARGIN = 1e-12;

function bump(k: number, centre: number, sigma: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma)));
}

export interface RestorationTrial {
  seed: number;
  /** Pool at the centre of the clean profile. */
  centre: number;
  clean: number[];
  input: number[];
  output: number[];
  inputCorrelation: number;
  outputCorrelation: number;
  /** atanh(r_out) − atanh(r_in). */
  fisherZDelta: number;
  /** |argmax − centre| in pools, of the input and of the output. */
  inputPeakErrorPools: number;
  outputPeakErrorPools: number;
}

function argmax(xs: readonly number[]): number {
  let k = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[k]!) k = i;
  return k;
}

/** Fisher-z difference of two correlations, |r| held below 1 by R_MARGIN. */
export function fisherZDelta(rIn: number, rOut: number): number {
  const clamp = (r: number) => Math.max(-1 + R_MARGIN, Math.min(1 - R_MARGIN, r));
  return fisherZ(clamp(rOut)) - fisherZ(clamp(rIn));
}

export function restorationTrial(seed: number, backend: Backend = 'conductance'): RestorationTrial {
  const p = RESTORATION;
  const rng = new Random(Random.derive(seed, 'restoration-profile'));
  const centre = 2 + rng.int(p.pools - 4);
  const clean = bump(p.pools, centre, p.cleanSigmaPools).map((b) => p.baselineHz + (p.peakHz - p.baselineHz) * b);
  const blurred = bump(p.pools, centre, p.blurSigmaPools).map((b) => p.baselineHz + (p.peakHz - p.baselineHz) * b);
  const input = blurred.map((x) => Math.max(0, x + p.noiseSdHz * rng.normal()));
  const runner = new ModuleRunner({ module: { pools: p.pools, poolSize: p.poolSize, neighbourP: p.neighbourP }, seed, backend });
  const output = runner.measure({ inputsHz: input }).pools;
  const inputCorrelation = pearson(input, clean);
  const outputCorrelation = pearson(output, clean);
  return {
    seed, centre, clean, input, output, inputCorrelation, outputCorrelation,
    fisherZDelta: fisherZDelta(inputCorrelation, outputCorrelation),
    inputPeakErrorPools: Math.abs(argmax(input) - centre),
    outputPeakErrorPools: Math.abs(argmax(output) - centre),
  };
}

export interface RestorationStats {
  seeds: number;
  inputCorrelation: MeanSd;
  outputCorrelation: MeanSd;
  /** Paired Fisher-z difference over seeds, with its t interval. */
  fisherZDelta: MeanCi;
  /** Does the interval include 0 (restoration not resolved)? */
  ciIncludesZero: boolean;
  inputPeakErrorPools: MeanSd;
  outputPeakErrorPools: MeanSd;
  /** Paired output − input peak error (pools), with its t interval. */
  peakErrorChange: MeanCi;
}

export function restorationStats(trials: readonly RestorationTrial[], level: number = RESTORATION.ciLevel): RestorationStats {
  const dz = meanCi(trials.map((t) => t.fisherZDelta), level);
  return {
    seeds: trials.length,
    inputCorrelation: meanSd(trials.map((t) => t.inputCorrelation)),
    outputCorrelation: meanSd(trials.map((t) => t.outputCorrelation)),
    fisherZDelta: dz,
    ciIncludesZero: ciIncludes(dz, 0),
    inputPeakErrorPools: meanSd(trials.map((t) => t.inputPeakErrorPools)),
    outputPeakErrorPools: meanSd(trials.map((t) => t.outputPeakErrorPools)),
    peakErrorChange: meanCi(trials.map((t) => t.outputPeakErrorPools - t.inputPeakErrorPools), level),
  };
}

export const scenario: Scenario = {
  description: 'noisy, blurred input profile over 8 pools: correlation with the clean profile, input vs output, paired over 20 seeds (Fisher-z Δr with its 95 % CI), and the peak-location error',
  async run(options) {
    const first = options.seed ?? 1;
    const backend = parseBackend(options.backend);
    const n = options.quick ? RESTORATION.quickSeeds : RESTORATION.seeds;
    const trials = Array.from({ length: n }, (_, s) => restorationTrial(first + s, backend));
    const st = restorationStats(trials);
    const inC = trials.map((t) => t.inputCorrelation);
    const outC = trials.map((t) => t.outputCorrelation);
    const pct = st.fisherZDelta.level * 100;
    const dz = st.fisherZDelta;
    const table = [
      'seed   input r   output r   Fisher-z Δ   peak error in, out (pools)',
      ...trials.map((t) => `${String(t.seed).padStart(4)}   ${fmt(t.inputCorrelation).padStart(7)}   ${fmt(t.outputCorrelation).padStart(8)}   ${fmt(t.fisherZDelta).padStart(10)}   ${t.inputPeakErrorPools}, ${t.outputPeakErrorPools}`),
      `mean   ${fmt(mean(inC))} ± ${fmt(sd(inC))}   ${fmt(mean(outC))} ± ${fmt(sd(outC))}   (${n} seeds from ${first})`,
      `Fisher-z Δr = z(r_out) − z(r_in), paired per seed: mean ${fmt(dz.mean, 3)}, ${pct} % CI [${fmt(dz.low, 3)}, ${fmt(dz.high, 3)}] (t, ${dz.n - 1} df): the CI ${st.ciIncludesZero ? 'includes 0: restoration not resolved' : `excludes 0: the output is ${dz.mean > 0 ? 'closer to' : 'further from'} the clean profile than the input`}`,
      `peak-location error: input ${fmt(st.inputPeakErrorPools.mean)} ± ${fmt(st.inputPeakErrorPools.sd)} pools, output ${fmt(st.outputPeakErrorPools.mean)} ± ${fmt(st.outputPeakErrorPools.sd)} pools; output − input ${fmt(st.peakErrorChange.mean)} [${fmt(st.peakErrorChange.low)}, ${fmt(st.peakErrorChange.high)}]`,
    ];
    const t = trials[0]!;
    const norm = (xs: number[]) => { const m = Math.max(...xs) || 1; return xs.map((x, i) => [i, x / m] as const); };
    return {
      result: {
        ...st,
        firstSeed: first,
        backend,
        inputCorrelationMean: st.inputCorrelation.mean,
        outputCorrelationMean: st.outputCorrelation.mean,
        trials,
      },
      table,
      svg: lineChart(
        [{ label: 'clean', points: norm(t.clean) }, { label: 'input', points: norm(t.input), dashed: true }, { label: 'output', points: norm(t.output) }],
        { title: `Signal restoration (seed ${first}), normalized`, xLabel: 'pool', yLabel: 'relative rate' },
      ),
    };
  },
};
