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
  rateHz: number;
  schedule: { atTick: number; v: number }[];
  scheduleNext: number;
  rng: Random | null;
  rngInitial: [number, number, number, number, number] | null;
  replayTicks: Int32Array;
  replayIndices: Int32Array;
  replayNext: number;
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
  counts: Int32Array;
  times: Float64Array;
  indices: Int32Array;
  n: number;
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
      const ps: ProbeState = { kind: pb.kind, target: pb.target, size, pop: pi, source: src, counts: new Int32Array(1024), times: new Float64Array(1024), indices: new Int32Array(1024), n: 0 };
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
    let replayTicks = new Int32Array(0);
    let replayIndices = new Int32Array(0);
    if (st.kind === 'spikes' && st.timesMs && st.indices) {
      const order = st.timesMs.map((_, k) => k).sort((a, b) => st.timesMs![a]! - st.timesMs![b]!);
      replayTicks = Int32Array.from(order, (k) => Math.floor(st.timesMs![k]! / TICK_MS));
      replayIndices = Int32Array.from(order, (k) => st.indices![k]!);
    }
    const s: HostSource = {
      id,
      kind: st.kind,
      size: st.size,
      start,
      targets: flat,
      used,
      rateHz: st.kind === 'poisson' ? st.rateHz : 0,
      schedule: st.kind === 'poisson' ? (st.schedule ?? []).map((e) => ({ atTick: Math.round(e.atMs / TICK_MS), v: e.v })) : [],
      scheduleNext: 0,
      rng,
      rngInitial: rng ? rng.getState() : null,
      replayTicks,
      replayIndices,
      replayNext: 0,
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
      if (s.kind === 'spikes') {
        while (s.replayNext < s.replayTicks.length && s.replayTicks[s.replayNext]! <= t) {
          if (s.replayTicks[s.replayNext] === t) this.emit(s, s.replayIndices[s.replayNext]!, t);
          s.replayNext++;
        }
        continue;
      }
      while (s.scheduleNext < s.schedule.length && s.schedule[s.scheduleNext]!.atTick <= t) s.rateHz = s.schedule[s.scheduleNext++]!.v;
      const p = Math.min(1, Math.max(0, s.rateHz) * (TICK_MS / 1000));
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
      if (t >= ps.counts.length) ps.counts = grow(ps.counts, t + 1);
      ps.counts[t] = count;
      return;
    }
    if (ps.n + count > ps.indices.length) {
      ps.indices = grow(ps.indices, ps.n + count);
      ps.times = growF(ps.times, ps.n + count);
    }
    for (let k = 0; k < count; k++) {
      ps.times[ps.n] = t * TICK_MS;
      ps.indices[ps.n++] = indices[k]!;
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
      const st = this.graph.stimuli.find((x) => x.id === s.id) as PoissonSource | SpikeSource;
      s.rateHz = st.kind === 'poisson' ? st.rateHz : 0;
      s.scheduleNext = 0;
      s.replayNext = 0;
      s.stamp.fill(-1);
      s.tickCount = 0;
    }
    for (const ps of this.probes.values()) ps.n = 0;
  }

  setRate(stimulusId: string, rateHz: number): void {
    const s = this.sourceById.get(stimulusId);
    if (!s || s.kind !== 'poisson') {
      const known = this.sources.filter((x) => x.kind === 'poisson').map((x) => x.id);
      throw new Error(`setRate: '${stimulusId}' is not a Poisson source of this graph (Poisson sources: ${known.join(', ')})`);
    }
    if (!(rateHz >= 0) || !Number.isFinite(rateHz)) throw new RangeError(`setRate: rate of '${stimulusId}' must be a finite rate ≥ 0 Hz, got ${rateHz}`);
    s.rateHz = rateHz;
  }

  probe(probeId: string): ProbeData {
    const ps = this.probes.get(probeId);
    if (!ps) throw new Error(`no probe '${probeId}' (probes: ${[...this.probes.keys()].join(', ')})`);
    if (ps.kind === 'rate') return { kind: 'rate', target: ps.target, size: ps.size, countsPerTick: ps.counts.subarray(0, this.tick) };
    return { kind: 'spikes', target: ps.target, timesMs: ps.times.subarray(0, ps.n), indices: ps.indices.subarray(0, ps.n) };
  }
}

function grow(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

function growF(a: Float64Array, need: number): Float64Array {
  const b = new Float64Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
