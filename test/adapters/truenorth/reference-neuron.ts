/**
 * A deliberately plain transcription of docs/reference/swta-and-truenorth.md §5.2, for the differential fuzz test.
 * It shares no code with adapters/truenorth except the PRN source handed in as `draw`. No typed
 * arrays, no bitsets, no precomputed signed weights: the equations as printed, with the Kronecker
 * deltas δ(γ), δ(γ−1), δ(γ−2) written out, neuron after neuron.
 *
 * Conventions the paper leaves open, the same as the emulator's (documented in neuron.ts):
 * - draw order: for neuron 0, 1, …: one draw per stochastic synaptic event (ascending axon), one
 *   for the leak if c_lambda = 1, one for the threshold if TM > 0;
 * - V saturates at ±393216 once per tick, after the leak and before the threshold.
 */

/** IBM-named parameters of one neuron (plain numbers; signs ±1, flags 0/1). */
export interface RefParams {
  sigma: [number, number, number, number];
  s: [number, number, number, number];
  b: [number, number, number, number];
  sigma_lambda: number;
  lambda: number;
  c_lambda: number;
  epsilon: number;
  alpha: number;
  beta: number;
  TM: number;
  gamma: number;
  kappa: number;
  sigma_VR: number;
  VR: number;
  V: number;
}

export interface RefCore {
  neurons: RefParams[];
  /** w[i][j]: axon i connects to neuron j. */
  w: boolean[][];
  /** G[i]: type of axon i. */
  G: number[];
}

export interface RefTrace {
  /** v[t][j]: V of neuron j after tick t. */
  v: number[][];
  /** fired[t][j]. */
  fired: boolean[][];
}

const SATURATION = 393216;

function sgn(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

function delta(x: number): number {
  return x === 0 ? 1 : 0;
}

/** Runs the core for `inputs.length` ticks; inputs[t] = the axons that spike at tick t. */
export function referenceRun(core: RefCore, inputs: number[][], draw: () => number): RefTrace {
  const V = core.neurons.map((p) => p.V);
  const trace: RefTrace = { v: [], fired: [] };
  for (let t = 0; t < inputs.length; t++) {
    const A = [...inputs[t]!].sort((a, b) => a - b);
    const firedNow: boolean[] = [];
    for (let j = 0; j < core.neurons.length; j++) {
      const p = core.neurons[j]!;
      let v = V[j]!;

      // 1) synaptic integration
      for (const i of A) {
        if (!core.w[i]![j]) continue;
        const G = core.G[i]!;
        const s = p.sigma[G]! * p.s[G]!;
        if (p.b[G] === 0) {
          v = v + s;
        } else {
          const rho = draw();
          v = v + sgn(s) * (Math.abs(s) >= rho ? 1 : 0);
        }
      }

      // 2) leak
      const lambda = p.sigma_lambda * p.lambda;
      const Omega = (1 - p.epsilon) + p.epsilon * sgn(v);
      if (p.c_lambda === 0) {
        v = v + Omega * lambda;
      } else {
        const rhoL = draw();
        v = v + Omega * sgn(lambda) * (Math.abs(lambda) >= rhoL ? 1 : 0);
      }

      // saturation
      if (v > SATURATION) v = SATURATION;
      if (v < -SATURATION) v = -SATURATION;

      // 3) threshold, fire, reset
      const M = 2 ** p.TM - 1;
      const rhoT = p.TM > 0 ? draw() : 0;
      const eta = rhoT & M;
      const R = p.sigma_VR * (2 ** p.VR - 1);
      const alpha = p.alpha;
      const beta = p.beta;
      const gamma = p.gamma;
      const kappa = p.kappa;
      let spike = false;
      if (v >= alpha + eta) {
        spike = true;
        v = delta(gamma) * R + delta(gamma - 1) * (v - (alpha + eta)) + delta(gamma - 2) * v;
      } else if (v < -(beta * kappa + (beta + eta) * (1 - kappa))) {
        v = -beta * kappa + (1 - kappa) * (-delta(gamma) * R + delta(gamma - 1) * (v + (beta + eta)) + delta(gamma - 2) * v);
      }
      V[j] = v + 0; // + 0 turns a −0 from the products above into 0
      firedNow.push(spike);
    }
    trace.v.push([...V]);
    trace.fired.push(firedNow);
  }
  return trace;
}
