import type { Network } from '../src/graph/network.ts';
import { ActorRunner } from './placements/actors.ts';
import { LoopRunner } from './placements/loop.ts';
import { WorkerRunner } from './placements/workers.ts';
import type { NetworkRunner, RunnerOptions } from './runner.ts';

/**
 * Validate a network, compile its modules and place them: on this thread as actors (default),
 * on worker threads, or in the plain reference loop. The runner is idle until start().
 *
 * @example
 * ```ts
 * const runner = await createRunner(network, { seed: 1, placement: { kind: 'workers', workers: 2 } });
 * runner.spikes$.subscribe((f) => console.log(f.module, f.tick, f.counts));
 * runner.start();
 * for (let t = 0; t < 100; t++) runner.runTick();
 * await runner.close();
 * ```
 */
export async function createRunner(network: Network, options: RunnerOptions): Promise<NetworkRunner> {
  const placement = options.placement ?? { kind: 'actors' };
  switch (placement.kind) {
    case 'actors':
      return ActorRunner.create(network, options);
    case 'workers':
      return WorkerRunner.create(network, { ...options, placement });
    case 'loop':
      return LoopRunner.create(network, options);
    default:
      throw new Error(`unknown placement ${JSON.stringify((placement as { kind?: unknown }).kind)}; expected 'actors', 'workers' or 'loop'`);
  }
}
