import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Observable } from 'rxjs';
import { Channel } from '../channel.ts';
import type { Network } from '../../src/graph/network.ts';
import { DEFAULT_ADAPTER } from '../adapter.ts';
import { TickBarrier } from '../barrier.ts';
import { ModuleFailedError } from '../errors.ts';
import type { ModuleSpikeFrame } from '../module-core.ts';
import { planNetwork, type NetworkPlan } from '../plan.ts';
import { checkInject, checkSetRate, expectPhase, type NetworkRunner, type Placement, type RunnerOptions, type RunnerPhase } from '../runner.ts';
import { assignModules } from './assign.ts';
import { computeLayout, CTRL, SLOT_TICK, type SharedLayout } from '../shared-layout.ts';
import type { ThreadPriorityResult } from '../thread-priority.ts';
import type { WorkerCommand, WorkerCommandBody, WorkerFailure, WorkerInit, WorkerReady } from './worker-protocol.ts';

/** A module's spike frame whose arrays are views of the shared buffer; only `tick` is set per tick. */
interface SharedFrame {
  module: string;
  tick: number;
  populations: readonly string[];
  counts: Int32Array;
  indices: readonly Int32Array[];
}

/** How long the main thread waits for one tick before it declares a worker dead. */
const TICK_TIMEOUT_MS = 30_000;

/**
 * The worker placement: modules spread over worker_threads, each worker running its share as
 * actors (worker-host.ts), links between workers in a SharedArrayBuffer, one Atomics barrier per
 * tick (barrier.ts). This thread releases each tick, waits for every worker, then publishes every
 * module's spikes straight from the shared buffer (the frames are views: valid until the next tick).
 *
 * Workers start on worker-boot.mjs, which registers tsx's loader before it loads the .ts host;
 * this works the same under `npx tsx`, vitest and `node --import tsx`.
 */
export class WorkerRunner implements NetworkRunner {
  readonly placement = 'workers';
  readonly plan: NetworkPlan;
  readonly spikes$: Observable<ModuleSpikeFrame>;
  /** Worker index of every module (plan order). */
  readonly workerOf: readonly number[];
  private readonly spikes = new Channel<ModuleSpikeFrame>();
  private readonly workers: Worker[];
  private readonly ports: MessagePort[];
  private readonly barrier: TickBarrier;
  private readonly words: Int32Array;
  private readonly frames: SharedFrame[];
  private readonly tickWords: number[];
  private ticks = 0;
  private state: RunnerPhase = 'idle';
  /** Commands wait here for the next tick (posted, stamped with it, just before its release). */
  private readonly pending: { worker: number; command: WorkerCommandBody }[] = [];

  private constructor(plan: NetworkPlan, workerOf: number[], shared: SharedArrayBuffer, workers: Worker[], ports: MessagePort[], tickWords: number[], frames: SharedFrame[]) {
    this.plan = plan;
    this.workerOf = workerOf;
    this.words = new Int32Array(shared);
    this.workers = workers;
    this.ports = ports;
    this.barrier = new TickBarrier(this.words, workers.length);
    this.tickWords = tickWords;
    this.frames = frames;
    this.spikes$ = this.spikes.asObservable();
  }

  static async create(network: Network, options: RunnerOptions & { placement: Extract<Placement, { kind: 'workers' }> }): Promise<WorkerRunner> {
    const plan = planNetwork(network, options.seed, options);
    const workerOf = assignModules(plan, options.placement);
    const nWorkers = options.placement.workers;
    const cpus = options.placement.cpus ?? [];
    for (const c of cpus) if (!(Number.isInteger(c) && c >= 0)) throw new RangeError(`placement.cpus: CPU numbers are integers ≥ 0, got ${c}`);
    const layout = computeLayout(plan, workerOf);
    const shared = new SharedArrayBuffer(layout.words * 4);
    const words = new Int32Array(shared);
    // Before tick 0 every consumer reads the parity-1 slot as "the frame of tick −1": empty.
    plan.links.forEach((_, i) => {
      const s0 = layout.linkSlots[i]!;
      if (s0 < 0) return;
      words[s0 + SLOT_TICK] = -2;
      words[s0 + layout.linkStride[i]! + SLOT_TICK] = -1;
    });

    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    const ready: Promise<ThreadPriorityResult>[] = [];
    for (let w = 0; w < nWorkers; w++) {
      const { port1, port2 } = new MessageChannel();
      const init: WorkerInit = {
        network: plan.network, seed: plan.seed, adapter: options.adapter ?? DEFAULT_ADAPTER,
        maxSpikesPerNeuronPerTick: plan.maxSpikesPerNeuronPerTick,
        workers: nWorkers, workerIndex: w, workerOf, layout, shared, spinWaitMs: options.placement.spinWaitMs ?? 0,
        threadPriority: options.placement.threadPriority ?? 'normal', cpu: cpus.length > 0 ? cpus[w % cpus.length]! : null, port: port2,
      };
      // No inherited execArgv: worker-boot.mjs registers the TypeScript loader itself.
      const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: init, transferList: [port2], execArgv: [] });
      ready.push(new Promise<ThreadPriorityResult>((resolve, reject) => {
        worker.once('message', (m: WorkerReady) => resolve(m.priority));
        worker.once('error', (e) => reject(new Error(`worker ${w} (modules ${modulesOf(plan, workerOf, w)}) failed to start: ${e.message}`, { cause: e })));
        worker.once('exit', (code) => reject(new Error(`worker ${w} exited with code ${code} before it was ready`)));
      }));
      workers.push(worker);
      ports.push(port1);
    }
    let priorities: ThreadPriorityResult[];
    try {
      priorities = await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    const runner = new WorkerRunner(plan, workerOf, shared, workers, ports, layout.modules.map((r) => r.tick), frames(plan, layout, shared));
    runner.threadPriorities = priorities;
    workers.forEach((w, i) => {
      w.removeAllListeners();
      // An uncaught error ends the worker; the barrier wait then times out and names it.
      w.on('error', (e) => {
        runner.deadWorker ??= `worker ${i}: ${e.message}`;
      });
    });
    return runner;
  }

  /** What each worker's thread-priority request achieved (worker order). */
  threadPriorities: readonly ThreadPriorityResult[] = [];

  /** The first worker that died, if one did (an error outside its tick loop). */
  private deadWorker: string | undefined;

  get tick(): number {
    return this.ticks;
  }

  get phase(): RunnerPhase {
    return this.state;
  }

  start(): void {
    expectPhase(this, 'start', 'idle');
    this.state = 'running';
  }

  runTick(): void {
    expectPhase(this, 'run a tick', 'running');
    const t = this.ticks;
    // Posted before the release, so the worker finds them when it reads its port for tick t; the
    // counter tells the workers to read it (reading an empty port every tick costs a system call).
    if (this.pending.length > 0) {
      for (const { worker, command } of this.pending) this.ports[worker]!.postMessage({ ...command, atTick: t } as WorkerCommand);
      Atomics.add(this.words, CTRL.COMMANDS, this.pending.length);
      this.pending.length = 0;
    }
    this.barrier.release(t);
    if (!this.barrier.awaitDone(TICK_TIMEOUT_MS)) {
      this.state = 'failed';
      throw new ModuleFailedError(this.plan.modules.map((m) => m.id).join(', '), t, `no answer from the workers within ${TICK_TIMEOUT_MS} ms (${this.deadWorker ?? 'a worker hangs'})`);
    }
    if (Atomics.load(this.words, CTRL.FAILED) !== 0) {
      this.state = 'failed';
      throw this.failure(t);
    }
    for (let m = 0; m < this.frames.length; m++) {
      const frame = this.frames[m]!;
      frame.tick = this.words[this.tickWords[m]!]!;
      this.spikes.next(frame);
    }
    this.ticks++;
  }

  pause(): void {
    expectPhase(this, 'pause', 'running');
    this.toAll({ type: 'pause' });
    this.state = 'paused';
  }

  resume(): void {
    expectPhase(this, 'resume', 'paused');
    this.toAll({ type: 'resume' });
    this.state = 'running';
  }

  setRate(module: string, stimulus: string, rateHz: number): void {
    const m = checkSetRate(this.plan, module, stimulus, rateHz);
    this.pending.push({ worker: this.workerOf[m]!, command: { type: 'setRate', module, stimulus, rateHz } });
  }

  inject(module: string, source: string, indices: ArrayLike<number>): void {
    const m = checkInject(this.plan, module, source, indices);
    this.pending.push({ worker: this.workerOf[m]!, command: { type: 'inject', module, source, indices: Array.from(indices) } });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.barrier.stop();
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => {
      // A worker blocked in a module that never returns is terminated after a grace period.
      const timer = setTimeout(() => void w.terminate(), 2000);
      w.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    })));
    for (const p of this.ports) p.close();
    this.spikes.complete();
    this.state = 'closed';
  }

  private toAll(command: WorkerCommandBody): void {
    for (let w = 0; w < this.workers.length; w++) this.pending.push({ worker: w, command });
  }

  /** The first failure a worker reported (its message is already on the port). */
  private failure(tick: number): ModuleFailedError {
    for (const port of this.ports) {
      const msg = receiveMessageOnPort(port);
      if (msg) {
        const f = msg.message as WorkerFailure;
        return new ModuleFailedError(f.module, f.tick, f.reason);
      }
    }
    return new ModuleFailedError('?', tick, 'a worker flagged a failure but sent no reason');
  }
}

/** Each module's spike frame as views of its region of the shared buffer. */
function frames(plan: NetworkPlan, layout: SharedLayout, shared: SharedArrayBuffer): SharedFrame[] {
  const view = (at: number, n: number): Int32Array => new Int32Array(shared, at * 4, n);
  return plan.modules.map((m, i) => {
    const r = layout.modules[i]!;
    return { module: m.id, tick: -1, populations: m.populations, counts: view(r.counts, m.populations.length), indices: r.indices.map((at, p) => view(at, r.capacities[p]!)) };
  });
}

function modulesOf(plan: NetworkPlan, workerOf: readonly number[], w: number): string {
  return plan.modules.filter((m) => workerOf[m.index] === w).map((m) => m.id).join(', ');
}
