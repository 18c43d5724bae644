/** A Poisson source of a module. */
export interface SourceRef {
  module: string;
  source: string;
}

/** A rate added to some sources over the ticks [fromTick, untilTick). */
export interface RatePulse {
  sources: readonly SourceRef[];
  fromTick: number;
  untilTick: number;
  rateHz: number;
  /** Pulses can be cancelled by tag (a new cue replaces a running one). */
  tag?: string;
}

const key = (module: string, source: string): string => `${module}\u0000${source}`;

/**
 * Timed rate pulses onto Poisson sources, in simulated ticks (1 tick = 1 ms): at a tick, a
 * source's pulse rate is the sum of the pulses active on it. One scheduler for both ways inputs
 * are timed: a scenario session schedules its whole protocol ahead, the live server adds its
 * cue and reset pulses as clients ask for them. Rates need setting only at the ticks where a
 * pulse starts or ends (`changesAt`).
 */
export class PulseSchedule {
  private pulses: RatePulse[] = [];
  private readonly refs = new Map<string, SourceRef>();

  add(pulse: RatePulse): void {
    const { fromTick, untilTick, rateHz } = pulse;
    if (!(Number.isInteger(fromTick) && Number.isInteger(untilTick) && fromTick >= 0 && untilTick >= fromTick)) {
      throw new RangeError(`a pulse needs integer ticks 0 ≤ fromTick ≤ untilTick, got [${fromTick}, ${untilTick})`);
    }
    if (!(rateHz >= 0 && Number.isFinite(rateHz))) throw new RangeError(`a pulse's rate must be a finite number ≥ 0 Hz, got ${rateHz}`);
    this.pulses.push({ ...pulse, sources: [...pulse.sources] });
    for (const s of pulse.sources) this.refs.set(key(s.module, s.source), s);
  }

  /** Drop the pulses with this tag (running or future). */
  cancel(tag: string): void {
    this.pulses = this.pulses.filter((p) => p.tag !== tag);
  }

  clear(): void {
    this.pulses = [];
  }

  /** Drop the pulses that ended before `tick` (they can no longer change a rate). */
  prune(tick: number): void {
    let ended = false;
    for (const p of this.pulses) ended ||= p.untilTick < tick;
    if (ended) this.pulses = this.pulses.filter((p) => p.untilTick >= tick);
  }

  /** Every source a pulse was ever added for. */
  sources(): SourceRef[] {
    return [...this.refs.values()];
  }

  /** The summed rate of the pulses on `module`.`source` active at `tick` (Hz). */
  rateAt(module: string, source: string, tick: number): number {
    let hz = 0;
    for (const p of this.pulses) {
      if (tick < p.fromTick || tick >= p.untilTick) continue;
      for (const s of p.sources) if (s.module === module && s.source === source) hz += p.rateHz;
    }
    return hz;
  }

  /** Whether some pulse starts or ends at `tick` (a loop, not a closure: the live server asks every tick). */
  changesAt(tick: number): boolean {
    for (const p of this.pulses) if (p.fromTick !== p.untilTick && (p.fromTick === tick || p.untilTick === tick)) return true;
    return false;
  }
}
