import { fastExp } from './fast-exp.ts';

/**
 * The pure kernels of the conductance engine: plain indexed loops over typed arrays, no allocation.
 * Units throughout: mV, ms, pF, nS, pA (nS·mV = pA, pA/pF = mV/ms).
 *
 * Order within one integration step n (t = n·dt), as engine.ts calls them:
 *   1. advanceChannel   reads ring slot n, writes A, B (decay + arrivals) and accumulates g into
 *                       gTot, gRevSum (Σ g·E) — or gNmda, gNmdaRev for Mg-blocked channels
 *   2. integrateAdex    reads gTot, gRevSum, gNmda, gNmdaRev, iExt, v, w; writes v, w, refUntil,
 *                       and appends spiking neurons to the spike list
 *   3. deliverSpikes    reads the spike list and CSR; advances the presynaptic state (STP,
 *                       NMDA gating) of each spike; increments ring slot (n + delay)
 * Because every delay is ≥ 1 step, a spike emitted in step n is felt from step n + delay on:
 * the one-step minimum delay that keeps recurrent loops causal.
 * Once per tick, after its steps, flushTiny sets tiny A, B and w to exactly 0 (see FLUSH_BELOW).
 */

/**
 * A, B (nS) and w (pA) smaller than this in magnitude are set to exactly 0 once per tick. A channel
 * that stops receiving spikes decays into subnormal doubles within 0.2–150 s (τ = 0.3–200 ms); on
 * x86 each arithmetic operation on a subnormal costs ~100 cycles (JS cannot set flush-to-zero),
 * and slow decays even stick there, as x·decay rounds back to x. 1e-200 is ~200 orders of magnitude
 * below one synaptic event; within one tick a value decays from it by at most e^(−1 ms/τ) ≥ 0.036
 * (τ ≥ 0.3 ms, the fastest rise), so A, B, A − B and the sums never come near 2.2e-308 in a step.
 */
export const FLUSH_BELOW = 1e-200;

/** Set every entry of x[from, to) of magnitude below FLUSH_BELOW to exactly 0. */
export function flushTiny(x: Float64Array, from = 0, to = x.length): void {
  for (let i = from; i < to; i++) {
    const xi = x[i]!;
    if (xi < FLUSH_BELOW && xi > -FLUSH_BELOW) x[i] = 0;
  }
}

/** One post-synaptic channel: a receptor with fixed kinetics on one population. */
export interface ChannelState {
  size: number;
  /** exp(−dt/τ_decay) and exp(−dt/τ_rise) (0 when τ_rise = 0). */
  decayA: number;
  decayB: number;
  /** Peak normalization of the bi-exponential. */
  norm: number;
  eRevMv: number;
  mgBlock: boolean;
  /**
   * The rising and decaying components, g = norm·(A − B), in the population's synaptic state
   * (one array for all its channels, a block of `size` per component): A of neuron i at
   * state[offA + i], B at state[offB + i] (bi-exponential channels only). One array per population
   * rather than two per channel keeps a kernel's memory streams few; blocks rather than
   * interleaving keep a scatter of arrivals (deliverSpikes) within one block.
   */
  state: Float64Array;
  offA: number;
  offB: number;
  /**
   * Arrivals, in the ring shared by the population's non-direct channels: slot s = step mod
   * ringLen holds one block of `size` per such channel, this one at ring[(s·ringChannels +
   * ringIndex)·size + i]. ringLen is the population's (the longest delay + 1 step); unused when
   * `direct`.
   */
  ring: Float64Array;
  ringLen: number;
  ringChannels: number;
  ringIndex: number;
  /**
   * Every projection into this channel has the minimum delay of one step, so arrivals skip the
   * ring: deliverSpikes adds x/decay to A (and B) right away, and the decay at the next step
   * yields exactly A·decay + x. Two fewer memory accesses per neuron and step.
   * (A conductance probe read at the end of a tick then already holds the arrivals of the
   * next tick's first step, divided by one step's decay.)
   */
  direct: boolean;
  invDecayA: number;
  invDecayB: number;
}

/**
 * Exact exponential decay of the two components, then add this step's arrivals; accumulate the
 * conductance of this channel into the population's sums (offset into the global neuron arrays).
 * `overwrite` is set for the first channel feeding a sum, which saves clearing the sums each step.
 */
export function advanceChannel(
  ch: ChannelState,
  step: number,
  offset: number,
  overwrite: boolean,
  gTot: Float64Array,
  gRevSum: Float64Array,
  gNmda: Float64Array,
  gNmdaRev: Float64Array,
): void {
  const { size, decayA, decayB, norm, eRevMv, state, offA, offB, ring } = ch;
  const base = ((step % ch.ringLen) * ch.ringChannels + ch.ringIndex) * size;
  const biexp = decayB > 0;
  const sumG = ch.mgBlock ? gNmda : gTot;
  const sumGE = ch.mgBlock ? gNmdaRev : gRevSum;
  const direct = ch.direct;
  if (overwrite) {
    sumG.fill(0, offset, offset + size);
    sumGE.fill(0, offset, offset + size);
  }
  for (let i = 0; i < size; i++) {
    let arrival = 0;
    if (!direct) {
      arrival = ring[base + i]!;
      ring[base + i] = 0;
    }
    const ai = state[offA + i]! * decayA + arrival;
    state[offA + i] = ai;
    let g: number;
    if (biexp) {
      const bi = state[offB + i]! * decayB + arrival;
      state[offB + i] = bi;
      g = norm * (ai - bi);
    } else {
      g = ai;
    }
    sumG[offset + i]! += g;
    sumGE[offset + i]! += g * eRevMv;
  }
}

/** Per-population constants of the AdEx update, precomputed once at compile. */
export interface AdexConstants {
  offset: number;
  size: number;
  dtMs: number;
  /** dt/C (mV per pA per step). */
  dtOverC: number;
  eLMv: number;
  deltaTMv: number;
  vRMv: number;
  vPeakMv: number;
  aNs: number;
  bPa: number;
  /** dt/τ_w. */
  dtOverTauW: number;
  refractorySteps: number;
  hasNmda: boolean;
  /** Mg²⁺ concentration / 3.57 mM (Jahr & Stevens). */
  mgOver357: number;
}

export interface NeuronArrays {
  v: Float64Array;
  w: Float64Array;
  vT: Float64Array;
  gL: Float64Array;
  iExt: Float64Array;
  gTot: Float64Array;
  gRevSum: Float64Array;
  gNmda: Float64Array;
  gNmdaRev: Float64Array;
  /** Neurons with step < refUntil hold V at V_r. */
  refUntil: Float64Array;
}

/**
 * Forward-Euler AdEx step (as Brian2's `method='euler'`), all variables from the start of the step:
 *   v += dt/C·(−g_L(v − E_L) + g_L Δ_T e^{(v − V_T)/Δ_T} − w + Σg(E − v) + g_N B(v)(E_N − v) + I_ext)
 *   w += dt/τ_w·(a(v − E_L) − w)
 * The exponent is capped at its value at V_peak: the spike still happens within the step, and
 * v cannot overflow to Infinity. Both exponentials use fastExp (within 2 ulp of Math.exp, ≈ 3×
 * cheaper in V8). Writes the local indices of spiking neurons to `spikes` and
 * returns how many there are. Throws on a non-finite membrane potential, naming the neuron.
 */
export function integrateAdex(k: AdexConstants, s: NeuronArrays, step: number, spikes: Int32Array): number {
  const { offset, size, dtOverC, eLMv, deltaTMv, vRMv, vPeakMv, aNs, bPa, dtOverTauW, refractorySteps, hasNmda, mgOver357 } = k;
  const { v, w, vT, gL, iExt, gTot, gRevSum, gNmda, gNmdaRev, refUntil } = s;
  const exponential = deltaTMv > 0;
  let count = 0;
  let bad = -1;
  for (let i = offset, end = offset + size; i < end; i++) {
    const vi = v[i]!;
    const wi = w[i]!;
    const dw = (aNs * (vi - eLMv) - wi) * dtOverTauW;
    if (step < refUntil[i]!) {
      w[i] = wi + dw;
      continue;
    }
    const g = gL[i]!;
    let current = gRevSum[i]! - gTot[i]! * vi + iExt[i]! - g * (vi - eLMv) - wi;
    if (hasNmda) {
      const block = 1 / (1 + mgOver357 * fastExp(-0.062 * vi));
      current += block * (gNmdaRev[i]! - gNmda[i]! * vi);
    }
    if (exponential) {
      const vTi = vT[i]!;
      const x = (vi - vTi) / deltaTMv;
      // min(x, x at V_peak): v < V_peak gives x ≤ xMax after rounding too (subtraction and division
      // are monotonic), so the division for xMax is needed only at or above V_peak (or for NaN).
      current += g * deltaTMv * fastExp(vi < vPeakMv ? x : (vPeakMv - vTi) / deltaTMv);
    }
    const vNext = vi + current * dtOverC;
    if (vNext >= vPeakMv && vNext !== Infinity) {
      v[i] = vRMv;
      w[i] = wi + dw + bPa;
      refUntil[i] = step + refractorySteps;
      spikes[count++] = i - offset;
    } else if (vNext === vNext) {
      v[i] = vNext;
      w[i] = wi + dw;
    } else {
      // Throwing here, inside the loop, would keep V8 from optimizing it well: flag, break, throw after.
      v[i] = vNext;
      bad = i;
      break;
    }
  }
  if (bad >= 0) throw new RangeError(`membrane potential became ${v[bad]} at neuron ${bad - offset} (step ${step}); check the inputs for NaN or absurd conductances`);
  return count;
}

/** Short-term plasticity state of one projection, one entry per presynaptic neuron. */
export interface StpState {
  U: number;
  tauRecMs: number;
  tauFacilMs: number;
  u: Float64Array;
  r: Float64Array;
  /** Time of the last spike (ms), NaN before the first. */
  lastMs: Float64Array;
}

/**
 * Advance TM state to a spike at tMs and return its amplitude factor u·R/U (1 for the first spike
 * after rest). The per-spike exponentials here and in saturationFactor are fastExp's, which the
 * WebAssembly kernels compute inside the module: a call out to Math.exp would box its argument
 * and result on the JS heap at every spike.
 */
export function stpFactor(s: StpState, pre: number, tMs: number): number {
  const last = s.lastMs[pre]!;
  let u = s.U;
  let r = 1;
  if (last === last) {
    const dt = tMs - last;
    const uPrev = s.u[pre]!;
    r = 1 - (1 - s.r[pre]! * (1 - uPrev)) * fastExp(-dt / s.tauRecMs);
    u = s.tauFacilMs > 0 ? s.U + uPrev * (1 - s.U) * fastExp(-dt / s.tauFacilMs) : s.U;
  }
  s.u[pre] = u;
  s.r[pre] = r;
  s.lastMs[pre] = tMs;
  return (u * r) / s.U;
}

/**
 * Saturating NMDA gating of one projection component (src/synapses/nmda.ts), one entry per
 * presynaptic neuron: the occupancy s just after its last spike, and that spike's time.
 */
export interface SaturationState {
  /** 1/τ_decay (1/ms) of the gating, the component's decay. */
  invTauDecayMs: number;
  /** α_s: the fraction of free receptors one spike of release factor 1 binds. */
  alphaS: number;
  /** ln(1 − α_s): a spike of release factor f binds 1 − exp(f·ln(1 − α_s)) of them. */
  logUnbound: number;
  s: Float64Array;
  /** Time of the last spike (ms), −Infinity before the first (its decay factor is then 0). */
  lastMs: Float64Array;
}

/**
 * Advance presynaptic neuron `pre`'s gating in closed form to a spike at tMs with release factor
 * f (the STP factor, 1 without STP), s⁻ = s·exp(−Δt/τ_decay), s ← s⁻ + (1 − s⁻)(1 − (1 − α_s)^f),
 * and return the spike's amplitude Δs/α_s: 1 for the first spike after quiescence with f = 1.
 */
export function saturationFactor(g: SaturationState, pre: number, tMs: number, releaseFactor: number): number {
  const sBefore = g.s[pre]! * fastExp((g.lastMs[pre]! - tMs) * g.invTauDecayMs);
  // 1 − (1 − α_s)^f; f is a release factor of order 1, far from the cancellation that expm1 avoids.
  const bind = releaseFactor === 1 ? g.alphaS : 1 - fastExp(releaseFactor * g.logUnbound);
  const ds = (1 - sBefore) * bind;
  g.s[pre] = sBefore + ds;
  g.lastMs[pre] = tMs;
  return ds / g.alphaS;
}

/** A projection's delivery path into one channel of the post population. */
export interface DeliveryTarget {
  channel: ChannelState;
  gNs: number;
  /** Saturating NMDA gating of this component; null for a linear one. */
  saturation: SaturationState | null;
}

/**
 * Scatter the spikes of one step through a projection: each spike adds g·(weight)·(STP factor)
 * to ring slot (step + delaySteps) of every target channel, or straight into A and B (divided by
 * one step's decay) for a `direct` channel. A saturating target replaces the STP factor f by
 * Δs/α_s of the spike (saturationFactor), computed at emission: the projection's one delay
 * shifts every spike alike, so the intervals, and the increments, are those at arrival.
 */
export function deliverSpikes(
  spikes: Int32Array,
  count: number,
  step: number,
  tMs: number,
  rowStart: Int32Array,
  post: Int32Array,
  weight: Float64Array | null,
  delaySteps: number,
  targets: readonly DeliveryTarget[],
  stp: StpState | null,
): void {
  for (let t = 0; t < targets.length; t++) {
    const { channel, gNs, saturation } = targets[t]!;
    const direct = channel.direct;
    // Neuron j's entry: dst[at + j] (A, or this channel's arrivals at step + delay), B at atB + j.
    const dst = direct ? channel.state : channel.ring;
    const at = direct ? channel.offA : (((step + delaySteps) % channel.ringLen) * channel.ringChannels + channel.ringIndex) * channel.size;
    const atB = channel.offB;
    const biexpDirect = direct && channel.decayB > 0;
    const scaleA = direct ? channel.invDecayA : 1;
    const scaleB = channel.invDecayB;
    for (let s = 0; s < count; s++) {
      const pre = spikes[s]!;
      // STP state advances once per spike, on the first target only.
      const release = stp === null ? 1 : t === 0 ? stpFactor(stp, pre, tMs) : (stp.u[pre]! * stp.r[pre]!) / stp.U;
      const amp = gNs * (saturation === null ? release : saturationFactor(saturation, pre, tMs, release));
      const ampA = amp * scaleA;
      const end = rowStart[pre + 1]!;
      if (weight === null) {
        for (let k = rowStart[pre]!; k < end; k++) dst[at + post[k]!]! += ampA;
        if (biexpDirect) {
          const ampB = amp * scaleB;
          for (let k = rowStart[pre]!; k < end; k++) dst[atB + post[k]!]! += ampB;
        }
      } else {
        for (let k = rowStart[pre]!; k < end; k++) dst[at + post[k]!]! += ampA * weight[k]!;
        if (biexpDirect) {
          const ampB = amp * scaleB;
          for (let k = rowStart[pre]!; k < end; k++) dst[atB + post[k]!]! += ampB * weight[k]!;
        }
      }
    }
  }
}
