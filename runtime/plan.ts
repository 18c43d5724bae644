import type { Graph } from '../src/graph/types.ts';
import { validateNetwork, type ModuleLink, type Network } from '../src/graph/network.ts';
import { Random } from '../src/random.ts';
import { compileLink, type LinkMap } from './link-connectivity.ts';

/**
 * What every placement needs to know about a network before it runs, derived once from the plain
 * network and the seed: module order, engine seeds, and each link's ends (as indices) and sparse
 * map. Pure and deterministic, so a worker that rebuilds it from the same data gets the same plan.
 */
export interface NetworkPlan {
  readonly network: Network;
  readonly seed: number;
  readonly modules: readonly ModulePlan[];
  readonly links: readonly LinkPlan[];
  /** Capacity of every spike buffer the runtime owns: population size × this. */
  readonly maxSpikesPerNeuronPerTick: number;
}

export interface ModulePlan {
  readonly id: string;
  readonly index: number;
  readonly graph: Graph;
  /** Seed of this module's engine: derived from the run seed and the module id. */
  readonly seed: number;
  /** Population ids in graph order, which is the order of the engine's SpikeFrame. */
  readonly populations: readonly string[];
  readonly populationSizes: readonly number[];
  /** Links ending here (network order): their port spikes are injected at each step. */
  readonly inbound: readonly LinkPlan[];
  /** Links starting here (network order): their presynaptic spikes leave at the next tick. */
  readonly outbound: readonly LinkPlan[];
}

export interface LinkPlan {
  readonly id: string;
  readonly index: number;
  readonly link: ModuleLink;
  readonly from: number;
  /** Index of the presynaptic population in the source module's SpikeFrame. */
  readonly fromPopulation: number;
  readonly to: number;
  readonly port: string;
  /** Largest number of presynaptic spikes one frame of this link can hold. */
  readonly capacity: number;
  readonly map: LinkMap;
}

export interface PlanOptions {
  /**
   * Room in the runtime's spike buffers, per neuron and tick (default 10: one spike per 0.1-ms
   * sub-step). A frame that would overflow is an error naming the population, never a silent drop.
   */
  maxSpikesPerNeuronPerTick?: number;
}

/** The seed of a module's engine. */
export function moduleSeed(seed: number, moduleId: string): number {
  return Random.derive(seed, `module:${moduleId}`);
}

/** Validate the network and derive its plan. */
export function planNetwork(network: Network, seed: number, options: PlanOptions = {}): NetworkPlan {
  const net = validateNetwork(network);
  const perNeuron = options.maxSpikesPerNeuronPerTick ?? 10;
  if (!(Number.isInteger(perNeuron) && perNeuron > 0)) {
    throw new RangeError(`maxSpikesPerNeuronPerTick must be a positive integer, got ${perNeuron}`);
  }
  const index = new Map(net.modules.map((m, i) => [m.id, i]));
  const links: LinkPlan[] = net.links.map((link, i) => {
    const from = index.get(link.from.module)!;
    const to = index.get(link.to.module)!;
    const pops = net.modules[from]!.graph.populations;
    const fromPopulation = pops.findIndex((p) => p.id === link.from.population);
    const preSize = pops[fromPopulation]!.size;
    const port = net.modules[to]!.graph.stimuli.find((s) => s.id === link.to.source)!;
    const portSize = port.kind === 'current' ? 0 : port.size;
    return {
      id: link.id, index: i, link, from, fromPopulation, to, port: link.to.source,
      capacity: preSize * perNeuron,
      map: compileLink(link, preSize, portSize, seed),
    };
  });
  const modules: ModulePlan[] = net.modules.map((m, i) => ({
    id: m.id,
    index: i,
    graph: m.graph,
    seed: moduleSeed(seed, m.id),
    populations: m.graph.populations.map((p) => p.id),
    populationSizes: m.graph.populations.map((p) => p.size),
    inbound: links.filter((l) => l.to === i),
    outbound: links.filter((l) => l.from === i),
  }));
  return { network: net, seed, modules, links, maxSpikesPerNeuronPerTick: perNeuron };
}
