import { CONDUCTANCE_ADAPTER, type AdapterRef } from '../adapter.ts';
import { BACKENDS, ProtocolError, type Backend } from './protocol.ts';

/** Where each backend's adapter lives; it must export compile(graph, { seed, … }) to run a graph. */
const HREFS: Readonly<Record<Backend, string>> = {
  conductance: CONDUCTANCE_ADAPTER.href,
  truenorth: new URL('../../adapters/truenorth/index.ts', import.meta.url).href,
};

export interface BackendInfo {
  id: Backend;
  available: boolean;
  reason: string;
}

/**
 * Which backends can run the demo graph now. The TrueNorth emulator runs cores, not graphs,
 * when its adapter has no graph-to-core mapper: it is then listed, as unavailable, with that
 * reason, and becomes available by itself once its adapter exports compile().
 */
export async function backendInfo(): Promise<BackendInfo[]> {
  return Promise.all(
    BACKENDS.map(async (id) => {
      try {
        const mod = (await import(HREFS[id])) as { compile?: unknown };
        if (typeof mod.compile === 'function') return { id, available: true, reason: '' };
        return { id, available: false, reason: `the ${id} adapter cannot compile a graph yet (no compile(graph) export: it has no graph-to-core mapper)` };
      } catch (e) {
        return { id, available: false, reason: `the ${id} adapter failed to load: ${e instanceof Error ? e.message : String(e)}` };
      }
    }),
  );
}

/** The adapter of a backend, or ProtocolError('UNSUPPORTED') with the reason it cannot run. */
export async function adapterFor(backend: Backend, options: { dtMs?: number } = {}): Promise<AdapterRef> {
  const info = (await backendInfo()).find((b) => b.id === backend);
  if (!info) throw new ProtocolError('BAD_MESSAGE', `unknown backend '${backend}'; known: ${BACKENDS.join(', ')}`, { path: 'backend' });
  if (!info.available) throw new ProtocolError('UNSUPPORTED', `backend '${backend}' is not available: ${info.reason}`, { path: 'backend' });
  const ref: AdapterRef = { href: HREFS[backend] };
  if (backend === 'conductance' && options.dtMs !== undefined) ref.options = { dtMs: options.dtMs };
  return ref;
}
