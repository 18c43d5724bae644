/**
 * A set of cores ticking together (a chip, or several tiled chips): 1 tick = 1 ms.
 *
 * Per tick t, step():
 *   reads   each core's schedule slot t & 15, configuration, destinations
 *   writes  each core's state; schedule slots (t + d) & 15 of destination cores; fired[0..firedCount)
 *   1. every core runs its tick t (core.ts), in index order;
 *   2. each spike of neuron j is written, as it is collected, into the schedule of its destination
 *      core for tick t + d, d = its delay ∈ [1, 15].
 * Because every delay is ≥ 1 tick, no spike made at tick t is consumed at tick t: the cores of one
 * tick are independent, their order cannot change the result, and recurrent loops (a core feeding
 * itself) cannot deadlock. This is the one-tick link delay of the tick protocol (docs/reference/architecture.md).
 * Several spikes reaching one axon in one tick merge into one (the schedule is a bitset), as on the
 * chip, where an axon either spikes in a tick or not.
 */
import { Core, DELAY_MAX, NEURONS, SLOTS, WORDS } from './core.ts';
import { TrueNorthError } from './errors.ts';
import { coreSeed } from './prng.ts';

export class Network {
  readonly cores: readonly Core[];
  /** Index of the next tick step() will run (ticks completed since construction or reset). */
  tick = 0;
  /** Global ids (core·256 + neuron) of the neurons that fired in the last step, ascending. */
  readonly fired: Int32Array;
  firedCount = 0;
  /** Every core's schedule, core c at c·SLOTS·WORDS: routing writes here without touching the
   *  destination Core object (one cache line per spike instead of several). */
  private readonly schedules: Uint32Array;

  /** `coreCount` fresh cores (all neurons inert); core c is seeded with coreSeed(seed, c). */
  constructor(options: { coreCount: number; seed: number }) {
    const { coreCount, seed } = options;
    if (!Number.isInteger(coreCount) || coreCount < 1) {
      throw new TrueNorthError('TN_CONFIG_INVALID', [{ where: 'network', field: 'coreCount', rule: 'range', message: `must be an integer ≥ 1, got ${coreCount}` }]);
    }
    const cores: Core[] = [];
    const block = SLOTS * WORDS;
    this.schedules = new Uint32Array(coreCount * block);
    for (let c = 0; c < coreCount; c++) cores.push(new Core({ seed: coreSeed(seed, c), schedule: this.schedules.subarray(c * block, (c + 1) * block) }));
    this.cores = cores;
    this.fired = new Int32Array(coreCount * NEURONS);
  }

  /**
   * Makes axon `axon` of core `core` spike at tick this.tick + delayTicks (0 = in the next step),
   * e.g. for external input. delayTicks ∈ [0, 15].
   */
  inject(core: number, axon: number, delayTicks = 0): void {
    const c = this.cores[core];
    if (c === undefined) throw rangeError('inject', 'core', `must be a core index in [0, ${this.cores.length - 1}], got ${core}`);
    if (!Number.isInteger(axon) || axon < 0 || axon > 255) throw rangeError('inject', 'axon', `must be an integer in [0, 255], got ${axon}`);
    if (!Number.isInteger(delayTicks) || delayTicks < 0 || delayTicks > DELAY_MAX) {
      throw rangeError('inject', 'delayTicks', `must be an integer in [0, ${DELAY_MAX}], got ${delayTicks}`);
    }
    c.deliver(axon, this.tick + delayTicks);
  }

  /** Runs one tick; returns the number of spikes (global ids in `fired`). */
  step(): number {
    const t = this.tick;
    const cores = this.cores;
    const fired = this.fired;
    const schedules = this.schedules;
    const nCores = cores.length;
    let n = 0;
    for (let c = 0; c < cores.length; c++) {
      const core = cores[c]!;
      const k = core.step(t);
      if (k === 0) continue;
      const local = core.fired;
      const route = core.route;
      const base = c * NEURONS;
      for (let i = 0; i < k; i++) {
        const j = local[i]!;
        fired[n++] = base + j;
        const r = route[j]!;
        if (r < 0) continue;
        const dc = r >>> 12;
        if (dc >= nCores) {
          throw rangeError(`core ${c} neuron ${j}`, 'destination.core', `is ${core.destCore[j]}, but the network has ${nCores} cores (0..${nCores - 1})`);
        }
        // SLOTS·WORDS = 128 words per core
        schedules[(dc << 7) + (((t + (r >>> 8)) & 15) << 3) + ((r & 255) >>> 5)]! |= 1 << (r & 31);
      }
    }
    this.firedCount = n;
    this.tick = t + 1;
    return n;
  }

  /** Runs `ticks` ticks; returns the total number of spikes. */
  run(ticks: number): number {
    let total = 0;
    for (let i = 0; i < ticks; i++) total += this.step();
    return total;
  }

  /** Total synaptic events (active axon × crossbar bit) since construction or reset. */
  get synapticEvents(): number {
    let s = 0;
    for (const c of this.cores) s += c.synapticEvents;
    return s;
  }

  /** Every core back to its initial state, tick back to 0. */
  reset(): void {
    for (const c of this.cores) c.reset();
    this.tick = 0;
    this.firedCount = 0;
  }
}

function rangeError(where: string, field: string, message: string): TrueNorthError {
  return new TrueNorthError('TN_CONFIG_INVALID', [{ where, field, rule: 'range', message }]);
}
