import { createRunner, type AdapterRef, type Placement } from '../../runtime/index.ts';
import { PulseSchedule } from '../../runtime/pulse-schedule.ts';
import {
  IDLE, stateRates, workingMemoryStates,
  type RateSample, type StateThresholds, type WmStateEvent,
} from '../../runtime/working-memory-machine.ts';
import type { CellClass } from '../../src/celltypes/l23.ts';
import { CELL_CLASSES } from '../../src/celltypes/l23.ts';
import { SWTA_DEFAULTS, type ClassBackground } from '../../src/motifs/swta-module.ts';
import { WM_DEFAULTS, WM_MISMATCH, WM_PULSES, workingMemoryNetwork, type WorkingMemoryNetwork, type WorkingMemoryOptions } from '../../src/motifs/working-memory.ts';

/**
 * One run of the working-memory network through the runtime: build the network for a seed,
 * apply timed inputs (cues, "go" symbols, resets) with runner.setRate, and record the state
 * machine's events and the pooled rates. Shared by the built-in protocol and by user scripts.
 */

/** The motif's input pulses (src/motifs/working-memory.ts). */
export const WM_INPUTS = WM_PULSES;

/**
 * Variability of every run: the motif's 10 % mismatch (WM_MISMATCH). The background is the modules' own balanced
 * per-neuron background; `backgroundHz` is the event rate of each of its aggregate processes
 * (default 1000 Hz, the module's; the conductance per event is unchanged).
 */
export interface Variability {
  vTSdMv: number;
  gLCv: number;
  weightCv: number;
  backgroundHz: number;
}

export const WM_VARIABILITY: Readonly<Variability> = { ...WM_MISMATCH, backgroundHz: 1000 };

export type InputKind = 'cue' | 'go' | 'reset';

export interface TimedInput {
  kind: InputKind;
  /** Target state index (cue and go). */
  state?: number;
  atMs: number;
  durationMs: number;
  rateHz: number;
}

export interface SessionOptions {
  seed: number;
  placement?: Placement;
  /** Network options over the defaults (mismatch and background come from `variability`). */
  network?: WorkingMemoryOptions;
  variability?: Partial<Variability>;
  thresholds?: Partial<StateThresholds>;
  /** State labels (default 'A', 'B', …). */
  labels?: string[];
  /** Adapter that compiles the modules (default: the registry's default backend, adapters/registry.ts). */
  adapter?: AdapterRef;
}

export interface SessionRecord {
  labels: string[];
  durationMs: number;
  /** Machine events, in order; the first is the initial idle state. */
  events: WmStateEvent[];
  /** The machine's rate samples (every 5 ms, 50-ms window), per state. */
  samples: RateSample[];
  /** The control module's pool rates (every 5 ms, 20-ms window), or empty without a control. */
  control: RateSample[];
  network: WorkingMemoryNetwork;
}

export function stateLabels(pools: number): string[] {
  return Array.from({ length: pools }, (_, k) => String.fromCharCode(65 + k));
}

/** The network of a session: defaults, then the variability, then explicit network options. */
export function sessionNetwork(o: Omit<SessionOptions, 'seed'>): WorkingMemoryNetwork {
  const v = { ...WM_VARIABILITY, ...o.variability };
  const n = o.network ?? {};
  const module = { ...WM_DEFAULTS.module, ...n.module };
  return workingMemoryNetwork({
    ...n,
    weightCv: n.weightCv ?? v.weightCv,
    module: {
      mismatch: { vTSdMv: v.vTSdMv, gLCv: v.gLCv },
      ...module,
      ...(module.background === false ? {} : { background: backgroundAt(module.background, v.backgroundHz) }),
    },
  });
}

/** Every class's background (module defaults under `overrides`) with its processes at `rateHz`. */
function backgroundAt(overrides: Partial<Record<CellClass, ClassBackground>> | undefined, rateHz: number): Record<CellClass, ClassBackground> {
  if (!(rateHz >= 0 && Number.isFinite(rateHz))) throw new RangeError(`backgroundHz must be a finite rate ≥ 0, got ${rateHz}`);
  const out = {} as Record<CellClass, ClassBackground>;
  for (const c of CELL_CLASSES) {
    const b = { ...SWTA_DEFAULTS.background[c], ...overrides?.[c] };
    out[c] = { excitation: { ...b.excitation, rateHz }, inhibition: { ...b.inhibition, rateHz } };
  }
  return out;
}

/** Run `durationMs` of simulated time with the given inputs; resolves with the record. */
export async function runSession(o: SessionOptions, inputs: readonly TimedInput[], durationMs: number): Promise<SessionRecord> {
  const wm = sessionNetwork(o);
  const { network, ids } = wm;
  const K = ids.statePools.length;
  const labels = o.labels ?? stateLabels(K);
  const runner = await createRunner(network, { seed: o.seed, placement: o.placement ?? { kind: 'loop' }, ...(o.adapter ? { adapter: o.adapter } : {}) });
  const events: WmStateEvent[] = [];
  const samples: RateSample[] = [];
  const control: RateSample[] = [];
  const rates$ = stateRates(runner.spikes$, { network, groups: ids.statePools });
  const subs = [
    rates$.subscribe((s) => samples.push(s)),
    workingMemoryStates(rates$, { labels, ...(o.thresholds ? { thresholds: o.thresholds } : {}) }).subscribe((e) => events.push(e)),
  ];
  if (ids.control) {
    const groups = ids.swta[ids.control]!.pools.map((population) => [{ module: ids.control!, population }]);
    subs.push(stateRates(runner.spikes$, { network, groups, windowMs: 20 }).subscribe((s) => control.push(s)));
  }

  // Every input is a pulse of the shared scheduler (runtime/pulse-schedule.ts); rates are set
  // again only at the ticks where a pulse starts or ends.
  const sources = (i: TimedInput): { module: string; source: string }[] => {
    const k = i.state ?? 0;
    if (i.kind === 'cue') return [...ids.cues[k]!, ...(ids.controlCues[k] ? [ids.controlCues[k]!] : [])];
    if (i.kind === 'go') return [ids.go[k]!];
    return ids.resets;
  };
  const schedule = new PulseSchedule();
  for (const i of inputs) {
    if (i.kind !== 'reset' && !(Number.isInteger(i.state) && i.state! >= 0 && i.state! < K)) throw new RangeError(`${i.kind} input at ${i.atMs} ms: state ${i.state} is outside [0, ${K})`);
    schedule.add({ sources: sources(i), fromTick: Math.round(i.atMs), untilTick: Math.round(i.atMs + i.durationMs), rateHz: i.rateHz });
  }
  const apply = (t: number): void => {
    for (const s of schedule.sources()) runner.setRate(s.module, s.source, schedule.rateAt(s.module, s.source, t));
  };

  try {
    runner.start();
    for (let t = 0; t < durationMs; t++) {
      if (schedule.changesAt(t)) apply(t);
      runner.runTick();
    }
  } finally {
    for (const s of subs) s.unsubscribe();
    await runner.close();
  }
  return { labels, durationMs, events, samples, control, network: wm };
}

/** The machine's state at simulated time t (as detected, i.e. what a live subscriber saw). */
export function stateAt(events: readonly WmStateEvent[], tMs: number): string {
  let s = IDLE;
  for (const e of events) {
    if ((e.transition?.detectedAtMs ?? 0) <= tMs) s = e.state;
    else break;
  }
  return s;
}

/** Transitions detected within [fromMs, toMs]. */
export function transitionsBetween(events: readonly WmStateEvent[], fromMs: number, toMs: number): WmStateEvent[] {
  return events.filter((e) => e.transition && e.transition.detectedAtMs >= fromMs && e.transition.detectedAtMs <= toMs);
}

/** Mean of each state's rate over [fromMs, toMs). */
export function meanRates(samples: readonly RateSample[], fromMs: number, toMs: number): number[] {
  const inside = samples.filter((s) => s.timeMs > fromMs && s.timeMs <= toMs);
  if (inside.length === 0) return [];
  return inside[0]!.rates.map((_, k) => inside.reduce((a, s) => a + s.rates[k]!, 0) / inside.length);
}
