import type { Observable } from 'rxjs';
import type { AdapterRef } from './adapter.ts';
import type { ModuleSpikeFrame } from './module-core.ts';
import type { NetworkPlan, PlanOptions } from './plan.ts';
import type { ThreadPriority } from './thread-priority.ts';

/**
 * Where the modules run. All three give identical spikes for the same network and seed:
 * - 'actors': one xstate actor per module on this thread, spikes on RxJS channels in lockstep;
 * - 'workers': the same actors spread over worker_threads, with cross-thread links in a
 *   SharedArrayBuffer and an Atomics barrier per tick;
 * - 'loop': the plain single loop, the reference the other two are checked against.
 */
export type Placement =
  | { kind: 'actors' }
  | {
      kind: 'workers';
      workers: number;
      /** Module id → worker index; by default modules are balanced by neuron count. */
      assign?: Readonly<Record<string, number>>;
      /**
       * How long a worker that finished a tick polls for the next one before it sleeps (ms;
       * default 0: sleep at once). On an otherwise idle machine about two tick periods keep each
       * worker on its own core (barrier.ts); when other processes compete for the cores, polling
       * takes time from them and from the other worker, and real time suffers.
       */
      spinWaitMs?: number;
      /** Each worker sets its own thread's scheduling priority on boot (thread-priority.ts; default 'normal'). */
      threadPriority?: ThreadPriority;
      /**
       * Worker w pins its thread to CPU cpus[w % cpus.length] on boot (taskset), so it never
       * migrates and keeps its caches; default: the kernel places the workers.
       */
      cpus?: readonly number[];
    }
  | { kind: 'loop' };

export interface RunnerOptions extends PlanOptions {
  /** The run's seed: every engine and link map derives its own from it. */
  seed: number;
  /** Default { kind: 'actors' }. */
  placement?: Placement;
  /** Default: the registry's default backend (adapters/registry.ts). */
  adapter?: AdapterRef;
}

export type RunnerPhase = 'idle' | 'running' | 'paused' | 'closed' | 'failed';

/**
 * A multi-module network ready to run, whatever its placement. A clock (pacer.ts) calls
 * runTick(); nothing runs by itself. Commands (setRate, inject) are queued and take effect at the
 * start of the next runTick() in every placement — also when a spike subscriber gives them in the
 * middle of a tick — so scripted and reactive runs stay reproducible.
 */
export interface NetworkRunner {
  readonly placement: Placement['kind'];
  readonly plan: NetworkPlan;
  /** Ticks completed. */
  readonly tick: number;
  readonly phase: RunnerPhase;
  /**
   * Every module's spikes, one frame per module per tick, ticks in order (module order within a
   * tick is unspecified). Frame buffers are reused by the next tick: copy what you keep.
   */
  readonly spikes$: Observable<ModuleSpikeFrame>;
  /** Modules enter 'running'. */
  start(): void;
  /** Run one tick of every module; throws ModuleFailedError when a module fails. */
  runTick(): void;
  pause(): void;
  resume(): void;
  /** Change a Poisson source's rate (Hz) of one module from the next tick on. */
  setRate(module: string, stimulus: string, rateHz: number): void;
  /** Spikes into a 'spikes' source of one module at the next tick. */
  inject(module: string, source: string, indices: ArrayLike<number>): void;
  /** Stop every module and release threads and buffers. */
  close(): Promise<void>;
}

/** Check a setRate command against the plan; returns the module's index. */
export function checkSetRate(plan: NetworkPlan, module: string, stimulus: string, rateHz: number): number {
  const m = moduleIndex(plan, module);
  const s = plan.modules[m]!.graph.stimuli.find((x) => x.id === stimulus);
  if (s?.kind !== 'poisson') {
    const sources = plan.modules[m]!.graph.stimuli.filter((x) => x.kind === 'poisson').map((x) => x.id);
    throw new Error(`setRate: '${stimulus}' is not a Poisson source of module '${module}'; its Poisson sources: ${sources.join(', ') || 'none'}`);
  }
  if (!(Number.isFinite(rateHz) && rateHz >= 0)) throw new RangeError(`setRate('${module}', '${stimulus}'): rate must be a finite number ≥ 0 Hz, got ${rateHz}`);
  return m;
}

/** Check an inject command against the plan; returns the module's index. */
export function checkInject(plan: NetworkPlan, module: string, source: string, indices: ArrayLike<number>): number {
  const m = moduleIndex(plan, module);
  const s = plan.modules[m]!.graph.stimuli.find((x) => x.id === source);
  if (s?.kind !== 'spikes') {
    const ports = plan.modules[m]!.graph.stimuli.filter((x) => x.kind === 'spikes').map((x) => x.id);
    throw new Error(`inject: '${source}' is not a 'spikes' source of module '${module}'; its spike sources: ${ports.join(', ') || 'none'}`);
  }
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!(Number.isInteger(i) && i >= 0 && i < s.size)) throw new RangeError(`inject('${module}', '${source}'): index ${i} is outside [0, ${s.size})`);
  }
  return m;
}

function moduleIndex(plan: NetworkPlan, module: string): number {
  const m = plan.modules.findIndex((x) => x.id === module);
  if (m < 0) throw new Error(`unknown module '${module}'; modules: ${plan.modules.map((x) => x.id).join(', ')}`);
  return m;
}

/** Throw unless the runner is in one of the given phases. */
export function expectPhase(runner: { phase: RunnerPhase }, action: string, ...phases: RunnerPhase[]): void {
  if (!phases.includes(runner.phase)) {
    throw new Error(`cannot ${action} while the network is ${runner.phase}${runner.phase === 'idle' ? '; call start() first' : ''}`);
  }
}
