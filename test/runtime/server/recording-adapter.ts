import { compile as compileConductance, type CompileOptions } from '../../../adapters/conductance/index.ts';
import type { Engine } from '../../../src/engine.ts';
import type { Graph } from '../../../src/graph/types.ts';

/**
 * The conductance adapter, keeping every engine it compiles by graph name so a test can read the
 * engines' own probes while the server runs them. Load it by href (runtime/adapter.ts), on the
 * same thread (actors placement): this module's map is then the one the test imports.
 */
export const engines = new Map<string, Engine>();

export function compile(graph: Graph, options: CompileOptions = {}): Engine {
  const engine = compileConductance(graph, options);
  engines.set(graph.name ?? '', engine);
  return engine;
}

export const RECORDING_ADAPTER = { href: new URL('./recording-adapter.ts', import.meta.url).href };
