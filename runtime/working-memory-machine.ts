import { Observable } from 'rxjs';
import { assign, createActor, setup } from 'xstate';
import { TICK_MS } from '../src/engine.ts';
import type { Network } from '../src/graph/network.ts';
import type { ModuleSpikeFrame } from './module-core.ts';

/**
 * The working-memory state machine, read out of population rates.
 *
 *   spikes$ ──stateRates()──▶ RateSample every everyMs (windowed rate of each state's pools)
 *           ──workingMemoryStates()──▶ { state, since, transition } on every state change
 *
 * States: 'idle', one per state label ('A', 'B', …), and 'mixed' (two or more states up, none
 * dominant: a failure of the competition, reported rather than hidden). The classification is
 * hysteretic (defaults in WM_THRESHOLDS):
 *   - state j qualifies when r_j ≥ onHz and r_j ≥ dominance × every other r;
 *   - the current state k holds while r_k ≥ offHz (offHz < onHz) and no other state qualifies;
 *   - two or more rates ≥ onHz with none dominant propose 'mixed'; all below offHz propose idle.
 * A proposal becomes the state once it has held for dwellMs (mixedDwellMs for 'mixed', longer,
 * because every switch passes briefly through two active pools). Timestamps: `transition.atMs`
 * is the first sample of the proposal that won (the network's own switch time), `detectedAtMs`
 * the sample at which the dwell was met (what a live viewer sees).
 */
export interface StateThresholds {
  onHz: number;
  offHz: number;
  dominance: number;
  dwellMs: number;
  mixedDwellMs: number;
}

/**
 * Defaults [I], for up-states of 35–40 Hz (50-ms windows of an 80-cell pool pair: 20–55 Hz) and
 * spontaneous pools below 2 Hz (scenarios/working-memory): onHz 15 Hz and offHz 8 Hz sit inside
 * that gap; a factor 2 of dominance and 25 ms of dwell ride out the overlap of two pools during a
 * switch.
 */
export const WM_THRESHOLDS: StateThresholds = { onHz: 15, offHz: 8, dominance: 2, dwellMs: 25, mixedDwellMs: 150 };

export const IDLE = 'idle';
export const MIXED = 'mixed';

/** Rates (Hz per neuron) of each state's pools, averaged over the window ending at timeMs. */
export interface RateSample {
  timeMs: number;
  rates: readonly number[];
}

export interface WmTransition {
  from: string;
  to: string;
  /** Simulated ms at which the rates first proposed `to` (without a break until it was accepted). */
  atMs: number;
  /** Simulated ms at which the dwell was met and the machine changed state. */
  detectedAtMs: number;
}

/** What the server and tests subscribe to: one event at start and one per state change. */
export interface WmStateEvent {
  state: string;
  /** Simulated ms since which the machine is in `state` (transition.atMs, or 0 at start). */
  since: number;
  /** The change that led here; null for the initial event. */
  transition: WmTransition | null;
}

/**
 * The proposal for one sample: a state label, IDLE or MIXED. Pure; `current` is the present state.
 *
 * @example
 * ```ts
 * classifyRates([120, 2], 'idle', ['A', 'B'], WM_THRESHOLDS); // 'A'
 * classifyRates([30, 2], 'A', ['A', 'B'], WM_THRESHOLDS);     // 'A' (held: 30 ≥ offHz)
 * classifyRates([30, 2], 'idle', ['A', 'B'], WM_THRESHOLDS);  // 'idle' (30 < onHz)
 * ```
 */
export function classifyRates(rates: readonly number[], current: string, labels: readonly string[], t: StateThresholds): string {
  let qualified = -1;
  let high = 0;
  for (let j = 0; j < rates.length; j++) {
    const r = rates[j]!;
    if (r >= t.onHz) high++;
    let dominant = r >= t.onHz;
    for (let i = 0; i < rates.length && dominant; i++) if (i !== j && r < t.dominance * rates[i]!) dominant = false;
    if (dominant) qualified = j;
  }
  if (qualified >= 0) return labels[qualified]!;
  const k = labels.indexOf(current);
  if (k >= 0 && rates[k]! >= t.offHz && high < 2) return current;
  if (high >= 2) return MIXED;
  if (current === MIXED && rates.filter((r) => r >= t.offHz).length >= 2) return MIXED;
  return IDLE;
}

interface MachineContext {
  labels: readonly string[];
  thresholds: StateThresholds;
  since: number;
  /** The running proposal and the time of its first sample. */
  pending: string;
  pendingSince: number;
  transition: WmTransition | null;
}

type MachineEvent = { type: 'RATES' } & RateSample;

/** The context after one sample: the proposal is tracked, its start kept while it lasts. */
function track(context: MachineContext, current: string, event: RateSample): Pick<MachineContext, 'pending' | 'pendingSince'> {
  const p = classifyRates(event.rates, current, context.labels, context.thresholds);
  if (p === context.pending) return { pending: p, pendingSince: context.pendingSince };
  return { pending: p, pendingSince: event.timeMs };
}

/**
 * The xstate v5 machine: one state node per machine state, each with a guarded RATES transition
 * to every other one. The guard tracks the proposal including the current sample, so the state
 * changes on the very sample that completes the dwell.
 */
export function workingMemoryMachine(options: { labels: readonly string[]; thresholds?: Partial<StateThresholds> }) {
  const labels = [...options.labels];
  for (const name of [IDLE, MIXED]) if (labels.includes(name)) throw new Error(`state label '${name}' is reserved; choose other labels than ${labels.join(', ')}`);
  if (new Set(labels).size !== labels.length || labels.length < 2) throw new Error(`state labels must be ≥ 2 distinct names, got ${JSON.stringify(labels)}`);
  const thresholds = { ...WM_THRESHOLDS, ...options.thresholds };
  if (!(thresholds.offHz < thresholds.onHz && thresholds.offHz >= 0)) throw new RangeError(`hysteresis needs 0 ≤ offHz < onHz, got offHz ${thresholds.offHz} Hz, onHz ${thresholds.onHz} Hz`);
  if (!(thresholds.dominance >= 1)) throw new RangeError(`dominance must be ≥ 1, got ${thresholds.dominance}`);
  const all = [IDLE, ...labels, MIXED];
  const dwell = (s: string): number => (s === MIXED ? thresholds.mixedDwellMs : thresholds.dwellMs);

  type Move = { from: string; to: string };
  const m = setup({
    types: {} as { context: MachineContext; events: MachineEvent },
    guards: {
      // The proposal, including this sample, is `to` and has held for its dwell.
      dwellMet: ({ context, event }, { from, to }: Move) => {
        const next = track(context, from, event);
        return next.pending === to && event.timeMs - next.pendingSince >= dwell(to);
      },
    },
    actions: {
      track: assign(({ context, event }, { from }: { from: string }) => track(context, from, event)),
      enter: assign(({ context, event }, { from, to }: Move) => {
        const { pendingSince } = track(context, from, event);
        return { since: pendingSince, pending: to, pendingSince, transition: { from, to, atMs: pendingSince, detectedAtMs: event.timeMs } };
      }),
    },
  });
  const node = (from: string) => ({
    on: {
      RATES: [
        ...all
          .filter((to) => to !== from)
          .map((to) => ({ target: to, guard: { type: 'dwellMet' as const, params: { from, to } }, actions: { type: 'enter' as const, params: { from, to } } })),
        { actions: { type: 'track' as const, params: { from } } },
      ],
    },
  });
  return m.createMachine({
    id: 'workingMemory',
    initial: IDLE,
    context: { labels, thresholds, since: 0, pending: IDLE, pendingSince: 0, transition: null },
    states: Object.fromEntries(all.map((s) => [s, node(s)])),
  });
}

/**
 * Feed rate samples to the machine; emits the initial state, then one event per state change.
 * Completes with the samples.
 *
 * @example
 * ```ts
 * const states$ = workingMemoryStates(stateRates(runner.spikes$, { network, groups: ids.statePools }), { labels: ['A', 'B'] });
 * states$.subscribe((e) => console.log(e.state, e.since, e.transition));
 * ```
 */
export function workingMemoryStates(samples$: Observable<RateSample>, options: { labels: readonly string[]; thresholds?: Partial<StateThresholds> }): Observable<WmStateEvent> {
  const machine = workingMemoryMachine(options);
  return new Observable<WmStateEvent>((subscriber) => {
    const actor = createActor(machine);
    let last: string | undefined;
    const watch = actor.subscribe((snap) => {
      const state = String(snap.value);
      if (state === last) return;
      last = state;
      subscriber.next({ state, since: snap.context.since, transition: snap.context.transition });
    });
    actor.start();
    const feed = samples$.subscribe({
      next: (s) => actor.send({ type: 'RATES', timeMs: s.timeMs, rates: s.rates }),
      error: (e) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => {
      feed.unsubscribe();
      watch.unsubscribe();
      actor.stop();
    };
  });
}

export interface StateRatesOptions {
  /** The network run by the runner: module count and population sizes. */
  network: Network;
  /** Per state, the populations whose pooled rate it is read from. */
  groups: readonly (readonly { module: string; population: string }[])[];
  /** Length of the rate window (default 50 ms). */
  windowMs?: number;
  /** A sample every this many ticks (default 5). */
  everyMs?: number;
}

/**
 * Windowed rates of groups of populations from a runner's spikes$ (Hz per neuron, pooled over
 * each group). A tick counts once every module's frame of it has arrived, whatever their order.
 * Before a full window has passed the rate is over the ticks seen so far.
 */
export function stateRates(spikes$: Observable<ModuleSpikeFrame>, options: StateRatesOptions): Observable<RateSample> {
  const windowTicks = Math.round((options.windowMs ?? 50) / TICK_MS);
  const every = Math.round((options.everyMs ?? 5) / TICK_MS);
  if (!(windowTicks >= 1 && every >= 1)) throw new RangeError(`windowMs and everyMs must be ≥ ${TICK_MS} ms`);
  const K = options.groups.length;
  const moduleCount = options.network.modules.length;
  // (module, population) → group; sizes from the network, so a typo fails here, not silently.
  const groupOf = new Map<string, number>();
  const sizes = new Float64Array(K);
  options.groups.forEach((g, k) => {
    for (const { module, population } of g) {
      const pop = options.network.modules.find((m) => m.id === module)?.graph.populations.find((p) => p.id === population);
      if (!pop) throw new Error(`stateRates: state ${k} reads '${module}'.'${population}', which is not a population of the network`);
      groupOf.set(`${module}\u0000${population}`, k);
      sizes[k]! += pop.size;
    }
  });
  return new Observable<RateSample>((subscriber) => {
    // Per-frame lookup: population index of each group member, resolved on first sight of a module.
    const index = new Map<string, Int32Array>();
    const ring = new Int32Array(windowTicks * K);
    const sums = new Float64Array(K);
    const current = new Int32Array(K);
    let tick = -1;
    let frames = 0;
    let completed = 0;
    const finish = (): void => {
      const slot = (tick % windowTicks) * K;
      for (let k = 0; k < K; k++) {
        sums[k]! += current[k]! - ring[slot + k]!;
        ring[slot + k] = current[k]!;
        current[k] = 0;
      }
      completed++;
      if ((tick + 1) % every === 0) {
        const span = Math.min(completed, windowTicks) * TICK_MS / 1000;
        const rates = Array.from(sums, (s, k) => s / sizes[k]! / span);
        subscriber.next({ timeMs: (tick + 1) * TICK_MS, rates });
      }
    };
    const sub = spikes$.subscribe({
      next: (f) => {
        if (f.tick !== tick) {
          if (tick >= 0 && frames < moduleCount) finish();
          tick = f.tick;
          frames = 0;
        }
        let map = index.get(f.module);
        if (!map) {
          map = Int32Array.from(f.populations, (p) => groupOf.get(`${f.module}\u0000${p}`) ?? -1);
          index.set(f.module, map);
        }
        for (let p = 0; p < map.length; p++) if (map[p]! >= 0) current[map[p]!]! += f.counts[p]!;
        if (++frames === moduleCount) finish();
      },
      error: (e) => subscriber.error(e),
      complete: () => subscriber.complete(),
    });
    return () => sub.unsubscribe();
  });
}
