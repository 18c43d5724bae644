import type { Graph } from '../graph/types.ts';
import { Random } from '../random.ts';
import { levenbergMarquardt, r2Rmse, type MeasureRates, type TiedGain, type TransferCondition } from './class-gain-fit.ts';
import {
  ltuNetwork,
  steadyRates,
  termCoefficient,
  unitBias,
  unitOutput,
  type ClassKey,
  type GainKey,
  type GainsByClass,
  type LtuNetwork,
} from './ltu-network.ts';

/**
 * Staged fit of the per-class gains, biases and transfer shapes (limiter relays, convex foot;
 * ClassGains in ltu-network.ts) to the conductance module's population rates.
 *
 *  1. equation error from seeded starts: every population's unit driven by the *measured* rates of
 *     its presynaptic populations (the pools clamped to their measured rates, the limiter relays
 *     computed from them), so each interneuron's curve is fitted on its own;
 *  2. output error of the closed loop (the network's own steady state from rest) from the best
 *     equation-error starts; the lowest cost wins;
 *  3. optionally a few steps with the realized network in the loop (`emulator`): residuals from its
 *     rates, Jacobian from the LTU model.
 *
 * Levenberg–Marquardt on log-gains, biases, log limiter gain, kink (in units of 10 Hz) and foot
 * width, with a forward-difference Jacobian (the limiter and the foot make the analytic one of
 * class-gain-fit.ts inapplicable). Residuals are weighted by 1/variance of each population's
 * measured rates, so that every population counts alike, as in its r2.
 */
export interface ClassShape {
  limiter?: boolean;
  foot?: boolean;
}

export interface ShapedFitOptions {
  shapes: Partial<Record<ClassKey, ClassShape>>;
  tied?: readonly TiedGain[];
  /** Seeded starts of stage 1 and how many of the best go on to stage 2. */
  starts?: number;
  closedLoopStarts?: number;
  /**
   * Rounds of balancing after stage 2: the residual weight of each population whose unexplained
   * variance 1 − r2 is above the mean is multiplied by √((1 − r2) / mean(1 − r2)) and the closed
   * loop refitted, so that the worst-fitted populations count more (the bar is r2 per population,
   * not their sum); the others keep their weight, so that the pools keep their curves.
   */
  balanceRounds?: number;
  seed?: number;
  /**
   * Start stage 2 from these gains instead of stage 1 (e.g. a fit without some of the shapes: a
   * shape missing from them starts off, limiter gain LIMITER_START_GAIN at kink LIMITER_START_HZ).
   */
  initial?: GainsByClass;
  maxIter?: number;
  emulator?: { measure: MeasureRates; maxIter?: number };
}

export interface ShapedFit {
  gains: GainsByClass;
  /** The LTU network with the limiter relays of the fitted classes. */
  net: LtuNetwork;
  /** Per graph population: r2 and RMSE of the last stage's rates against the measurements. */
  populations: Record<string, { r2: number; rmseHz: number }>;
}

type Param = { cls: ClassKey; what: GainKey | 'bias' | 'limiterGain' | 'kink' | 'foot' };

/** Scale of the kink parameter: kinkHz = KINK_UNIT_HZ · θ, so that θ is of order 1 like the others. */
const KINK_UNIT_HZ = 10;
/** A limiter added to a fitted class starts this weak (fC⁻¹), at this presynaptic rate (Hz). */
const LIMITER_START_GAIN = 1e-6;
const LIMITER_START_HZ = 40;
/** Forward-difference step on each parameter. */
const FD_STEP = 1e-4;

export function fitShapedGains(graph: Graph, conditions: readonly TransferCondition[], options: ShapedFitOptions): ShapedFit {
  const limited = (Object.keys(options.shapes) as ClassKey[]).filter((c) => options.shapes[c]?.limiter);
  const net = ltuNetwork(graph, { limited });
  const tied = options.tied ?? [];
  const real = net.units.map((u, i) => (u.relay ? -1 : i)).filter((i) => i >= 0);
  const classes = [...new Set(net.units.map((u) => u.cls))];
  const params: Param[] = [];
  for (const cls of classes) {
    const used = new Set<GainKey>();
    for (const u of net.units) if (u.cls === cls && !u.relay) for (const t of u.terms) if (!t.kind) used.add(t.gainKey);
    for (const key of [0, 1, 2, 3, 4] as const) if (used.has(key) && !tied.some((t) => t.cls === cls && t.key === key)) params.push({ cls, what: key });
    params.push({ cls, what: 'bias' });
    if (options.shapes[cls]?.limiter) params.push({ cls, what: 'limiterGain' }, { cls, what: 'kink' });
    if (options.shapes[cls]?.foot) params.push({ cls, what: 'foot' });
  }
  const toGains = (x: readonly number[]): GainsByClass => {
    const g: GainsByClass = {};
    for (const cls of classes) g[cls] = { gains: [0, 0, 0, 0, 0], biasHz: 0 };
    params.forEach((p, k) => {
      const cg = g[p.cls]!;
      const v = x[k]!;
      if (p.what === 'bias') cg.biasHz = v;
      else if (p.what === 'limiterGain') cg.limiter = { gain: Math.exp(v), kinkHz: cg.limiter?.kinkHz ?? 0 };
      else if (p.what === 'kink') cg.limiter = { gain: cg.limiter?.gain ?? 0, kinkHz: KINK_UNIT_HZ * v };
      else if (p.what === 'foot') cg.footHz = Math.abs(v);
      else cg.gains[p.what] = Math.exp(v);
    });
    for (const t of tied) g[t.cls]!.gains[t.key] = t.ratio * g[t.cls]!.gains[t.toKey];
    return g;
  };
  const measured = conditions.map((c) => net.units.map((u) => c.populationsHz[u.id] ?? 0));
  const weights: number[] = real.map((i) => {
    const ys = measured.map((m) => m[i]!);
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    return 1 / Math.sqrt(Math.max(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length, 1));
  });
  const residuals = (rates: readonly ArrayLike<number>[]): number[] => {
    const res: number[] = [];
    rates.forEach((r, k) => real.forEach((i, n) => res.push(weights[n]! * (r[i]! - measured[k]![i]!))));
    return res;
  };
  // Stage 1 rates: every unit's output at the measured rates (relays first: they read pools only).
  const equationRates = (g: GainsByClass): number[][] =>
    conditions.map((c, k) => {
      const r = [...measured[k]!];
      const out = (i: number): number => {
        const u = net.units[i]!;
        const cg = g[u.cls]!;
        let a = unitBias(u, cg);
        for (const t of u.terms) a += termCoefficient(t, cg) * (t.preUnit >= 0 ? r[t.preUnit]! : c.sourcesHz[t.pre] ?? 0);
        return unitOutput(u, cg, a, net.maxHz);
      };
      net.units.forEach((u, i) => {
        if (u.relay) r[i] = out(i);
      });
      return net.units.map((u, i) => (u.relay ? r[i]! : out(i)));
    });
  const closedRates = (g: GainsByClass): Float64Array[] => conditions.map((c) => steadyRates(net, g, c.sourcesHz, { tolHz: 1e-6 }));
  const fdProblem = (rates: (g: GainsByClass) => readonly ArrayLike<number>[], x: { v: number[] }, base?: () => readonly ArrayLike<number>[]) => (): { res: number[]; jac: number[][] } => {
    const r0 = residuals(rates(toGains(x.v)));
    const res = base ? residuals(base()) : r0;
    const jac = res.map(() => new Array<number>(params.length).fill(0));
    for (let p = 0; p < params.length; p++) {
      const xp = [...x.v];
      xp[p] = xp[p]! + FD_STEP;
      const rp = residuals(rates(toGains(xp)));
      rp.forEach((v, k) => {
        jac[k]![p] = (v - r0[k]!) / FD_STEP;
      });
    }
    return { res, jac };
  };
  const fit = (rates: (g: GainsByClass) => readonly ArrayLike<number>[], x0: readonly number[], maxIter: number, base?: (g: GainsByClass) => readonly ArrayLike<number>[]): { x: number[]; cost: number } => {
    const x = { v: [...x0] };
    levenbergMarquardt(() => [...x.v], (v) => { x.v = [...v]; }, fdProblem(rates, x, base ? () => base(toGains(x.v)) : undefined), maxIter, base ? { maxTries: 3, lambda: 0.1 } : {});
    const cost = residuals((base ?? rates)(toGains(x.v))).reduce((a, r) => a + r * r, 0);
    return { x: x.v, cost };
  };

  const rng = new Random(options.seed ?? 1);
  const start = (): number[] =>
    params.map((p) => {
      const z = rng.normal();
      if (p.what === 'bias') return 3 * z;
      if (p.what === 'kink') return 0.5 + 3.5 * rng.uniform();
      if (p.what === 'foot') return 1 + 14 * rng.uniform();
      return Math.log(1e-4) + (p.what === 'limiterGain' ? 1 : 0.5) * z;
    });
  const fromGains = (g: GainsByClass): number[] =>
    params.map((p) => {
      const cg = g[p.cls]!;
      if (p.what === 'bias') return cg.biasHz;
      if (p.what === 'limiterGain') return Math.log(cg.limiter?.gain ?? LIMITER_START_GAIN);
      if (p.what === 'kink') return (cg.limiter?.kinkHz ?? LIMITER_START_HZ) / KINK_UNIT_HZ;
      if (p.what === 'foot') return cg.footHz ?? 1;
      return Math.log(Math.max(cg.gains[p.what], 1e-12));
    });
  const maxIter = options.maxIter ?? 200;
  const stage1 = options.initial ? [{ x: fromGains(options.initial), cost: 0 }] : Array.from({ length: options.starts ?? 8 }, () => fit(equationRates, start(), maxIter)).sort((a, b) => a.cost - b.cost);
  let best = stage1
    .slice(0, options.closedLoopStarts ?? 3)
    .map((s) => fit(closedRates, s.x, maxIter))
    .reduce((a, b) => (b.cost < a.cost ? b : a));
  for (let round = 0; round < (options.balanceRounds ?? 0); round++) {
    const rates = closedRates(toGains(best.x));
    const unexplained = real.map((i) => Math.max(1 - r2Rmse(measured.map((m) => m[i]!), rates.map((r) => r[i]!)).r2, 1e-3));
    const mean = unexplained.reduce((a, b) => a + b, 0) / unexplained.length;
    unexplained.forEach((u, n) => {
      weights[n] = weights[n]! * Math.sqrt(Math.max(1, u / mean));
    });
    best = fit(closedRates, best.x, maxIter);
  }
  let last = (): readonly ArrayLike<number>[] => closedRates(toGains(best.x));
  if (options.emulator) {
    const measure = options.emulator.measure;
    best = fit(closedRates, best.x, options.emulator.maxIter ?? 4, measure);
    last = () => measure(toGains(best.x));
  }
  const gains = toGains(best.x);
  const final = last();
  const populations: Record<string, { r2: number; rmseHz: number }> = {};
  for (const i of real) populations[net.units[i]!.id] = r2Rmse(measured.map((m) => m[i]!), final.map((r) => r[i]!));
  return { gains, net, populations };
}
