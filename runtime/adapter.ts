import { ADAPTERS, adapterRef } from '../adapters/registry.ts';
import type { AdapterRef, Engine } from '../src/engine.ts';
import type { Graph } from '../src/graph/types.ts';

export type { AdapterRef, JsonValue } from '../src/engine.ts';

/** The adapter a run uses when the caller names none: the registry's default backend. */
export const DEFAULT_ADAPTER: AdapterRef = adapterRef();

/** Compiles one module's graph with the given engine seed. */
export type CompileModule = (graph: Graph, seed: number) => Engine;

/**
 * The module behind an adapter's href. The registry's own adapters are already loaded (the
 * registry imports them), so their href needs no dynamic import: the one way that also works in a
 * bundle, where module files have no addresses of their own (runtime/web). Any other href is imported.
 */
export async function importAdapter(href: string): Promise<{ compile?: unknown }> {
  const entry = Object.values(ADAPTERS).find((e) => e.href === href);
  if (entry) return { compile: entry.compile };
  return (await import(href)) as { compile?: unknown };
}

/** Load an adapter module and bind its options. */
export async function loadAdapter(ref: AdapterRef): Promise<CompileModule> {
  let mod: { compile?: unknown };
  try {
    mod = await importAdapter(ref.href);
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
