import type { Engine, SpikeFrame, SpikeInput } from '../src/engine.ts';
import { mapToPorts } from './link-connectivity.ts';
import type { ModulePlan } from './plan.ts';

/**
 * One tick's spikes on one link: the presynaptic neuron indices (of the link's population) that
 * spiked during the producer's tick `tick`. The producer owns the buffer and alternates two per
 * link, so a frame stays valid until the producer has stepped twice more — long enough for the
 * lockstep protocol, in which every consumer uses it during the very next tick.
 */
export interface LinkFrame {
  readonly link: string;
  tick: number;
  /** Valid entries of `indices`. */
  count: number;
  readonly indices: Int32Array;
}

/**
 * One module's spikes of one tick, per population in graph order (the engine's SpikeFrame plus
 * the module id). Its arrays belong to the runtime and are overwritten by the next tick: copy
 * what you keep.
 */
export interface ModuleSpikeFrame extends SpikeFrame {
  readonly module: string;
}

interface MutableSpikes {
  module: string;
  tick: number;
  populations: readonly string[];
  counts: Int32Array;
  indices: readonly Int32Array[];
}

/** A SpikeInput whose buffer the core reuses from tick to tick. */
interface PortInput extends SpikeInput {
  indices: Int32Array;
  count: number;
}

/**
 * The per-tick work of one module, apart from any actor or channel: translate the inbound link
 * frames into port spikes, step the engine, copy the linked populations' spikes out of the
 * engine's reused buffers into this module's outbound link frames. Everything is allocated here,
 * once; step() allocates nothing unless a port buffer has to grow.
 *
 * Per step it reads: the inbound frames of tick − 1 and queued external spikes.
 * It writes: the engine state (one tick), the outbound frames of `tick`, the spike frame.
 */
export class ModuleCore {
  readonly plan: ModulePlan;
  readonly engine: Engine;
  /** The latest tick's spikes (see ModuleSpikeFrame). */
  readonly spikes: ModuleSpikeFrame;
  /** Outbound frames by parity of the tick that produced them: out[tick & 1][k]. */
  private readonly out: [LinkFrame[], LinkFrame[]];
  /** Inbound port inputs first, then one external input per 'spikes' source; passed to step(). */
  private readonly stepInputs: PortInput[];
  /** External spikes queued for the next step, per 'spikes' source, with the source's size. */
  private readonly external = new Map<string, { input: PortInput; size: number }>();

  constructor(plan: ModulePlan, engine: Engine) {
    this.plan = plan;
    this.engine = engine;
    const frames = (tick: number): LinkFrame[] =>
      plan.outbound.map((l) => ({ link: l.id, tick, count: 0, indices: new Int32Array(l.capacity) }));
    // Parity 1 doubles as the frames of tick −1: empty, what every module emits at tick 0.
    this.out = [frames(-2), frames(-1)];
    // Room for 16 presynaptic spikes per link to start with; a busier tick grows it once.
    this.stepInputs = plan.inbound.map((l) => ({ source: l.port, count: 0, indices: new Int32Array(Math.max(1, l.map.maxFanOut * 16)) }));
    for (const s of plan.graph.stimuli) {
      if (s.kind !== 'spikes') continue;
      const input: PortInput = { source: s.id, count: 0, indices: new Int32Array(s.size) };
      this.external.set(s.id, { input, size: s.size });
      this.stepInputs.push(input);
    }
    const spikes: MutableSpikes = { module: plan.id, tick: -1, populations: plan.populations, counts: new Int32Array(plan.populations.length), indices: plan.populationSizes.map(() => new Int32Array(0)) };
    this.spikes = spikes;
  }

  /** The outbound frames produced by the step of `tick` (tick −1: empty frames before the first step). */
  produced(tick: number): readonly LinkFrame[] {
    return this.out[tick & 1]!;
  }

  /**
   * Advance the engine from `tick` to `tick + 1`, given one frame of tick − 1 per inbound link
   * (plan order). Throws on a broken protocol (wrong tick or link), an overflowing buffer or an
   * engine error; the caller turns that into the module's failure.
   */
  step(tick: number, inbound: readonly LinkFrame[]): ModuleSpikeFrame {
    const plan = this.plan;
    if (this.engine.tick !== tick) throw new Error(`its engine is at tick ${this.engine.tick} but was asked to run tick ${tick}`);
    if (inbound.length !== plan.inbound.length) throw new Error(`got ${inbound.length} inbound frames for ${plan.inbound.length} inbound links`);
    for (let k = 0; k < inbound.length; k++) {
      const frame = inbound[k]!;
      const link = plan.inbound[k]!;
      // The one-tick link delay of the tick protocol: the frames of tick − 1, never older or newer.
      if (frame.link !== link.id || frame.tick !== tick - 1) {
        throw new Error(`inbound link '${link.id}' delivered ${frame.link === link.id ? '' : `a frame of link '${frame.link}' `}from tick ${frame.tick} at tick ${tick}; expected tick ${tick - 1} (lockstep broken)`);
      }
      const input = this.stepInputs[k]!;
      const need = frame.count * link.map.maxFanOut;
      if (need > input.indices.length) input.indices = new Int32Array(Math.max(need, 2 * input.indices.length));
      input.count = mapToPorts(link.map, frame.indices, frame.count, input.indices);
    }

    const frame = this.engine.step(this.stepInputs);
    for (let k = inbound.length; k < this.stepInputs.length; k++) this.stepInputs[k]!.count = 0;
    if (frame.tick !== tick) throw new Error(`its engine returned the frame of tick ${frame.tick} for tick ${tick}`);

    const outs = this.out[tick & 1]!;
    for (let k = 0; k < outs.length; k++) {
      const link = plan.outbound[k]!;
      const out = outs[k]!;
      const p = link.fromPopulation;
      const count = frame.counts[p]!;
      if (count > out.indices.length) {
        throw new Error(`population '${plan.populations[p]}' spiked ${count} times in one tick, more than link '${link.id}' holds (${out.indices.length}); raise maxSpikesPerNeuronPerTick`);
      }
      // Copy out of the engine's buffer, which its next step overwrites; plain loop, no views.
      const src = frame.indices[p]!;
      const dst = out.indices;
      for (let i = 0; i < count; i++) dst[i] = src[i]!;
      out.count = count;
      out.tick = tick;
    }

    const spikes = this.spikes as MutableSpikes;
    spikes.tick = frame.tick;
    spikes.counts = frame.counts;
    spikes.indices = frame.indices;
    return this.spikes;
  }

  /** Queue spikes for a 'spikes' source of this module; they enter at the next step. */
  inject(source: string, indices: ArrayLike<number>): void {
    const queued = this.external.get(source);
    if (!queued) {
      throw new Error(`module '${this.plan.id}' has no 'spikes' source '${source}'; its sources: ${[...this.external.keys()].join(', ') || 'none'}`);
    }
    const { input, size } = queued;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      if (!(Number.isInteger(i) && i >= 0 && i < size)) throw new RangeError(`spike index ${i} is outside [0, ${size}) of source '${source}' of module '${this.plan.id}'`);
    }
    if (input.count + indices.length > input.indices.length) {
      const grown = new Int32Array(Math.max(input.count + indices.length, 2 * input.indices.length));
      grown.set(input.indices.subarray(0, input.count));
      input.indices = grown;
    }
    for (let k = 0; k < indices.length; k++) input.indices[input.count++] = indices[k]!;
  }
}
