import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { steadyState, type Context, type RateParams } from './ltu.ts';

/** One measured condition of the conductance module: inputs and context in, pool rates out. */
export interface TransferSample extends Context {
  inputsHz: number[];
  outputsHz: number[];
}

export interface RateFit {
  params: RateParams;
  /** Coefficient of determination over every pool output of every sample. */
  r2: number;
  rmseHz: number;
  samples: number;
}

/**
 * The steady state is invariant under scaling s, 1 − α, β and T together, so one of them must be
 * fixed: the input scale is 1 (drive in Hz of input), which makes α, β and T identifiable.
 * Constraints by construction: α ≤ 0.95 (the closed form needs α < 1, and its slope 1/(1 − α)
 * stays finite); β and the gains ≥ 0. When the losers are silenced the data fix only the winner
 * gain 1/(1 − α + β), and the fit may sit at this bound: the module is then close to multistable.
 */
function toParams(v: readonly number[]): RateParams {
  return {
    inputScale: 1,
    alpha: Math.min(0.95, v[0]!),
    beta: Math.abs(v[1]!),
    thresholdHz: v[2]!,
    vipGainPerHz: Math.abs(v[3]!),
    lamp5GainPerHz: Math.abs(v[4]!),
  };
}

/**
 * Starting points of the local fits (α, β, T Hz, γ_V, γ_L): a grid over the loop gains and the
 * threshold. The error surface has separate basins — a strongly self-exciting module with weak
 * competition and a weakly self-exciting one with strong competition give similar winner gains —
 * and Levenberg–Marquardt stays in the basin it starts in.
 */
const START_GRID: readonly number[][] = [0, 0.4, 0.7, 0.9].flatMap((alpha) =>
  [0.1, 0.3, 1].flatMap((beta) => [-5, 0, 5].map((thresholdHz) => [alpha, beta, thresholdHz, 0.02, 0.05])),
);

/**
 * Least-squares fit (Levenberg–Marquardt, ml-levenberg-marquardt) of the LTU sWTA steady state to
 * measured transfer samples, from a grid of starting points; returns the best fit and its error.
 */
export function fitRateModel(samples: readonly TransferSample[]): RateFit {
  if (samples.length === 0) throw new RangeError('fitRateModel: no samples');
  const xs: number[] = [];
  const ys: number[] = [];
  samples.forEach((s, k) => s.outputsHz.forEach((y, i) => {
    xs.push(k * 1000 + i);
    ys.push(y);
  }));
  const predict = (v: number[]) => {
    const p = toParams(v);
    const cache = new Map<number, number[]>();
    return (x: number): number => {
      const k = Math.floor(x / 1000);
      let out = cache.get(k);
      if (!out) {
        const s = samples[k]!;
        out = steadyState(p, s.inputsHz, s);
        cache.set(k, out);
      }
      return out[x - k * 1000]!;
    };
  };
  let best: { v: number[]; sse: number } | null = null;
  for (const start of START_GRID) {
    const r = levenbergMarquardt({ x: xs, y: ys }, predict, { initialValues: start, maxIterations: 300, damping: 1e-2, gradientDifference: 1e-4, errorTolerance: 1e-9 });
    const f = predict(r.parameterValues);
    const sse = xs.reduce((a, x, i) => a + (f(x) - ys[i]!) ** 2, 0);
    if (!best || sse < best.sse) best = { v: r.parameterValues, sse };
  }
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sst = ys.reduce((a, y) => a + (y - meanY) ** 2, 0);
  return { params: toParams(best!.v), r2: 1 - best!.sse / sst, rmseHz: Math.sqrt(best!.sse / ys.length), samples: samples.length };
}
