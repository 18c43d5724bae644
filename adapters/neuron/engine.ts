import { mkdtempSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TICK_MS, type Engine, type ProbeData, type SpikeFrame, type SpikeInput } from '../../src/engine.ts';
import type { Graph } from '../../src/graph/types.ts';
import { exportGraph } from './export.ts';
import { runSpec, writeSpec, type NeuronRunResult } from './run.ts';
import { sourceTrains, type RateChange, type SourceTrain } from './sources.ts';
import type { NeuronSpec } from './spec.ts';

export interface NeuronCompileOptions {
  seed?: number;
  /** Integration step (ms), default 0.1. */
  dtMs?: number;
  /** MPI processes per NEURON run (default 1, or setDefaultProcesses: 1 runs without mpirun). */
  processes?: number;
  /** Where the spec and runs are written (default: a fresh directory under .tmp/neuron-runs). */
  workDir?: string;
}

let defaultProcesses = 1;

/** MPI processes of NEURON engines compiled without `processes` (`swta run … --backend neuron --mpi N`). */
export function setDefaultProcesses(n: number): void {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`MPI processes must be an integer ≥ 1, got ${n}`);
  defaultProcesses = n;
}

const RUNS_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '.tmp', 'neuron-runs');

/**
 * The NEURON backend as an Engine, run in batches: NEURON runs a whole simulation from its start,
 * so this engine records what the caller asks for (run(ticks), setRate at the current tick,
 * reset()) and runs NEURON when a probe is read after a change: the graph exported once at compile
 * (the conductance engine's drawn network for the seed), the Poisson sources' spike trains drawn as
 * our engine draws them with the recorded rate changes, then `mpirun -np N` (or one process) on
 * Debian's NEURON, and the spikes read back. Everything that drives engines through run(),
 * setRate(), reset() and probe() (ModuleRunner, the scenarios built on it) runs unchanged.
 * step() is not available: a live tick-by-tick frame would need one NEURON run per tick.
 */
export class NeuronEngine implements Engine {
  readonly backend = 'neuron';
  readonly graph: Graph;
  readonly spec: NeuronSpec;
  readonly dir: string;
  readonly processes: number;
  private readonly seed: number;
  private ticks = 0;
  private changes: RateChange[] = [];
  private result: { ticks: number; run: NeuronRunResult; trains: SourceTrain[] } | null = null;
  private readonly poissonIds: Set<string>;
  /** The last NEURON run's timing (seconds), for benchmarks. */
  lastTiming: NeuronRunResult['timing'] | null = null;

  constructor(graph: Graph, options: NeuronCompileOptions = {}) {
    this.seed = options.seed ?? 1;
    this.processes = options.processes ?? defaultProcesses;
    const { spec, arrays } = exportGraph(graph, { seed: this.seed, dtMs: options.dtMs ?? 0.1 });
    this.graph = graph;
    this.spec = spec;
    if (options.workDir) {
      this.dir = options.workDir;
      mkdirSync(this.dir, { recursive: true });
    } else {
      mkdirSync(RUNS_ROOT, { recursive: true });
      this.dir = mkdtempSync(join(RUNS_ROOT, `${(graph.name ?? 'graph').replace(/[^A-Za-z0-9_-]/g, '_')}-`));
    }
    writeSpec(this.dir, spec, arrays);
    this.poissonIds = new Set(graph.stimuli.filter((s) => s.kind === 'poisson').map((s) => s.id));
  }

  get tick(): number {
    return this.ticks;
  }

  step(inbound?: readonly SpikeInput[]): SpikeFrame {
    void inbound;
    throw new Error("the neuron backend runs in batches (one NEURON run per read of the probes): drive it with run(ticks), setRate() and probe(), not step()");
  }

  run(ticks: number): void {
    if (!(Number.isInteger(ticks) && ticks >= 0)) throw new RangeError(`run: ticks must be an integer ≥ 0, got ${ticks}`);
    this.ticks += ticks;
  }

  reset(): void {
    this.ticks = 0;
    this.changes = [];
    this.result = null;
  }

  setRate(stimulusId: string, rateHz: number): void {
    if (!this.poissonIds.has(stimulusId)) throw new Error(`setRate: '${stimulusId}' is not a Poisson source of this graph (Poisson sources: ${[...this.poissonIds].join(', ') || 'none'})`);
    if (!(rateHz >= 0) || !Number.isFinite(rateHz)) throw new RangeError(`setRate('${stimulusId}'): rate must be a finite number ≥ 0 Hz, got ${rateHz}`);
    this.changes.push({ tick: this.ticks, sourceId: stimulusId, rateHz });
    this.result = null;
  }

  probe(probeId: string): ProbeData {
    const pb = this.spec.probes.find((p) => p.id === probeId);
    if (!pb) throw new Error(`unknown probe '${probeId}'; probes of this graph: ${this.spec.probes.map((p) => p.id).join(', ') || 'none'}`);
    const { run, trains, ticks } = this.simulate();
    const dt = this.spec.dtMs;
    const stepsPerTick = this.spec.stepsPerTick;
    const pop = this.spec.populations.find((p) => p.id === pb.target);
    let steps: ArrayLike<number>;
    let indices: ArrayLike<number>;
    let size: number;
    if (pop) {
      size = pop.size;
      const s: number[] = [];
      const i: number[] = [];
      for (let k = 0; k < run.gids.length; k++) {
        const local = run.gids[k]! - pop.gidStart;
        if (local >= 0 && local < pop.size) {
          s.push(run.steps[k]!);
          i.push(local);
        }
      }
      steps = s;
      indices = i;
    } else {
      const tr = trains.find((t) => t.id === pb.target)!;
      size = this.spec.sources.find((x) => x.id === pb.target)!.size;
      steps = Array.from(tr.timesMs, (t) => Math.round(t / dt));
      indices = tr.indices;
    }
    const keep = (k: number): boolean => steps[k]! < ticks * stepsPerTick;
    if (pb.kind === 'spikes') {
      const selected = pb.neurons === null ? null : new Set(pb.neurons);
      const t: number[] = [];
      const idx: number[] = [];
      for (let k = 0; k < steps.length; k++) {
        if (!keep(k) || (selected && !selected.has(indices[k]!))) continue;
        t.push(steps[k]! * dt);
        idx.push(indices[k]!);
      }
      return { kind: 'spikes', target: pb.target, timesMs: Float64Array.from(t), indices: Int32Array.from(idx) };
    }
    if (pb.kind === 'rate') {
      const counts = new Int32Array(ticks);
      for (let k = 0; k < steps.length; k++) if (keep(k)) counts[Math.floor(steps[k]! / stepsPerTick)]!++;
      return { kind: 'rate', target: pb.target, size, countsPerTick: counts };
    }
    const neurons = pb.neurons ?? Array.from({ length: size }, (_, i) => i);
    const samples = new Float64Array(neurons.length * ticks);
    neurons.forEach((n, col) => {
      const tr = run.traces.find((x) => x.probe === pb.id && x.neuron === n);
      if (!tr) return;
      for (let t = 0; t < ticks && t < tr.samples.length; t++) samples[t * neurons.length + col] = tr.samples[t]!;
    });
    return { kind: pb.kind, target: pb.target, neurons: Int32Array.from(neurons), ticks, samples };
  }

  /** Every cell's spikes of the run up to the current tick: engine step index and gid (spec.populations' gidStart), sorted. */
  allSpikes(): { steps: Int32Array; gids: Int32Array } {
    const { run } = this.simulate();
    return { steps: run.steps.slice(), gids: run.gids.slice() };
  }

  private simulate(): { run: NeuronRunResult; trains: SourceTrain[]; ticks: number } {
    if (this.result && this.result.ticks === this.ticks) return this.result;
    const durationMs = this.ticks * TICK_MS;
    const trains = sourceTrains(this.graph, { seed: this.seed, dtMs: this.spec.dtMs, durationMs, rateChanges: this.changes });
    const traceProbes = this.spec.probes.filter((p) => p.kind === 'v' || p.kind === 'w' || p.kind === 'g').map((p) => p.id);
    const run = runSpec(this.dir, this.spec, { processes: this.processes, durationMs, trains, traceProbes });
    this.lastTiming = run.timing;
    this.result = { ticks: this.ticks, run, trains };
    return this.result;
  }
}

/** Compile a graph for the NEURON backend (adapters/registry.ts). */
export function compile(graph: Graph, options: NeuronCompileOptions = {}): NeuronEngine {
  return new NeuronEngine(graph, options);
}
