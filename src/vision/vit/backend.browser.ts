/**
 * backend.ts for the browser build (runtime/web/build.ts): TensorFlow.js on the WebAssembly
 * backend, its .wasm binaries copied next to the bundle (from @tensorflow/tfjs-backend-wasm/dist),
 * so the page fetches them from its own folder and nothing else.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | undefined;

/** Selects the WASM backend once; later calls return the same promise. */
export function initBackend(): Promise<void> {
  ready ??= (async () => {
    setWasmPaths(new URL('./', import.meta.url).href);
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend failed to initialise (are the tfjs-backend-wasm*.wasm files next to the bundle?)');
    await tf.ready();
  })();
  return ready;
}

export { tf };
