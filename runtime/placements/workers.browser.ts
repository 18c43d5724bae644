import type { Network } from '../../src/graph/network.ts';
import type { NetworkRunner, RunnerOptions } from '../runner.ts';

/**
 * workers.ts for the browser build (runtime/web/build.ts): the 'workers' placement is built on
 * Node's worker_threads. In the browser the whole network already runs in one Web Worker
 * (runtime/web/sim-worker.ts), with the 'actors' placement.
 */
export const WorkerRunner = {
  create(network: Network, options: RunnerOptions): Promise<NetworkRunner> {
    void options;
    return Promise.reject(new Error(`the 'workers' placement (Node worker_threads) is not available in the browser (network '${network.name ?? 'unnamed'}'); use 'actors' or 'loop'`));
  },
};
