import type { Millivolt, Millisecond, Nanosiemens, Picoampere, Picofarad, SourceTag } from '../units.ts';

/**
 * Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005), conductance-based inputs:
 *
 *   C dV/dt  = −g_L (V − E_L) + g_L Δ_T exp((V − V_T)/Δ_T) − w + I_syn + I_ext
 *   τ_w dw/dt = a (V − E_L) − w
 *   on V ≥ V_peak:  V → V_r,  w → w + b,  V clamped at V_r for t_ref
 *
 * Δ_T = 0 removes the exponential term: a leaky integrate-and-fire neuron with threshold V_peak.
 * This is what a cell type *is*; how a backend integrates it lives in the adapter.
 */
export interface AdexParams {
  cPf: Picofarad;
  gLNs: Nanosiemens;
  eLMv: Millivolt;
  deltaTMv: Millivolt;
  vTMv: Millivolt;
  vRMv: Millivolt;
  vPeakMv: Millivolt;
  tRefMs: Millisecond;
  aNs: Nanosiemens;
  bPa: Picoampere;
  tauWMs: Millisecond;
}

export const ADEX_PARAM_NAMES = [
  'cPf', 'gLNs', 'eLMv', 'deltaTMv', 'vTMv', 'vRMv', 'vPeakMv', 'tRefMs', 'aNs', 'bPa', 'tauWMs',
] as const satisfies readonly (keyof AdexParams)[];

/** A cell class: its parameters, each with the provenance of its value. */
export interface CellType {
  name: string;
  params: AdexParams;
  sources: Record<keyof AdexParams, SourceTag>;
}

/** Rheobase of an AdEx neuron with a = 0 (saddle-node): I_rh = g_L (V_T − E_L − Δ_T). docs/reference/celltypes.md §a2 step 2. */
export function adexRheobasePa(p: AdexParams): Picoampere {
  if (p.aNs === 0) return p.gLNs * (p.vTMv - p.eLMv - p.deltaTMv);
  const g = p.gLNs + p.aNs;
  return g * (p.vTMv - p.eLMv - p.deltaTMv + p.deltaTMv * Math.log(1 + p.aNs / p.gLNs));
}
