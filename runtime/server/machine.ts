import { BehaviorSubject, type Observable } from 'rxjs';
import type { MachineSpec } from './protocol.ts';

/**
 * What the server needs of a working-memory state machine: its declaration (states and edges,
 * sent in welcome) and a stream of state events. The issue-4 machine (an xstate actor observing
 * the population rates) will plug in here; until it exists, RateThresholdMachine below stands in.
 */
export interface MachineEvent {
  state: string;
  /** Simulated ms at which `state` was entered. */
  since: number;
  /** The edge taken, or null for the initial state. */
  transition: { from: string; to: string; input: string } | null;
}

export interface MachineSource {
  readonly spec: MachineSpec;
  /** Replays the current state to each new subscriber, then every change. */
  readonly events$: Observable<MachineEvent>;
  /** Release what the machine holds (subscriptions, actors) when its run ends. */
  dispose(): void;
}

/** What a machine may observe of one run. */
export interface MachineContext {
  /** Once per tick: the mean rate (Hz) of each pool over the rate window, averaged over the modules. */
  readonly poolHz$: Observable<{ tick: number; hz: Float32Array }>;
}

/** Makes the machine of a run; the server calls it at every start. */
export type MachineFactory = (context: MachineContext) => MachineSource;

/** The provisional machine below, fed by the pool rates of the run. */
export const provisionalMachine: MachineFactory = (context) => {
  const machine = new RateThresholdMachine();
  const sub = context.poolHz$.subscribe(({ tick, hz }) => machine.observe(tick, hz));
  return { spec: machine.spec, events$: machine.events$, dispose: () => sub.unsubscribe() };
};

export interface RateThresholdOptions {
  /** A pool above this rate (Hz) for `dwellTicks` ticks puts the machine in 'hold'. */
  onHz?: number;
  /** Every pool below this rate for `dwellTicks` ticks puts it back in 'rest'. */
  offHz?: number;
  dwellTicks?: number;
}

export const RATE_THRESHOLD_DEFAULTS = { onHz: 40, offHz: 10, dwellTicks: 50 } as const;

/**
 * PROVISIONAL (PROTOCOL.md §5.4): a two-state display driven by pool rates, not the issue-4
 * working-memory machine. 'hold' once some pool has stayed above onHz for dwellTicks ticks;
 * 'rest' once every pool has stayed below offHz as long. Between the two thresholds nothing
 * changes (hysteresis), so noise near one threshold cannot make the display flicker.
 */
export class RateThresholdMachine {
  readonly spec: MachineSpec;
  readonly events$: Observable<MachineEvent>;
  private readonly subject: BehaviorSubject<MachineEvent>;
  private readonly o: Required<RateThresholdOptions>;
  /** Consecutive ticks that argued for the other state. */
  private streak = 0;

  constructor(options: RateThresholdOptions = {}) {
    this.o = { ...RATE_THRESHOLD_DEFAULTS, ...options };
    if (!(this.o.offHz < this.o.onHz)) throw new RangeError(`RateThresholdMachine: offHz (${this.o.offHz}) must be below onHz (${this.o.onHz})`);
    this.spec = {
      states: ['rest', 'hold'],
      initial: 'rest',
      transitions: [
        { from: 'rest', to: 'hold', input: 'cue' },
        { from: 'hold', to: 'rest', input: 'reset' },
      ],
      provisional: true,
      description:
        `provisional rate-threshold display (the issue-4 machine is not written yet): 'hold' when a pool, averaged over the modules, ` +
        `stays above ${this.o.onHz} Hz for ${this.o.dwellTicks} ms; 'rest' when every pool stays below ${this.o.offHz} Hz as long`,
    };
    this.subject = new BehaviorSubject<MachineEvent>({ state: 'rest', since: 0, transition: null });
    this.events$ = this.subject.asObservable();
  }

  get current(): MachineEvent {
    return this.subject.value;
  }

  /** One tick's pool rates (Hz). */
  observe(tick: number, poolHz: ArrayLike<number>): void {
    let max = 0;
    for (let k = 0; k < poolHz.length; k++) max = Math.max(max, poolHz[k]!);
    const holding = this.subject.value.state === 'hold';
    const argues = holding ? max < this.o.offHz : max > this.o.onHz;
    this.streak = argues ? this.streak + 1 : 0;
    if (this.streak < this.o.dwellTicks) return;
    this.streak = 0;
    const from = this.subject.value.state;
    const to = holding ? 'rest' : 'hold';
    // The state was entered when the evidence began, dwellTicks ago (tick t covers [t, t+1) ms).
    this.subject.next({ state: to, since: tick + 1 - this.o.dwellTicks, transition: { from, to, input: holding ? 'reset' : 'cue' } });
  }
}
