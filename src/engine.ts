import type { Graph } from './graph/types.ts';

/**
 * The contract every adapter's engine keeps (docs/reference/architecture.md, "Engine"). The runtime drives engines only
 * through this interface and never knows which adapter made one.
 *
 * One call of step() advances exactly one runtime tick of TICK_MS. Inbound spikes given to step()
 * at tick t reach their 'spikes' source at the start of tick t; the returned frame holds the spikes
 * produced during tick t. Same graph and seed give the same spikes, whoever calls step().
 */
export const TICK_MS = 1;

/** Spikes injected into a 'spikes' source of the graph for this tick. */
export interface SpikeInput {
  source: string;
  /** Source-local neuron indices; the first `count` entries are used (all when count is omitted). */
  indices: ArrayLike<number>;
  count?: number;
}

/**
 * The spikes of one tick, per population, in graph order. Buffers are owned by the engine and
 * overwritten by the next step(): copy what you keep. `indices[p]` holds `counts[p]` valid entries.
 */
export interface SpikeFrame {
  tick: number;
  populations: readonly string[];
  counts: Int32Array;
  indices: readonly Int32Array[];
}

export type ProbeData =
  | { kind: 'spikes'; target: string; timesMs: Float64Array; indices: Int32Array }
  | { kind: 'rate'; target: string; size: number; countsPerTick: Int32Array }
  | { kind: 'v' | 'w' | 'g'; target: string; neurons: Int32Array; ticks: number; samples: Float64Array };

export interface Engine {
  readonly graph: Graph;
  readonly backend: string;
  /** Ticks completed since compile or the last reset. */
  readonly tick: number;
  step(inbound?: readonly SpikeInput[]): SpikeFrame;
  /** Run `ticks` ticks without inbound spikes (probes still record). */
  run(ticks: number): void;
  /** Back to the state right after compile: same seed gives the same spikes again. */
  reset(): void;
  /** Change a Poisson source's rate (Hz) from the next tick on. */
  setRate(stimulusId: string, rateHz: number): void;
  /** Recorded data of a probe (views of the engine's buffers; valid until the next step). */
  probe(probeId: string): ProbeData;
}

/** A JSON value: what can cross to a worker in workerData. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Which adapter compiles a graph, named by module address rather than by a function so that a
 * worker thread can load the same adapter from plain data. The module must export
 * `compile(graph, { seed, ...options }): Engine`; `options` (JSON) is passed to every compile.
 * adapters/registry.ts makes these; the runtime only loads them and never knows which adapter it
 * drives (docs/reference/architecture.md, dependencies).
 */
export interface AdapterRef {
  href: string;
  options?: { [key: string]: JsonValue };
}
