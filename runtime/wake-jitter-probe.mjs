// Thread of the wake-jitter probe (wake-jitter.ts, startWakeJitterProbe). Like worker-boot.mjs, it
// registers tsx's loader inside the worker before it loads TypeScript.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { runWakeJitterProbe } = await import(new URL('./wake-jitter.ts', import.meta.url).href);
runWakeJitterProbe(workerData, (m) => parentPort.postMessage(m));
