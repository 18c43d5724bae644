/**
 * Differential fuzz: random cores (1–4 neurons, 1–12 axons, random crossbar and axon types, random
 * IBM parameters biased towards the interesting corners) driven by random spikes, run through
 *   (a) the emulator's core path (Core.step: bitsets, event-driven axon pass, inlined PRNG),
 *   (b) the plain transcription of §5.2 in reference-neuron.ts (fed by prng.ts's Prng8),
 *   (c) for one-neuron cores, also the scalar TrueNorthNeuron of neuron.ts;
 * V after every tick and every spike must be identical. A coverage tally checks that the cases
 * reach every reset mode, both thresholds, saturation and every stochastic mode.
 */
import { describe, expect, it } from 'vitest';
import { Core } from '../../../adapters/truenorth/core.ts';
import { TrueNorthNeuron } from '../../../adapters/truenorth/neuron.ts';
import { compileNeuron, type Sign, type TrueNorthNeuronParams } from '../../../adapters/truenorth/neuron-params.ts';
import { Prng8 } from '../../../adapters/truenorth/prng.ts';
import { Random } from '../../../src/random.ts';
import { referenceRun, type RefCore, type RefParams } from './reference-neuron.ts';

const CASES = 10_000;

function pick<T>(r: Random, xs: readonly T[]): T {
  return xs[r.int(xs.length)]!;
}

/** Integer in [lo, hi]. */
function between(r: Random, lo: number, hi: number): number {
  return lo + r.int(hi - lo + 1);
}

function randomParams(r: Random): RefParams {
  const sign = (): number => (r.uniform() < 0.5 ? 1 : -1);
  const flag = (p: number): number => (r.uniform() < p ? 1 : 0);
  const magnitude = (): number => (r.uniform() < 0.1 ? 0 : r.uniform() < 0.5 ? between(r, 1, 12) : between(r, 0, 255));
  const threshold = (): number => {
    const u = r.uniform();
    return u < 0.5 ? between(r, 0, 40) : u < 0.9 ? between(r, 0, 2000) : between(r, 0, 262143);
  };
  const v0 = (): number => {
    const u = r.uniform();
    if (u < 0.6) return between(r, -60, 60);
    if (u < 0.8) return between(r, -393216, 393216);
    return sign() * between(r, 393216 - 3000, 393216); // near the rails: saturation
  };
  return {
    sigma: [sign(), sign(), sign(), sign()],
    s: [magnitude(), magnitude(), magnitude(), magnitude()],
    b: [flag(0.25), flag(0.25), flag(0.25), flag(0.25)],
    sigma_lambda: sign(),
    lambda: r.uniform() < 0.3 ? 0 : magnitude(),
    c_lambda: flag(0.25),
    epsilon: flag(0.5),
    alpha: threshold(),
    beta: threshold(),
    TM: r.uniform() < 0.5 ? 0 : between(r, 1, 8),
    gamma: between(r, 0, 2),
    kappa: flag(0.5),
    sigma_VR: sign(),
    VR: r.uniform() < 0.7 ? between(r, 0, 6) : between(r, 0, 18),
    V: v0(),
  };
}

function toIbm(p: RefParams): TrueNorthNeuronParams {
  return {
    sigma0: p.sigma[0] as Sign, sigma1: p.sigma[1] as Sign, sigma2: p.sigma[2] as Sign, sigma3: p.sigma[3] as Sign,
    s0: p.s[0], s1: p.s[1], s2: p.s[2], s3: p.s[3],
    b0: p.b[0] as 0 | 1, b1: p.b[1] as 0 | 1, b2: p.b[2] as 0 | 1, b3: p.b[3] as 0 | 1,
    sigma_lambda: p.sigma_lambda as Sign, lambda: p.lambda, c_lambda: p.c_lambda as 0 | 1, epsilon: p.epsilon as 0 | 1,
    alpha: p.alpha, beta: p.beta, TM: p.TM, gamma: p.gamma as 0 | 1 | 2, kappa: p.kappa as 0 | 1,
    sigma_VR: p.sigma_VR as Sign, VR: p.VR, V: p.V,
  };
}

describe('TrueNorth core vs. plain §5.2 transcription (differential fuzz)', () => {
  it(`${CASES} random parameter/input sets give identical V traces and spikes`, () => {
    const r = new Random(20250605);
    const cover = { fire: new Set<string>(), negReset: 0, saturated: 0, stochSyn: 0, stochLeak: 0, stochTh: 0, neuronsChecked: 0, ticksChecked: 0 };
    for (let c = 0; c < CASES; c++) {
      const nNeurons = between(r, 1, 4);
      const nAxons = between(r, 1, 12);
      const ticks = between(r, 15, 40);
      const density = r.uniform();
      const activity = r.uniform();
      const ref: RefCore = { neurons: [], w: [], G: [] };
      for (let j = 0; j < nNeurons; j++) ref.neurons.push(randomParams(r));
      for (let i = 0; i < nAxons; i++) {
        ref.G.push(between(r, 0, 3));
        ref.w.push(Array.from({ length: nNeurons }, () => r.uniform() < density));
      }
      const inputs: number[][] = [];
      for (let t = 0; t < ticks; t++) {
        const active: number[] = [];
        for (let i = 0; i < nAxons; i++) if (r.uniform() < activity) active.push(i);
        inputs.push(active);
      }
      const seed = r.nextUint32();

      // (b) reference
      const refPrn = new Prng8(seed);
      const want = referenceRun(ref, inputs, () => refPrn.next());

      // (a) core path
      const core = new Core({ seed });
      for (let i = 0; i < nAxons; i++) {
        core.setAxonType(i, ref.G[i]!);
        for (let j = 0; j < nNeurons; j++) if (ref.w[i]![j]) core.connect(i, j);
      }
      ref.neurons.forEach((p, j) => core.setNeuron(j, toIbm(p)));

      // (c) scalar neuron, one-neuron cores only
      const scalar = nNeurons === 1 ? new TrueNorthNeuron(compileNeuron(toIbm(ref.neurons[0]!)), new Prng8(seed)) : undefined;

      for (let t = 0; t < ticks; t++) {
        for (const a of inputs[t]!) core.deliver(a, t);
        const k = core.step(t);
        const firedCore = new Array<boolean>(nNeurons).fill(false);
        for (let f = 0; f < k; f++) firedCore[core.fired[f]!] = true;
        for (let j = 0; j < nNeurons; j++) {
          if (core.v[j] !== want.v[t]![j] || firedCore[j] !== want.fired[t]![j]) {
            expect.fail(
              `case ${c} tick ${t} neuron ${j}: core V=${core.v[j]} fired=${firedCore[j]}, reference V=${want.v[t]![j]} fired=${want.fired[t]![j]}\n` +
                `params=${JSON.stringify(ref.neurons[j])} G=${JSON.stringify(ref.G)} inputs[t]=${JSON.stringify(inputs[t])} seed=${seed}`,
            );
          }
        }
        if (scalar) {
          const types = inputs[t]!.filter((i) => ref.w[i]![0]).map((i) => ref.G[i]!);
          const fired = scalar.tick(types);
          if (scalar.v !== want.v[t]![0] || fired !== want.fired[t]![0]) {
            expect.fail(`case ${c} tick ${t}: scalar neuron V=${scalar.v} fired=${fired}, reference V=${want.v[t]![0]} fired=${want.fired[t]![0]}`);
          }
        }
        // coverage
        for (let j = 0; j < nNeurons; j++) {
          const p = ref.neurons[j]!;
          const v = want.v[t]![j]!;
          if (want.fired[t]![j]) cover.fire.add(`${p.gamma},${p.kappa}`);
          else if (p.kappa === 1 ? v === -p.beta && p.beta > 0 : v < 0 && v === -(p.sigma_VR * (2 ** p.VR - 1)) && p.gamma === 0) cover.negReset++;
          if (Math.abs(v) === 393216) cover.saturated++;
        }
        cover.ticksChecked++;
      }
      for (const p of ref.neurons) {
        if (p.b.some((b) => b === 1)) cover.stochSyn++;
        if (p.c_lambda === 1) cover.stochLeak++;
        if (p.TM > 0) cover.stochTh++;
      }
      cover.neuronsChecked += nNeurons;
    }
    expect(cover.fire.size).toBe(6); // every (gamma, kappa) reset mode fired at least once
    expect(cover.negReset).toBeGreaterThan(100);
    expect(cover.saturated).toBeGreaterThan(100);
    expect(Math.min(cover.stochSyn, cover.stochLeak, cover.stochTh)).toBeGreaterThan(1000);
    expect(cover.neuronsChecked).toBeGreaterThanOrEqual(CASES);
  });
});
