/**
 * Stochastic modes. Exact traces use a scripted draw sequence (ScriptedBytes) through the scalar
 * neuron, or the real PRNG through a Core with the draws listed in prng.test.ts; statistics use the
 * real PRNG with 5-sigma bounds. Expected traces are worked out by hand in the comments.
 *   stochastic synapse: V += sgn(s)·[|s| ≥ rho];  stochastic leak: V += Omega·sgn(lambda)·[|lambda| ≥ rho];
 *   stochastic threshold: eta = rho & (2^TM − 1), fire iff V ≥ alpha + eta.
 */
import { describe, expect, it } from 'vitest';
import { Core } from '../../../adapters/truenorth/core.ts';
import { Prng8 } from '../../../adapters/truenorth/prng.ts';
import { ScriptedBytes, neuron, runCore, runScalar } from './helpers.ts';

describe('stochastic synapse (b_G = 1)', () => {
  it('adds sgn(s) when |s| ≥ rho, for excitatory and inhibitory types (Cassidy, not NeMo)', () => {
    // type 0: +100 stochastic; type 1: −100 stochastic. Draws 50 100 101 255 0 7 200.
    // t0 [0] rho 50: 100 ≥ 50 → +1 → 1;  t1 rho 100: 100 ≥ 100 → 2;  t2 rho 101: no → 2
    // t3 [1] rho 255: no → 2;  t4 [1] rho 0: 100 ≥ 0 → −1 → 1   (NeMo would add +1 → 3)
    // t5 [0, 1] rho 7 → +1, rho 200 → no → 2
    const p = neuron({ s0: 100, b0: 1, sigma1: -1, s1: 100, b1: 1, alpha: 1000, beta: 1000 });
    const prn = new ScriptedBytes([50, 100, 101, 255, 0, 7, 200]);
    expect(runScalar(p, [[0], [0], [0], [1], [1], [0, 1]], 6, prn)).toEqual({ v: [1, 2, 2, 2, 1, 2], spikes: [] });
    expect(prn.drawn).toBe(7);
  });

  it('a stochastic type with s = 0 still draws but never moves V; deterministic types do not draw', () => {
    // type 0: s 0, b 1 (draws, adds sgn 0 = 0); type 2: +3 deterministic.
    // t0 [0, 2]: 1 draw, V 3;  t1 [2, 2]: no draw, V 9
    const p = neuron({ s0: 0, b0: 1, s2: 3, alpha: 1000 });
    const prn = new ScriptedBytes([0]);
    expect(runScalar(p, [[0, 2], [2, 2]], 2, prn)).toEqual({ v: [3, 9], spikes: [] });
    expect(prn.drawn).toBe(1);
  });

  it('passes with probability (|s| + 1)/256: s = −31 → 1/8 (40 000 inputs, seed 3)', () => {
    const n = 40_000;
    const p = neuron({ sigma0: -1, s0: 31, b0: 1, alpha: 1000, beta: 262143 });
    const trace = runScalar(p, Array.from({ length: n }, () => [0]), n, new Prng8(3));
    const rate = -trace.v[n - 1]! / n;
    const sd = Math.sqrt((0.125 * 0.875) / n);
    expect(Math.abs(rate - 0.125)).toBeLessThan(5 * sd);
  });
});

describe('stochastic leak (c_lambda = 1)', () => {
  it('monotonic (eps 0): −1 when |lambda| ≥ rho', () => {
    // lambda −10; draws 5 10 11 200 0: t0 −1; t1 −2; t2 (11 > 10) −2; t3 −2; t4 −3
    const p = neuron({ sigma_lambda: -1, lambda: 10, c_lambda: 1, alpha: 1000, beta: 1000 });
    const prn = new ScriptedBytes([5, 10, 11, 200, 0]);
    expect(runScalar(p, [], 5, prn)).toEqual({ v: [-1, -2, -2, -2, -3], spikes: [] });
  });

  it('convergent (eps 1, lambda −10): steps toward 0 and stops there, still drawing every tick', () => {
    // V0 2, draws 0 0 0 0: t0 Omega 1 · sgn(−10) → 1; t1 0; t2 Omega 0 → 0; t3 0
    const p = neuron({ V: 2, sigma_lambda: -1, lambda: 10, c_lambda: 1, epsilon: 1, alpha: 1000, beta: 1000 });
    const prn = new ScriptedBytes([0, 0, 0, 0]);
    expect(runScalar(p, [], 4, prn)).toEqual({ v: [1, 0, 0, 0], spikes: [] });
    expect(prn.drawn).toBe(4);
  });

  it('divergent (eps 1, lambda +10) below 0: steps away from 0', () => {
    // V0 −1, draws 3 50 9: t0 Omega −1 → −2; t1 (50 > 10) −2; t2 −3
    const p = neuron({ V: -1, sigma_lambda: 1, lambda: 10, c_lambda: 1, epsilon: 1, alpha: 1000, beta: 1000 });
    expect(runScalar(p, [], 3, new ScriptedBytes([3, 50, 9]))).toEqual({ v: [-2, -2, -3], spikes: [] });
  });

  it('through a Core with the real PRNG (seed 1, draws 184 211 31 82 7 85 75 212 175 248 45 100)', () => {
    // lambda +100: +1 iff 100 ≥ rho: no no yes yes yes yes yes no no no yes yes (100 ≥ 100)
    const p = neuron({ sigma_lambda: 1, lambda: 100, c_lambda: 1, alpha: 1000 });
    expect(runCore(p, [], 12, 1).v).toEqual([0, 0, 1, 2, 3, 4, 5, 5, 5, 5, 6, 7]);
  });

  it('two neurons of one Core share its PRNG, neuron 0 drawing first each tick', () => {
    // Same draws as above, alternating: neuron 0 gets 184 31 7 75 175 45 → 0 1 2 3 3 4;
    // neuron 1 gets 211 82 85 212 248 100 → 0 1 2 2 2 3
    const core = new Core({ seed: 1 });
    const p = neuron({ sigma_lambda: 1, lambda: 100, c_lambda: 1, alpha: 1000 });
    core.setNeuron(0, p);
    core.setNeuron(1, p);
    const v0: number[] = [];
    const v1: number[] = [];
    for (let t = 0; t < 6; t++) {
      core.step(t);
      v0.push(core.v[0]!);
      v1.push(core.v[1]!);
    }
    expect(v0).toEqual([0, 1, 2, 3, 3, 4]);
    expect(v1).toEqual([0, 1, 2, 2, 2, 3]);
  });

  it('steps with probability (|lambda| + 1)/256: lambda 63 → 1/4 (40 000 ticks, seed 9)', () => {
    const n = 40_000;
    const p = neuron({ sigma_lambda: 1, lambda: 63, c_lambda: 1, alpha: 262143 });
    const rate = runCore(p, [], n, 9).v[n - 1]! / n;
    expect(Math.abs(rate - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / n));
  });
});

describe('stochastic threshold (TM > 0)', () => {
  it('positive threshold alpha + eta, linear reset subtracts alpha + eta', () => {
    // TM 3 (mask 7), alpha 5, input +6/tick, gamma 1. Draws 0xFF 0x08 0x0A 0x05 → eta 7 0 2 5.
    // t0 6 < 5 + 7 → 6;  t1 12 ≥ 5 fire → 7;  t2 13 ≥ 7 fire → 6;  t3 12 ≥ 10 fire → 2
    const p = neuron({ s0: 6, alpha: 5, TM: 3, gamma: 1 });
    const inputs = [[0], [0], [0], [0]];
    expect(runScalar(p, inputs, 4, new ScriptedBytes([0xff, 0x08, 0x0a, 0x05]))).toEqual({ v: [6, 7, 6, 2], spikes: [1, 2, 3] });
  });

  it('negative threshold −(beta + eta) when kappa = 0, linear reset adds beta + eta', () => {
    // TM 3, beta 5, kappa 0, gamma 1, input −6/tick. Draws 7 0 3 → eta 7 0 3.
    // t0 −6, not < −12 → −6;  t1 −12 < −5 → −7;  t2 −13 < −8 → −5
    const p = neuron({ sigma1: -1, s1: 6, alpha: 1000, beta: 5, kappa: 0, gamma: 1, TM: 3 });
    expect(runScalar(p, [[1], [1], [1]], 3, new ScriptedBytes([7, 0, 3]))).toEqual({ v: [-6, -7, -5], spikes: [] });
  });

  it('eta is uniform on 0..2^TM − 1: V 8 ≥ 0 + eta (TM 4) fires with probability 9/16 (40 000 ticks)', () => {
    const n = 40_000;
    const p = neuron({ V: 8, alpha: 0, TM: 4, gamma: 2 });
    const rate = runCore(p, [], n, 11).spikes.length / n;
    expect(Math.abs(rate - 9 / 16)).toBeLessThan(5 * Math.sqrt(((9 / 16) * (7 / 16)) / n));
  });
});

describe('the stochastic modes as a noise source (docs/truenorth-mapping.md §9)', () => {
  // Zero mean drift, variance 1/2 per tick: a type-1 input on every tick through a stochastic
  // synapse (−1 w.p. 1/2) against a stochastic leak (+1 w.p. 1/2); floor at 0, linear reset. The
  // reflected walk from 0 reaches α after α²/σ² ticks on average, so it fires σ²/α² per tick:
  // about 0.7·10⁻³ Hz at the calibration's smallest threshold (α 861). This is why the
  // background's fluctuation is not carried by these modes.
  it('a ±1 random walk between floor and threshold fires σ²/α² per tick: α 16 and 32 within 10 % (2·10⁶ ticks, seed 7)', () => {
    const ticks = 2_000_000;
    const inputs = Array.from({ length: ticks }, () => [1]);
    for (const alpha of [16, 32]) {
      const p = neuron({ sigma1: -1, s1: 127, b1: 1, lambda: 127, c_lambda: 1, alpha, beta: 0, kappa: 1, gamma: 1 });
      const trace = runScalar(p, inputs, ticks, new Prng8(7));
      const expected = 0.5 / alpha ** 2;
      expect(Math.abs(trace.spikes.length / ticks - expected) / expected, `alpha ${alpha}`).toBeLessThan(0.1);
    }
  });
});

describe('draw order within a neuron', () => {
  it('synapses (axon order), then leak, then threshold', () => {
    // type 0: +100 stoch; type 1: −100 stoch; leak +100 stoch; TM 2; alpha 2; gamma 2.
    // Input [0, 1], draws 10 200 30 0: syn0 10 → +1; syn1 200 → no; leak 30 → +1; eta 0 & 3 = 0.
    // V 2 ≥ 2 fires. (Leak first would give: leak 10 → +1, syn0 200 → no, syn1 30 → −1: V 0.)
    const p = neuron({ s0: 100, b0: 1, sigma1: -1, s1: 100, b1: 1, sigma_lambda: 1, lambda: 100, c_lambda: 1, TM: 2, alpha: 2, gamma: 2 });
    const prn = new ScriptedBytes([10, 200, 30, 0]);
    expect(runScalar(p, [[0, 1]], 1, prn)).toEqual({ v: [2], spikes: [0] });
    expect(prn.drawn).toBe(4);
  });
});
