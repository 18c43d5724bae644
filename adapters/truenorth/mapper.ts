/**
 * Mapper: a netlist (populations of TrueNorth neurons, host spike sources, projections with an
 * explicit synapse list, integer weights and delays in ms) → cores within the chip's limits, plus a
 * report. The result is a MappedModel (mapped-model-json.ts), plain data that round-trips as JSON.
 *
 * Limits (docs/reference/swta-and-truenorth.md §5.1), each checked with an error naming the population and the limit:
 *   'axons per core'      a core has 256 input axons: a neuron whose inputs need more cannot be placed
 *   'axon types'          4 axon types per core, one signed weight per type and neuron: at most 4
 *                         distinct presynaptic weights per neuron
 *   'weight range'        weights are 9-bit signed integers, [−255, 255]
 *   'delay range'         a destination delay is 1–15 ticks; delays are quantized to ticks
 *   'splitter fan-out'    one splitter level: a neuron may reach at most 256 axons
 *
 * Steps:
 *  1. axon types: per post population, one type per distinct weight (or the projection's
 *     `axonType` hint, so that populations sharing a core share axons); s_G of the population's
 *     neurons = that weight.
 *  2. placement (next-fit, neuron by neuron in netlist order): a neuron joins the open core while
 *     the core holds < 256 neurons and the union of its neurons' input axons stays ≤ 256
 *     (populations larger than a core simply span cores). An input
 *     axon is one (presynaptic neuron or fibre, axon type, delay): every neuron of the core that
 *     receives it shares it through the crossbar.
 *  3. routing: a neuron with one target axon sends there directly with its delay. A neuron with
 *     m > 1 target axons sends to a splitter: one axon and m relay neurons on a core with room
 *     (weight 1, alpha 1, reset to 0: each fires in the tick its axon spikes), relay l forwarding to
 *     target l. The splitter hop costs one tick: a target with delay D is reached after
 *     1 + max(1, D − 1) = max(2, D) ticks; targets with D = 1 are 'stretched' to 2 (reported).
 *     Host sources need no splitters: the host addresses every target axon itself.
 */
import { AXONS, DELAY_MAX, DELAY_MIN, NEURONS } from './core.ts';
import { WEIGHT_MAX, AXON_TYPES, type TrueNorthNeuronParams } from './neuron-params.ts';
import type { MappedCore, MappedModel, MappingReport, NeuronType } from './mapped-model-json.ts';

/** The neuron parameters of a population, without weights (the mapper writes sigma/s per axon type). */
export type NeuronTemplate = Omit<TrueNorthNeuronParams, 'sigma0' | 'sigma1' | 'sigma2' | 'sigma3' | 's0' | 's1' | 's2' | 's3' | 'V'>;

export interface NetlistPopulation {
  id: string;
  size: number;
  neuron: NeuronTemplate;
  /** Initial membrane potential per neuron (length `size`); 0 when omitted. */
  v0?: ArrayLike<number>;
  /** Placement hint: a population whose coreGroup differs from the previous one starts a new core. */
  coreGroup?: number;
}

/** Spikes that the host injects onto axons (Poisson fibres, replayed or inbound spikes). */
export interface NetlistSource {
  id: string;
  size: number;
}

export interface NetlistProjection {
  id: string;
  /** A population or a source. */
  pre: string;
  /** A population. */
  post: string;
  /** Signed integer weight of every synapse, [−255, 255]. */
  weight: number;
  /** Quantized to max(1, round(delayMs)) ticks; must be ≤ 15. */
  delayMs: number;
  /** Axon-type hint 0–3; projections onto one population with one type must share one weight. */
  axonType?: number;
  /** Synapses as parallel arrays of pre and post indices. */
  synapses: { pre: ArrayLike<number>; post: ArrayLike<number> };
}

export interface Netlist {
  populations: NetlistPopulation[];
  sources: NetlistSource[];
  projections: NetlistProjection[];
}

export type MappingLimit = 'axons per core' | 'axon types' | 'weight range' | 'delay range' | 'splitter fan-out' | 'netlist';

/** An unmappable netlist: which population, which limit, what was found and what is allowed. */
export class TrueNorthMappingError extends Error {
  readonly code = 'TN_UNMAPPABLE';
  readonly population: string;
  readonly limit: MappingLimit;

  constructor(population: string, limit: MappingLimit, message: string) {
    super(`TN_UNMAPPABLE: population '${population}' exceeds the TrueNorth limit '${limit}': ${message}`);
    this.name = 'TrueNorthMappingError';
    this.population = population;
    this.limit = limit;
  }
}

/** Neuron parameters of a splitter relay: fires in the tick its one axon (type 0, weight 1) spikes. */
export const SPLITTER_NEURON: Readonly<Omit<TrueNorthNeuronParams, 'V'>> = {
  sigma0: 1, sigma1: 1, sigma2: 1, sigma3: 1,
  s0: 1, s1: 0, s2: 0, s3: 0,
  b0: 0, b1: 0, b2: 0, b3: 0,
  sigma_lambda: 1, lambda: 0, c_lambda: 0, epsilon: 0,
  alpha: 1, beta: 0, TM: 0, gamma: 0, kappa: 1, sigma_VR: 1, VR: 0,
};

/** Ticks of a delay in ms: max(1, round(ms)). */
export function delayTicks(delayMs: number): number {
  return Math.max(DELAY_MIN, Math.round(delayMs));
}

export interface MapOptions {
  /** Network seed written into the model (core c's PRNG is seeded with coreSeed(seed, c)). */
  seed: number;
}

export function mapNetlist(net: Netlist, options: MapOptions): MappedModel {
  const popIndex = new Map<string, number>();
  net.populations.forEach((p, i) => {
    if (popIndex.has(p.id)) throw new TrueNorthMappingError(p.id, 'netlist', 'duplicate population id');
    if (!Number.isInteger(p.size) || p.size < 1) throw new TrueNorthMappingError(p.id, 'netlist', `size must be an integer ≥ 1, got ${p.size}`);
    popIndex.set(p.id, i);
  });
  const srcIndex = new Map(net.sources.map((s, i) => [s.id, i]));
  const preSize = (id: string): number => {
    const p = popIndex.get(id);
    if (p !== undefined) return net.populations[p]!.size;
    const s = srcIndex.get(id);
    if (s !== undefined) return net.sources[s]!.size;
    throw new TrueNorthMappingError(id, 'netlist', 'is neither a population nor a source of the netlist');
  };

  // 1. axon types and weights per post population.
  const typeWeights = net.populations.map(() => new Map<number, number>()); // type → weight
  const projType: number[] = [];
  const projDelay: number[] = [];
  for (const pr of net.projections) {
    const post = popIndex.get(pr.post);
    if (post === undefined) throw new TrueNorthMappingError(pr.post, 'netlist', `projection '${pr.id}' targets it, but it is not a population`);
    preSize(pr.pre);
    if (!Number.isInteger(pr.weight) || Math.abs(pr.weight) > WEIGHT_MAX) {
      throw new TrueNorthMappingError(pr.post, 'weight range', `projection '${pr.id}' has weight ${pr.weight}; weights are integers in [−${WEIGHT_MAX}, ${WEIGHT_MAX}] (9-bit signed)`);
    }
    const d = delayTicks(pr.delayMs);
    if (!Number.isFinite(pr.delayMs) || d > DELAY_MAX) {
      throw new TrueNorthMappingError(pr.post, 'delay range', `projection '${pr.id}' has delay ${pr.delayMs} ms = ${d} ticks; a destination delay is ${DELAY_MIN}–${DELAY_MAX} ticks`);
    }
    projDelay.push(d);
    const tw = typeWeights[post]!;
    let t: number | undefined = pr.axonType;
    if (t !== undefined) {
      if (!Number.isInteger(t) || t < 0 || t >= AXON_TYPES) throw new TrueNorthMappingError(pr.post, 'axon types', `projection '${pr.id}' asks for axon type ${t}; types are 0–3`);
      const w = tw.get(t);
      if (w !== undefined && w !== pr.weight) {
        throw new TrueNorthMappingError(pr.post, 'axon types', `projection '${pr.id}' has weight ${pr.weight} on axon type ${t}, which already carries weight ${w} onto this population; one type has one weight per neuron`);
      }
    } else {
      for (const [tt, w] of tw) if (w === pr.weight) t = tt;
      if (t === undefined) for (let c = 0; c < AXON_TYPES && t === undefined; c++) if (!tw.has(c)) t = c;
    }
    if (t === undefined) {
      const ws = [...new Set([...tw.values(), pr.weight])];
      throw new TrueNorthMappingError(pr.post, 'axon types', `it receives ${ws.length} distinct weights (${ws.join(', ')}) but a core has ${AXON_TYPES} axon types, so a neuron has at most ${AXON_TYPES} presynaptic weights; merge projections onto equal weights (scale fan-in instead)`);
    }
    tw.set(t, pr.weight);
    projType.push(t);
  }

  // Neuron types (one per population, plus the splitter), written with the weights.
  const neuronTypes: NeuronType[] = net.populations.map((p, i) => {
    const tw = typeWeights[i]!;
    const w = (t: number): number => tw.get(t) ?? 0;
    return {
      name: p.id,
      params: {
        ...p.neuron,
        sigma0: w(0) < 0 ? -1 : 1, s0: Math.abs(w(0)),
        sigma1: w(1) < 0 ? -1 : 1, s1: Math.abs(w(1)),
        sigma2: w(2) < 0 ? -1 : 1, s2: Math.abs(w(2)),
        sigma3: w(3) < 0 ? -1 : 1, s3: Math.abs(w(3)),
      },
    };
  });
  const splitterType = neuronTypes.length;
  neuronTypes.push({ name: 'splitter', params: { ...SPLITTER_NEURON } });

  // Inputs of each post neuron as interned axon keys (pre, index, type, delay).
  const keyIds = new Map<string, number>();
  const keyInfo: { pre: string; index: number; type: number; delay: number }[] = [];
  const intern = (pre: string, index: number, type: number, delay: number): number => {
    const k = `${pre}\u0000${index}\u0000${type}\u0000${delay}`;
    let id = keyIds.get(k);
    if (id === undefined) {
      id = keyInfo.length;
      keyIds.set(k, id);
      keyInfo.push({ pre, index, type, delay });
    }
    return id;
  };
  const inputs = net.populations.map((p) => Array.from({ length: p.size }, () => [] as number[]));
  let synapseCount = 0;
  net.projections.forEach((pr, k) => {
    const post = popIndex.get(pr.post)!;
    const nPre = preSize(pr.pre);
    const nPost = net.populations[post]!.size;
    const { pre, post: postIdx } = pr.synapses;
    if (pre.length !== postIdx.length) throw new TrueNorthMappingError(pr.post, 'netlist', `projection '${pr.id}' has ${pre.length} pre and ${postIdx.length} post indices`);
    for (let s = 0; s < pre.length; s++) {
      const i = pre[s]!;
      const j = postIdx[s]!;
      if (!(Number.isInteger(i) && i >= 0 && i < nPre && Number.isInteger(j) && j >= 0 && j < nPost)) {
        throw new TrueNorthMappingError(pr.post, 'netlist', `projection '${pr.id}' synapse ${s} (${i} → ${j}) is out of range (${nPre} × ${nPost})`);
      }
      inputs[post]![j]!.push(intern(pr.pre, i, projType[k]!, projDelay[k]!));
      synapseCount++;
    }
  });
  for (const list of inputs) for (const l of list) l.sort((a, b) => a - b);

  // 2. placement: next-fit.
  interface Building { neurons: { type: number; v: number; pop: number; index: number }[]; axonOf: Map<number, number>; keys: number[] }
  const cores: Building[] = [];
  const place = net.populations.map((p) => new Int32Array(p.size * 2));
  let open: Building | null = null;
  net.populations.forEach((p, pi) => {
    if (pi > 0 && p.coreGroup !== undefined && p.coreGroup !== net.populations[pi - 1]!.coreGroup) open = null;
    for (let j = 0; j < p.size; j++) {
      const need = new Set(inputs[pi]![j]!);
      if (need.size > AXONS) {
        throw new TrueNorthMappingError(p.id, 'axons per core', `neuron ${j} needs ${need.size} input axons (distinct presynaptic neurons × axon type × delay), a core has ${AXONS}; lower the fan-in`);
      }
      let extra = 0;
      if (open) for (const k of need) if (!open.axonOf.has(k)) extra++;
      if (!open || open.neurons.length >= NEURONS || open.keys.length + extra > AXONS) {
        open = { neurons: [], axonOf: new Map(), keys: [] };
        cores.push(open);
      }
      for (const k of need) {
        if (!open.axonOf.has(k)) {
          open.axonOf.set(k, open.keys.length);
          open.keys.push(k);
        }
      }
      place[pi]![2 * j] = cores.length - 1;
      place[pi]![2 * j + 1] = open.neurons.length;
      open.neurons.push({ type: pi, v: Number(p.v0?.[j] ?? 0), pop: pi, index: j });
    }
  });
  if (cores.length === 0) cores.push({ neurons: [], axonOf: new Map(), keys: [] });

  // Crossbar rows per core: axon → local neurons.
  const rows = cores.map((c) => c.keys.map(() => [] as number[]));
  net.populations.forEach((_, pi) => {
    inputs[pi]!.forEach((keys, j) => {
      const c = place[pi]![2 * j]!;
      const local = place[pi]![2 * j + 1]!;
      for (const k of new Set(keys)) rows[c]![cores[c]!.axonOf.get(k)!]!.push(local);
    });
  });

  // 3. routing: targets per presynaptic neuron / fibre.
  const targetsOf = new Map<string, number[][]>(); // pre id → per index: flat [core, axon, delay, ...]
  const targetList = (pre: string): number[][] => {
    let t = targetsOf.get(pre);
    if (!t) {
      t = Array.from({ length: preSize(pre) }, () => []);
      targetsOf.set(pre, t);
    }
    return t;
  };
  cores.forEach((c, ci) => {
    c.keys.forEach((k, a) => {
      const info = keyInfo[k]!;
      targetList(info.pre)[info.index]!.push(ci, a, info.delay);
    });
  });

  const dest = cores.map((c) => c.neurons.map(() => null as [number, number, number] | null));
  let splitterNeurons = 0;
  let splitterGroups = 0;
  let stretched = 0;
  const coreNeurons = (ci: number): number => cores[ci]!.neurons.length;
  net.populations.forEach((p, pi) => {
    const targets = targetsOf.get(p.id);
    for (let j = 0; j < p.size; j++) {
      const t = targets?.[j] ?? [];
      const m = t.length / 3;
      const c = place[pi]![2 * j]!;
      const local = place[pi]![2 * j + 1]!;
      if (m === 0) continue;
      if (m === 1) {
        dest[c]![local] = [t[0]!, t[1]!, t[2]!];
        continue;
      }
      if (m > NEURONS) {
        throw new TrueNorthMappingError(p.id, 'splitter fan-out', `neuron ${j} reaches ${m} axons; one splitter level relays to at most ${NEURONS}`);
      }
      // A core with room for one more axon and m more neurons, else a new core.
      let sc = cores.findIndex((cc) => cc.keys.length < AXONS && cc.neurons.length + m <= NEURONS);
      if (sc < 0) {
        cores.push({ neurons: [], axonOf: new Map(), keys: [] });
        rows.push([]);
        dest.push([]);
        sc = cores.length - 1;
      }
      const score = cores[sc]!;
      const axon = score.keys.length;
      score.keys.push(-1); // a splitter axon, not a netlist input
      const row: number[] = [];
      for (let l = 0; l < m; l++) {
        const d = t[3 * l + 2]!;
        if (d < 2) stretched++;
        const n = coreNeurons(sc);
        score.neurons.push({ type: splitterType, v: 0, pop: -1, index: -1 });
        dest[sc]!.push([t[3 * l]!, t[3 * l + 1]!, Math.max(DELAY_MIN, d - 1)]);
        row.push(n);
      }
      rows[sc]!.push(row);
      dest[c]![local] = [sc, axon, 1];
      splitterNeurons += m;
      splitterGroups++;
    }
  });

  // Assemble the model.
  const mappedCores: MappedCore[] = cores.map((c, ci) => ({
    axons: c.keys.map((k, a) => ({ type: k < 0 ? 0 : keyInfo[k]!.type, neurons: rows[ci]![a]!.sort((x, y) => x - y) })),
    neurons: c.neurons.map((n, l) => ({ type: n.type, V: n.v, dest: dest[ci]![l] ?? null })),
  }));
  const populations = net.populations.map((p, pi) => ({ id: p.id, neurons: Array.from(place[pi]!) }));
  const sources = net.sources.map((s) => ({ id: s.id, size: s.size, targets: targetsOf.get(s.id) ?? Array.from({ length: s.size }, () => []) }));
  const report = mappingReport(mappedCores, net, { synapses: synapseCount, splitterNeurons, splitterGroups, stretched, typeWeights });
  return { format: 'swta-truenorth-model', version: 1, seed: options.seed, neuronTypes, cores: mappedCores, populations, sources, report };
}

function mappingReport(
  cores: MappedCore[],
  net: Netlist,
  x: { synapses: number; splitterNeurons: number; splitterGroups: number; stretched: number; typeWeights: Map<number, number>[] },
): MappingReport {
  let neurons = 0;
  let axons = 0;
  let crossbarBits = 0;
  for (const c of cores) {
    neurons += c.neurons.length;
    axons += c.axons.length;
    for (const a of c.axons) crossbarBits += a.neurons.length;
  }
  const slots = cores.length * NEURONS;
  return {
    cores: cores.length,
    neurons,
    populationNeurons: neurons - x.splitterNeurons,
    splitterNeurons: x.splitterNeurons,
    splitters: x.splitterGroups,
    synapses: x.synapses,
    crossbarBits,
    axons,
    stretchedDelays: x.stretched,
    utilization: {
      neurons: neurons / slots,
      axons: axons / (cores.length * AXONS),
      crossbar: crossbarBits / (cores.length * AXONS * NEURONS),
    },
    weights: Object.fromEntries(
      net.populations.map((p, i) => [p.id, Object.fromEntries([...x.typeWeights[i]!].sort((a, b) => a[0] - b[0]).map(([t, w]) => [`type${t}`, w]))]),
    ),
  };
}
