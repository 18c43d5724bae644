import { ADAPTERS, adapterRef, LIVE_BACKENDS as BACKENDS, type LiveBackend as Backend } from '../../adapters/registry.ts';
import { importAdapter, type AdapterRef } from '../adapter.ts';
import { ProtocolError } from './protocol.ts';

export interface BackendInfo {
  id: Backend;
  available: boolean;
  reason: string;
}

/**
 * Which of the registry's backends can run the demo graph now: an adapter is available when its
 * module loads and exports compile(graph, options); otherwise it is listed with the reason.
 */
export async function backendInfo(): Promise<BackendInfo[]> {
  return Promise.all(
    BACKENDS.map(async (id) => {
      try {
        const mod = await importAdapter(ADAPTERS[id].href);
        if (typeof mod.compile === 'function') return { id, available: true, reason: '' };
        return { id, available: false, reason: `the ${id} adapter exports no compile(graph, options) function` };
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
  return adapterRef(backend, options);
}
