import type { Millisecond } from '../units.ts';

/**
 * Tsodyks–Markram short-term plasticity, Markram, Wang & Tsodyks 1998 form (docs/reference/celltypes.md §b2):
 *
 *   amplitude of spike n:  A_n = ḡ · u_n R_n / U          (so the first spike after rest has amplitude ḡ)
 *   between spikes Δ apart: R ← 1 − (1 − R(1 − u)) e^{−Δ/τ_rec},   u ← U + u(1 − U) e^{−Δ/τ_facil}
 *   u_1 = U, R_1 = 1; τ_facil = 0 means no facilitation (u ≡ U).
 *
 * The division by U is our convention: projection conductances are the *resting* unitary values of
 * §c3 (first response after quiescence), so STP only shapes the train.
 */
export interface StpParams {
  U: number;
  tauRecMs: Millisecond;
  tauFacilMs: Millisecond;
}

/** Deterministic TM amplitudes (relative to the first) for a spike train; the reference for tests and fits. */
export function stpTrainAmplitudes(p: StpParams, spikeTimesMs: readonly number[]): number[] {
  const out: number[] = [];
  let u = p.U;
  let r = 1;
  let last = NaN;
  for (const t of spikeTimesMs) {
    if (!Number.isNaN(last)) {
      const dt = t - last;
      r = 1 - (1 - r * (1 - u)) * Math.exp(-dt / p.tauRecMs);
      u = p.tauFacilMs > 0 ? p.U + u * (1 - p.U) * Math.exp(-dt / p.tauFacilMs) : p.U;
    }
    out.push((u * r) / p.U);
    last = t;
  }
  return out;
}
