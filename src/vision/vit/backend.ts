/**
 * TensorFlow.js on the WebAssembly backend, offline: the .wasm binaries ship inside the npm package
 * @tensorflow/tfjs-backend-wasm (dist/), and setWasmPaths points the loader at that folder, so no
 * network is touched. (tfjs-node, the native backend, cannot be installed on this machine.)
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | undefined;

/** Selects the WASM backend once; later calls return the same promise. */
export function initBackend(): Promise<void> {
  ready ??= (async () => {
    const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
    setWasmPaths(join(dirname(pkg), 'dist') + '/');
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend failed to initialise (is @tensorflow/tfjs-backend-wasm installed?)');
    await tf.ready();
  })();
  return ready;
}

export { tf };
