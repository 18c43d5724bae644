/**
 * The static page's simulation worker: the live server's host (runtime/server/live-host.ts) in a
 * Web Worker, with the page as its one client. It runs the same LiveSimulation as `swta serve` —
 * the demo network, the engines (conductance with its WebAssembly kernels emitted here by
 * binaryen, or TrueNorth) as actors on this thread, the real-time pacer, the working-memory
 * machine and the camera path — and exchanges protocol frames with the page instead of a socket.
 * With a 'hash' init it runs spike-hash checks instead (spike-hash.ts).
 */
import { backendInfo } from '../server/backends.ts';
import { loadImageFilter } from '../server/camera-filter.ts';
import { createLiveHost, LIVE_HOST_DEFAULTS } from '../server/live-host.ts';
import { LiveSimulation } from '../server/live-sim.ts';
import { parseLiveBackend } from '../../adapters/backends.ts';
import type { SessionSocket } from '../server/session.ts';
import pkg from '../../package.json' with { type: 'json' };
import type { PageToSim, SimInit, SimToPage } from './messages.ts';
import { portClassifier } from './port-classifier.ts';
import { spikeHash } from './spike-hash.ts';

const post = (m: SimToPage, transfer: Transferable[] = []): void => self.postMessage(m, { transfer });

self.onmessage = (ev: MessageEvent<PageToSim>) => {
  const init = ev.data;
  if (init.kind !== 'live' && init.kind !== 'hash') return post({ kind: 'fatal', message: `the first message must be an init ('live' or 'hash'), got '${init.kind}'` });
  run(init).catch((e: unknown) => post({ kind: 'fatal', message: e instanceof Error ? `${e.message}` : String(e) }));
};
// A message that arrives while a module worker still awaits at top level can be lost: the page waits for this.
post({ kind: 'loaded' });

async function run(init: SimInit): Promise<void> {
  if (init.kind === 'hash') {
    const results = [];
    for (const r of init.requests) results.push(await spikeHash(r));
    post({ kind: 'hash', results });
    return;
  }
  const sim = new LiveSimulation({
    placement: { kind: 'actors' },
    backend: parseLiveBackend(init.backend),
    ...(init.seed === undefined ? {} : { seed: init.seed }),
  });
  const [backends, classifier] = await Promise.all([backendInfo(), portClassifier(init.vision)]);
  const host = createLiveHost({
    sim, backends, classifier, filter: loadImageFilter(), ...LIVE_HOST_DEFAULTS, server: `swta/${pkg.version} (in-page)`,
    log: (line) => console.info(`swta: ${line}`),
  });
  // Bytes posted to the page and not yet acknowledged: the socket's bufferedAmount, here.
  let inFlight = 0;
  const socket: SessionSocket = {
    get bufferedAmount() {
      return inFlight;
    },
    send(data, done) {
      inFlight += data.byteLength;
      post({ kind: 'frame', data }, [data.buffer]);
      queueMicrotask(() => done());
    },
    close(code, reason) {
      post({ kind: 'fatal', message: `closed (${code}): ${reason}` });
    },
  };
  const session = host.accept(socket);
  self.onmessage = (ev: MessageEvent<PageToSim>) => {
    const m = ev.data;
    if (m.kind === 'frame') session.onFrame(m.data, true);
    else if (m.kind === 'ack') {
      inFlight = Math.max(0, inFlight - m.bytes);
      session.queue.pump();
    }
  };
  await sim.start();
  post({ kind: 'ready' });
}
