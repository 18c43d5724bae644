/**
 * Golden traces for the deterministic modes: every leak mode, every reset mode, and classic
 * behaviours. Each expected trace is worked out by hand in the comment above it, tick by tick
 * (t: V after integration → after leak → threshold outcome), from §5.2:
 *   integrate V += s_G; leak V += Omega·lambda with Omega = 1 (eps 0) or sgn(V) (eps 1);
 *   fire if V ≥ alpha → R | V − alpha | V (gamma 0|1|2); else if V < −beta → −beta (kappa 1), or
 *   −R | V + beta | V (gamma 0|1|2, kappa 0). (TM = 0 here, so eta = 0.)
 * Every trace runs through both the scalar neuron and a one-neuron Core.
 */
import { describe, expect, it } from 'vitest';
import type { TrueNorthNeuronParams } from '../../../adapters/truenorth/neuron-params.ts';
import { neuron, runCore, runScalar } from './helpers.ts';

function expectTrace(p: TrueNorthNeuronParams, inputs: number[][], want: { v: number[]; spikes: number[] }): void {
  const ticks = want.v.length;
  expect(runScalar(p, inputs, ticks)).toEqual(want);
  expect(runCore(p, inputs, ticks)).toEqual(want);
}

const none = (n: number): number[][] => Array.from({ length: n }, () => []);

describe('leak modes (epsilon × sign of lambda)', () => {
  it('monotonic up (eps 0, lambda +3): climbs 3 per tick, fires at 12 ≥ 10, resets to R = 0', () => {
    // t0 0→3; t1 6; t2 9; t3 12 ≥ 10 fire → 0; t4 3; t5 6; t6 9; t7 12 fire → 0
    const p = neuron({ sigma_lambda: 1, lambda: 3, epsilon: 0, alpha: 10, gamma: 0, VR: 0 });
    expectTrace(p, none(8), { v: [3, 6, 9, 0, 3, 6, 9, 0], spikes: [3, 7] });
  });

  it('monotonic down (eps 0, lambda −4): falls 4 per tick through 0, held at −beta = −10 (kappa 1)', () => {
    // V0 20: t0 16; t1 12; t2 8; t3 4; t4 0; t5 −4; t6 −8; t7 −12 < −10 → −10; t8 −14 < −10 → −10
    const p = neuron({ V: 20, sigma_lambda: -1, lambda: 4, epsilon: 0, alpha: 100, beta: 10, kappa: 1 });
    expectTrace(p, none(9), { v: [16, 12, 8, 4, 0, -4, -8, -10, -10], spikes: [] });
  });

  it('convergent (eps 1, lambda −3): moves 3 toward 0 and stops at exactly 0 (sgn 0 = 0)', () => {
    // V0 9: t0 Omega = sgn 9 = 1 → 6; t1 3; t2 0; t3 Omega = 0 → 0; t4 0
    const p = neuron({ V: 9, sigma_lambda: -1, lambda: 3, epsilon: 1, alpha: 100, beta: 100 });
    expectTrace(p, none(5), { v: [6, 3, 0, 0, 0], spikes: [] });
  });

  it('convergent leak overshooting 0 rings (§5.2 as written; NeMo would clamp to 0)', () => {
    // V0 −7: t0 Omega −1 → −7 + 3 = −4; t1 −1; t2 −1 + 3 = 2; t3 Omega +1 → −1; t4 2
    // (NeMo's ringing() would give −4, −1, 0, 0, 0.)
    const p = neuron({ V: -7, sigma_lambda: -1, lambda: 3, epsilon: 1, alpha: 100, beta: 100 });
    expectTrace(p, none(5), { v: [-4, -1, 2, -1, 2], spikes: [] });
  });

  it('divergent (eps 1, lambda +2): moves 2 away from 0; after a reset to 0 it stays there', () => {
    // V0 2: t0 Omega 1 → 4; t1 6; t2 8 ≥ 7 fire → R = 0; t3 Omega = sgn 0 = 0 → 0; t4 0
    const p = neuron({ V: 2, sigma_lambda: 1, lambda: 2, epsilon: 1, alpha: 7, gamma: 0, VR: 0 });
    expectTrace(p, none(5), { v: [4, 6, 0, 0, 0], spikes: [2] });
  });

  it('divergent below 0 (eps 1, lambda +2): falls 2 per tick, held at −beta = −6', () => {
    // V0 −1: t0 Omega −1 → −3; t1 −5; t2 −7 < −6 → −6; t3 −8 → −6
    const p = neuron({ V: -1, sigma_lambda: 1, lambda: 2, epsilon: 1, alpha: 100, beta: 6, kappa: 1 });
    expectTrace(p, none(4), { v: [-3, -5, -6, -6], spikes: [] });
  });
});

describe('reset modes (gamma × kappa)', () => {
  // Common: type 0 weight +5, type 1 weight −5, no leak, alpha 7, beta 3, R = +1·(2^1 − 1) = 1.
  const inputs = [[0], [0], [], [1], [1], [1, 1], []];
  const base = { s0: 5, sigma1: -1 as const, s1: 5, alpha: 7, beta: 3, sigma_VR: 1 as const, VR: 1 };

  it('gamma 0, kappa 0 (normal): +R after a spike, −R below −beta', () => {
    // t0 5; t1 10 ≥ 7 fire → R = 1; t2 1; t3 1 − 5 = −4 < −3 → −R = −1; t4 −6 → −1;
    // t5 −1 − 10 = −11 → −1; t6 −1 (not < −3)
    expectTrace(neuron({ ...base, gamma: 0, kappa: 0 }), inputs, { v: [5, 1, 1, -1, -1, -1, -1], spikes: [1] });
  });

  it('gamma 0, kappa 1 (normal, negative saturation): +R after a spike, −beta below −beta', () => {
    // t0 5; t1 fire → 1; t2 1; t3 −4 → −3; t4 −8 → −3; t5 −13 → −3; t6 −3 (not < −3)
    expectTrace(neuron({ ...base, gamma: 0, kappa: 1 }), inputs, { v: [5, 1, 1, -3, -3, -3, -3], spikes: [1] });
  });

  it('gamma 1, kappa 0 (linear): V − alpha after a spike, V + beta below −beta, every tick', () => {
    // t0 5; t1 10 fire → 10 − 7 = 3; t2 3; t3 −2 (not < −3); t4 −7 → −7 + 3 = −4;
    // t5 −4 − 10 = −14 → −11; t6 no input, −11 < −3 → −8
    expectTrace(neuron({ ...base, gamma: 1, kappa: 0 }), inputs, { v: [5, 3, 3, -2, -4, -11, -8], spikes: [1] });
  });

  it('gamma 1, kappa 1 (linear, negative saturation)', () => {
    // t0 5; t1 fire → 3; t2 3; t3 −2; t4 −7 → −3; t5 −13 → −3; t6 −3
    expectTrace(neuron({ ...base, gamma: 1, kappa: 1 }), inputs, { v: [5, 3, 3, -2, -3, -3, -3], spikes: [1] });
  });

  it('gamma 2, kappa 0 (non-reset): V kept, so it fires again while V ≥ alpha', () => {
    // t0 5; t1 10 fire, stays 10; t2 10 fire again; t3 5; t4 0; t5 −10 (< −3, kept); t6 −10
    expectTrace(neuron({ ...base, gamma: 2, kappa: 0 }), inputs, { v: [5, 10, 10, 5, 0, -10, -10], spikes: [1, 2] });
  });

  it('gamma 2, kappa 1 (non-reset, negative saturation)', () => {
    // t0 5; t1 10 fire; t2 10 fire; t3 5; t4 0; t5 −10 → −3; t6 −3
    expectTrace(neuron({ ...base, gamma: 2, kappa: 1 }), inputs, { v: [5, 10, 10, 5, 0, -3, -3], spikes: [1, 2] });
  });
});

describe('saturation at ±393216', () => {
  it('clamps after the leak; a clamped V still fires and resets normally', () => {
    // V0 393000, weight +255 on 2 axons, alpha 262143 (max), gamma 1:
    // t0 393000 + 510 = 393510 → 393216 ≥ 262143 fire → 393216 − 262143 = 131073
    // t1 no input: 131073 < 262143, stays
    const p = neuron({ V: 393000, s0: 255, alpha: 262143, gamma: 1 });
    expectTrace(p, [[0, 0], []], { v: [131073, 131073], spikes: [0] });
  });

  it('clamps at −393216 and then applies the negative threshold (kappa 0, gamma 2: kept)', () => {
    // V0 −393100, weight −255: t0 −393355 → −393216, < −beta = −262143, non-reset keeps it
    const p = neuron({ V: -393100, sigma0: -1, s0: 255, beta: 262143, kappa: 0, gamma: 2, alpha: 10 });
    expectTrace(p, [[0]], { v: [-393216], spikes: [] });
  });
});

describe('classic behaviours', () => {
  it('tonic spiking: sustained input +3/tick, alpha 8, reset to 0 → a spike every 3 ticks', () => {
    // t0 3; t1 6; t2 9 ≥ 8 fire → 0; t3 3; t4 6; t5 9 fire → 0; t6 3; t7 6; t8 9 fire → 0
    const p = neuron({ s0: 3, alpha: 8, gamma: 0, VR: 0 });
    expectTrace(p, Array.from({ length: 9 }, () => [0]), { v: [3, 6, 0, 3, 6, 0, 3, 6, 0], spikes: [2, 5, 8] });
  });

  it('phasic spiking: one spike at input onset; divergent leak and R < 0 then hold V down', () => {
    // weight +10, divergent leak (eps 1, lambda +12), alpha 20, R = −(2^4 − 1) = −15, kappa 1, beta 30.
    // t0, t1 no input, V 0: Omega = 0 → 0.
    // t2 0 + 10 = 10, Omega 1 → 22 ≥ 20 fire → −15
    // t3 −15 + 10 = −5, Omega −1 → −17; t4 −7 → −19; t5 −21; t6 −23; t7 −25; t8 −27; t9 −29;
    // t10 −19 → −31 < −30 → −30; t11 −20 → −32 → −30: input continues, no more spikes.
    const p = neuron({ s0: 10, sigma_lambda: 1, lambda: 12, epsilon: 1, alpha: 20, gamma: 0, sigma_VR: -1, VR: 4, kappa: 1, beta: 30 });
    const inputs = [[], [], ...Array.from({ length: 10 }, () => [0])];
    expectTrace(p, inputs, { v: [0, 0, -15, -17, -19, -21, -23, -25, -27, -29, -30, -30], spikes: [2] });
  });

  it('integrator: no leak, weight +1, alpha 3 → fires on the 3rd input whatever the gaps', () => {
    // inputs at t0, t4, t7: t0 1; t1–t3 1; t4 2; t5–t6 2; t7 3 ≥ 3 fire → 0; t8 0
    const p = neuron({ s0: 1, alpha: 3, gamma: 0, VR: 0 });
    expectTrace(p, [[0], [], [], [], [0], [], [], [0], []], { v: [1, 1, 1, 1, 2, 2, 2, 0, 0], spikes: [7] });
  });

  it('coincidence detector: convergent leak 2 erases a lone +2 input; two in one tick fire', () => {
    // weight +2, eps 1, lambda −2, alpha 2: a lone input 0 + 2 = 2, Omega 1 → 0 (no spike);
    // t0 0; t1 0 (V 0, Omega 0); t2 0; t3 0 (inputs on consecutive ticks do not add up);
    // t4 two inputs: 4 − 2 = 2 ≥ 2 fire → 0; t5 0
    const p = neuron({ s0: 2, sigma_lambda: -1, lambda: 2, epsilon: 1, alpha: 2, gamma: 0, VR: 0 });
    expectTrace(p, [[0], [], [0], [0], [0, 0], []], { v: [0, 0, 0, 0, 0, 0], spikes: [4] });
  });

  it('rebound spike: inhibition below −beta resets to −R = +31, which fires on the next tick', () => {
    // weight type 1 = −50; convergent leak 1; alpha 30; beta 40, kappa 0, gamma 0; R = −31.
    // t0 0; t1 −50, Omega −1 → −49 < −40 → −R = 31; t2 31 → 30 ≥ 30 fire → R = −31;
    // t3 −31 → −30 (not < −40); t4 −29
    const p = neuron({ sigma1: -1, s1: 50, sigma_lambda: -1, lambda: 1, epsilon: 1, alpha: 30, beta: 40, kappa: 0, gamma: 0, sigma_VR: -1, VR: 5 });
    expectTrace(p, [[], [1], [], [], []], { v: [0, 31, -31, -30, -29], spikes: [2] });
  });

  it('bursting: one large input, non-reset mode and a negative leak → 3 spikes in a row', () => {
    // weight +100, lambda −20 (eps 0), alpha 30, gamma 2, kappa 1, beta 0:
    // t0 100 − 20 = 80 fire (kept); t1 60 fire; t2 40 fire; t3 20; t4 0; t5 −20 → 0; t6 0
    const p = neuron({ s0: 100, sigma_lambda: -1, lambda: 20, alpha: 30, gamma: 2, kappa: 1, beta: 0 });
    expectTrace(p, [[0]], { v: [80, 60, 40, 20, 0, 0, 0], spikes: [0, 1, 2] });
  });

  it('burst length set by the threshold: linear reset spends one large input as ⌊100/30⌋ = 3 spikes', () => {
    // weight +100, no leak, alpha 30, gamma 1: t0 100 fire → 70; t1 fire → 40; t2 fire → 10; t3 10
    const p = neuron({ s0: 100, alpha: 30, gamma: 1 });
    expectTrace(p, [[0]], { v: [70, 40, 10, 10], spikes: [0, 1, 2] });
  });
});
