import type { Hertz, Millisecond, Nanosiemens } from '../units.ts';
import { biexpPeakNorm, type ReceptorKinetics } from './receptors.ts';

/**
 * NMDA receptor gating: 'linear' (every spike adds the same peak-normalized bi-exponential, so the
 * mean conductance grows without bound with the presynaptic rate) or 'saturating' (receptor
 * occupancy of the presynaptic neuron's synapses is bounded by 1).
 *
 * Saturating model: Wang 2002 (Neuron 36:955; also Brunel & Wang 2001) [L], per presynaptic neuron j,
 *
 *   dx_j/dt = −x_j/τ_x + Σ_k δ(t − t_j^k)                τ_x = 2 ms (transmitter pulse)
 *   ds_j/dt = −s_j/τ_decay + α·x_j·(1 − s_j)             α = 0.5 /ms (0.5 kHz), τ_decay = 100 ms
 *
 * reduced to an event-driven form with instantaneous binding: τ_x ≪ τ_decay, so neglecting the
 * unbinding during one pulse, d ln(1 − s)/dt = −α·x and each spike gives
 *
 *   1 − s⁺ = (1 − s⁻)·exp(−α ∫x dt) = (1 − s⁻)·exp(−α τ_x f)
 *   Δs = (1 − s⁻)·(1 − (1 − α_s)^f),     α_s = 1 − exp(−α τ_x) = 1 − e^{−1} ≈ 0.632
 *
 * where f is the release factor of the spike: the Tsodyks–Markram amplitude u·R/U (stp.ts), or 1
 * without STP. Scaling the transmitter pulse x by f (rather than Δs by f) keeps s ≤ 1 for any f;
 * f = 1 gives Δs = α_s(1 − s⁻). Between spikes s decays in closed form,
 *
 *   s_j(t) = s_j(t_k⁺)·exp(−(t − t_k)/τ_decay).
 *
 * The binding time course is restored by delivering each increment through the peak-normalized
 * bi-exponential of the receptor (receptors.ts), so τ_rise stays. The conductance of post cell i,
 * with ḡ the component's resting peak conductance (l23-pathways.ts: first response after
 * quiescence) and w_ij the synapse's weight factor, is
 *
 *   g_i(t) = Σ_j w_ij·(ḡ/α_s)·Σ_k Δs_j^k · norm·(exp(−(t − t_k − d)/τ_decay) − exp(−(t − t_k − d)/τ_rise))
 *
 * Normalization: the first spike after quiescence has Δs = α_s, so its peak is ḡ, exactly the
 * linear channel's; low-rate behaviour is unchanged. Since the decaying parts of the kernels sum to
 * s_j(t) < 1, g per synapse stays below ḡ·norm/α_s (full occupancy, nmdaFullOccupancyFactor:
 * 1.75 ḡ for 2/100 ms), and its mean below ḡ·norm·(1 − τ_rise/τ_decay)/α_s (≈ 1.71 ḡ) at any rate.
 *
 * In Brian2 (scenarios/brian2/nmda.py), per synapse (every synapse of j has the same s):
 *
 *   Synapses(pre, post, 's : 1\n t_last : second\n w : 1', on_pre='''
 *     s = s*exp(-(t - t_last)/tau_decay)
 *     ds = (1 - s)*(1 - (1 - alpha_s)**f)
 *     s += ds
 *     t_last = t
 *     A_post += w*ds*gbar/alpha_s
 *     B_post += w*ds*gbar/alpha_s''')
 *   f = u*R/U from the STP update before it (1 without STP);
 *   post: dA/dt = −A/τ_decay, dB/dt = −B/τ_rise (decayed exactly), g_NMDA = norm·(A − B),
 *         I_NMDA = g_NMDA·(E − v)/(1 + [Mg]/3.57 mM·exp(−0.062 v/mV))
 *
 * Our engine updates s_j when j's spike is emitted and delivers ḡ·w·Δs/α_s after the projection's
 * delay; Brian2's on_pre runs at arrival. A projection has one delay, so both see the same
 * inter-spike intervals and the same sequence of increments.
 */
export const NMDA_MODELS = ['linear', 'saturating'] as const;
export type NmdaModel = (typeof NMDA_MODELS)[number];

export function isNmdaModel(x: unknown): x is NmdaModel {
  return typeof x === 'string' && (NMDA_MODELS as readonly string[]).includes(x);
}

/** [L] Wang 2002: α = 0.5 kHz, the binding rate of the NMDA gating per unit transmitter pulse. */
export const WANG_NMDA_ALPHA_PER_MS = 0.5;
/** [L] Wang 2002: τ_x = τ_NMDA,rise = 2 ms, the decay of the transmitter pulse x. */
export const WANG_NMDA_X_TAU_MS: Millisecond = 2;

/** Fraction of free receptors one spike binds (f = 1): α_s = 1 − exp(−α τ_x). */
export function nmdaSpikeIncrement(alphaPerMs: number = WANG_NMDA_ALPHA_PER_MS, tauXMs: Millisecond = WANG_NMDA_X_TAU_MS): number {
  return -Math.expm1(-alphaPerMs * tauXMs);
}

/** [C] α_s of Wang 2002's parameters: 1 − e^{−1} ≈ 0.632. */
export const NMDA_SPIKE_INCREMENT = nmdaSpikeIncrement();

/** Δs of one spike with release factor f: (1 − s⁻)(1 − (1 − α_s)^f). */
export function saturatingIncrement(sBefore: number, alphaS: number = NMDA_SPIKE_INCREMENT, releaseFactor = 1): number {
  const bind = releaseFactor === 1 ? alphaS : -Math.expm1(releaseFactor * Math.log1p(-alphaS));
  return (1 - sBefore) * bind;
}

/** The gating s just after each spike of a train (s = 0 before the first), f = 1; the reference for tests. */
export function gatingAfterSpikes(spikeTimesMs: readonly number[], tauDecayMs: Millisecond, alphaS: number = NMDA_SPIKE_INCREMENT): number[] {
  const out: number[] = [];
  let s = 0;
  let last = -Infinity;
  for (const t of spikeTimesMs) {
    s *= Math.exp(-(t - last) / tauDecayMs);
    s += saturatingIncrement(s, alphaS);
    out.push(s);
    last = t;
  }
  return out;
}

/**
 * Time-averaged s at Poisson rate r (f = 1): each spike sees the stationary mean (Poisson arrivals
 * see time averages), so d⟨s⟩/dt = −⟨s⟩/τ_decay + r α_s (1 − ⟨s⟩) = 0 gives
 *   ⟨s⟩ = r α_s τ_decay / (1 + r α_s τ_decay).
 */
export function meanGatingPoisson(rateHz: Hertz, tauDecayMs: Millisecond, alphaS: number = NMDA_SPIKE_INCREMENT): number {
  const x = (rateHz / 1000) * alphaS * tauDecayMs;
  return x / (1 + x);
}

/** s just before each spike of a regular train at `rateHz`, in the steady state: α_s e/(1 − (1 − α_s) e), e = exp(−T/τ_decay). */
export function gatingBeforeSpikeRegular(rateHz: Hertz, tauDecayMs: Millisecond, alphaS: number = NMDA_SPIKE_INCREMENT): number {
  const e = Math.exp(-1000 / rateHz / tauDecayMs);
  return (alphaS * e) / (1 - (1 - alphaS) * e);
}

/**
 * Mean conductance of one synapse of resting peak ḡ at Poisson rate r, without STP. The kernel's
 * area is norm·(τ_decay − τ_rise), so
 *   linear:      ⟨g⟩ = ḡ norm r (τ_decay − τ_rise)
 *   saturating:  ⟨g⟩ = ḡ norm r (τ_decay − τ_rise)·(1 − ⟨s⟩)      (each spike adds ḡ(1 − s⁻))
 */
export function meanConductancePoisson(model: NmdaModel, rateHz: Hertz, gNs: Nanosiemens, k: ReceptorKinetics, alphaS: number = NMDA_SPIKE_INCREMENT): Nanosiemens {
  const linear = gNs * biexpPeakNorm(k) * (rateHz / 1000) * (k.tauDecayMs - k.tauRiseMs);
  return model === 'linear' ? linear : linear * (1 - meanGatingPoisson(rateHz, k.tauDecayMs, alphaS));
}

/** Full occupancy (s = 1) in units of ḡ: norm/α_s, the bound of the saturating conductance per synapse. */
export function nmdaFullOccupancyFactor(k: ReceptorKinetics, alphaS: number = NMDA_SPIKE_INCREMENT): number {
  return biexpPeakNorm(k) / alphaS;
}

/** The limit of ⟨g⟩/ḡ at high rate: norm·(1 − τ_rise/τ_decay)/α_s. */
export function nmdaMeanCeilingFactor(k: ReceptorKinetics, alphaS: number = NMDA_SPIKE_INCREMENT): number {
  return (biexpPeakNorm(k) * (1 - k.tauRiseMs / k.tauDecayMs)) / alphaS;
}
