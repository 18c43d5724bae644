import type { Observable } from 'rxjs';
import { ActorNetwork } from '../actor-network.ts';
import type { ModuleEvent } from '../module-actor.ts';
import { DEFAULT_ADAPTER, loadAdapter } from '../adapter.ts';
import { ModuleCore, type ModuleSpikeFrame } from '../module-core.ts';
import { planNetwork, type NetworkPlan } from '../plan.ts';
import { checkInject, checkSetRate, expectPhase, type NetworkRunner, type RunnerOptions, type RunnerPhase } from '../runner.ts';
import type { Network } from '../../src/graph/network.ts';

/** Every module as an xstate actor on this thread, spikes on RxJS channels in lockstep. */
export class ActorRunner implements NetworkRunner {
  readonly placement = 'actors';
  readonly plan: NetworkPlan;
  readonly spikes$: Observable<ModuleSpikeFrame>;
  /** The actors and channels, for callers that want a module's snapshot or a link's frames. */
  readonly network: ActorNetwork;
  private ticks = 0;
  private state: RunnerPhase = 'idle';
  /** Commands wait here for the next tick, wherever they come from (a spike subscriber mid-tick too). */
  private readonly pending: ModuleEvent[] = [];
  private readonly pendingModule: string[] = [];

  private constructor(plan: NetworkPlan, network: ActorNetwork) {
    this.plan = plan;
    this.network = network;
    this.spikes$ = network.spikes$;
  }

  static async create(network: Network, options: RunnerOptions): Promise<ActorRunner> {
    const plan = planNetwork(network, options.seed, options);
    const compile = await loadAdapter(options.adapter ?? DEFAULT_ADAPTER);
    const cores = plan.modules.map((m) => new ModuleCore(m, compile(m.graph, m.seed)));
    return new ActorRunner(plan, new ActorNetwork({ plan, cores }));
  }

  get tick(): number {
    return this.ticks;
  }

  get phase(): RunnerPhase {
    return this.state;
  }

  start(): void {
    expectPhase(this, 'start', 'idle');
    this.network.send({ type: 'start' });
    this.state = 'running';
  }

  runTick(): void {
    expectPhase(this, 'run a tick', 'running');
    for (let k = 0; k < this.pending.length; k++) this.network.send(this.pending[k]!, this.pendingModule[k]);
    this.pending.length = 0;
    this.pendingModule.length = 0;
    try {
      this.network.runTick(this.ticks);
    } catch (e) {
      this.state = 'failed';
      throw e;
    }
    this.ticks++;
  }

  pause(): void {
    expectPhase(this, 'pause', 'running');
    this.network.send({ type: 'pause' });
    this.state = 'paused';
  }

  resume(): void {
    expectPhase(this, 'resume', 'paused');
    this.network.send({ type: 'resume' });
    this.state = 'running';
  }

  setRate(module: string, stimulus: string, rateHz: number): void {
    checkSetRate(this.plan, module, stimulus, rateHz);
    this.pending.push({ type: 'setRate', stimulus, rateHz });
    this.pendingModule.push(module);
  }

  inject(module: string, source: string, indices: ArrayLike<number>): void {
    checkInject(this.plan, module, source, indices);
    this.pending.push({ type: 'inject', source, indices: Array.from(indices) });
    this.pendingModule.push(module);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.network.stop();
    this.state = 'closed';
  }
}
