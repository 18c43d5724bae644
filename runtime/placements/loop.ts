import { Subject, type Observable } from 'rxjs';
import type { Engine, SpikeFrame, SpikeInput } from '../../src/engine.ts';
import type { Network } from '../../src/graph/network.ts';
import { DEFAULT_ADAPTER, loadAdapter } from '../adapter.ts';
import { ModuleFailedError, reasonOf } from '../errors.ts';
import { mapToPorts } from '../link-connectivity.ts';
import type { ModuleSpikeFrame } from '../module-core.ts';
import { planNetwork, type NetworkPlan } from '../plan.ts';
import { checkInject, checkSetRate, expectPhase, type NetworkRunner, type RunnerOptions, type RunnerPhase } from '../runner.ts';

interface Input extends SpikeInput {
  indices: Int32Array;
  count: number;
}

/**
 * The reference runner: one plain loop over the modules, no actors, no channels. It keeps two
 * buffers per link — the frames of tick t − 1 that every module reads during tick t, and the
 * frames of tick t being written — and swaps them after the tick. Same tick protocol, written
 * out as directly as possible, so the actor and worker placements can be checked against it.
 */
export class LoopRunner implements NetworkRunner {
  readonly placement = 'loop';
  readonly plan: NetworkPlan;
  readonly spikes$: Observable<ModuleSpikeFrame>;
  private readonly spikes = new Subject<ModuleSpikeFrame>();
  private readonly engines: Engine[];
  /** Per link: presynaptic indices and counts of the previous tick and of this one. */
  private prev: { indices: Int32Array; count: number }[];
  private cur: { indices: Int32Array; count: number }[];
  /** Per module: one input per inbound link, then one per 'spikes' source for inject(). */
  private readonly inputs: Input[][];
  private readonly frames: { module: string; tick: number; populations: readonly string[]; counts: Int32Array; indices: readonly Int32Array[] }[];
  private ticks = 0;
  private state: RunnerPhase = 'idle';
  /** Commands wait here for the next tick, wherever they come from (a spike subscriber mid-tick too). */
  private readonly pending: (() => void)[] = [];

  private constructor(plan: NetworkPlan, engines: Engine[]) {
    this.plan = plan;
    this.engines = engines;
    this.spikes$ = this.spikes.asObservable();
    const buffers = (): { indices: Int32Array; count: number }[] => plan.links.map((l) => ({ indices: new Int32Array(l.capacity), count: 0 }));
    this.prev = buffers();
    this.cur = buffers();
    this.inputs = plan.modules.map((m) => [
      ...m.inbound.map((l) => ({ source: l.port, indices: new Int32Array(l.capacity * l.map.maxFanOut), count: 0 })),
      ...m.graph.stimuli.flatMap((s) => (s.kind === 'spikes' ? [{ source: s.id, indices: new Int32Array(0), count: 0 }] : [])),
    ]);
    this.frames = plan.modules.map((m) => ({ module: m.id, tick: -1, populations: m.populations, counts: new Int32Array(0), indices: [] }));
  }

  static async create(network: Network, options: RunnerOptions): Promise<LoopRunner> {
    const plan = planNetwork(network, options.seed, options);
    const compile = await loadAdapter(options.adapter ?? DEFAULT_ADAPTER);
    return new LoopRunner(plan, plan.modules.map((m) => compile(m.graph, m.seed)));
  }

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
    for (const apply of this.pending) apply();
    this.pending.length = 0;
    const t = this.ticks;
    const modules = this.plan.modules;
    for (let m = 0; m < modules.length; m++) {
      const mod = modules[m]!;
      const inputs = this.inputs[m]!;
      // Inbound: the link frames of t − 1, through each link's map onto the port.
      for (let k = 0; k < mod.inbound.length; k++) {
        const link = mod.inbound[k]!;
        const src = this.prev[link.index]!;
        inputs[k]!.count = mapToPorts(link.map, src.indices, src.count, inputs[k]!.indices);
      }
      let frame: SpikeFrame;
      try {
        frame = this.engines[m]!.step(inputs);
      } catch (e) {
        this.state = 'failed';
        throw new ModuleFailedError(mod.id, t, reasonOf(e), { cause: e });
      }
      for (let k = mod.inbound.length; k < inputs.length; k++) inputs[k]!.count = 0;
      // Outbound: copy the linked populations' spikes of t; read by the consumers at t + 1.
      for (const link of mod.outbound) {
        const dst = this.cur[link.index]!;
        const count = frame.counts[link.fromPopulation]!;
        if (count > dst.indices.length) {
          this.state = 'failed';
          throw new ModuleFailedError(mod.id, t, `population '${mod.populations[link.fromPopulation]}' spiked ${count} times in one tick, more than link '${link.id}' holds (${dst.indices.length}); raise maxSpikesPerNeuronPerTick`);
        }
        const src = frame.indices[link.fromPopulation]!;
        for (let i = 0; i < count; i++) dst.indices[i] = src[i]!;
        dst.count = count;
      }
      const out = this.frames[m]!;
      out.tick = frame.tick;
      out.counts = frame.counts;
      out.indices = frame.indices;
      this.spikes.next(out);
    }
    // Every module has read t − 1: the frames of t become the ones to read at t + 1.
    [this.prev, this.cur] = [this.cur, this.prev];
    this.ticks++;
  }

  pause(): void {
    expectPhase(this, 'pause', 'running');
    this.state = 'paused';
  }

  resume(): void {
    expectPhase(this, 'resume', 'paused');
    this.state = 'running';
  }

  setRate(module: string, stimulus: string, rateHz: number): void {
    const engine = this.engines[checkSetRate(this.plan, module, stimulus, rateHz)]!;
    this.pending.push(() => engine.setRate(stimulus, rateHz));
  }

  inject(module: string, source: string, indices: ArrayLike<number>): void {
    const m = checkInject(this.plan, module, source, indices);
    const input = this.inputs[m]!.find((x, k) => k >= this.plan.modules[m]!.inbound.length && x.source === source)!;
    const copy = Array.from(indices);
    this.pending.push(() => {
      const grown = new Int32Array(input.count + copy.length);
      grown.set(input.indices.subarray(0, input.count));
      grown.set(copy, input.count);
      input.indices = grown;
      input.count = grown.length;
    });
  }

  async close(): Promise<void> {
    this.state = 'closed';
    this.spikes.complete();
  }
}
