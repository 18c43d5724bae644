import type { Graph } from '../graph/types.ts';
import { steadyState, winnerGain } from '../rate/ltu.ts';
import { r2Rmse, type MeasureRates, type TransferCondition } from './class-gain-fit.ts';
import type { RateFitArtifact } from './rate-fit-artifact.ts';
import { ltuNetwork, RELAY_SIZE, steadyRates, termCoefficient, type ClassKey, type GainsByClass } from './ltu-network.ts';
import { fitShapedGains, type ClassShape } from './shaped-gain-fit.ts';
import { realizeUnit, type Realization, type RealizationOptions } from './tn-realization.ts';

/**
 * Gain matching: the calibration step from the conductance module to TrueNorth (docs/reference/architecture.md,
 * calibration chain; docs/reference/swta-and-truenorth.md §5.5).
 *
 *   1. transfer curves: every population's rate on the conductance module over the conditions of
 *      the rate fit (input–output curves alone and in competition, under VIP and LAMP5 drive), plus
 *      each context drive alone (the VIP and LAMP5 curves) — measured by the gain-matching scenario;
 *   2. the population LTU network (ltu-network.ts): r_P = [b_P + Σ_Q σ g_P^G e_QP r_Q]₊, the
 *      structure e_QP from the graph's synapses, per-class gains g^G and biases fitted to (1), first
 *      on the mean-field steady state, then with the TrueNorth emulator in the loop;
 *   3. integer TrueNorth parameters per population (tn-realization.ts): a TrueNorth neuron with
 *      linear reset, a leak and a floor at 0 is that LTU, r = clip((Σ s^G ν_G + λ)/α, 0, 1) per tick.
 *
 * The rate-fit artifact is the pool-level check of the chain: the TrueNorth pools' recurrent loop
 * gain, winner gain and input–output curves are compared with the rate model's (α, β, T, γ_V, γ_L).
 * The rate model lumps all interneurons into one inhibitory loop; TrueNorth keeps PV, SST, VIP and
 * LAMP5 as populations, so their curves come from the measurements, not from the rate model.
 */

/** Which TrueNorth primitive carries each cell class's role (the mapping the gain matching fills in). */
export const ROLE_PRIMITIVES: readonly { cls: string; role: string; primitive: string }[] = [
  { cls: 'Pyr', role: 'excitation: input, recurrent self-excitation α, drive to every interneuron', primitive: 'axon type 0 (positive s0); recurrence and input share s0 and differ by fan-in k; threshold α = gain 1/α, leak λ = threshold' },
  { cls: 'PV', role: 'feedforward inhibition (driven by the inputs)', primitive: 'axon type 1 (negative s1) on pools and interneurons' },
  { cls: 'SST', role: 'feedback inhibition (driven by the pools): the shared inhibition β of the sWTA', primitive: 'axon type 2 (negative s2)' },
  { cls: 'VIP', role: 'disinhibition: inhibits SST under context drive', primitive: 'axon type 3 (negative s3) onto SST (and weakly PV, VIP, pools)' },
  { cls: 'LAMP5', role: 'slow gain normalization of the pools under context drive', primitive: 'axon type 3 (negative s3, shared with VIP, scaled by fan-in) onto the pools: subtractive; the static part of the gain sits in each population\'s threshold α and leak λ' },
  { cls: 'background', role: 'the balanced per-neuron background (1 kHz AMPA and GABA_A aggregates): the spontaneous state and the smooth foot of every transfer curve', primitive: 'no host spikes and no synapses: its mean is in each class\'s leak λ (the bias b_c), its smoothing in the class\'s foot (staggered leaks) and the input shot noise rectified at the floor' },
  { cls: 'shapes', role: 'saturating pyramidal synapses (Pyr, PV, SST, VIP); convex recruitment (PV, VIP, LAMP5)', primitive: 'limiter relays: per pool, a population of linear-threshold neurons (leak = −kink) on axon type 0 inhibiting the target on axon type 1; staggered leaks λ_j across a population\'s neurons' },
];

/**
 * The transfer shapes fitted per class (docs/truenorth-mapping.md §3). Limiter relays for the
 * interneurons driven by pyramidal synapses with short-term plasticity (Pyr → PV depressing,
 * Pyr → SST facilitating then saturating, Pyr → VIP depressing): their drive bends with the
 * presynaptic pool's rate, per pool (two pools at 28 + 19 Hz drive PV harder than one at 62 Hz).
 * A convex foot for the classes whose recruitment by their context drive is convex (VIP 3.9, 10,
 * 24 Hz at 5, 10, 20 Hz of drive; LAMP5 2.6, 9.9, 35 Hz at 4, 8, 16 Hz).
 */
export const CLASS_SHAPES: Readonly<Partial<Record<ClassKey, ClassShape>>> = {
  PV: { limiter: true },
  SST: { limiter: true },
  VIP: { limiter: true, foot: true },
  LAMP5: { foot: true },
};

/**
 * Added in a second fit, from the first one's gains (ShapedFitOptions.initial; fitted from seeded
 * starts they land in worse minima): the pools' own saturation (recurrent NMDA saturation and
 * depressing recurrent synapses in the conductance module), PV's convex foot, and the pools' foot:
 * with the background's fluctuations a pool fires about 0.9 Hz at rest, below the threshold of
 * its mean drive (the spontaneous condition), which a unit without a foot cannot.
 */
export const SECOND_FIT_SHAPES: Readonly<Partial<Record<ClassKey, ClassShape>>> = { Pyr: { limiter: true, foot: true }, PV: { limiter: true, foot: true } };

/**
 * One round of r2 balancing in the second fit (ShapedFitOptions.balanceRounds): more rounds trade
 * the pools' input–output slope away (winner gain 1.26–1.37 × the conductance module's at two).
 */
const BALANCE_ROUNDS = 1;

export interface PopulationMatch {
  /** TrueNorth (emulated, closed loop) against the conductance module, over the conditions. */
  r2: number;
  rmseHz: number;
  /** The LTU model's mean-field steady state against the conductance module. */
  ltu: { r2: number; rmseHz: number };
  /** TrueNorth against the LTU model: the error of the integer realization and of spiking noise. */
  tnVsLtu: { r2: number; rmseHz: number };
}

export interface GainMatchResult {
  gains: GainsByClass;
  /** Per condition, per population (graph order): TrueNorth and LTU-model rates (Hz). */
  rates: { trueNorth: number[][]; ltu: number[][] };
  populations: Record<string, PopulationMatch>;
  realizations: Record<string, Realization>;
  /** Pool-level comparison with the rate-fit artifact. */
  rateFit: {
    alphaRateFit: number;
    /** The pools' recurrent coefficient (Hz/Hz), the TrueNorth counterpart of α. */
    recurrentCoefficient: number;
    winnerGainRateFit: number;
    /** r2 and RMSE of the TrueNorth pools against the rate model's steady state. */
    pools: { r2: number; rmseHz: number };
  };
}

export interface GainMatchInput {
  graph: Graph;
  conditions: readonly TransferCondition[];
  rateFit: RateFitArtifact;
  /** Pool ids and input/context source ids of the sWTA module (for the rate-fit comparison). */
  module: { pools: readonly string[]; inputs: readonly string[]; vipDrive: string; lamp5Drive: string };
  /** The realized network's rates per condition (the TrueNorth engine), for stage 3 and the report. */
  measure: MeasureRates;
  emulatorIterations?: number;
  realization?: RealizationOptions;
}

export function gainMatch(input: GainMatchInput): GainMatchResult {
  const { graph, conditions } = input;
  const net = ltuNetwork(graph);
  // The pools' recurrence from the rate fit: recurrent coefficient / input coefficient = α / s.
  const p = input.rateFit.params;
  const pool = net.units.find((u) => u.id === input.module.pools[0]);
  const self = pool?.terms.find((t) => t.pre === pool.id && t.gainKey === 4);
  const inp = pool?.terms.find((t) => input.module.inputs.includes(t.pre) && t.gainKey === 0);
  if (!pool || !self || !inp) throw new Error(`gain matching: pool '${input.module.pools[0]}' needs a recurrent projection and an input projection`);
  const tied = [{ cls: pool.cls, key: 4 as const, toKey: 0 as const, ratio: (p.alpha / p.inputScale) * (inp.efficacy / self.efficacy) }];
  const first = fitShapedGains(graph, conditions, { tied, shapes: CLASS_SHAPES });
  const fit = fitShapedGains(graph, conditions, {
    tied,
    shapes: { ...CLASS_SHAPES, ...SECOND_FIT_SHAPES },
    initial: first.gains,
    balanceRounds: BALANCE_ROUNDS,
    emulator: { measure: input.measure, maxIter: input.emulatorIterations ?? 4 },
  });
  const tn = input.measure(fit.gains);
  const mf = conditions.map((c) => steadyRates(fit.net, fit.gains, c.sourcesHz));
  const populations: Record<string, PopulationMatch> = {};
  net.units.forEach((u, i) => {
    const ys = conditions.map((c) => c.populationsHz[u.id] ?? 0);
    const tnRates = tn.map((r) => r[i]!);
    const mfRates = mf.map((r) => r[i]!);
    const end = r2Rmse(ys, tnRates);
    populations[u.id] = { r2: end.r2, rmseHz: end.rmseHz, ltu: r2Rmse(ys, mfRates), tnVsLtu: r2Rmse(mfRates, tnRates) };
  });

  const sizes = new Map<string, number>(graph.populations.map((p) => [p.id, p.size]));
  for (const s of graph.stimuli) if (s.kind !== 'current') sizes.set(s.id, s.size);
  const projById = new Map(graph.projections.map((p) => [p.id, p]));
  const realizations: Record<string, Realization> = {};
  for (const u of fit.net.units) {
    realizations[u.id] = realizeUnit(u, fit.gains[u.cls]!, (id) => {
      const pr = projById.get(id);
      // a limiter relay's projections: from a pool (its size) or from the relay (RELAY_SIZE)
      if (!pr) return { maxFanIn: sizes.get(id.split('->')[0]!) ?? RELAY_SIZE };
      return { maxFanIn: sizes.get(pr.pre)! - (pr.pre === pr.post ? 1 : 0) };
    }, input.realization);
  }

  // Pool level against the rate-fit artifact.
  const poolIdx = input.module.pools.map((id) => net.units.findIndex((u) => u.id === id));
  const pool0 = net.units[poolIdx[0]!]!;
  const recurrent = pool0.terms.filter((t) => t.pre === pool0.id).reduce((a, t) => a + termCoefficient(t, fit.gains[pool0.cls as ClassKey]!), 0);
  const rmPred: number[] = [];
  const tnPools: number[] = [];
  conditions.forEach((c, k) => {
    const inputs = input.module.inputs.map((id) => c.sourcesHz[id] ?? 0);
    const x = steadyState(p, inputs, { vipHz: c.sourcesHz[input.module.vipDrive] ?? 0, lamp5Hz: c.sourcesHz[input.module.lamp5Drive] ?? 0 });
    poolIdx.forEach((i, n) => {
      rmPred.push(x[n]!);
      tnPools.push(tn[k]![i]!);
    });
  });
  return {
    gains: fit.gains,
    rates: { trueNorth: tn.map((r) => Array.from(r)), ltu: mf.map((r) => Array.from(r)) },
    populations,
    realizations,
    rateFit: { alphaRateFit: p.alpha, recurrentCoefficient: recurrent, winnerGainRateFit: winnerGain(p), pools: r2Rmse(rmPred, tnPools) },
  };
}
