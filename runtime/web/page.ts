/** The static page (npm run build:web → dist/web/): the live viewer with the simulation in this page's Web Workers. */
import { startViewer } from '../viewer/app.ts';
import { WorkerTransport } from './worker-transport.ts';
import type { SpikeHashRequest, SpikeHashResult, SimToPage } from './messages.ts';

startViewer(() => new WorkerTransport());

/**
 * Spike-hash checks (spike-hash.ts) in a fresh simulation worker, one after another: what the
 * determinism test compares with the same runs in Node. Exposed as window.__swtaWeb.spikeHash.
 */
function spikeHashInWorker(requests: SpikeHashRequest[]): Promise<SpikeHashResult[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./sim-worker.js', import.meta.url), { type: 'module', name: 'swta spike hash' });
    w.onmessage = (ev: MessageEvent<SimToPage>) => {
      if (ev.data.kind === 'loaded') return w.postMessage({ kind: 'hash', requests });
      if (ev.data.kind === 'hash') resolve(ev.data.results);
      else if (ev.data.kind === 'fatal') reject(new Error(ev.data.message));
      else return;
      w.terminate();
    };
    w.onerror = (ev) => {
      reject(new Error(`the spike-hash worker failed: ${ev.message}`));
      w.terminate();
    };
  });
}

(window as unknown as { __swtaWeb: { spikeHash: typeof spikeHashInWorker } }).__swtaWeb = { spikeHash: spikeHashInWorker };
