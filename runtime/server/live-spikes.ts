import type { PopulationInfo } from './protocol.ts';
import { RateMeter } from './rates.ts';

/** One tick's spikes of every population (welcome order). Buffers are reused: read them synchronously. */
export interface TickSpikes {
  tick: number;
  counts: Int32Array;
  /** indices[p] holds counts[p] valid population-local indices. */
  indices: Int32Array[];
}

/**
 * The live network's spikes tick by tick: every module's frame copied into one TickSpikes (the
 * engines reuse their own buffers), and the population rates over a sliding window of ticks.
 * Allocation-free per tick, except when a population fires more spikes than its buffer holds.
 */
export class TickCollector {
  readonly spikes: TickSpikes;
  private readonly meter: RateMeter;
  private readonly ratesOut: Float32Array;

  constructor(
    populations: readonly PopulationInfo[],
    /** Per module: the global index of its first population. */
    private readonly popOffset: ReadonlyMap<string, number>,
    rateWindowTicks: number,
  ) {
    this.spikes = { tick: -1, counts: new Int32Array(populations.length), indices: populations.map((p) => new Int32Array(Math.max(16, p.size))) };
    this.meter = new RateMeter(populations.map((p) => p.size), rateWindowTicks);
    this.ratesOut = new Float32Array(populations.length);
  }

  /** A new run: no spikes, an empty rate window. */
  clear(): void {
    this.meter.clear();
    this.spikes.counts.fill(0);
  }

  /** Copy one module's frame into the tick's buffers. */
  collect(module: string, counts: Int32Array, indices: readonly Int32Array[]): void {
    const offset = this.popOffset.get(module);
    if (offset === undefined) return;
    const s = this.spikes;
    for (let p = 0; p < counts.length; p++) {
      const g = offset + p;
      const c = counts[p]!;
      let dst = s.indices[g]!;
      if (c > dst.length) dst = s.indices[g] = new Int32Array(Math.max(c, 2 * dst.length));
      const src = indices[p]!;
      for (let i = 0; i < c; i++) dst[i] = src[i]!;
      s.counts[g] = c;
    }
  }

  /** Every module's frame of tick `tick` is in: stamp it and move the rate window. */
  close(tick: number): TickSpikes {
    this.spikes.tick = tick;
    this.meter.add(this.spikes.counts);
    return this.spikes;
  }

  /** Mean rate per neuron (Hz) of every population over the window; the buffer is reused. */
  ratesHz(): Float32Array {
    return this.meter.hz(this.ratesOut);
  }

  /** Ready for the next tick's frames. */
  next(): void {
    this.spikes.counts.fill(0);
  }
}
