/**
 * The TrueNorth engine: a mapped model (mapped-model-json.ts) run tick by tick behind the same
 * Engine contract as the conductance engine (src/engine.ts), so the runtime and the scenarios drive
 * either without knowing which. One step() = one hardware tick = 1 ms.
 *
 * Per tick t, step(inbound):
 *   1. host input: inbound spikes of 'spikes' sources, their replay list at tick t, and one
 *      Bernoulli draw per used Poisson fibre (p = rate·1 ms, from that source's own seeded stream)
 *      are written onto every target axon of the fibre for tick t + delay (Network.inject);
 *   2. the network runs tick t (network.ts): cores integrate, fire, route spikes to tick t + d;
 *   3. spikes of population neurons (not splitter relays) fill the frame and the probes.
 * Spikes that reach one axon in one tick merge (the chip's axon is one bit per tick); the host
 * injects at most one spike per (axon, tick), so two inbound spikes for one source index in one
 * tick count once. `mergedInputs` counts such losses.
 *
 * Probes: 'rate' (spikes per tick of a population or a source) and 'spikes'. 'v', 'w' and 'g' have
 * no TrueNorth counterpart in mV, nS (the membrane is an integer without units) and are rejected.
 */
import { TICK_MS, type Engine, type ProbeData, type SpikeFrame, type SpikeInput } from '../../src/engine.ts';
import type { Graph, PoissonSource, SpikeSource } from '../../src/graph/types.ts';
import type { Random } from '../../src/random.ts';
import { sourceStream } from '../../src/random-streams.ts';
import { GrowableFloat64, GrowableInt32 } from '../shared/growable.ts';
import { notAPoissonSource, PoissonRate, SpikeReplay } from '../shared/stimulus.ts';
import { NEURONS } from './core.ts';
import { buildNetwork, type MappedModel } from './mapped-model-json.ts';
import type { Network } from './network.ts';

interface HostSource {
  id: string;
  kind: 'poisson' | 'spikes';
  size: number;
  /** CSR of targets per fibre: [core, axon, delay] triples in targets[start[i]*3 …]. */
  start: Int32Array;
  targets: Int32Array;
  /** Fibres with at least one target (the only ones a Poisson source draws for). */
  used: Int32Array;
  /** A Poisson source's rate and schedule, its random stream and the stream's first state; null for 'spikes'. */
  rate: PoissonRate | null;
  rng: Random | null;
  rngInitial: [number, number, number, number, number] | null;
  /** A 'spikes' source's replay list (by tick) and a scratch for one tick's replayed spikes. */
  replay: SpikeReplay | null;
  replayDue: Int32Array;
  /** Per-tick scratch: which indices spiked this tick (to merge duplicates and feed probes). */
  tickSpikes: Int32Array;
  tickCount: number;
  stamp: Int32Array;
}

interface ProbeState {
  kind: 'rate' | 'spikes';
  target: string;
  size: number;
  pop: number;
  source: HostSource | null;
  /** 'rate': spikes per tick; 'spikes': (time, index) pairs. */
  counts: GrowableInt32;
  times: GrowableFloat64;
  indices: GrowableInt32;
}

export class TrueNorthEngine implements Engine {
  readonly backend = 'truenorth';
  readonly graph: Graph;
  readonly model: MappedModel;
  readonly network: Network;
  /** Host spikes dropped because two landed on one axon in one tick (inbound duplicates). */
  mergedInputs = 0;
  private readonly seed: number;
  private readonly sources: HostSource[] = [];
  private readonly sourceById = new Map<string, HostSource>();
  /** Global neuron id (core·256 + j) → population index (−1: splitter) and index within it. */
  private readonly popOf: Int32Array;
  private readonly indexOf: Int32Array;
  private readonly frame: SpikeFrame;
  private readonly probes = new Map<string, ProbeState>();
  private readonly popProbes: ProbeState[][];

  constructor(graph: Graph, model: MappedModel, options: { seed: number }) {
    this.graph = graph;
    this.model = model;
    this.seed = options.seed;
    this.network = buildNetwork(model);
    const nGlobal = model.cores.length * NEURONS;
    this.popOf = new Int32Array(nGlobal).fill(-1);
    this.indexOf = new Int32Array(nGlobal).fill(-1);
    const popIds = graph.populations.map((p) => p.id);
    model.populations.forEach((mp) => {
      const pi = popIds.indexOf(mp.id);
      if (pi < 0) throw new Error(`mapped model population '${mp.id}' is not in the graph`);
      for (let i = 0; i < mp.neurons.length / 2; i++) {
        const gid = mp.neurons[2 * i]! * NEURONS + mp.neurons[2 * i + 1]!;
        this.popOf[gid] = pi;
        this.indexOf[gid] = i;
      }
    });
    for (const ms of model.sources) {
      const st = graph.stimuli.find((s) => s.id === ms.id) as PoissonSource | SpikeSource | undefined;
      if (!st) throw new Error(`mapped model source '${ms.id}' is not a stimulus of the graph`);
      this.addSource(ms.id, st, ms.targets);
    }
    this.frame = {
      tick: 0,
      populations: popIds,
      counts: new Int32Array(popIds.length),
      indices: graph.populations.map((p) => new Int32Array(p.size)),
    };
    this.popProbes = popIds.map(() => []);
    for (const pb of graph.probes) {
      if (pb.kind !== 'rate' && pb.kind !== 'spikes') {
        throw new Error(`probe '${pb.id}': kind '${pb.kind}' has no TrueNorth counterpart (the membrane is a unitless integer); use 'rate' or 'spikes'`);
      }
      const pi = popIds.indexOf(pb.target);
      const src = this.sourceById.get(pb.target) ?? null;
      if (pi < 0 && !src) throw new Error(`probe '${pb.id}': target '${pb.target}' is neither a population nor a spike source`);
      const size = pi >= 0 ? graph.populations[pi]!.size : src!.size;
      const ps: ProbeState = { kind: pb.kind, target: pb.target, size, pop: pi, source: src, counts: new GrowableInt32(), times: new GrowableFloat64(), indices: new GrowableInt32() };
      this.probes.set(pb.id, ps);
      if (pi >= 0) this.popProbes[pi]!.push(ps);
    }
  }

  private addSource(id: string, st: PoissonSource | SpikeSource, targets: number[][]): void {
    const start = new Int32Array(st.size + 1);
    targets.forEach((t, i) => {
      start[i + 1] = start[i]! + t.length / 3;
    });
    const flat = new Int32Array(start[st.size]! * 3);
    targets.forEach((t, i) => flat.set(t, start[i]! * 3));
    const used = Int32Array.from(targets.map((t, i) => (t.length > 0 ? i : -1)).filter((i) => i >= 0));
    const rng = st.kind === 'poisson' ? sourceStream(this.seed, id) : null;
    // A replayed spike at t ms arrives in the tick that contains t.
    const replay = st.kind === 'spikes' ? new SpikeReplay(st, (tMs) => Math.floor(tMs / TICK_MS)) : null;
    const s: HostSource = {
      id,
      kind: st.kind,
      size: st.size,
      start,
      targets: flat,
      used,
      rate: st.kind === 'poisson' ? new PoissonRate(st) : null,
      rng,
      rngInitial: rng ? rng.getState() : null,
      replay,
      replayDue: new Int32Array(replay?.length ?? 0),
      tickSpikes: new Int32Array(st.size),
      tickCount: 0,
      stamp: new Int32Array(st.size).fill(-1),
    };
    this.sources.push(s);
    this.sourceById.set(id, s);
  }

  get tick(): number {
    return this.network.tick;
  }

  step(inbound?: readonly SpikeInput[]): SpikeFrame {
    const net = this.network;
    const t = net.tick;
    for (const s of this.sources) s.tickCount = 0;
    if (inbound) {
      for (const inp of inbound) {
        const s = this.sourceById.get(inp.source);
        if (!s || s.kind !== 'spikes') throw new Error(`inbound spikes for '${inp.source}', which is not a 'spikes' source of this graph`);
        const n = inp.count ?? inp.indices.length;
        for (let k = 0; k < n; k++) this.emit(s, inp.indices[k]!, t);
      }
    }
    for (const s of this.sources) {
      if (s.replay) {
        const due = s.replay.drainInto(t, s.replayDue, 0);
        for (let k = 0; k < due; k++) this.emit(s, s.replayDue[k]!, t);
        continue;
      }
      s.rate!.advanceTo(t * TICK_MS);
      const p = Math.min(1, Math.max(0, s.rate!.rateHz) * (TICK_MS / 1000));
      if (p <= 0) continue;
      const rng = s.rng!;
      const used = s.used;
      for (let k = 0; k < used.length; k++) if (rng.uniform() < p) this.emit(s, used[k]!, t);
    }

    const n = net.step();
    const frame = this.frame;
    frame.tick = t;
    frame.counts.fill(0);
    const fired = net.fired;
    for (let k = 0; k < n; k++) {
      const gid = fired[k]!;
      const pi = this.popOf[gid]!;
      if (pi < 0) continue;
      frame.indices[pi]![frame.counts[pi]!++] = this.indexOf[gid]!;
    }
    for (let pi = 0; pi < this.popProbes.length; pi++) {
      for (const ps of this.popProbes[pi]!) this.record(ps, t, frame.counts[pi]!, frame.indices[pi]!);
    }
    for (const ps of this.probes.values()) if (ps.source) this.record(ps, t, ps.source.tickCount, ps.source.tickSpikes);
    return frame;
  }

  /** One host spike of source index i at tick t onto all its target axons (merged per tick). */
  private emit(s: HostSource, i: number, t: number): void {
    if (!(i >= 0 && i < s.size)) throw new RangeError(`source '${s.id}': index ${i} is outside 0..${s.size - 1}`);
    if (s.stamp[i] === t) {
      this.mergedInputs++;
      return;
    }
    s.stamp[i] = t;
    s.tickSpikes[s.tickCount++] = i;
    const cores = this.network.cores;
    for (let k = s.start[i]! * 3, end = s.start[i + 1]! * 3; k < end; k += 3) cores[s.targets[k]!]!.deliver(s.targets[k + 1]!, t + s.targets[k + 2]!);
  }

  private record(ps: ProbeState, t: number, count: number, indices: Int32Array): void {
    if (ps.kind === 'rate') {
      ps.counts.push(count);
      return;
    }
    for (let k = 0; k < count; k++) {
      ps.times.push(t * TICK_MS);
      ps.indices.push(indices[k]!);
    }
  }

  run(ticks: number): void {
    for (let i = 0; i < ticks; i++) this.step();
  }

  reset(): void {
    this.network.reset();
    this.mergedInputs = 0;
    for (const s of this.sources) {
      if (s.rng && s.rngInitial) s.rng.setState(s.rngInitial);
      s.rate?.reset();
      s.replay?.reset();
      s.stamp.fill(-1);
      s.tickCount = 0;
    }
    for (const ps of this.probes.values()) {
      ps.counts.clear();
      ps.times.clear();
      ps.indices.clear();
    }
  }

  setRate(stimulusId: string, rateHz: number): void {
    const s = this.sourceById.get(stimulusId);
    if (!s?.rate) throw notAPoissonSource(stimulusId, this.sources.filter((x) => x.rate).map((x) => x.id));
    s.rate.set(rateHz);
  }

  probe(probeId: string): ProbeData {
    const ps = this.probes.get(probeId);
    if (!ps) throw new Error(`no probe '${probeId}' (probes: ${[...this.probes.keys()].join(', ')})`);
    if (ps.kind === 'rate') return { kind: 'rate', target: ps.target, size: ps.size, countsPerTick: ps.counts.view() };
    return { kind: 'spikes', target: ps.target, timesMs: ps.times.view(), indices: ps.indices.view() };
  }
}
