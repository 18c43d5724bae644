/**
 * The names of the backends that run a graph (their adapters: adapters/registry.ts). A leaf with no
 * imports, so the wire protocol and the browser viewer can validate a backend name without loading
 * an engine.
 */
export const BACKENDS = ['conductance', 'truenorth', 'neuron'] as const;
export type Backend = (typeof BACKENDS)[number];

/**
 * The backends that step tick by tick (Engine.step), as the live server, the runtime's actors and
 * the conformance suite need. 'neuron' runs in batches (adapters/neuron/engine.ts).
 */
export const LIVE_BACKENDS = ['conductance', 'truenorth'] as const satisfies readonly Backend[];
export type LiveBackend = (typeof LIVE_BACKENDS)[number];

export function isLiveBackend(x: unknown): x is LiveBackend {
  return typeof x === 'string' && (LIVE_BACKENDS as readonly string[]).includes(x);
}

/** A live backend's name, checked; undefined gives the default. */
export function parseLiveBackend(name: string | undefined): LiveBackend {
  if (name === undefined) return DEFAULT_BACKEND;
  if (isLiveBackend(name)) return name;
  throw new Error(isBackend(name)
    ? `backend '${name}' runs in batches and cannot drive a live or tick-by-tick run (live backends: ${LIVE_BACKENDS.join(', ')})`
    : `unknown backend '${name}' (live backends: ${LIVE_BACKENDS.join(', ')})`);
}

/** The backend a run uses when none is named. */
export const DEFAULT_BACKEND: LiveBackend = 'conductance';

export function isBackend(x: unknown): x is Backend {
  return typeof x === 'string' && (BACKENDS as readonly string[]).includes(x);
}

/** A --backend value, checked; undefined gives the default. */
export function parseBackend(name: string | undefined): Backend {
  if (name === undefined) return DEFAULT_BACKEND;
  if (isBackend(name)) return name;
  throw new Error(`unknown backend '${name}' (backends: ${BACKENDS.join(', ')})`);
}
