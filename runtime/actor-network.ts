import { tap, type Observable } from 'rxjs';
import { Channel } from './channel.ts';
import { createActor, type Actor } from 'xstate';
import { ModuleFailedError } from './errors.ts';
import { lockstep } from './lockstep.ts';
import { moduleActorLogic, moduleTicker, type ModuleActorLogic, type ModuleEvent } from './module-actor.ts';
import type { LinkFrame, ModuleCore, ModuleSpikeFrame } from './module-core.ts';
import type { LinkPlan, NetworkPlan } from './plan.ts';

export interface ActorNetworkOptions {
  plan: NetworkPlan;
  /** The modules this thread runs (all of them on one thread; a share of them in a worker). */
  cores: readonly ModuleCore[];
  /**
   * The channel of an inbound link whose producer runs on another thread; it must deliver that
   * link's frame of tick t − 1 before runTick(t). Required when some producer is not local.
   */
  remote?: (link: LinkPlan) => Observable<LinkFrame>;
}

/**
 * Module actors on one thread, wired by RxJS channels (Observables; channel.ts): one Channel per link carries one
 * LinkFrame per tick, and each module's inputs are `lockstep([clock, ...inbound links])`.
 *
 * At tick t the clock channel emits t. Each module's clock branch first sends `emit(t)` — the
 * module pushes its frames of t − 1 into its outbound links — and then offers t to the module's
 * lockstep. When the clock and every inbound link of the module have delivered, lockstep emits
 * and the module gets `step(t, frames)` (both through its ticker: module-actor.ts). Because every module emits before it waits, whatever
 * order the modules run in, each lockstep completes within the same runTick(t): recurrent loops
 * (a self-link included) never deadlock, and each buffer holds at most one frame.
 */
export class ActorNetwork {
  readonly actors: ReadonlyMap<string, Actor<ModuleActorLogic>>;
  readonly spikes$: Observable<ModuleSpikeFrame>;
  private readonly clock = new Channel<number>();
  private readonly spikes = new Channel<ModuleSpikeFrame>();
  private readonly links = new Map<string, Channel<LinkFrame>>();
  private readonly subscriptions: { unsubscribe(): void }[] = [];
  private readonly local: readonly Actor<ModuleActorLogic>[];
  /** Each local actor's core: its engine's tick count is the module's. */
  private readonly cores = new Map<Actor<ModuleActorLogic>, ModuleCore>();
  private failure: ModuleFailedError | null = null;
  /** The tick being run, for failures reported by a channel. */
  private clockTick = -1;

  constructor(options: ActorNetworkOptions) {
    const { plan, cores } = options;
    this.spikes$ = this.spikes.asObservable();
    const localIds = new Set(cores.map((c) => c.plan.index));
    // One channel per link produced here; a link produced elsewhere comes from `remote`.
    for (const core of cores) for (const l of core.plan.outbound) if (localIds.has(l.to)) this.links.set(l.id, new Channel<LinkFrame>());
    const inlet = (l: LinkPlan): Observable<LinkFrame> => {
      const local = this.links.get(l.id);
      if (local) return local;
      if (!options.remote) throw new Error(`link '${l.id}' comes from module '${plan.modules[l.from]!.id}', which this thread does not run, and no remote channel was given`);
      return options.remote(l);
    };

    const actors = new Map<string, Actor<ModuleActorLogic>>();
    for (const core of cores) {
      const m = core.plan;
      const input = { core, outlets: m.outbound.map((l) => this.links.get(l.id) ?? null), spikes: this.spikes };
      const actor = createActor(moduleActorLogic(), { id: m.id, input });
      this.subscriptions.push(actor.subscribe({ error: (e) => this.fail(e as ModuleFailedError) }));
      actor.start();
      actors.set(m.id, actor);
      this.cores.set(actor, core);
      // Per tick the module's emit and step run through its ticker (module-actor.ts): no event
      // through xstate's mailbox, nothing allocated; lifecycle and commands stay events.
      const ticker = moduleTicker(actor, input);

      // Emitting on the clock branch, before the tick reaches lockstep, is what puts "emit t − 1"
      // ahead of "receive" for this module whatever the subscription order of the others.
      const inputs: LinkFrame[] = new Array<LinkFrame>(m.inbound.length);
      const tick$ = this.clock.pipe(tap((tick) => ticker.emit(tick)));
      const names = ['clock', ...m.inbound.map((l) => `link '${l.id}'`)];
      this.subscriptions.push(
        lockstep([tick$, ...m.inbound.map(inlet)] as [Observable<number>, ...Observable<LinkFrame>[]], { maxBuffered: 1, names, reuseTuple: true }).subscribe({
          next: (tuple) => {
            // The core reads the inputs within the step; the tuple is valid during this call only.
            for (let k = 0; k < inputs.length; k++) inputs[k] = tuple[k + 1] as LinkFrame;
            ticker.step(tuple[0], inputs);
          },
          error: (e: unknown) => this.fail(new ModuleFailedError(m.id, this.clockTick, (e as Error).message, { cause: e })),
        }),
      );
    }
    this.actors = actors;
    this.local = [...actors.values()];
  }

  /** The frames of one link produced on this thread, tick by tick. */
  link$(linkId: string): Observable<LinkFrame> {
    const s = this.links.get(linkId);
    if (!s) throw new Error(`no channel for link '${linkId}' on this thread; links: ${[...this.links.keys()].join(', ') || 'none'}`);
    return s.asObservable();
  }

  /** Send a lifecycle or command event to every local module (or one). */
  send(event: ModuleEvent, moduleId?: string): void {
    if (moduleId === undefined) {
      for (const a of this.local) a.send(event);
      return;
    }
    const actor = this.actors.get(moduleId);
    if (!actor) throw new Error(`module '${moduleId}' does not run on this thread; local modules: ${[...this.actors.keys()].join(', ')}`);
    actor.send(event);
  }

  /**
   * Run tick `tick` on every local module. Throws ModuleFailedError when a module failed, or when
   * one did not complete the tick (an input never arrived): a stall is an error, never a wait.
   */
  runTick(tick: number): void {
    if (this.failure) throw this.failure;
    this.clockTick = tick;
    this.clock.next(tick);
    if (this.failure) throw this.failure;
    for (let k = 0; k < this.local.length; k++) {
      const a = this.local[k]!;
      const done = this.cores.get(a)!.engine.tick;
      if (done !== tick + 1) {
        const s = a.getSnapshot();
        this.fail(new ModuleFailedError(s.module, tick, `did not complete tick ${tick} (phase ${s.phase}, ${done} ticks done): an inbound frame of tick ${tick - 1} never arrived`));
        throw this.failure!;
      }
    }
  }

  /** Stop every actor and channel. */
  stop(): void {
    for (const a of this.local) a.send({ type: 'stop' });
    for (const s of this.subscriptions) s.unsubscribe();
    this.clock.complete();
    this.spikes.complete();
  }

  private fail(e: ModuleFailedError): void {
    // Keep the first failure: later ones are usually its consequences.
    this.failure ??= e;
  }
}
