/**
 * Population rates over a sliding window of ticks, from the spike counts of every tick: a ring of
 * `windowTicks` rows of per-population counts and their running sums. add() is O(populations) and
 * allocates nothing.
 *
 * @example
 * ```ts
 * const meter = new RateMeter([80, 80], 100);
 * meter.add(new Int32Array([3, 0]));   // one tick: 3 spikes in population 0
 * meter.hz(out);                        // out[0] = 3 / (80 × 0.001 s) = 37.5 Hz (one tick so far)
 * ```
 */
export class RateMeter {
  readonly windowTicks: number;
  private readonly sizes: Float64Array;
  private readonly ring: Int32Array;
  private readonly sums: Float64Array;
  private row = 0;
  private filled = 0;

  constructor(sizes: readonly number[], windowTicks: number) {
    if (!(Number.isInteger(windowTicks) && windowTicks >= 1)) throw new RangeError(`RateMeter: windowTicks must be an integer ≥ 1, got ${windowTicks}`);
    this.windowTicks = windowTicks;
    this.sizes = Float64Array.from(sizes);
    this.ring = new Int32Array(windowTicks * sizes.length);
    this.sums = new Float64Array(sizes.length);
  }

  /** One tick's spike counts per population (population order of the constructor). */
  add(counts: ArrayLike<number>): void {
    const n = this.sums.length;
    const base = this.row * n;
    for (let p = 0; p < n; p++) {
      const c = counts[p]!;
      this.sums[p]! += c - this.ring[base + p]!;
      this.ring[base + p] = c;
    }
    this.row = (this.row + 1) % this.windowTicks;
    if (this.filled < this.windowTicks) this.filled++;
  }

  /** Mean rate per neuron (Hz) of each population over the ticks in the window so far (1 tick = 1 ms). */
  hz(out: Float32Array): Float32Array {
    const seconds = Math.max(1, this.filled) / 1000;
    for (let p = 0; p < this.sums.length; p++) out[p] = this.sizes[p]! > 0 ? this.sums[p]! / (this.sizes[p]! * seconds) : 0;
    return out;
  }

  /** Rate of one population (Hz). */
  rate(p: number): number {
    return this.sizes[p]! > 0 ? this.sums[p]! / (this.sizes[p]! * (Math.max(1, this.filled) / 1000)) : 0;
  }

  clear(): void {
    this.ring.fill(0);
    this.sums.fill(0);
    this.row = 0;
    this.filled = 0;
  }
}
