import { exportGraph, orderEpsilon, totalGids, type SpecArrays } from '../../adapters/neuron/export.ts';
import { runSpec, writeSpec, type NeuronRunResult } from '../../adapters/neuron/run.ts';
import { sourceTrains, type SourceTrain } from '../../adapters/neuron/sources.ts';
import type { NeuronSpec, RelaySpec } from '../../adapters/neuron/spec.ts';
import { createRunner } from '../../runtime/index.ts';
import { planNetwork } from '../../runtime/plan.ts';
import type { Network } from '../../src/graph/network.ts';
import { TICK_MS } from '../../src/engine.ts';

/** A rate change of one module's Poisson source from a tick on (NetworkRunner.setRate). */
export interface NetworkRateChange {
  tick: number;
  module: string;
  source: string;
  rateHz: number;
}

/** Ids of a module's elements in a flattened network spec. */
export const moduleId = (module: string, id: string): string => `${module}/${id}`;

/**
 * A multi-module network (src/graph/network.ts) as one NEURON spec, drawn as the runtime draws
 * it for a seed (runtime/plan.ts): each module exported from its own engine seed (moduleSeed), its
 * ids prefixed `module/`; each link's sparse map (compileLink) as NetCons from the presynaptic
 * neurons to relays, one relay per index of the receiving port (swta_relay.mod), which replay the
 * runtime's timing: a spike reaches the port at the start of the next tick, then the port's
 * projections add their delays. The port's 'spikes' sources become those relays.
 */
export function exportNetwork(network: Network, seed: number, options: { dtMs?: number } = {}): { spec: NeuronSpec; arrays: SpecArrays } {
  const dtMs = options.dtMs ?? 0.1;
  const plan = planNetwork(network, seed);
  const arrays: SpecArrays = new Map();
  const parts: NeuronSpec[] = [];
  let gid = 0;
  for (const m of plan.modules) {
    const { spec } = exportGraph(m.graph, { seed: m.seed, dtMs, prefix: `${m.id}/`, gidStart: gid, arrays });
    parts.push(spec);
    gid = totalGids(spec);
  }
  const spec: NeuronSpec = {
    ...parts[0]!,
    name: network.name ?? 'network',
    seed,
    populations: parts.flatMap((p) => p.populations),
    sources: [],
    relays: [],
    projections: parts.flatMap((p) => p.projections),
    links: [],
    currents: parts.flatMap((p) => p.currents),
    probes: parts.flatMap((p) => p.probes),
  };
  const ports = new Set(plan.links.map((l) => moduleId(plan.modules[l.to]!.id, l.port)));
  for (const part of parts) {
    for (const s of part.sources) {
      if (!ports.has(s.id)) {
        spec.sources.push(s);
        continue;
      }
      const outgoing = spec.projections.filter((p) => p.pre === s.id);
      for (const p of outgoing) p.preKind = 'relay';
      // The lead must not exceed any of the port's delays (its NetCons subtract it) nor one tick.
      const minDelayMs = Math.min(TICK_MS, ...outgoing.map((p) => p.delaySteps * dtMs));
      const relay: RelaySpec = { id: s.id, size: s.size, gidStart: s.gidStart, leadMs: Math.min(TICK_MS / 2, minDelayMs) };
      spec.relays.push(relay);
    }
  }
  for (const l of plan.links) {
    const from = plan.modules[l.from]!;
    const pre: number[] = [];
    const relay: number[] = [];
    for (let i = 0; i < l.map.preSize; i++) {
      for (let k = l.map.offsets[i]!; k < l.map.offsets[i + 1]!; k++) {
        pre.push(i);
        relay.push(l.map.ports[k]!);
      }
    }
    const name = `link.${l.id}`.replace(/[^A-Za-z0-9._-]/g, '_');
    const preFile = `${name}.pre.i32`;
    const relayFile = `${name}.relay.i32`;
    arrays.set(preFile, Int32Array.from(pre));
    arrays.set(relayFile, Int32Array.from(relay));
    spec.links.push({
      id: l.id,
      pre: moduleId(from.id, l.link.from.population),
      relay: moduleId(plan.modules[l.to]!.id, l.port),
      preIndex: { file: preFile, dtype: 'int32', length: pre.length },
      relayIndex: { file: relayFile, dtype: 'int32', length: relay.length },
    });
  }
  spec.orderEpsilonMs = orderEpsilon(spec);
  return { spec, arrays };
}

/** The Poisson and replay trains of every module, as the runtime's engines draw them with these rate changes. */
export function networkTrains(network: Network, seed: number, o: { dtMs?: number; durationMs: number; rateChanges?: readonly NetworkRateChange[] }): SourceTrain[] {
  const plan = planNetwork(network, seed);
  const ports = new Set(plan.links.map((l) => `${plan.modules[l.to]!.id}\u0000${l.port}`));
  return plan.modules.flatMap((m) => {
    const graph = { ...m.graph, stimuli: m.graph.stimuli.filter((s) => !ports.has(`${m.id}\u0000${s.id}`)) };
    const changes = (o.rateChanges ?? []).filter((c) => c.module === m.id).map((c) => ({ tick: c.tick, sourceId: c.source, rateHz: c.rateHz }));
    return sourceTrains(graph, { seed: m.seed, dtMs: o.dtMs ?? 0.1, durationMs: o.durationMs, rateChanges: changes }).map((t) => ({ ...t, id: moduleId(m.id, t.id) }));
  });
}

/** Spike counts per `module/population` over [fromMs, toMs). */
export type PopulationCounts = Map<string, number>;

/** A network on NEURON: export, draw the trains, run on `processes` MPI processes, count spikes. */
export function runNetworkOnNeuron(network: Network, seed: number, o: { dir: string; processes: number; durationMs: number; rateChanges?: readonly NetworkRateChange[] }): { run: NeuronRunResult; spec: NeuronSpec } {
  const { spec, arrays } = exportNetwork(network, seed);
  writeSpec(o.dir, spec, arrays);
  const trains = networkTrains(network, seed, o);
  return { run: runSpec(o.dir, spec, { processes: o.processes, durationMs: o.durationMs, trains }), spec };
}

export function countsOnNeuron(spec: NeuronSpec, run: NeuronRunResult, fromMs: number, toMs: number): PopulationCounts {
  const counts: PopulationCounts = new Map(spec.populations.map((p) => [p.id, 0]));
  const owner = (gid: number): string | undefined => spec.populations.find((p) => gid >= p.gidStart && gid < p.gidStart + p.size)?.id;
  for (let k = 0; k < run.steps.length; k++) {
    const t = run.steps[k]! * spec.dtMs;
    if (t < fromMs || t >= toMs) continue;
    const id = owner(run.gids[k]!);
    if (id !== undefined) counts.set(id, counts.get(id)! + 1);
  }
  return counts;
}

/** The same network and inputs on our runtime (loop placement, conductance engines). */
export async function countsOurs(network: Network, seed: number, o: { durationMs: number; rateChanges?: readonly NetworkRateChange[]; fromMs: number; toMs: number }): Promise<PopulationCounts> {
  const runner = await createRunner(network, { seed, placement: { kind: 'loop' } });
  const counts: PopulationCounts = new Map();
  const sub = runner.spikes$.subscribe((f) => {
    if (f.tick < o.fromMs / TICK_MS || f.tick >= o.toMs / TICK_MS) return;
    f.populations.forEach((p, i) => {
      const id = moduleId(f.module, p);
      counts.set(id, (counts.get(id) ?? 0) + f.counts[i]!);
    });
  });
  const changes = [...(o.rateChanges ?? [])].sort((a, b) => a.tick - b.tick);
  try {
    runner.start();
    let next = 0;
    for (let t = 0; t < o.durationMs / TICK_MS; t++) {
      while (next < changes.length && changes[next]!.tick <= t) {
        const c = changes[next++]!;
        runner.setRate(c.module, c.source, c.rateHz);
      }
      runner.runTick();
    }
  } finally {
    sub.unsubscribe();
    await runner.close();
  }
  return counts;
}
