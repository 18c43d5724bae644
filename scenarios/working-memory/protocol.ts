import { IDLE } from '../../runtime/working-memory-machine.ts';
import {
  meanRates, runSession, stateAt, stateLabels, transitionsBetween, WM_INPUTS,
  type SessionOptions, type SessionRecord, type TimedInput,
} from './session.ts';

/**
 * The built-in working-memory protocol (persistence and transitions), one continuous run per seed:
 *
 *   idle ─ goB ─ goA ─ cue A ─── delay 2 s ─── goA ─ goB ─ goB ─ goA
 *          ✗      ✗             persistence     ✗     ✓     ✗     ✓      (✓ valid, ✗ invalid pair)
 *
 * Invalid (state, input) pairs must leave the state alone: "go to B" or "go to A" while idle,
 * "go to A" in A, "go to B" in B. Valid pairs must switch: A + "go to B" → B, B + "go to A" → A.
 * The control module gets the same cue as the coupled ones and must decay.
 */
export const PROTOCOL = {
  idleMs: 500,
  /** Observation after each go input ends, before the next trial. */
  observeMs: 500,
  /** Extra observation after a valid go, so the new state is seen to hold. */
  holdMs: 100,
  /** Persistence is checked over this long after the cue ends (target: ≥ 2 s). */
  delayMs: 2000,
  /** The machine must show the cued state this soon after the cue ends. */
  enterWithinMs: 200,
  /** The control has decayed (back to spontaneous, 0.3–0.7 Hz) when its pool rate (20-ms window) stays below this. */
  controlDecayHz: 5,
  /** Up-state rates are averaged over the delay from this long after the cue on. */
  settleMs: 500,
} as const;

export interface Trial {
  name: string;
  valid: boolean;
  /** Index of the "go to" state. */
  go: number;
  pre: string;
  expected: string;
  atMs: number;
  endMs: number;
  /** Last time of the trial's observation window. */
  untilMs: number;
}

export interface ProtocolPlan {
  labels: string[];
  inputs: TimedInput[];
  trials: Trial[];
  cue: { state: number; atMs: number; endMs: number };
  durationMs: number;
}

/** The protocol's timeline for states A (0) and B (1). */
export function protocolPlan(labels: string[] = stateLabels(2)): ProtocolPlan {
  const [A, B] = labels as [string, string];
  const go = WM_INPUTS.go;
  const inputs: TimedInput[] = [];
  const trials: Trial[] = [];
  let t: number = PROTOCOL.idleMs;
  const trial = (name: string, goState: number, pre: string, expected: string): void => {
    const endMs = t + go.durationMs;
    const untilMs = endMs + PROTOCOL.observeMs + (pre === expected ? 0 : PROTOCOL.holdMs);
    inputs.push({ kind: 'go', state: goState, atMs: t, durationMs: go.durationMs, rateHz: go.rateHz });
    trials.push({ name, valid: pre !== expected, go: goState, pre, expected, atMs: t, endMs, untilMs });
    t = untilMs;
  };
  trial(`${IDLE} + go ${B}`, 1, IDLE, IDLE);
  trial(`${IDLE} + go ${A}`, 0, IDLE, IDLE);
  const cue = { state: 0, atMs: t, endMs: t + WM_INPUTS.cue.durationMs };
  inputs.push({ kind: 'cue', state: 0, atMs: t, durationMs: WM_INPUTS.cue.durationMs, rateHz: WM_INPUTS.cue.rateHz });
  t = cue.endMs + PROTOCOL.delayMs;
  trial(`${A} + go ${A}`, 0, A, A);
  trial(`${A} + go ${B}`, 1, A, B);
  trial(`${B} + go ${B}`, 1, B, B);
  trial(`${B} + go ${A}`, 0, B, A);
  return { labels, inputs, trials, cue, durationMs: t };
}

export interface TrialResult {
  name: string;
  valid: boolean;
  /** The machine was in `pre` when the input came on. */
  preconditionMet: boolean;
  /** Valid: ended in `expected`; invalid: no state change while observed. */
  ok: boolean;
  /** Valid and ok: network switch time and detection time after the input onset (ms). */
  latencyMs: number | null;
  detectionMs: number | null;
}

export interface SeedResult {
  seed: number;
  persisted: boolean;
  /** How long the cued state held after the cue ended (capped at the delay). */
  persistMs: number;
  /** Up-state rate of the cued state and the other one during the delay (Hz). */
  upStateHz: number;
  otherHz: number;
  /** ms after the cue ended until the control pool stayed below controlDecayHz; null: never. */
  controlDecayMs: number | null;
  trials: TrialResult[];
  record: SessionRecord;
}

/** Run the protocol for one seed and score it. */
export async function runProtocol(o: SessionOptions): Promise<SeedResult> {
  const plan = protocolPlan(o.labels ?? stateLabels(2));
  const record = await runSession(o, plan.inputs, plan.durationMs);
  return scoreProtocol(o.seed, plan, record);
}

/** Score a recorded run against the plan (pure). */
export function scoreProtocol(seed: number, plan: ProtocolPlan, record: SessionRecord): SeedResult {
  const { events, samples, control } = record;
  const cued = plan.labels[plan.cue.state]!;
  const delayEnd = plan.cue.endMs + PROTOCOL.delayMs;
  const entered = stateAt(events, plan.cue.endMs + PROTOCOL.enterWithinMs) === cued;
  const leaving = transitionsBetween(events, plan.cue.endMs + PROTOCOL.enterWithinMs, delayEnd)[0];
  const persisted = entered && leaving === undefined;
  const persistMs = !entered ? 0 : leaving ? leaving.transition!.atMs - plan.cue.endMs : PROTOCOL.delayMs;
  const rates = meanRates(samples, plan.cue.endMs + PROTOCOL.settleMs, delayEnd);
  const upStateHz = rates[plan.cue.state] ?? NaN;
  const otherHz = Math.max(...rates.filter((_, k) => k !== plan.cue.state));

  let controlDecayMs: number | null = null;
  if (control.length > 0) {
    const window = control.filter((s) => s.timeMs >= plan.cue.endMs && s.timeMs <= delayEnd);
    let lastHigh = -1;
    window.forEach((s, i) => {
      if (s.rates[plan.cue.state]! >= PROTOCOL.controlDecayHz) lastHigh = i;
    });
    if (lastHigh < window.length - 1) controlDecayMs = (lastHigh < 0 ? plan.cue.endMs : window[lastHigh + 1]!.timeMs) - plan.cue.endMs;
  }

  const trials = plan.trials.map((tr): TrialResult => {
    const preconditionMet = stateAt(events, tr.atMs) === tr.pre;
    const changes = transitionsBetween(events, tr.atMs, tr.untilMs);
    if (!tr.valid) return { name: tr.name, valid: false, preconditionMet, ok: preconditionMet && changes.length === 0, latencyMs: null, detectionMs: null };
    const ok = preconditionMet && stateAt(events, tr.untilMs) === tr.expected;
    const arrival = changes.find((e) => e.state === tr.expected);
    return {
      name: tr.name, valid: true, preconditionMet, ok,
      latencyMs: ok && arrival ? arrival.transition!.atMs - tr.atMs : null,
      detectionMs: ok && arrival ? arrival.transition!.detectedAtMs - tr.atMs : null,
    };
  });
  return { seed, persisted, persistMs, upStateHz, otherHz, controlDecayMs, trials, record };
}

/** The scenario's figures over seeds. */
export interface WmSummary {
  seeds: number;
  persistenceRate: number;
  switchRate: number;
  falseSwitchRate: number;
  controlDecayMs: number;
  switchLatencyMs: number;
}

export interface WmDetails {
  /** Valid and invalid trials, and invalid ones whose state was not as planned (not scored). */
  validTrials: number;
  invalidTrials: number;
  invalidUnscored: number;
  controlDecayMaxMs: number;
  controlDecayWithin200Rate: number;
  switchDetectionMs: number;
  upStateHz: number;
  upStateHzRange: [number, number];
  otherStateHz: number;
}

export function summarize(results: readonly SeedResult[]): { summary: WmSummary; details: WmDetails } {
  const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const all = results.flatMap((r) => r.trials);
  const valid = all.filter((t) => t.valid);
  const invalid = all.filter((t) => !t.valid && t.preconditionMet);
  const decays = results.map((r) => r.controlDecayMs ?? Infinity);
  const ups = results.map((r) => r.upStateHz);
  return {
    summary: {
      seeds: results.length,
      persistenceRate: results.filter((r) => r.persisted).length / results.length,
      switchRate: valid.filter((t) => t.ok).length / valid.length,
      falseSwitchRate: invalid.length ? invalid.filter((t) => !t.ok).length / invalid.length : NaN,
      controlDecayMs: mean(decays),
      switchLatencyMs: mean(valid.flatMap((t) => (t.latencyMs === null ? [] : [t.latencyMs]))),
    },
    details: {
      validTrials: valid.length,
      invalidTrials: invalid.length,
      invalidUnscored: all.filter((t) => !t.valid && !t.preconditionMet).length,
      controlDecayMaxMs: Math.max(...decays),
      controlDecayWithin200Rate: decays.filter((d) => d <= 200).length / decays.length,
      switchDetectionMs: mean(valid.flatMap((t) => (t.detectionMs === null ? [] : [t.detectionMs]))),
      upStateHz: mean(ups),
      upStateHzRange: [Math.min(...ups), Math.max(...ups)],
      otherStateHz: mean(results.map((r) => r.otherHz)),
    },
  };
}
