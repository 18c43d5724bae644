import type { AdexParams } from '../celltypes/adex.ts';
import type { CellClass } from '../celltypes/l23.ts';
import { L23_FRACTIONS } from '../celltypes/l23.ts';
import { l23Projection, poissonFibres } from '../graph/build.ts';
import type { Graph, Population, Projection, Stimulus } from '../graph/types.ts';
import { l23Pathway, type StpSet } from '../synapses/l23-pathways.ts';
import type { NmdaModel } from '../synapses/nmda.ts';

/**
 * The sWTA module: a V1 L2/3 microcircuit in which K pyramidal pools compete.
 *
 *   in_k ──AMPA──▶ Pyr_k ◀──AMPA+NMDA── Pyr_k          (cooperation within a pool)
 *   in_*, Pyr_* ──AMPA──▶ PV ──GABA_A──▶ Pyr_*, PV     (feedforward and feedback inhibition)
 *   Pyr_* ──facilitating──▶ SST ──GABA_A──▶ Pyr_*, PV, VIP   (feedback inhibition)
 *   context ──▶ VIP ──GABA_A──▶ SST                    (disinhibition)
 *   lamp5Drive ──▶ LAMP5 ──GABA_A,slow + GABA_B──▶ all (gain normalization)
 *   bgE, bgI ──AMPA, GABA_A──▶ every cell, one-to-one   (balanced background)
 *
 * Every pathway starts from the reference defaults (docs/reference/celltypes.md §c1 probabilities, §c3 resting
 * conductances, §b1 kinetics and delays, §b2 STP). What the competition needs beyond them is a
 * named option below, never a silent constant: pool-specific recurrent excitation
 * (`withinPoolP`, `crossPoolP`), per-pathway conductance scales (`gScale`), because unitary
 * in-vitro conductances are re-tuned in network models (docs/reference/celltypes.md §c3, last caution),
 * and the background that stands for the rest of cortex (`background`).
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
  /** Conductance scales by pathway, multiplying the §c3 values. */
  gScale?: Partial<Record<SwtaPathway, number>>;
  /** Short-term plasticity set (§b2); false disables STP. */
  stp?: StpSet | false;
  /** Gating of the Pyr pathways' NMDA (src/synapses/nmda.ts); default 'saturating'. */
  nmdaModel?: NmdaModel;
  /**
   * Balanced background per cell class: one aggregate Poisson process per neuron and receptor
   * (AMPA excitation, GABA_A inhibition), standing for the many cortical inputs a cell receives
   * at spontaneous rates. false disables it; a partial record overrides classes of the default.
   */
  background?: Partial<Record<CellClass, ClassBackground>> | false;
  /** Shared Poisson fibres onto every population (rate per fibre, fibres per cell, nS); absent or rate 0: none. */
  sharedBackground?: SharedBackground;
  /** Context drives onto VIP and LAMP5 (in-degree, nS per fibre); their rates are set per run. */
  contextInDegree?: number;
  vipDriveGNs?: number;
  lamp5DriveGNs?: number;
  /** Parameter overrides per cell class (e.g. { Pyr: { bPa: 0 } }), applied to every population of that class. */
  cellParams?: Partial<Record<CellClass, Partial<AdexParams>>>;
  /** Per-neuron mismatch of V_T (mV s.d.) and g_L (CV) in every population. */
  mismatch?: { vTSdMv?: number; gLCv?: number };
}

/** One aggregate Poisson process per neuron: event rate (Hz) and peak conductance per event (nS). */
export interface AggregateDrive {
  rateHz: number;
  gNs: number;
}

/** The background of one class: excitation (AMPA, Pyr→class kinetics) and inhibition (GABA_A, PV→class kinetics). */
export interface ClassBackground {
  excitation: AggregateDrive;
  inhibition: AggregateDrive;
}

/** Poisson fibres shared by every population of the module (correlated across cells). */
export interface SharedBackground {
  rateHz: number;
  inDegree: number;
  gNs: number;
}

/** The pathways the module wires, pre->post; `gScale` multiplies each one's §c3 conductances. */
export const SWTA_PATHWAYS = [
  'Pyr->Pyr', 'Pyr->PV', 'Pyr->SST', 'Pyr->VIP', 'Pyr->LAMP5',
  'PV->Pyr', 'PV->PV',
  'SST->Pyr', 'SST->PV', 'SST->VIP', 'SST->LAMP5',
  'VIP->SST', 'VIP->PV', 'VIP->VIP', 'VIP->Pyr',
  'LAMP5->Pyr', 'LAMP5->PV', 'LAMP5->SST', 'LAMP5->VIP', 'LAMP5->LAMP5',
] as const;
export type SwtaPathway = (typeof SWTA_PATHWAYS)[number];

/**
 * Defaults [I]: a physiological operating point of the two-pool module (2 × 80 Pyr, seed 3 and
 * seeds 3–12), found by short sweeps of the scenarios/swta protocols and checked by
 * test/scenarios/swta-*.test.ts:
 * - spontaneous state (background only, swta-spontaneous, seed 3): Pyr 0.95, PV 8.7, SST 4.3,
 *   VIP 2.4, LAMP5 2.0 Hz, inside the awake-V1 ranges of docs/reference/celltypes.md §d2; Pyr V
 *   −61.0 mV (4.0 mV below V_T) with 2.6 mV s.d.;
 * - evoked (swta-drive): PV above Pyr at every drive (it follows Pyr through Pyr→PV), SST below PV
 *   at low drive; the winner 28 Hz at the strongest standard drive;
 * - competition (swta-suppression, seeds 3–12): soft — the loser keeps 19–48 % of its isolated
 *   rate and stays above its spontaneous rate at input ratios 1.1–2.5; the winner's gain in
 *   competition 1.38 (> 1); VIP drive raises it and LAMP5 drive lowers it; with the cholinergic
 *   context (Pyr b = 0) the selection has a hysteresis loop (swta-hysteresis, width 0.84).
 *
 * Interneuron counts have a floor: a module of a few hundred Pyr would get 4–8 cells per class
 * (§d1). The floor is 40 rather than the §d1 fraction because each model interneuron stands for
 * several: with 40 PV a Pyr cell receives 18 PV synapses (p = 0.45), and the per-synapse
 * conductance needed for the same total inhibition falls with the convergence (with 16 PV cells
 * PV→Pyr needed 14× its in-vitro value, 10.4 nS per synapse; PV→PV 12×, 21 nS, above PV's own
 * g_L of 14.3 nS). Cost: 160 interneurons beside 160 Pyr; a simulated second of the two-pool
 * module takes ≈ 170 ms of wall time against 95–120 ms at the previous operating point (16-cell
 * floor, shared background fibres; ModuleRunner on a shared 2-core machine), ≈ 45 ms of it for
 * the background aggregates and the rest for the larger floor.
 *
 * Conductance per synapse (resting peak, nS): the §c3 in-vitro value × the factor of `gScale` [I].
 * Factors above 1 compensate the model's small convergence (48 Pyr inputs onto a PV cell, 24
 * within-pool inputs onto a Pyr cell) for the total synaptic conductance; §c3 also lists Jiang et
 * al. 2015's larger unitary values (Pyr→PV 1.26, PV→Pyr 1.0, PV→PV 2.1 nS).
 *
 *   pathway       in vitro   factor   model    note
 *   Pyr→Pyr         0.16       3      0.48     AMPA; NMDA 0.3 × 5.5 (recurrentNmdaScale) of it within a pool: 0.79 nS, saturating (nmda.ts)
 *   Pyr→PV          0.30       7      2.10     1.7 × Jiang's 1.26 nS; PV follows Pyr
 *   Pyr→SST         0.13       2.5    0.33     facilitating (§b2); below the 90th percentile 0.70
 *   Pyr→VIP         0.18       3      0.54
 *   Pyr→LAMP5       0.23       3      0.69
 *   PV→Pyr          0.74       2.5    1.85     1.9 × Jiang's 1.0 nS
 *   PV→PV           1.78       3      5.34     2.5 × Jiang's 2.1 nS; 0.37 of PV's g_L
 *   SST→Pyr         0.37       3.5    1.29     somatic equivalent of a dendritic synapse (§c3 caution)
 *   SST→PV          0.46       4      1.84
 *   SST→VIP         0.29       3      0.87
 *   SST→LAMP5       0.56       4      2.24
 *   VIP→SST         0.40       4      1.60
 *   VIP→PV          0.42       4      1.68
 *   VIP→VIP         0.25       4      1.00
 *   VIP→Pyr         0.58       4      2.32
 *   LAMP5→Pyr       0.36       4      1.44     GABA_A,slow; GABA_B 0.1 of it
 *   LAMP5→others    0.30–1.16  1      as §c3
 *
 * Background (`background`, one aggregate per neuron and receptor, 1 kHz each): the mean
 * excitatory conductance of N inputs at rate r with the unitary ḡ (area 3.9 ms for AMPA onto Pyr)
 * is N·r·ḡ·area; Pyr's 1 kHz × 0.75 nS carries the mean of ≈ 4700 inputs at 1 Hz with the resting
 * Pyr→Pyr 0.16 nS, in events ≈ 5 unitary inputs large: correlated input, which gives the 2–3 mV
 * fluctuations of awake cortex where independent unitary inputs would give ≈ 1.2 mV (shot-noise
 * variance ∝ rate × event size²). Inhibition,
 * 1 kHz of GABA_A with PV→class kinetics: ≈ 140 inputs at PV's spontaneous 7 Hz. Per class the
 * excitatory event size sets the spontaneous rate (Pyr 0.75, PV 2.2, SST 0.67, VIP 0.33,
 * LAMP5 1.2 nS; PV needs the most for its g_L of 14.3 nS, VIP the least for its 50-pA rheobase),
 * the inhibitory one (Pyr 0.5, interneurons 1.0 nS) the balance: Pyr's mean background
 * conductance, 2.9 nS excitatory and 3.8 nS inhibitory, adds 1.1 × g_L. The engine draws each
 * process as one Bernoulli event per 0.1 ms step (p = 0.1 at 1 kHz): its count variance is 0.9 ×
 * Poisson's.
 */
export const SWTA_DEFAULTS = {
  prefix: 'm',
  minInterneurons: 40,
  withinPoolP: 0.3,
  crossPoolP: 0.02,
  inputFibres: 100,
  inputInDegree: 50,
  /** Input fibres onto Pyr: the winner's rate at the strongest standard drive ≈ 28 Hz with gain in competition > 1. */
  inputGNs: 0.55,
  /** Input fibres onto PV (feedforward inhibition); weaker than Pyr→PV so that PV follows the pools' output. */
  inputToPvGNs: 0.6,
  contextInDegree: 20,
  vipDriveGNs: 1.0,
  lamp5DriveGNs: 5.0,
  /**
   * NMDA-rich recurrence within a pool (NMDA/AMPA 0.3 × 5.5 = 1.65): with Pyr adaptation blocked
   * (the cholinergic context) a pool's NMDA recurrence holds its winner (hysteresis); with the
   * data-constrained adaptation it does not (soft competition). 4.5 narrows the loop to 0.37
   * (seeds 1–2, 0.84 here); 6.5 widens it but lifts the winner at the strongest drive to 32.5 Hz.
   */
  recurrentNmdaScale: 5.5,
  gScale: {
    'Pyr->Pyr': 3, 'Pyr->PV': 7, 'Pyr->SST': 2.5, 'Pyr->VIP': 3, 'Pyr->LAMP5': 3,
    'PV->Pyr': 2.5, 'PV->PV': 3,
    'SST->Pyr': 3.5, 'SST->PV': 4, 'SST->VIP': 3, 'SST->LAMP5': 4,
    'VIP->SST': 4, 'VIP->PV': 4, 'VIP->VIP': 4, 'VIP->Pyr': 4,
    'LAMP5->Pyr': 4, 'LAMP5->PV': 1, 'LAMP5->SST': 1, 'LAMP5->VIP': 1, 'LAMP5->LAMP5': 1,
  } as Record<SwtaPathway, number>,
  background: {
    Pyr: { excitation: { rateHz: 1000, gNs: 0.75 }, inhibition: { rateHz: 1000, gNs: 0.5 } },
    PV: { excitation: { rateHz: 1000, gNs: 2.2 }, inhibition: { rateHz: 1000, gNs: 1.0 } },
    SST: { excitation: { rateHz: 1000, gNs: 0.67 }, inhibition: { rateHz: 1000, gNs: 1.0 } },
    VIP: { excitation: { rateHz: 1000, gNs: 0.33 }, inhibition: { rateHz: 1000, gNs: 1.0 } },
    LAMP5: { excitation: { rateHz: 1000, gNs: 1.2 }, inhibition: { rateHz: 1000, gNs: 1.0 } },
  } as Record<CellClass, ClassBackground>,
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
  /** Every background source: the per-neuron aggregates, then the shared fibres if any. */
  backgrounds: string[];
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
  const scale = (pathway: SwtaPathway): number => options.gScale?.[pathway] ?? SWTA_DEFAULTS.gScale[pathway];
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
  type Pop = (typeof pools)[number] | (typeof interneurons)[number];
  const proj = (pre: Pop, post: Pop, p?: number): Projection => {
    const pathway = `${pre.cell}->${post.cell}` as SwtaPathway;
    const pr = l23Projection(`${pre.id}->${post.id}`, pre, post, { stp, gScale: scale(pathway), ...(o.nmdaModel ? { nmdaModel: o.nmdaModel } : {}) });
    if (p !== undefined) pr.connect = { rule: 'fixedProbability', p };
    projections.push(pr);
    return pr;
  };

  // Pyramidal pools: cooperation within, sparse excitation across, and drive to every interneuron class.
  pools.forEach((a, ka) => {
    pools.forEach((b, kb) => {
      const neighbours = Math.abs(ka - kb) === 1 && (o.neighbourP ?? 0) > 0;
      const pr = proj(a, b, ka === kb ? o.withinPoolP : neighbours ? o.neighbourP! : o.crossPoolP);
      if (ka === kb && o.recurrentNmdaScale !== 1) {
        for (const c of pr.components) if (c.receptor === 'NMDA') c.gNs *= o.recurrentNmdaScale;
      }
    });
    for (const i of interneurons) proj(a, i);
  });
  // PV: feedforward inhibition onto pools and PV.
  for (const b of pools) proj(pv, b);
  proj(pv, pv);
  // SST: feedback inhibition onto pools, PV, VIP and LAMP5 (rarely SST: §c1 0.03).
  for (const b of pools) proj(sst, b);
  for (const i of [pv, vip, lamp5]) proj(sst, i);
  // VIP: disinhibition, mostly onto SST.
  for (const i of [sst, pv, vip]) proj(vip, i);
  for (const b of pools) proj(vip, b);
  // LAMP5: slow, broad normalization onto everything.
  for (const b of pools) proj(lamp5, b);
  for (const i of interneurons) proj(lamp5, i);

  // Inputs: one Poisson source per pool; its rate encodes the pool's input strength.
  const inputs = pools.map((_, k) => `${px}.in${k}`);
  pools.forEach((pool, k) => {
    stimuli.push({ kind: 'poisson', id: inputs[k]!, size: o.inputFibres, rateHz: 0 });
    projections.push(poissonFibres(`${inputs[k]}->${pool.id}`, inputs[k]!, pool.id, Math.min(o.inputInDegree, o.inputFibres), o.inputGNs));
    // Feedforward inhibition: PV sees every pool's input.
    projections.push(poissonFibres(`${inputs[k]}->${pv.id}`, inputs[k]!, pv.id, Math.min(o.inputInDegree, o.inputFibres), o.inputToPvGNs));
  });

  const vipDrive = `${px}.vipDrive`;
  const lamp5Drive = `${px}.lamp5Drive`;
  stimuli.push({ kind: 'poisson', id: vipDrive, size: 100, rateHz: 0 }, { kind: 'poisson', id: lamp5Drive, size: 100, rateHz: 0 });
  projections.push(poissonFibres(`${vipDrive}->${vip.id}`, vipDrive, vip.id, o.contextInDegree, o.vipDriveGNs));
  projections.push(poissonFibres(`${lamp5Drive}->${lamp5.id}`, lamp5Drive, lamp5.id, o.contextInDegree, o.lamp5DriveGNs));

  const backgrounds: string[] = [];
  if (o.background !== false) {
    for (const p of [...pools, ...interneurons]) {
      const bg = perNeuronBackground(p, { ...SWTA_DEFAULTS.background[p.cell], ...o.background?.[p.cell] });
      backgrounds.push(...bg.sources);
      stimuli.push(...bg.stimuli);
      projections.push(...bg.projections);
    }
  }
  const shared = o.sharedBackground;
  if (shared && shared.rateHz > 0) {
    const id = `${px}.bg`;
    backgrounds.push(id);
    stimuli.push({ kind: 'poisson', id, size: 200, rateHz: shared.rateHz });
    for (const p of populations) projections.push(poissonFibres(`${id}->${p.id}`, id, p.id, shared.inDegree, shared.gNs));
  }

  return {
    graph: { name: `swta-${px}`, populations, projections, stimuli, probes: [] },
    ids: { pools: pools.map((p) => p.id), inputs, pv: pv.id, sst: sst.id, vip: vip.id, lamp5: lamp5.id, vipDrive, lamp5Drive, backgrounds },
  };
}


/**
 * The balanced background of one population: one aggregate Poisson process per neuron and receptor
 * (AMPA with the Pyr→class kinetics, GABA_A with the PV→class kinetics), wired one-to-one. A drive
 * with rate or conductance 0 is left out.
 */
export function perNeuronBackground(
  population: { id: string; size: number; cell: CellClass },
  background: ClassBackground,
): { sources: string[]; stimuli: Stimulus[]; projections: Projection[] } {
  const ampa = l23Pathway('Pyr', population.cell).components[0]!;
  const gaba = l23Pathway('PV', population.cell).components[0]!;
  const drives = [
    { id: `${population.id}.bgE`, drive: background.excitation, receptor: 'AMPA' as const, k: ampa },
    { id: `${population.id}.bgI`, drive: background.inhibition, receptor: 'GABA_A' as const, k: gaba },
  ];
  const out = { sources: [] as string[], stimuli: [] as Stimulus[], projections: [] as Projection[] };
  for (const d of drives) {
    if (!(d.drive.rateHz > 0 && d.drive.gNs > 0)) continue;
    out.sources.push(d.id);
    out.stimuli.push({ kind: 'poisson', id: d.id, size: population.size, rateHz: d.drive.rateHz });
    out.projections.push({
      id: `${d.id}->${population.id}`, pre: d.id, post: population.id, connect: { rule: 'oneToOne' },
      components: [{ receptor: d.receptor, gNs: d.drive.gNs, tauRiseMs: d.k.tauRiseMs, tauDecayMs: d.k.tauDecayMs }], delayMs: 1,
    });
  }
  return out;
}
