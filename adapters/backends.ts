/**
 * The names of the backends that run a graph (their adapters: adapters/registry.ts). A leaf with no
 * imports, so the wire protocol and the browser viewer can validate a backend name without loading
 * an engine.
 */
export const BACKENDS = ['conductance', 'truenorth'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The backend a run uses when none is named. */
export const DEFAULT_BACKEND: Backend = 'conductance';

export function isBackend(x: unknown): x is Backend {
  return typeof x === 'string' && (BACKENDS as readonly string[]).includes(x);
}

/** A --backend value, checked; undefined gives the default. */
export function parseBackend(name: string | undefined): Backend {
  if (name === undefined) return DEFAULT_BACKEND;
  if (isBackend(name)) return name;
  throw new Error(`unknown backend '${name}' (backends: ${BACKENDS.join(', ')})`);
}
