/** Shared by the TrueNorth tests: a neuron from a few overrides, and running it two ways. */
import { Core } from '../../../adapters/truenorth/core.ts';
import { simulateNeuron, type NeuronTrace } from '../../../adapters/truenorth/neuron.ts';
import { INERT_NEURON, compileNeuron, type TrueNorthNeuronParams } from '../../../adapters/truenorth/neuron-params.ts';
import { Prng8, type ByteSource } from '../../../adapters/truenorth/prng.ts';

/**
 * INERT_NEURON (weights 0, no leak, alpha 1, beta 0, kappa 1, TM 0, gamma 0, R 0, V 0) with
 * overrides: each test states every value it relies on.
 */
export function neuron(overrides: Partial<TrueNorthNeuronParams>): TrueNorthNeuronParams {
  return { ...INERT_NEURON, ...overrides };
}

/** A ByteSource that plays a script and counts what was drawn; throws past the end. */
export class ScriptedBytes implements ByteSource {
  drawn = 0;
  constructor(private readonly bytes: readonly number[]) {}
  next(): number {
    const b = this.bytes[this.drawn];
    if (b === undefined) throw new Error(`script exhausted after ${this.drawn} draws`);
    this.drawn++;
    return b;
  }
}

/** The scalar neuron (neuron.ts) on per-tick axon-type lists. */
export function runScalar(p: TrueNorthNeuronParams, inputs: number[][], ticks: number, prn: ByteSource = new Prng8(1)): NeuronTrace {
  return simulateNeuron(compileNeuron(p), inputs, { ticks, prn });
}

/**
 * The same neuron as neuron 0 of a Core: axons 64·G .. 64·G + 63 have type G and all connect to
 * it; the k-th entry of type G in a tick spikes axon 64·G + k.
 */
export function runCore(p: TrueNorthNeuronParams, inputs: number[][], ticks: number, seed = 1): NeuronTrace {
  const core = new Core({ seed });
  for (let a = 0; a < 256; a++) {
    core.setAxonType(a, a >> 6);
    core.connect(a, 0);
  }
  core.setNeuron(0, p);
  const v: number[] = [];
  const spikes: number[] = [];
  for (let t = 0; t < ticks; t++) {
    const seen = [0, 0, 0, 0];
    for (const g of inputs[t] ?? []) core.deliver(64 * g + seen[g]!++, t);
    if (core.step(t) > 0) spikes.push(t);
    v.push(core.v[0]!);
  }
  return { v, spikes };
}
