import type { Graph } from '../graph/types.ts';
import {
  ltuNetwork,
  steadyRates,
  steadyStateJacobian,
  solveLinear,
  type ClassGains,
  type GainKey,
  type ClassKey,
  type GainsByClass,
  type LtuNetwork,
} from './ltu-network.ts';

/**
 * Fit of the per-class gains and biases of the LTU network (ltu-network.ts) to rates measured on
 * the conductance module, population by population, over a set of conditions.
 *
 * Two stages, both Levenberg–Marquardt on log-gains and biases:
 *  1. equation error: each population's unit driven by the *measured* presynaptic rates (fast, no
 *     fixed point; a starting point);
 *  2. output error: the network's own steady state from rest (what a run of the mapped network
 *     reaches), with the Jacobian by implicit differentiation (steadyStateJacobian).
 * Residuals are weighted by 1/variance of each population's measured rates, so every population
 * counts alike (as in its r2), whatever its rate range.
 */
export interface TransferCondition {
  /** Rate of every Poisson source of the graph (Hz per fibre). */
  sourcesHz: Record<string, number>;
  /** Measured mean rate of every population (Hz per neuron). */
  populationsHz: Record<string, number>;
}

/** A gain fixed rather than fitted, e.g. the pyramidal self-excitation from the rate fit. */
export interface PinnedGain {
  cls: ClassKey;
  key: GainKey;
  value: number;
}

export interface ClassGainFit {
  gains: GainsByClass;
  /** Per population: r2 and RMSE of the network's steady state against the measurements. */
  populations: Record<string, { r2: number; rmseHz: number }>;
  iterations: number;
}

interface Param {
  cls: ClassKey;
  /** Gain key 0–4 for a log-gain, 'bias' for the bias. */
  what: GainKey | 'bias';
}

/**
 * The emulator in the loop: rates of every population (in graph order), per condition, of the
 * network realized with `gains` (e.g. the TrueNorth engine run from reset under each condition).
 */
export type MeasureRates = (gains: GainsByClass) => Float64Array[];

/** A gain fixed as a multiple of another of the same class: g[key] = ratio · g[toKey]. */
export interface TiedGain {
  cls: ClassKey;
  key: GainKey;
  toKey: GainKey;
  ratio: number;
}

export interface FitOptions {
  pinned?: readonly PinnedGain[];
  tied?: readonly TiedGain[];
  /** Start from these gains and skip stage 1. */
  initial?: GainsByClass;
  maxIter?: number;
  /**
   * Stage 3 (optional): residuals from the realized network (`measure`), Jacobian from the LTU
   * model at the realized rates; a few Levenberg–Marquardt steps. It corrects what the mean-field
   * model leaves out, e.g. the rate a noisy input adds to a unit near threshold.
   */
  emulator?: { measure: MeasureRates; maxIter?: number };
}

export function fitClassGains(graph: Graph, conditions: readonly TransferCondition[], options: FitOptions = {}): ClassGainFit {
  const net = ltuNetwork(graph);
  const pinned = options.pinned ?? [];
  const tied = options.tied ?? [];
  const applyTies = (): void => {
    for (const t of tied) {
      const g = gains[t.cls];
      if (g) g.gains[t.key] = t.ratio * g.gains[t.toKey];
    }
  };
  const classes = [...new Set(net.units.map((u) => u.cls))];
  const gains: GainsByClass = {};
  const all: Param[] = [];
  for (const cls of classes) {
    const used = new Set<GainKey>();
    let recurrentEfficacy = 0;
    for (const u of net.units) {
      if (u.cls !== cls) continue;
      for (const t of u.terms) {
        used.add(t.gainKey);
        if (t.gainKey === 4) recurrentEfficacy = Math.max(recurrentEfficacy, t.efficacy);
      }
    }
    const init = options.initial?.[cls];
    // Start: weak gains, and a recurrent loop gain of 0.05 (a stable network to start from).
    const g: ClassGains = { gains: init ? [...init.gains] : [1e-4, 1e-4, 1e-4, 1e-4, recurrentEfficacy > 0 ? 0.05 / recurrentEfficacy : 0], biasHz: init?.biasHz ?? 0 };
    for (const key of [0, 1, 2, 3, 4] as const) {
      const pin = pinned.find((p) => p.cls === cls && p.key === key);
      if (pin) g.gains[key] = pin.value;
      else if (used.has(key) && !tied.some((t) => t.cls === cls && t.key === key)) all.push({ cls, what: key });
    }
    all.push({ cls, what: 'bias' });
    gains[cls] = g;
  }
  applyTies();
  // Stage 1 leaves untied recurrence out: with the measured rate on both sides, x ≈ α x fits anything.
  let params = options.initial ? all : all.filter((p) => p.what !== 4);
  const weights = net.units.map((u) => {
    const ys = conditions.map((c) => c.populationsHz[u.id] ?? 0);
    const m = ys.reduce((a, b) => a + b, 0) / ys.length;
    const v = ys.reduce((a, b) => a + (b - m) ** 2, 0) / ys.length;
    return 1 / Math.max(v, 1);
  });
  const get = (): number[] => params.map((p) => (p.what === 'bias' ? gains[p.cls]!.biasHz : Math.log(Math.max(gains[p.cls]!.gains[p.what], 1e-9))));
  const set = (v: readonly number[]): void => {
    params.forEach((p, k) => {
      if (p.what === 'bias') gains[p.cls]!.biasHz = v[k]!;
      else gains[p.cls]!.gains[p.what] = Math.exp(v[k]!);
    });
    applyTies();
  };

  // ∂a_i/∂θ at fixed rates `rates` (populations) and sources.
  const driveDerivatives = (rates: ArrayLike<number>, c: TransferCondition): number[][] =>
    net.units.map((u) => {
      const row = new Array<number>(params.length).fill(0);
      params.forEach((p, k) => {
        if (p.cls !== u.cls) return;
        if (p.what === 'bias') {
          row[k] = 1;
          return;
        }
        // ∂/∂ log g of every term whose gain is g or tied to it (a tied gain scales with g).
        const keys = [p.what, ...tied.filter((t) => t.cls === u.cls && t.toKey === p.what).map((t) => t.key)];
        for (const t of u.terms) {
          if (!keys.includes(t.gainKey)) continue;
          const pre = t.preUnit >= 0 ? rates[t.preUnit]! : c.sourcesHz[t.pre] ?? 0;
          row[k] = row[k]! + t.sign * gains[u.cls]!.gains[t.gainKey] * t.efficacy * pre;
        }
      });
      return row;
    });

  const measured = (c: TransferCondition): Float64Array => Float64Array.from(net.units, (u) => c.populationsHz[u.id] ?? 0);

  // Stage 1: equation error.
  const equationError = (): { res: number[]; jac: number[][] } => {
    const res: number[] = [];
    const jac: number[][] = [];
    for (const c of conditions) {
      const y = measured(c);
      const dA = driveDerivatives(y, c);
      net.units.forEach((_, i) => {
        const a = unitDrive(net, gains, i, y, c.sourcesHz);
        const out = Math.min(net.maxHz, Math.max(0, a));
        const w = Math.sqrt(weights[i]!);
        res.push(w * (out - y[i]!));
        // a leaky slope below threshold lets a unit that should fire climb back over it.
        const slope = a > 0 ? 1 : y[i]! > 0 ? 0.1 : 0;
        jac.push(dA[i]!.map((d) => w * slope * d));
      });
    }
    return { res, jac };
  };
  // Output error of the rates `rateOf(c, k)` under every condition, with their Jacobian through the steady state.
  const rateError = (rateOf: (c: TransferCondition, k: number) => Float64Array): { res: number[]; jac: number[][] } => {
    const res: number[] = [];
    const jac: number[][] = [];
    conditions.forEach((c, k) => {
      const y = measured(c);
      const r = rateOf(c, k);
      const dR = steadyStateJacobian(net, gains, r, driveDerivatives(r, c), { leak: 0.1, wantsActive: Array.from(y, (v) => v > 0.5) });
      net.units.forEach((_, i) => {
        const w = Math.sqrt(weights[i]!);
        res.push(w * (r[i]! - y[i]!));
        jac.push(dR[i]!.map((d) => w * d));
      });
    });
    return { res, jac };
  };
  // Stage 2: output error of the LTU network's steady state.
  const outputError = (): { res: number[]; jac: number[][] } => rateError((c) => steadyRates(net, gains, c.sourcesHz));

  let iterations = 0;
  if (!options.initial) {
    iterations += levenbergMarquardt(get, set, equationError, options.maxIter ?? 200);
    params = all;
  }
  iterations += levenbergMarquardt(get, set, outputError, options.maxIter ?? 200);

  let pred = conditions.map((c) => steadyRates(net, gains, c.sourcesHz));
  if (options.emulator) {
    const measure = options.emulator.measure;
    // Stage 3: output error of the emulator's rates (the Jacobian from the LTU network at those rates).
    const emulatorError = (): { res: number[]; jac: number[][] } => {
      const last = measure(gains);
      return rateError((_, k) => last[k]!);
    };
    iterations += levenbergMarquardt(get, set, emulatorError, options.emulator.maxIter ?? 6, { maxTries: 3, lambda: 0.1 });
    pred = measure(gains);
  }

  const populations: Record<string, { r2: number; rmseHz: number }> = {};
  net.units.forEach((u, i) => {
    const ys = conditions.map((c) => c.populationsHz[u.id] ?? 0);
    populations[u.id] = r2Rmse(ys, pred.map((p) => p[i]!));
  });
  return { gains, populations, iterations };
}

/** Drive a_i of unit i at the given population rates and source rates. */
export function unitDrive(net: LtuNetwork, gains: GainsByClass, i: number, rates: ArrayLike<number>, sourcesHz: Readonly<Record<string, number>>): number {
  const u = net.units[i]!;
  const g = gains[u.cls]!;
  let a = g.biasHz;
  for (const t of u.terms) a += t.sign * g.gains[t.gainKey] * t.efficacy * (t.preUnit >= 0 ? rates[t.preUnit]! : sourcesHz[t.pre] ?? 0);
  return a;
}

export function r2Rmse(ys: readonly number[], preds: readonly number[]): { r2: number; rmseHz: number } {
  const m = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sse = 0;
  let sst = 0;
  ys.forEach((y, k) => {
    sse += (preds[k]! - y) ** 2;
    sst += (y - m) ** 2;
  });
  return { r2: sst > 0 ? 1 - sse / sst : sse === 0 ? 1 : 0, rmseHz: Math.sqrt(sse / ys.length) };
}

/** Plain Levenberg–Marquardt (Marquardt's diagonal scaling); returns the iterations used. */
export function levenbergMarquardt(
  get: () => number[],
  set: (v: readonly number[]) => void,
  evaluate: () => { res: number[]; jac: number[][] },
  maxIter: number,
  options: { maxTries?: number; lambda?: number } = {},
): number {
  let lambda = options.lambda ?? 1e-2;
  let x = get();
  let { res, jac } = evaluate();
  let cost = res.reduce((a, r) => a + r * r, 0);
  let it = 0;
  for (; it < maxIter; it++) {
    const P = x.length;
    const JtJ = Array.from({ length: P }, () => new Array<number>(P).fill(0));
    const Jtr = new Array<number>(P).fill(0);
    for (let k = 0; k < res.length; k++) {
      const row = jac[k]!;
      for (let a = 0; a < P; a++) {
        if (row[a] === 0) continue;
        Jtr[a] = Jtr[a]! + row[a]! * res[k]!;
        for (let b = 0; b < P; b++) JtJ[a]![b] = JtJ[a]![b]! + row[a]! * row[b]!;
      }
    }
    let improved = false;
    for (let tries = 0; tries < (options.maxTries ?? 12); tries++) {
      const A = JtJ.map((row, a) => row.map((v, b) => (a === b ? v + lambda * Math.max(v, 1e-6) : v)));
      let step: number[];
      try {
        step = solveLinear(A, Jtr.map((v) => [-v])).map((r) => r[0]!);
      } catch {
        lambda *= 10;
        continue;
      }
      const xNew = x.map((v, k) => v + Math.max(-2, Math.min(2, step[k]!)));
      set(xNew);
      const e = evaluate();
      const c = e.res.reduce((a, r) => a + r * r, 0);
      if (c < cost) {
        const gain = cost - c;
        x = xNew;
        res = e.res;
        jac = e.jac;
        cost = c;
        lambda = Math.max(lambda / 3, 1e-7);
        improved = true;
        if (gain < 1e-9 * cost) return it + 1;
        break;
      }
      lambda *= 4;
    }
    if (!improved) {
      set(x);
      break;
    }
  }
  return it;
}
