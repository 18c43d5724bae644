import type { CellType } from './adex.ts';

/**
 * The five mouse V1 L2/3 classes, from docs/reference/celltypes.md §a2 ("Derived AdEx parameters").
 * Passive values come from Allen CTDB medians (§a1): g_L = 1/R_in, C = τ_m·g_L; V_T from the
 * rheobase condition; V_r, b and τ_w from the grid fit to the IPFX features.
 */
export const CELL_CLASSES = ['Pyr', 'PV', 'SST', 'VIP', 'LAMP5'] as const;
export type CellClass = (typeof CELL_CLASSES)[number];

const CTDB_PASSIVE = '[C] Allen CTDB L2/3 medians (§a1): τ_m·g_L and 1/R_in';
const CTDB_REST = '[D] Allen CTDB V_rest median (§a1)';
const RHEOBASE = '[C] V_T = E_L + Δ_T + (I_rh − 5 pA)/g_L (§a2 step 2)';
const GRID_FIT = '[C] grid fit to f–I slope, adaptation index, hero ISI (§a2 step 3)';
const PEAK = '[I] numerical spike cut-off (§a2)';
const NO_SUBTHRESHOLD_ADAPTATION = '[I] R_in already includes subthreshold currents (§a2)';
const AP_WIDTH = '[I] scaled to AP width, upstroke/downstroke ratio (§a2)';

export const PYR: CellType = {
  name: 'Pyr',
  params: { cPf: 118.9, gLNs: 6.21, eLMv: -75.9, deltaTMv: 2.0, vTMv: -57.0, vRMv: -70.0, vPeakMv: 0, tRefMs: 2.0, aNs: 0, bPa: 20, tauWMs: 200 },
  sources: {
    cPf: CTDB_PASSIVE, gLNs: CTDB_PASSIVE, eLMv: CTDB_REST,
    deltaTMv: '[I] Brette & Gerstner 2005 (§a2)', vTMv: RHEOBASE, vRMv: GRID_FIT, vPeakMv: PEAK,
    tRefMs: AP_WIDTH, aNs: NO_SUBTHRESHOLD_ADAPTATION, bPa: GRID_FIT, tauWMs: GRID_FIT,
  },
};

export const PV: CellType = {
  name: 'PV',
  params: { cPf: 78.7, gLNs: 14.31, eLMv: -77.0, deltaTMv: 1.0, vTMv: -53.3, vRMv: -63.3, vPeakMv: 0, tRefMs: 1.0, aNs: 0, bPa: 10, tauWMs: 50 },
  sources: {
    cPf: CTDB_PASSIVE, gLNs: CTDB_PASSIVE, eLMv: CTDB_REST,
    deltaTMv: '[I] sharper spike onset of FS cells (§a2; Litwin-Kumar 2016 used 0.25 mV)', vTMv: RHEOBASE, vRMv: GRID_FIT,
    vPeakMv: PEAK, tRefMs: AP_WIDTH, aNs: NO_SUBTHRESHOLD_ADAPTATION, bPa: GRID_FIT, tauWMs: GRID_FIT,
  },
};

export const SST: CellType = {
  name: 'SST',
  params: { cPf: 98.5, gLNs: 4.52, eLMv: -69.3, deltaTMv: 2.0, vTMv: -48.5, vRMv: -59.5, vPeakMv: 0, tRefMs: 1.5, aNs: 0, bPa: 8, tauWMs: 200 },
  sources: {
    cPf: CTDB_PASSIVE, gLNs: CTDB_PASSIVE, eLMv: CTDB_REST,
    deltaTMv: '[I] Brette & Gerstner 2005 (§a2)', vTMv: RHEOBASE, vRMv: GRID_FIT, vPeakMv: PEAK,
    tRefMs: AP_WIDTH, aNs: NO_SUBTHRESHOLD_ADAPTATION, bPa: GRID_FIT, tauWMs: GRID_FIT,
  },
};

export const VIP: CellType = {
  name: 'VIP',
  params: { cPf: 51.5, gLNs: 4.27, eLMv: -71.5, deltaTMv: 2.0, vTMv: -59.0, vRMv: -66.0, vPeakMv: 0, tRefMs: 1.5, aNs: 0, bPa: 20, tauWMs: 100 },
  sources: {
    cPf: CTDB_PASSIVE, gLNs: CTDB_PASSIVE, eLMv: CTDB_REST,
    deltaTMv: '[I] Brette & Gerstner 2005 (§a2)', vTMv: RHEOBASE,
    vRMv: '[C] compromise fit: slope matches GLIF VIP cells, not the CTDB median (§a2 limitations)', vPeakMv: PEAK,
    tRefMs: AP_WIDTH, aNs: NO_SUBTHRESHOLD_ADAPTATION, bPa: GRID_FIT, tauWMs: GRID_FIT,
  },
};

export const LAMP5: CellType = {
  name: 'LAMP5',
  params: { cPf: 62.9, gLNs: 7.17, eLMv: -72.6, deltaTMv: 2.0, vTMv: -46.2, vRMv: -65.2, vPeakMv: 0, tRefMs: 1.5, aNs: 0, bPa: 150, tauWMs: 20 },
  sources: {
    cPf: '[C] Ndnf L2/3 CTDB medians (§a1): τ_m·g_L', gLNs: '[C] Ndnf L2/3 CTDB medians (§a1): 1/R_in', eLMv: CTDB_REST,
    deltaTMv: '[I] Brette & Gerstner 2005 (§a2)', vTMv: RHEOBASE, vRMv: GRID_FIT, vPeakMv: PEAK, tRefMs: AP_WIDTH,
    aNs: NO_SUBTHRESHOLD_ADAPTATION, bPa: '[C] large fast w = medium AHP, non-adapting NGF firing (§a2)', tauWMs: GRID_FIT,
  },
};

export const L23_CELL_TYPES: Record<CellClass, CellType> = { Pyr: PYR, PV, SST, VIP, LAMP5 };

/** The "model" rows of docs/reference/celltypes.md §a2: what our integrator must reproduce (rheobase ±10 pA, slope ±10 %). */
export interface CellTypeTargets {
  rheobasePa: number;
  slopeHzPerNa: number;
  adaptationIndex: number;
  /** Measured (Allen CTDB) values, for the scenario's side-by-side table. */
  data: { rheobasePa: number; slopeHzPerNa: number; adaptationIndex: number };
}

export const L23_TARGETS: Record<CellClass, CellTypeTargets> = {
  Pyr: { rheobasePa: 110, slopeHzPerNa: 196, adaptationIndex: 0.034, data: { rheobasePa: 110, slopeHzPerNa: 196, adaptationIndex: 0.035 } },
  PV: { rheobasePa: 330, slopeHzPerNa: 769, adaptationIndex: 0.003, data: { rheobasePa: 330, slopeHzPerNa: 757, adaptationIndex: 0.003 } },
  SST: { rheobasePa: 90, slopeHzPerNa: 339, adaptationIndex: 0.013, data: { rheobasePa: 90, slopeHzPerNa: 342, adaptationIndex: 0.013 } },
  VIP: { rheobasePa: 50, slopeHzPerNa: 400, adaptationIndex: 0.021, data: { rheobasePa: 50, slopeHzPerNa: 190, adaptationIndex: 0.028 } },
  LAMP5: { rheobasePa: 180, slopeHzPerNa: 253, adaptationIndex: 0.001, data: { rheobasePa: 180, slopeHzPerNa: 257, adaptationIndex: 0 } },
};

/** Fractions of all L2/3 neurons, docs/reference/celltypes.md §d1 [C] (10 % inhibitory; IN split PV 30, SST 21, VIP 30, LAMP5 19 %). */
export const L23_FRACTIONS: Record<CellClass, number> = { Pyr: 0.9, PV: 0.03, SST: 0.021, VIP: 0.03, LAMP5: 0.019 };

export function isCellClass(x: unknown): x is CellClass {
  return typeof x === 'string' && (CELL_CLASSES as readonly string[]).includes(x);
}
