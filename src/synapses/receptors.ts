import type { Millivolt, Millisecond } from '../units.ts';

/**
 * Synaptic receptors as bi-exponential conductances (docs/reference/celltypes.md §b1), peak-normalized:
 *
 *   g(t) = ḡ · norm · (exp(−t/τ_decay) − exp(−t/τ_rise)),   norm chosen so that max g = ḡ
 *   I_syn = g(t) · B(V) · (E_rev − V)        B ≡ 1 except NMDA (Jahr–Stevens Mg²⁺ block)
 *
 * τ_rise = 0 gives a single exponential (instantaneous rise).
 */
export const RECEPTORS = ['AMPA', 'NMDA', 'GABA_A', 'GABA_A_slow', 'GABA_B'] as const;
export type Receptor = (typeof RECEPTORS)[number];

export interface ReceptorKinetics {
  tauRiseMs: Millisecond;
  tauDecayMs: Millisecond;
}

export interface ReceptorDefaults extends ReceptorKinetics {
  eRevMv: Millivolt;
  /** Voltage-dependent Mg²⁺ block (NMDA only). */
  mgBlock: boolean;
}

/** Default reversal potentials and kinetics; pathway-specific kinetics override these (see l23-pathways.ts). */
export const RECEPTOR_DEFAULTS: Record<Receptor, ReceptorDefaults> = {
  // [L] Yang, Murray & Wang 2016 / [I] τd 3 ms compromise with synphys EPSC decays (§b1)
  AMPA: { eRevMv: 0, tauRiseMs: 0.3, tauDecayMs: 3.0, mgBlock: false },
  // [L] Yang, Murray & Wang 2016 NMDA 2/100 ms (§b1)
  NMDA: { eRevMv: 0, tauRiseMs: 2, tauDecayMs: 100, mgBlock: true },
  // [I] E_GABA_A −70 mV as in Allen models and Yang 2016 (§b1); PV→Pyr kinetics 0.5/6 ms
  GABA_A: { eRevMv: -70, tauRiseMs: 0.5, tauDecayMs: 6, mgBlock: false },
  // [L*/I] NGF slow GABA_A 3/40 ms (Tamás 2003; Szabadics 2007) (§b1)
  GABA_A_slow: { eRevMv: -70, tauRiseMs: 3, tauDecayMs: 40, mgBlock: false },
  // [L*/I] NGF GABA_B 50/200 ms, E_K −95 mV (§b1)
  GABA_B: { eRevMv: -95, tauRiseMs: 50, tauDecayMs: 200, mgBlock: false },
};

/** External [Mg²⁺] (mM), docs/reference/celltypes.md §b1 [L*]. */
export const MG_CONCENTRATION_MM = 1;

/** Jahr & Stevens 1990 Mg²⁺ block: B(V) = 1 / (1 + [Mg]/3.57 mM · exp(−0.062 V/mV)). */
export function mgBlock(vMv: Millivolt, mgMm: number = MG_CONCENTRATION_MM): number {
  return 1 / (1 + (mgMm / 3.57) * Math.exp(-0.062 * vMv));
}

/**
 * Peak normalization of the bi-exponential: the peak of exp(−t/τd) − exp(−t/τr) is at
 * t* = τr τd ln(τd/τr)/(τd − τr); norm = 1/value at t*. τr = 0 (single exponential) gives 1.
 */
export function biexpPeakNorm(k: ReceptorKinetics): number {
  const { tauRiseMs: tr, tauDecayMs: td } = k;
  if (tr === 0) return 1;
  const tPeak = ((tr * td) / (td - tr)) * Math.log(td / tr);
  return 1 / (Math.exp(-tPeak / td) - Math.exp(-tPeak / tr));
}

export function isReceptor(x: unknown): x is Receptor {
  return typeof x === 'string' && (RECEPTORS as readonly string[]).includes(x);
}
