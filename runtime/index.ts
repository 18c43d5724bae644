/**
 * The execution runtime: multi-module networks as xstate actors exchanging spikes over RxJS
 * channels in lockstep, on one thread, on worker threads, or in a plain reference loop, paced by
 * an injectable clock.
 *
 *   network.ts (src/graph)  the plain-data network: modules { id, graph }, sparse links
 *   plan.ts                 validated network + seed → engine seeds, link ends, link maps
 *   link-connectivity.ts    a link's seeded sparse map and the presynaptic → port translation
 *   module-core.ts          one module's per-tick work around its engine (no actor, no channel)
 *   module-actor.ts         the module's xstate actor: lifecycle, emit/step, failure with reason
 *   lockstep.ts             the channel operator: zip with bounded buffers that fails loudly
 *   actor-network.ts        actors wired by link Subjects and lockstep on one thread
 *   placements/             actors.ts, workers.ts (+ worker-host, barrier, shared-layout), loop.ts
 *   clock.ts, pacer.ts      time sources and pacing: fast or real time, RTF and deadline misses
 *
 * @example
 * ```ts
 * import { createRunner, Pacer } from './runtime/index.ts';
 *
 * const runner = await createRunner(network, { seed: 1, placement: { kind: 'workers', workers: 2 } });
 * runner.spikes$.subscribe((f) => rates.add(f.module, f.tick, f.counts)); // buffers reused: copy to keep
 * const pacer = new Pacer(runner, { pacing: { mode: 'realtime', timeScale: 1 } });
 * pacer.status$.subscribe((s) => console.log(s.tick, s.realTimeFactor.toFixed(3), s.deadlineMisses));
 * runner.setRate('wm0', 'cue0', 80);             // from the next tick on, in every placement
 * await pacer.run(2000);                          // two simulated seconds
 * await runner.close();
 * ```
 */
export { createRunner } from './create-runner.ts';
export type { NetworkRunner, Placement, RunnerOptions, RunnerPhase } from './runner.ts';
export { Pacer, type ClockPhase, type ClockStatus, type DeadlineMiss, type PacedRunner, type Pacing, type PacerOptions } from './pacer.ts';
export { SimulatedClock, systemClock, type TimeSource } from './clock.ts';
export { cpuPerWorker, parseThreadPriority, pinThreadToCpu, setThreadPriority, THREAD_PRIORITIES, type ThreadPriority, type ThreadPriorityResult } from './thread-priority.ts';
export { lockstep, LockstepOverflowError, type LockstepOptions } from './lockstep.ts';
export { ModuleFailedError } from './errors.ts';
export { DEFAULT_ADAPTER, type AdapterRef } from './adapter.ts';
export type { LinkFrame, ModuleSpikeFrame } from './module-core.ts';
export type { ModuleEvent, ModulePhase, ModuleSnapshot } from './module-actor.ts';
export { ActorNetwork } from './actor-network.ts';
export { planNetwork, type NetworkPlan } from './plan.ts';
export type { Network, NetworkModule, ModuleLink, LinkRule } from '../src/graph/network.ts';
export { validateNetwork, NetworkValidationError } from '../src/graph/network.ts';
