import type { AdapterRef, Engine } from '../src/engine.ts';
import type { Graph } from '../src/graph/types.ts';
import { compile as compileConductance } from './conductance/index.ts';
import { compile as compileNeuron } from './neuron/index.ts';
import { compile as compileTrueNorth } from './truenorth/compile.ts';
import { DEFAULT_BACKEND, type Backend } from './backends.ts';

export { BACKENDS, DEFAULT_BACKEND, isBackend, isLiveBackend, LIVE_BACKENDS, parseBackend, parseLiveBackend, type Backend, type LiveBackend } from './backends.ts';

/**
 * The adapters that run a graph, in one place: every backend list of the project (the scenarios'
 * --backend, the live server's backends, the conformance suite) reads this one. The runtime loads
 * an adapter from its `href` (also inside worker threads) and never names one itself.
 */
export interface AdapterEntry {
  /** One line for help texts and the viewer. */
  description: string;
  /** Module address exporting compile(graph, { seed, ...options }). */
  href: string;
  /** Compile in this thread (scenarios that run one engine synchronously). */
  compile(graph: Graph, options: { seed: number }): Engine;
  /** Whether the adapter has a runtime step size (dtMs) the caller may set. */
  acceptsDtMs: boolean;
  /** Whether its engines step tick by tick (false: a batch backend, run() then probe()). */
  live: boolean;
}

export const ADAPTERS: Readonly<Record<Backend, AdapterEntry>> = {
  conductance: {
    description: 'AdEx neurons with conductance synapses, integrated at dt 0.1 ms (sub-steps of each 1 ms tick)',
    href: new URL('./conductance/index.ts', import.meta.url).href,
    compile: (graph, options) => compileConductance(graph, options),
    acceptsDtMs: true,
    live: true,
  },
  truenorth: {
    description: 'bit-exact TrueNorth cores, one hardware tick per 1 ms, gain-matched from the committed calibration',
    href: new URL('./truenorth/index.ts', import.meta.url).href,
    compile: (graph, options) => compileTrueNorth(graph, options),
    acceptsDtMs: false,
    live: true,
  },
  neuron: {
    description: "Debian's NEURON (fixed step dt 0.1 ms, mod/swta_adex.mod), optionally on MPI processes; runs in batches when probes are read (run + probe, no step)",
    href: new URL('./neuron/index.ts', import.meta.url).href,
    compile: (graph, options) => compileNeuron(graph, options),
    acceptsDtMs: true,
    live: false,
  },
};

/** The loadable reference of a backend's adapter, with the options it accepts. */
export function adapterRef(backend: Backend = DEFAULT_BACKEND, options: { dtMs?: number } = {}): AdapterRef {
  const entry = ADAPTERS[backend];
  const ref: AdapterRef = { href: entry.href };
  if (entry.acceptsDtMs && options.dtMs !== undefined) ref.options = { dtMs: options.dtMs };
  return ref;
}
