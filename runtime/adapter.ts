import type { Engine } from '../src/engine.ts';
import type { Graph } from '../src/graph/types.ts';

/** A JSON value: what can cross to a worker in workerData. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Which adapter compiles the modules, named by module address rather than by a function so that
 * a worker thread can load the same adapter from plain data. The module must export
 * `compile(graph, { seed, ...options }): Engine`; `options` (JSON) is passed to every compile.
 * The runtime never knows which adapter it drives (docs/reference/architecture.md, dependencies).
 */
export interface AdapterRef {
  href: string;
  options?: { [key: string]: JsonValue };
}

/** The conductance adapter with its defaults (dt 0.1 ms, fused kernels). */
export const CONDUCTANCE_ADAPTER: AdapterRef = {
  href: new URL('../adapters/conductance/index.ts', import.meta.url).href,
};

/** Compiles one module's graph with the given engine seed. */
export type CompileModule = (graph: Graph, seed: number) => Engine;

/** Load an adapter module and bind its options. */
export async function loadAdapter(ref: AdapterRef): Promise<CompileModule> {
  let mod: { compile?: unknown };
  try {
    mod = (await import(ref.href)) as { compile?: unknown };
  } catch (e) {
    throw new Error(`adapter '${ref.href}' could not be loaded: ${(e as Error).message}`);
  }
  const compile = mod.compile;
  if (typeof compile !== 'function') {
    throw new TypeError(`adapter '${ref.href}' exports no compile(graph, options) function; it exports ${Object.keys(mod).join(', ') || 'nothing'}`);
  }
  const options = ref.options ?? {};
  return (graph, seed) => (compile as (g: Graph, o: object) => Engine)(graph, { ...options, seed });
}
