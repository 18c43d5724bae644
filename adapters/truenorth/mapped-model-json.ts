/**
 * The mapped TrueNorth model as plain, JSON-round-tripping data (schema in docs/truenorth-mapping.md):
 * what the mapper (mapper.ts) produces and what the TrueNorth engine (engine.ts) runs.
 *
 *   { format: 'swta-truenorth-model', version: 1, seed,
 *     neuronTypes: [{ name, params }],           IBM parameters without V (one entry per population, + 'splitter')
 *     cores: [{ axons:   [{ type, neurons }],    axon a: its type G_a ∈ 0..3 and its crossbar row (local neurons)
 *               neurons: [{ type, V, dest }] }], neuron j: neuron type, initial V, destination [core, axon, delay] or null
 *     populations: [{ id, neurons }],            neuron i of the population at (neurons[2i], neurons[2i+1]) = (core, local)
 *     sources: [{ id, size, targets }],          fibre i of a host source spikes onto targets[i] = [core, axon, delay, …]
 *     report }                                   cores, neurons, synapses, utilization (MappingReport)
 *
 * parseModel checks every field and range and throws a TrueNorthError listing every problem;
 * buildNetwork turns a model into a Network of Cores (core c's PRNG seeded with coreSeed(seed, c)).
 */
import { AXONS, DELAY_MAX, DELAY_MIN, NEURONS } from './core.ts';
import { TrueNorthError, type TrueNorthIssue } from './errors.ts';
import { Network } from './network.ts';
import { checkNeuronParams, type TrueNorthNeuronParams } from './neuron-params.ts';

export const MODEL_FORMAT = 'swta-truenorth-model';
export const MODEL_VERSION = 1;

export interface NeuronType {
  name: string;
  params: Omit<TrueNorthNeuronParams, 'V'>;
}

export interface MappedAxon {
  type: number;
  /** Local neuron indices with crossbar bit 1 on this axon's row, ascending. */
  neurons: number[];
}

export interface MappedNeuron {
  /** Index into neuronTypes. */
  type: number;
  V: number;
  /** [core, axon, delayTicks], or null: the spike is only reported. */
  dest: [number, number, number] | null;
}

export interface MappedCore {
  axons: MappedAxon[];
  neurons: MappedNeuron[];
}

export interface MappingReport {
  cores: number;
  /** Every configured neuron: populations and splitter relays. */
  neurons: number;
  populationNeurons: number;
  splitterNeurons: number;
  /** Neurons that needed a splitter (fan-out to more than one axon). */
  splitters: number;
  /** Synapses of the netlist. */
  synapses: number;
  /** Crossbar bits set (netlist synapses merged onto shared axons, plus splitter rows). */
  crossbarBits: number;
  /** Input axons in use over all cores. */
  axons: number;
  /** Splitter targets whose delay grew from 1 to 2 ticks. */
  stretchedDelays: number;
  /** Fractions of the cores' neurons, axons and crossbar bits in use. */
  utilization: { neurons: number; axons: number; crossbar: number };
  /** Weight per axon type, per population. */
  weights: Record<string, Record<string, number>>;
}

export interface MappedPopulation {
  id: string;
  neurons: number[];
}

export interface MappedSource {
  id: string;
  size: number;
  targets: number[][];
}

export interface MappedModel {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  seed: number;
  neuronTypes: NeuronType[];
  cores: MappedCore[];
  populations: MappedPopulation[];
  sources: MappedSource[];
  report: MappingReport;
}

/** The model as JSON text (what `swta truenorth map` would write). */
export function modelToJson(model: MappedModel): string {
  return JSON.stringify(model);
}

/** Parses and checks a model from JSON text or from already-parsed data. */
export function parseModel(input: string | unknown): MappedModel {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (e) {
      throw new TrueNorthError('TN_FILE_UNREADABLE', [{ where: 'model', field: '', rule: 'json', message: `not JSON: ${(e as Error).message}` }]);
    }
  }
  const issues: TrueNorthIssue[] = [];
  const bad = (where: string, field: string, rule: string, message: string): void => {
    if (issues.length < 50) issues.push({ where, field, rule, message });
  };
  const isInt = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;
  const m = data as Partial<MappedModel> | null;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new TrueNorthError('TN_CONFIG_INVALID', [{ where: 'model', field: '', rule: 'type', message: 'must be a JSON object' }]);
  if (m.format !== MODEL_FORMAT) bad('model', 'format', 'required', `must be '${MODEL_FORMAT}', got ${JSON.stringify(m.format)}`);
  if (m.version !== MODEL_VERSION) bad('model', 'version', 'range', `must be ${MODEL_VERSION}, got ${JSON.stringify(m.version)}`);
  if (!isInt(m.seed, 0, 0xffffffff)) bad('model', 'seed', 'range', `must be an integer in [0, 4294967295], got ${JSON.stringify(m.seed)}`);
  for (const k of ['neuronTypes', 'cores', 'populations', 'sources'] as const) {
    if (!Array.isArray(m[k])) bad('model', k, 'type', 'must be an array');
  }
  if (typeof m.report !== 'object' || m.report === null) bad('model', 'report', 'type', 'must be an object');
  if (issues.length > 0) throw new TrueNorthError('TN_CONFIG_INVALID', issues);
  const model = m as MappedModel;

  model.neuronTypes.forEach((t, i) => {
    if (typeof t?.name !== 'string') bad(`neuronTypes[${i}]`, 'name', 'type', 'must be a string');
    const { issues: pi } = checkNeuronParams({ ...(t?.params ?? {}), V: 0 }, { where: `neuronTypes[${i}].params` });
    for (const x of pi) bad(x.where, x.field, x.rule, x.message);
  });
  const nCores = model.cores.length;
  const checkTarget = (where: string, core: unknown, axon: unknown, delay: unknown): void => {
    if (!isInt(core, 0, nCores - 1)) bad(where, 'core', 'range', `must be a core index in [0, ${nCores - 1}], got ${JSON.stringify(core)}`);
    else if (!isInt(axon, 0, model.cores[core]!.axons.length - 1)) bad(where, 'axon', 'range', `must be an axon of core ${core} (0..${model.cores[core]!.axons.length - 1}), got ${JSON.stringify(axon)}`);
    if (!isInt(delay, DELAY_MIN, DELAY_MAX)) bad(where, 'delay', 'range', `must be an integer in [${DELAY_MIN}, ${DELAY_MAX}] ticks, got ${JSON.stringify(delay)}`);
  };
  let shapeOk = true;
  model.cores.forEach((c, ci) => {
    const where = `core ${ci}`;
    if (!Array.isArray(c?.axons) || c.axons.length > AXONS) {
      bad(where, 'axons', 'range', `must be an array of at most ${AXONS} axons`);
      shapeOk = false;
    }
    if (!Array.isArray(c?.neurons) || c.neurons.length > NEURONS) {
      bad(where, 'neurons', 'range', `must be an array of at most ${NEURONS} neurons`);
      shapeOk = false;
    }
  });
  // Past this point every core has arrays of axons and neurons to check inside.
  if (!shapeOk) throw new TrueNorthError('TN_CONFIG_INVALID', issues);
  model.cores.forEach((c, ci) => {
    c.axons.forEach((a, ai) => {
      if (!isInt(a?.type, 0, 3)) bad(`core ${ci} axon ${ai}`, 'type', 'range', `must be an axon type 0–3, got ${JSON.stringify(a?.type)}`);
      if (!Array.isArray(a?.neurons) || a.neurons.some((j) => !isInt(j, 0, c.neurons.length - 1))) {
        bad(`core ${ci} axon ${ai}`, 'neurons', 'range', `must list neurons of this core (0..${c.neurons.length - 1})`);
      }
    });
    c.neurons.forEach((n, j) => {
      const where = `core ${ci} neuron ${j}`;
      if (!isInt(n?.type, 0, model.neuronTypes.length - 1)) bad(where, 'type', 'range', `must index neuronTypes (0..${model.neuronTypes.length - 1})`);
      if (!isInt(n?.V, -393216, 393216)) bad(where, 'V', 'range', 'must be an integer in [−393216, 393216]');
      if (n?.dest !== null) {
        if (!Array.isArray(n?.dest) || n.dest.length !== 3) bad(where, 'dest', 'type', 'must be [core, axon, delayTicks] or null');
        else checkTarget(`${where} dest`, n.dest[0], n.dest[1], n.dest[2]);
      }
    });
  });
  model.populations.forEach((p, pi) => {
    const where = `population ${JSON.stringify(p?.id ?? pi)}`;
    if (typeof p?.id !== 'string') bad(where, 'id', 'type', 'must be a string');
    if (!Array.isArray(p?.neurons) || p.neurons.length % 2 !== 0) {
      bad(where, 'neurons', 'type', 'must be a flat array of (core, neuron) pairs');
      return;
    }
    for (let i = 0; i < p.neurons.length; i += 2) {
      const c = p.neurons[i];
      if (!isInt(c, 0, nCores - 1) || !isInt(p.neurons[i + 1], 0, model.cores[c]!.neurons.length - 1)) {
        bad(where, `neurons[${i}]`, 'range', `(${p.neurons[i]}, ${p.neurons[i + 1]}) is not a configured neuron`);
        break;
      }
    }
  });
  model.sources.forEach((s, si) => {
    const where = `source ${JSON.stringify(s?.id ?? si)}`;
    if (typeof s?.id !== 'string') bad(where, 'id', 'type', 'must be a string');
    if (!isInt(s?.size, 1, 1e9) || !Array.isArray(s?.targets) || s.targets.length !== s.size) {
      bad(where, 'targets', 'type', 'must hold one target list per fibre (size entries)');
      return;
    }
    s.targets.forEach((t, i) => {
      if (!Array.isArray(t) || t.length % 3 !== 0) bad(where, `targets[${i}]`, 'type', 'must be a flat array of (core, axon, delay) triples');
      else for (let k = 0; k < t.length; k += 3) checkTarget(`${where} fibre ${i}`, t[k], t[k + 1], t[k + 2]);
    });
  });
  if (issues.length > 0) throw new TrueNorthError('TN_CONFIG_INVALID', issues);
  return model;
}

/** A Network configured from a model (fresh state: V = each neuron's V, PRNGs seeded, no spikes pending). */
export function buildNetwork(model: MappedModel): Network {
  const net = new Network({ coreCount: model.cores.length, seed: model.seed });
  model.cores.forEach((c, ci) => {
    const core = net.cores[ci]!;
    c.axons.forEach((a, ai) => {
      core.setAxonType(ai, a.type);
      for (const j of a.neurons) core.connect(ai, j);
    });
    c.neurons.forEach((n, j) => {
      core.setNeuron(j, { ...model.neuronTypes[n.type]!.params, V: n.V });
      core.setDestination(j, n.dest ? { core: n.dest[0], axon: n.dest[1], delayTicks: n.dest[2] } : null);
    });
  });
  return net;
}
