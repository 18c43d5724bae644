import type { PoissonSource, SpikeSource } from '../../src/graph/types.ts';
import type { Millisecond } from '../../src/units.ts';

/**
 * What both adapters do alike with a graph's spike stimuli; only how a Poisson rate becomes spikes
 * differs (the conductance engine draws per integration step, TrueNorth per tick on its host), each
 * from the stimulus' own random stream (src/random-streams.ts, `source:<id>`).
 */

/** A Poisson stimulus' rate over time: the graph's rate, its schedule of changes, setRate from outside. */
export class PoissonRate {
  rateHz: number;
  private schedule: { atMs: Millisecond; v: number }[];
  private next = 0;

  constructor(private readonly stimulus: PoissonSource) {
    this.rateHz = stimulus.rateHz;
    this.schedule = copySchedule(stimulus);
  }

  /** Apply every scheduled change due at or before tMs. */
  advanceTo(tMs: Millisecond): void {
    const s = this.schedule;
    while (this.next < s.length && s[this.next]!.atMs <= tMs) this.rateHz = s[this.next++]!.v;
  }

  /** An explicit rate from outside: it wins over the changes still pending in the schedule. */
  set(rateHz: number): void {
    if (!(rateHz >= 0) || !Number.isFinite(rateHz)) throw new RangeError(`setRate('${this.stimulus.id}'): rate must be a finite number ≥ 0 Hz, got ${rateHz}`);
    this.rateHz = rateHz;
    this.schedule.length = this.next;
  }

  /** Back to the graph's rate and schedule. */
  reset(): void {
    this.rateHz = this.stimulus.rateHz;
    this.schedule = copySchedule(this.stimulus);
    this.next = 0;
  }
}

function copySchedule(s: PoissonSource): { atMs: Millisecond; v: number }[] {
  return (s.schedule ?? []).map((e) => ({ atMs: e.atMs, v: e.v }));
}

/** A 'spikes' stimulus' replay list, sorted by time and cut into the engine's steps. */
export class SpikeReplay {
  private readonly steps: Float64Array;
  private readonly indices: Int32Array;
  private next = 0;

  /** `stepOf` maps a spike time (ms, ≥ 0 by validation) to the engine step that carries it. */
  constructor(stimulus: SpikeSource, stepOf: (tMs: Millisecond) => number) {
    const times = stimulus.timesMs ?? [];
    const idx = stimulus.indices ?? [];
    const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
    this.steps = Float64Array.from(order, (i) => stepOf(times[i]!));
    this.indices = Int32Array.from(order, (i) => idx[i]!);
  }

  get length(): number {
    return this.steps.length;
  }

  /** Writes the indices of every replayed spike due at or before `step` into out from `at`; returns the new end. */
  drainInto(step: number, out: Int32Array, at: number): number {
    let n = at;
    while (this.next < this.steps.length && this.steps[this.next]! <= step) out[n++] = this.indices[this.next++]!;
    return n;
  }

  reset(): void {
    this.next = 0;
  }
}

/** The Poisson sources of a graph by id, for setRate's error message. */
export function notAPoissonSource(id: string, poissonIds: readonly string[]): Error {
  return new Error(`setRate: '${id}' is not a Poisson source of this graph (Poisson sources: ${poissonIds.join(', ') || 'none'})`);
}
