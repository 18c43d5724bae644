/**
 * The static page's vision worker: the ViT of the camera path (TensorFlow.js, WebAssembly backend)
 * with the shipped weights, copied into vision/ at build time (runtime/web/build.ts). It answers the
 * simulation worker's classify requests (port-classifier.ts) on the port the page gives it.
 */
import type { ModelInfo } from '../server/protocol.ts';
import type { Classifier } from '../server/vit-classifier.ts';
import { LIVE_HOST_DEFAULTS } from '../server/live-host.ts';
import type { SimToVision, VisionToSim } from './messages.ts';
import { loadFetchedClassifier } from './vit-fetch.ts';

const SIDE = LIVE_HOST_DEFAULTS.cameraSide;

self.onmessage = (ev: MessageEvent<{ port: MessagePort }>) => {
  const port = ev.data.port;
  void serve(port);
};
self.postMessage({ kind: 'loaded' });

async function serve(port: MessagePort): Promise<void> {
  let classifier: Classifier;
  try {
    classifier = await loadFetchedClassifier(new URL('./vision/', import.meta.url), SIDE, SIDE);
  } catch (e) {
    const info: ModelInfo = { available: false, reason: `the ViT failed to load in the browser: ${e instanceof Error ? e.message : String(e)}` };
    port.postMessage({ kind: 'info', info } satisfies VisionToSim);
    return;
  }
  port.postMessage({ kind: 'info', info: classifier.info } satisfies VisionToSim);
  port.onmessage = (m: MessageEvent<SimToVision>) => {
    const { id, image } = m.data;
    classifier.classify(image).then(
      (probabilities) => port.postMessage({ kind: 'result', id, probabilities } satisfies VisionToSim, probabilities ? [probabilities.buffer] : []),
      (e: unknown) => port.postMessage({ kind: 'result', id, probabilities: null, error: e instanceof Error ? e.message : String(e) } satisfies VisionToSim),
    );
  };
}
