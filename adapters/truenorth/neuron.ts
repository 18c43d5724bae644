/**
 * One TrueNorth neuron, one tick at a time (Cassidy et al. 2013, as set out in
 * docs/reference/swta-and-truenorth.md §5.2). Readable scalar form, used by `swta truenorth neuron`; core.ts runs
 * the same rule over 256 neurons on typed arrays and a differential test keeps the two identical.
 *
 *   1. integrate  V += s_G                       (b_G = 0)     for each connected axon that spiked
 *                 V += sgn(s_G)·[|s_G| ≥ rho]    (b_G = 1)
 *   2. leak       Omega = (1 − eps) + eps·sgn(V);  V += Omega·lambda          (c_lambda = 0)
 *                                                 V += Omega·sgn(lambda)·[|lambda| ≥ rho]  (c_lambda = 1)
 *   3. saturate   V = clamp(V, V_MIN, V_MAX)
 *   4. threshold  eta = rho & (2^TM − 1);  fire iff V ≥ alpha + eta, then V ← R | V − (alpha+eta) | V
 *                 (gamma 0|1|2); else if V < −(beta·kappa + (beta+eta)(1−kappa)) the negative reset
 *                 V ← −beta (kappa = 1) or −R | V + (beta+eta) | V (gamma 0|1|2, kappa = 0).
 *
 * PRN draw order (which draw feeds which comparison) is ours to define, since the chip's is not
 * public: within a neuron, one draw per stochastic synaptic event in input order, then one for the
 * leak if c_lambda = 1 (even when lambda = 0), then one for the threshold if TM > 0. A flag that is
 * off consumes nothing. In a core, neurons draw in index order from the core's one generator.
 */
import { V_MAX, V_MIN, type CompiledNeuron } from './neuron-params.ts';
import type { ByteSource } from './prng.ts';

export class TrueNorthNeuron {
  /** Membrane potential, an integer in [V_MIN, V_MAX] between ticks. */
  v: number;

  constructor(
    private readonly p: CompiledNeuron,
    private readonly prn: ByteSource,
  ) {
    this.v = p.v0;
  }

  /**
   * Advances one tick. `inputTypes[k]` is the axon type (0..3) of the k-th connected axon that
   * spiked this tick, in axon order (repeats mean several axons of one type). Returns whether the
   * neuron fired.
   */
  tick(inputTypes: ArrayLike<number>): boolean {
    const p = this.p;
    let v = this.v;

    // 1) synaptic integration. NeMo's TNstochasticIntegrate adds +1 whatever the weight's sign;
    //    Cassidy's rule adds sgn(s), so a stochastic inhibitory synapse subtracts. We follow Cassidy.
    for (let k = 0; k < inputTypes.length; k++) {
      const g = inputTypes[k]!;
      const s = p.weight[g]!;
      if (p.stochasticSynapse[g] === 0) v += s;
      else if (Math.abs(s) >= this.prn.next()) v += Math.sign(s);
    }

    // 2) leak, its direction set by V after integration: sgn(0) = 0, so with epsilon = 1 a neuron
    //    at exactly 0 does not leak. NeMo's stochastic leak again adds +1 whatever the sign; we
    //    follow Cassidy (Omega·sgn(lambda)).
    const omega = p.epsilon === 0 ? 1 : Math.sign(v);
    if (p.stochasticLeak === 0) v += omega * p.leak;
    else if (Math.abs(p.leak) >= this.prn.next()) v += omega * Math.sign(p.leak);

    // 3) saturate once per tick, after integration and leak (as NeMo does, at fire time). Within
    //    the tick V cannot overflow: |V| ≤ 393216 + 256·255 + 255.
    if (v > V_MAX) v = V_MAX;
    else if (v < V_MIN) v = V_MIN;

    // 4) threshold, fire, reset; one eta serves both thresholds this tick.
    const eta = p.thresholdMask === 0 ? 0 : this.prn.next() & p.thresholdMask;
    let fired = false;
    if (v >= p.alpha + eta) {
      fired = true;
      if (p.gamma === 0) v = p.resetPotential;
      else if (p.gamma === 1) v = v - (p.alpha + eta);
      // gamma = 2: non-reset, V stays.
    } else if (p.kappa === 1) {
      // negative saturation, whatever gamma. (0 − x, not −x: −0 would print as 0 but compare unequal.)
      if (v < -p.beta) v = 0 - p.beta;
    } else if (v < -(p.beta + eta)) {
      if (p.gamma === 0) v = 0 - p.resetPotential;
      else if (p.gamma === 1) v = v + (p.beta + eta);
    }
    this.v = v;
    return fired;
  }
}

/** The trace of one neuron driven by per-tick input lists: V after each tick and the ticks that fired. */
export interface NeuronTrace {
  v: number[];
  spikes: number[];
}

/** Runs `ticks` ticks; tick t gets `inputs[t]` (no input past the end of `inputs`). */
export function simulateNeuron(
  p: CompiledNeuron,
  inputs: readonly (readonly number[])[],
  options: { ticks: number; prn: ByteSource },
): NeuronTrace {
  const neuron = new TrueNorthNeuron(p, options.prn);
  const v: number[] = [];
  const spikes: number[] = [];
  const none: number[] = [];
  for (let t = 0; t < options.ticks; t++) {
    if (neuron.tick(inputs[t] ?? none)) spikes.push(t);
    v.push(neuron.v);
  }
  return { v, spikes };
}
