import { Random } from '../../src/random.ts';
import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { fmt, mean, sd } from './common.ts';
import { ModuleRunner, parseBackend, type Backend } from './module-runner.ts';

/**
 * Signal restoration over K pools: the clean profile is a Gaussian bump (σ = 1 pool) on a
 * baseline; the presented input is that bump blurred (σ = 2 pools) plus independent noise.
 * Restoration means the module's output correlates with the clean profile better than its input.
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
  seeds: 10,
} as const;

export function pearson(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

function bump(k: number, centre: number, sigma: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.exp(-((i - centre) ** 2) / (2 * sigma * sigma)));
}

export interface RestorationTrial {
  clean: number[];
  input: number[];
  output: number[];
  inputCorrelation: number;
  outputCorrelation: number;
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
  return { clean, input, output, inputCorrelation: pearson(input, clean), outputCorrelation: pearson(output, clean) };
}

export const scenario: Scenario = {
  description: 'noisy, blurred input profile over 8 pools; correlation of input and output with the clean profile, over 10 seeds',
  async run(options) {
    const first = options.seed ?? 1;
    const backend = parseBackend(options.backend);
    const trials = Array.from({ length: RESTORATION.seeds }, (_, s) => restorationTrial(first + s, backend));
    const inC = trials.map((t) => t.inputCorrelation);
    const outC = trials.map((t) => t.outputCorrelation);
    const table = [
      'seed   input r   output r',
      ...trials.map((t, s) => `${String(first + s).padStart(4)}   ${fmt(t.inputCorrelation).padStart(7)}   ${fmt(t.outputCorrelation).padStart(8)}`),
      `mean   ${fmt(mean(inC))} ± ${fmt(sd(inC))}   ${fmt(mean(outC))} ± ${fmt(sd(outC))}`,
    ];
    const t = trials[0]!;
    const norm = (xs: number[]) => { const m = Math.max(...xs) || 1; return xs.map((x, i) => [i, x / m] as const); };
    return {
      result: { inputCorrelation: mean(inC), outputCorrelation: mean(outC), inputCorrelationSd: sd(inC), outputCorrelationSd: sd(outC), seeds: trials.length },
      table,
      svg: lineChart(
        [{ label: 'clean', points: norm(t.clean) }, { label: 'input', points: norm(t.input), dashed: true }, { label: 'output', points: norm(t.output) }],
        { title: `Signal restoration (seed ${first}), normalized`, xLabel: 'pool', yLabel: 'relative rate' },
      ),
    };
  },
};
