import type { AdexParams } from '../celltypes/adex.ts';
import type { CellClass } from '../celltypes/l23.ts';
import { L23_FRACTIONS } from '../celltypes/l23.ts';
import { l23Projection } from '../graph/build.ts';
import type { Graph, Population, Projection, Stimulus } from '../graph/types.ts';
import type { StpSet } from '../synapses/l23-pathways.ts';
import type { NmdaModel } from '../synapses/nmda.ts';

/**
 * The sWTA module: a V1 L2/3 microcircuit in which K pyramidal pools compete.
 *
 *   in_k ──AMPA──▶ Pyr_k ◀──AMPA+NMDA── Pyr_k          (cooperation within a pool)
 *   in_* ──AMPA──▶ PV ──GABA_A──▶ Pyr_*, PV            (feedforward inhibition)
 *   Pyr_* ──facilitating──▶ SST ──GABA_A──▶ Pyr_*, PV, VIP   (feedback inhibition)
 *   context ──▶ VIP ──GABA_A──▶ SST                    (disinhibition)
 *   lamp5Drive ──▶ LAMP5 ──GABA_A,slow + GABA_B──▶ all (gain normalization)
 *
 * Every pathway starts from the reference defaults (docs/reference/celltypes.md §c1 probabilities, §c3 resting
 * conductances, §b1 kinetics and delays, §b2 STP). What the competition needs beyond them is a
 * named option below, never a silent constant: pool-specific recurrent excitation
 * (`withinPoolP`, `crossPoolP`) and per-role conductance scales (`gScale`), because unitary
 * in-vitro conductances are re-tuned in network models (docs/reference/celltypes.md §c3, last caution).
 */
export interface SwtaModuleOptions {
  /** Prefix of every id in the fragment (several modules can share one graph). Default 'm'. */
  prefix?: string;
  /** Number of competing pools K. */
  pools: number;
  /** Pyramidal cells per pool. */
  poolSize: number;
  /** Interneuron counts; default: §d1 fractions of the Pyr total, at least `minInterneurons`. */
  counts?: Partial<Record<Exclude<CellClass, 'Pyr'>, number>>;
  minInterneurons?: number;
  /** Recurrent Pyr→Pyr connection probability within a pool ([I], sWTA self-excitation α). */
  withinPoolP?: number;
  /** Pyr→Pyr connection probability between different pools ([I]; §c1 gives 0.10 overall). */
  crossPoolP?: number;
  /**
   * Pyr→Pyr probability between neighbouring pools k and k ± 1 (a line of features), replacing
   * crossPoolP for those pairs: the nearest-neighbour cooperation α₁ of the sWTA rate model
   * (docs/reference/swta-and-truenorth.md §4.1) that lets a smooth input profile survive competition. Default 0.
   */
  neighbourP?: number;
  /** Poisson fibres per pool input, and how many of them each target cell receives. */
  inputFibres?: number;
  inputInDegree?: number;
  /** AMPA conductance of one input fibre synapse onto Pyr and onto PV (nS). */
  inputGNs?: number;
  inputToPvGNs?: number;
  /** Extra factor on the NMDA part of within-pool Pyr→Pyr synapses (slow recurrent excitation). */
  recurrentNmdaScale?: number;
  /** Conductance scales by role, multiplying the §c3 values. */
  gScale?: Partial<Record<SwtaRole, number>>;
  /** Short-term plasticity set (§b2); false disables STP. */
  stp?: StpSet | false;
  /** Gating of the Pyr pathways' NMDA (src/synapses/nmda.ts); default 'saturating'. */
  nmdaModel?: NmdaModel;
  /** Background Poisson drive onto every population (rate per fibre, fibres per cell, nS); rate 0 disables it. */
  background?: { rateHz: number; inDegree: number; gNs: number };
  /** Context drives onto VIP and LAMP5 (in-degree, nS per fibre); their rates are set per run. */
  contextInDegree?: number;
  vipDriveGNs?: number;
  lamp5DriveGNs?: number;
  /** Parameter overrides per cell class (e.g. { Pyr: { bPa: 0 } }), applied to every population of that class. */
  cellParams?: Partial<Record<CellClass, Partial<AdexParams>>>;
  /** Per-neuron mismatch of V_T (mV s.d.) and g_L (CV) in every population. */
  mismatch?: { vTSdMv?: number; gLCv?: number };
}

/** The roles whose conductances the options scale. */
export type SwtaRole =
  | 'recurrent'
  | 'pyrToInterneuron'
  | 'pv'
  | 'pvToInterneuron'
  | 'sst'
  | 'sstToInterneuron'
  | 'vip'
  | 'lamp5'
  | 'lamp5ToInterneuron';

/**
 * Defaults [I]: the operating point at which the module computes an sWTA (winner amplified, loser
 * suppressed to 5–50 % of its isolated rate, VIP raising and LAMP5 lowering the winner's gain),
 * found by the sweeps of scenarios/swta and checked by test/scenarios/swta-*.test.ts. Interneuron
 * counts have a floor because a module of a few hundred Pyr would otherwise get 4–8 cells per
 * class (§d1), too few for a smooth inhibitory rate.
 */
export const SWTA_DEFAULTS = {
  prefix: 'm',
  minInterneurons: 16,
  withinPoolP: 0.3,
  crossPoolP: 0.02,
  inputFibres: 100,
  inputInDegree: 50,
  inputGNs: 1.0,
  inputToPvGNs: 0.6,
  contextInDegree: 20,
  vipDriveGNs: 1.0,
  lamp5DriveGNs: 5.0,
  /** NMDA-rich recurrence: steady winners instead of AMPA-driven population bursts. */
  recurrentNmdaScale: 2.5,
  gScale: { recurrent: 8, pyrToInterneuron: 3, pv: 14, pvToInterneuron: 12, sst: 16, sstToInterneuron: 14, vip: 10, lamp5: 8, lamp5ToInterneuron: 1 } as Record<SwtaRole, number>,
  background: { rateHz: 5, inDegree: 20, gNs: 0.5 },
} as const;

/** Ids of the pieces of one module, so scenarios and the runtime can address them. */
export interface SwtaModuleIds {
  pools: string[];
  inputs: string[];
  pv: string;
  sst: string;
  vip: string;
  lamp5: string;
  vipDrive: string;
  lamp5Drive: string;
  background: string | null;
}

export interface SwtaModule {
  graph: Graph;
  ids: SwtaModuleIds;
}

export function swtaModule(options: SwtaModuleOptions): SwtaModule {
  const o = { ...SWTA_DEFAULTS, ...options };
  if (!(Number.isInteger(o.pools) && o.pools >= 1)) throw new RangeError(`swtaModule: pools must be an integer ≥ 1, got ${o.pools}`);
  if (!(Number.isInteger(o.poolSize) && o.poolSize >= 1)) throw new RangeError(`swtaModule: poolSize must be an integer ≥ 1, got ${o.poolSize}`);
  const px = o.prefix;
  const scale = (role: SwtaRole): number => options.gScale?.[role] ?? SWTA_DEFAULTS.gScale[role];
  const stp = o.stp ?? 'allen';
  const nPyr = o.pools * o.poolSize;
  const count = (c: Exclude<CellClass, 'Pyr'>): number =>
    o.counts?.[c] ?? Math.max(o.minInterneurons, Math.round((nPyr * L23_FRACTIONS[c]) / L23_FRACTIONS.Pyr));

  const mismatch = o.mismatch ? { mismatch: o.mismatch } : {};
  const pools = Array.from({ length: o.pools }, (_, k) => ({ id: `${px}.pyr${k}`, size: o.poolSize, cell: 'Pyr' as const }));
  const pv = { id: `${px}.pv`, size: count('PV'), cell: 'PV' as const };
  const sst = { id: `${px}.sst`, size: count('SST'), cell: 'SST' as const };
  const vip = { id: `${px}.vip`, size: count('VIP'), cell: 'VIP' as const };
  const lamp5 = { id: `${px}.lamp5`, size: count('LAMP5'), cell: 'LAMP5' as const };
  const interneurons = [pv, sst, vip, lamp5];
  const populations: Population[] = [...pools, ...interneurons].map((p) => {
    const params = o.cellParams?.[p.cell];
    return { ...p, ...mismatch, ...(params ? { params: { ...params } } : {}) };
  });

  const projections: Projection[] = [];
  const stimuli: Stimulus[] = [];
  const proj = (pre: (typeof pools)[number] | (typeof interneurons)[number], post: { id: string; cell: CellClass }, role: SwtaRole, extra: { pScale?: number; p?: number } = {}): void => {
    const p = l23Projection(`${pre.id}->${post.id}`, pre, post, { stp, gScale: scale(role), ...(o.nmdaModel ? { nmdaModel: o.nmdaModel } : {}), ...(extra.pScale === undefined ? {} : { pScale: extra.pScale }) });
    if (extra.p !== undefined) p.connect = { rule: 'fixedProbability', p: extra.p };
    projections.push(p);
  };

  // Pyramidal pools: cooperation within, sparse excitation across, and drive to every interneuron class.
  pools.forEach((a, ka) => {
    pools.forEach((b, kb) => {
      const neighbours = Math.abs(ka - kb) === 1 && (o.neighbourP ?? 0) > 0;
      proj(a, b, 'recurrent', { p: ka === kb ? o.withinPoolP : neighbours ? o.neighbourP! : o.crossPoolP });
      if (ka === kb && o.recurrentNmdaScale !== 1) {
        for (const c of projections.at(-1)!.components) if (c.receptor === 'NMDA') c.gNs *= o.recurrentNmdaScale;
      }
    });
    for (const i of interneurons) proj(a, i, 'pyrToInterneuron');
  });
  // PV: feedforward inhibition onto pools and PV.
  for (const b of pools) proj(pv, b, 'pv');
  proj(pv, pv, 'pvToInterneuron');
  // SST: feedback inhibition onto pools, PV, VIP and LAMP5 (rarely SST: §c1 0.03).
  for (const b of pools) proj(sst, b, 'sst');
  for (const i of [pv, vip, lamp5]) proj(sst, i, 'sstToInterneuron');
  // VIP: disinhibition, mostly onto SST.
  for (const i of [sst, pv, vip]) proj(vip, i, 'vip');
  for (const b of pools) proj(vip, b, 'vip');
  // LAMP5: slow, broad normalization onto everything.
  for (const b of pools) proj(lamp5, b, 'lamp5');
  for (const i of interneurons) proj(lamp5, i, 'lamp5ToInterneuron');

  // Inputs: one Poisson source per pool; its rate encodes the pool's input strength.
  const inputs = pools.map((_, k) => `${px}.in${k}`);
  pools.forEach((pool, k) => {
    stimuli.push({ kind: 'poisson', id: inputs[k]!, size: o.inputFibres, rateHz: 0 });
    projections.push(fibres(`${inputs[k]}->${pool.id}`, inputs[k]!, pool.id, Math.min(o.inputInDegree, o.inputFibres), o.inputGNs));
    // Feedforward inhibition: PV sees every pool's input.
    projections.push(fibres(`${inputs[k]}->${pv.id}`, inputs[k]!, pv.id, Math.min(o.inputInDegree, o.inputFibres), o.inputToPvGNs));
  });

  const vipDrive = `${px}.vipDrive`;
  const lamp5Drive = `${px}.lamp5Drive`;
  stimuli.push({ kind: 'poisson', id: vipDrive, size: 100, rateHz: 0 }, { kind: 'poisson', id: lamp5Drive, size: 100, rateHz: 0 });
  projections.push(fibres(`${vipDrive}->${vip.id}`, vipDrive, vip.id, o.contextInDegree, o.vipDriveGNs));
  projections.push(fibres(`${lamp5Drive}->${lamp5.id}`, lamp5Drive, lamp5.id, o.contextInDegree, o.lamp5DriveGNs));

  let background: string | null = null;
  if (o.background && o.background.rateHz > 0) {
    background = `${px}.bg`;
    stimuli.push({ kind: 'poisson', id: background, size: 200, rateHz: o.background.rateHz });
    for (const p of populations) projections.push(fibres(`${background}->${p.id}`, background, p.id, o.background.inDegree, o.background.gNs));
  }

  return {
    graph: { name: `swta-${px}`, populations, projections, stimuli, probes: [] },
    ids: { pools: pools.map((p) => p.id), inputs, pv: pv.id, sst: sst.id, vip: vip.id, lamp5: lamp5.id, vipDrive, lamp5Drive, background },
  };
}

/** Excitatory Poisson fibres onto a population: fixed in-degree, AMPA with the Pyr→Pyr kinetics (§b1). */
function fibres(id: string, pre: string, post: string, inDegree: number, gNs: number): Projection {
  return { id, pre, post, connect: { rule: 'fixedInDegree', k: inDegree }, components: [{ receptor: 'AMPA', gNs, tauRiseMs: 0.3, tauDecayMs: 3 }], delayMs: 1 };
}
