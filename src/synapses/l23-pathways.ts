import type { CellClass } from '../celltypes/l23.ts';
import type { Millisecond, Nanosiemens } from '../units.ts';
import type { NmdaModel } from './nmda.ts';
import type { Receptor } from './receptors.ts';
import type { StpParams } from './stp.ts';

/**
 * Default L2/3 pathways, pre → post, from docs/reference/celltypes.md:
 * connection probability (§c1), resting unitary peak conductance (§c3), receptor kinetics (§b1),
 * onset latency (§b1, synphys) and Tsodyks–Markram parameters (§b2).
 */
export interface ReceptorComponent {
  receptor: Receptor;
  /** Resting peak conductance of one synapse (first response after quiescence). */
  gNs: Nanosiemens;
  tauRiseMs: Millisecond;
  tauDecayMs: Millisecond;
  /** NMDA components only: the gating model (nmda.ts). */
  nmdaModel?: NmdaModel;
}

export interface Pathway {
  p: number;
  components: ReceptorComponent[];
  delayMs: Millisecond;
  stp: StpParams;
}

export type StpSet = 'allen' | 'strong';

type ByPair<T> = Record<CellClass, Record<CellClass, T>>;

/** §c1 recommended connection probabilities [C], rows = pre. */
export const L23_CONNECTION_P: ByPair<number> = {
  Pyr: { Pyr: 0.10, PV: 0.30, SST: 0.22, VIP: 0.12, LAMP5: 0.03 },
  PV: { Pyr: 0.45, PV: 0.50, SST: 0.15, VIP: 0.15, LAMP5: 0.05 },
  SST: { Pyr: 0.45, PV: 0.50, SST: 0.03, VIP: 0.45, LAMP5: 0.25 },
  VIP: { Pyr: 0.07, PV: 0.10, SST: 0.45, VIP: 0.10, LAMP5: 0.05 },
  LAMP5: { Pyr: 0.35, PV: 0.10, SST: 0.10, VIP: 0.30, LAMP5: 0.50 },
};

/** §c3 resting peak conductances (nS) of the main receptor [C]; LAMP5 rows are the GABA_A,slow part. */
export const L23_G_RESTING_NS: ByPair<Nanosiemens> = {
  Pyr: { Pyr: 0.16, PV: 0.30, SST: 0.13, VIP: 0.18, LAMP5: 0.23 },
  PV: { Pyr: 0.74, PV: 1.78, SST: 0.99, VIP: 0.71, LAMP5: 0.59 },
  SST: { Pyr: 0.37, PV: 0.46, SST: 0.35, VIP: 0.29, LAMP5: 0.56 },
  VIP: { Pyr: 0.58, PV: 0.42, SST: 0.40, VIP: 0.25, LAMP5: 0.34 },
  LAMP5: { Pyr: 0.36, PV: 0.54, SST: 0.30, VIP: 0.32, LAMP5: 1.16 },
};

/** §b1 synphys onset latencies (ms) [D]; LAMP5 rows/columns 1.5 ms [I]. */
export const L23_DELAY_MS: ByPair<Millisecond> = {
  Pyr: { Pyr: 1.82, PV: 1.17, SST: 1.47, VIP: 1.60, LAMP5: 1.5 },
  PV: { Pyr: 0.90, PV: 1.01, SST: 1.06, VIP: 0.92, LAMP5: 1.5 },
  SST: { Pyr: 1.13, PV: 1.20, SST: 1.41, VIP: 1.29, LAMP5: 1.5 },
  VIP: { Pyr: 1.85, PV: 1.44, SST: 1.43, VIP: 1.37, LAMP5: 1.5 },
  LAMP5: { Pyr: 1.5, PV: 1.5, SST: 1.5, VIP: 1.5, LAMP5: 1.5 },
};

const tm = (U: number, tauRecMs: number, tauFacilMs: number): StpParams => ({ U, tauRecMs, tauFacilMs });

/** §b2 Allen-matched TM set [C] (mouse, all layers); X→LAMP5 as X→VIP, LAMP5→X 0.4/1000/0 [I]. */
export const L23_STP_ALLEN: ByPair<StpParams> = {
  Pyr: { Pyr: tm(0.10, 300, 0), PV: tm(0.07, 300, 0), SST: tm(0.12, 138, 670), VIP: tm(0.11, 329, 326), LAMP5: tm(0.11, 329, 326) },
  PV: { Pyr: tm(0.18, 300, 0), PV: tm(0.17, 300, 0), SST: tm(0.11, 300, 0), VIP: tm(0.08, 300, 0), LAMP5: tm(0.08, 300, 0) },
  SST: { Pyr: tm(0.16, 144, 62), PV: tm(0.16, 144, 62), SST: tm(0.17, 144, 62), VIP: tm(0.22, 45, 376), LAMP5: tm(0.22, 45, 376) },
  VIP: { Pyr: tm(0.17, 144, 62), PV: tm(0.15, 144, 62), SST: tm(0.12, 144, 62), VIP: tm(0.13, 144, 62), LAMP5: tm(0.13, 144, 62) },
  LAMP5: { Pyr: tm(0.4, 1000, 0), PV: tm(0.4, 1000, 0), SST: tm(0.4, 1000, 0), VIP: tm(0.4, 1000, 0), LAMP5: tm(0.4, 1000, 0) },
};

/** §b2 literature/BBP "strong-STP" set [L] (rat S1 factsheets); VIP→VIP has no entry and keeps the Allen value. */
export const L23_STP_STRONG: ByPair<StpParams> = {
  Pyr: { Pyr: tm(0.46, 670, 17), PV: tm(0.34, 510, 180), SST: tm(0.09, 140, 670), VIP: tm(0.50, 670, 17), LAMP5: tm(0.5, 670, 17) },
  PV: { Pyr: tm(0.23, 710, 23), PV: tm(0.25, 710, 21), SST: tm(0.25, 700, 21), VIP: tm(0.26, 720, 21), LAMP5: tm(0.26, 720, 21) },
  SST: { Pyr: tm(0.30, 1300, 2), PV: tm(0.25, 710, 21), SST: tm(0.25, 720, 21), VIP: tm(0.31, 890, 25), LAMP5: tm(0.31, 890, 25) },
  VIP: { Pyr: tm(0.23, 300, 160), PV: tm(0.25, 720, 21), SST: tm(0.27, 760, 22), VIP: tm(0.13, 144, 62), LAMP5: tm(0.13, 144, 62) },
  LAMP5: { Pyr: tm(0.22, 610, 19), PV: tm(0.25, 700, 21), SST: tm(0.25, 700, 21), VIP: tm(0.25, 700, 21), LAMP5: tm(0.25, 700, 21) },
};

/** NMDA/AMPA peak-conductance ratios of excitatory pathways [I] (§b1: Pyr 0.2–0.5, PV ≤ 0.1, SST/VIP 0.3–0.5). */
export const L23_NMDA_AMPA_RATIO: Record<CellClass, number> = { Pyr: 0.3, PV: 0.1, SST: 0.5, VIP: 0.3, LAMP5: 0.3 };

/** AMPA kinetics of Pyr → post (§b1; Allen double-alpha fast/slow components). */
const PYR_AMPA_KINETICS: Record<CellClass, [number, number]> = {
  Pyr: [0.3, 3.0], PV: [0.2, 2.0], SST: [0.5, 3.5], VIP: [0.4, 3.0], LAMP5: [0.5, 3.0],
};
/** NMDA kinetics on every excitatory pathway (§b1, Yang 2016 2/100 ms). */
const NMDA_KINETICS: [number, number] = [2, 100];

/** GABA_A kinetics by pre class, onto Pyr vs onto interneurons (§b1; Ma, Hu & Agmon 2012). */
const GABA_A_KINETICS: Record<'PV' | 'SST' | 'VIP', { ontoPyr: [number, number]; ontoInterneuron: [number, number] }> = {
  PV: { ontoPyr: [0.5, 6], ontoInterneuron: [0.3, 3.5] },
  SST: { ontoPyr: [1.0, 10], ontoInterneuron: [0.8, 6] },
  VIP: { ontoPyr: [0.3, 6.4], ontoInterneuron: [0.3, 6.4] },
};
/** LAMP5 (NGF) slow GABA_A 3/40 ms and GABA_B 50/200 ms with ḡ_B = 0.1 ḡ_A (§b1, §c3). */
const LAMP5_GABA_A_SLOW: [number, number] = [3, 40];
const LAMP5_GABA_B: [number, number] = [50, 200];
export const LAMP5_GABA_B_FRACTION = 0.1;

function component(receptor: Receptor, gNs: number, [tauRiseMs, tauDecayMs]: [number, number]): ReceptorComponent {
  return { receptor, gNs, tauRiseMs, tauDecayMs };
}

/**
 * The default pathway pre → post with the chosen STP set. NMDA components saturate by default
 * (Wang 2002 gating, nmda.ts): with the linear model the mean NMDA conductance of one synapse at
 * 100 Hz is ~11× its resting peak, more than the receptors of one synapse can give.
 */
export function l23Pathway(pre: CellClass, post: CellClass, stpSet: StpSet = 'allen', nmdaModel: NmdaModel = 'saturating'): Pathway {
  const g = L23_G_RESTING_NS[pre][post];
  let components: ReceptorComponent[];
  if (pre === 'Pyr') {
    components = [
      component('AMPA', g, PYR_AMPA_KINETICS[post]),
      { ...component('NMDA', g * L23_NMDA_AMPA_RATIO[post], NMDA_KINETICS), nmdaModel },
    ];
  } else if (pre === 'LAMP5') {
    components = [
      component('GABA_A_slow', g, LAMP5_GABA_A_SLOW),
      component('GABA_B', g * LAMP5_GABA_B_FRACTION, LAMP5_GABA_B),
    ];
  } else {
    const k = GABA_A_KINETICS[pre];
    components = [component('GABA_A', g, post === 'Pyr' ? k.ontoPyr : k.ontoInterneuron)];
  }
  const stp = (stpSet === 'allen' ? L23_STP_ALLEN : L23_STP_STRONG)[pre][post];
  return { p: L23_CONNECTION_P[pre][post], components, delayMs: L23_DELAY_MS[pre][post], stp: { ...stp } };
}
