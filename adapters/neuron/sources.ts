import type { Graph, Stimulus } from '../../src/graph/types.ts';
import { ConductanceEngine } from '../conductance/engine.ts';

/** A rate change of a Poisson source from the start of a tick on (what Engine.setRate does). */
export interface RateChange {
  tick: number;
  sourceId: string;
  rateHz: number;
}

export interface SourceTrain {
  id: string;
  timesMs: Float64Array;
  indices: Int32Array;
}

/**
 * The spike trains of a graph's spike sources exactly as our conductance engine draws them for a
 * seed: a graph of the sources alone, compiled by the conductance engine with the same seed.
 * Each source draws from its own stream (src/random-streams.ts, source:<id>), so without the
 * populations and projections its spikes are the same; the rate changes are applied with setRate
 * at their ticks, as in the run being reproduced. Poisson inputs are exported as these trains
 * (SpikeSourceArray-like replay) rather than as rates, so NEURON sees the same input spikes and a
 * run can be compared spike by spike.
 */
export function sourceTrains(graph: Graph, options: { seed: number; dtMs: number; durationMs: number; rateChanges?: readonly RateChange[] }): SourceTrain[] {
  const stimuli = graph.stimuli.filter((s): s is Exclude<Stimulus, { kind: 'current' }> => s.kind !== 'current');
  if (stimuli.length === 0) return [];
  const only: Graph = {
    name: `${graph.name ?? 'graph'}-sources`,
    populations: [],
    projections: [],
    stimuli: structuredClone(stimuli),
    probes: stimuli.map((s) => ({ id: s.id, target: s.id, kind: 'spikes' as const })),
  };
  const engine = new ConductanceEngine(only, { seed: options.seed, dtMs: options.dtMs });
  const changes = [...(options.rateChanges ?? [])].sort((a, b) => a.tick - b.tick);
  const ticks = Math.round(options.durationMs);
  let next = 0;
  for (let t = 0; t < ticks; t++) {
    while (next < changes.length && changes[next]!.tick <= t) {
      const c = changes[next++]!;
      engine.setRate(c.sourceId, c.rateHz);
    }
    engine.step();
  }
  return stimuli.map((s) => {
    const d = engine.probe(s.id);
    if (d.kind !== 'spikes') throw new Error(`probe ${s.id} is not a spike probe`);
    return { id: s.id, timesMs: d.timesMs.slice(), indices: d.indices.slice() };
  });
}
