import type { AdapterRef } from '../../runtime/adapter.ts';
import { IDLE, MIXED, type WmStateEvent } from '../../runtime/working-memory-machine.ts';
import { runSession, stateAt, stateLabels, WM_INPUTS, WM_VARIABILITY, type TimedInput, type Variability } from './session.ts';
import { editDistance } from '../../src/graph/suggest.ts';

/**
 * Users' own working-memory scenarios: a small JSON format of timed inputs and
 * expected machine states, run by `swta run working-memory --script <file>`.
 *
 * ```json
 * {
 *   "name": "hold then switch",
 *   "seed": 1, "seeds": 2,
 *   "noise": { "backgroundHz": 5 },
 *   "mismatch": { "vTSdMv": 2, "gLCv": 0.1, "weightCv": 0.1 },
 *   "inputs": [
 *     { "atMs": 300, "cue": "A" },
 *     { "atMs": 2500, "go": "B", "durationMs": 200, "rateHz": 20 },
 *     { "atMs": 4000, "reset": true }
 *   ],
 *   "expect": [
 *     { "state": "A", "fromMs": 400, "toMs": 2500 },
 *     { "state": "B", "atMs": 3000, "toleranceMs": 100 },
 *     { "state": "idle", "atMs": 4500 }
 *   ]
 * }
 * ```
 *
 * Inputs: `cue` (a state label: a pulse onto that pool of every coupled module and the control),
 * `go` (a state label: the "go to" symbol of the transition neurons) or `reset: true` (a burst onto
 * every coupled module's interneurons); `durationMs` and `rateHz` default to WM_INPUTS.
 * Expectations: `atMs` passes when the machine is in `state` at some moment within ± toleranceMs
 * (default 0); `fromMs`/`toMs` passes when it is in `state` throughout [fromMs + toleranceMs, toMs].
 * States: 'idle', 'mixed' and the labels 'A', 'B'. Times are simulated ms from the run's start.
 */
export interface ScriptInput {
  atMs: number;
  cue?: string;
  go?: string;
  reset?: true;
  durationMs?: number;
  rateHz?: number;
}

export type ScriptExpectation =
  | { state: string; atMs: number; toleranceMs?: number }
  | { state: string; fromMs: number; toMs: number; toleranceMs?: number };

export interface WmScript {
  name: string;
  description?: string;
  seed: number;
  seeds: number;
  durationMs: number;
  noise: { backgroundHz: number };
  mismatch: { vTSdMv: number; gLCv: number; weightCv: number };
  inputs: ScriptInput[];
  expect: ScriptExpectation[];
}

export interface ScriptIssue {
  /** Where, as a JSON path: `inputs[2].atMs`. */
  path: string;
  rule: string;
  message: string;
}

/** A malformed script: every issue names its field and the rule it breaks. `code` is stable. */
export class ScriptError extends Error {
  readonly code = 'WM_SCRIPT_INVALID';
  readonly issues: ScriptIssue[];
  constructor(source: string, issues: ScriptIssue[]) {
    super(`invalid working-memory script ${source} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` + issues.map((i) => `  - ${i.path}: ${i.message} [rule ${i.rule}]`).join('\n'));
    this.name = 'ScriptError';
    this.issues = issues;
  }
}

const TOP_KEYS = ['name', 'description', 'seed', 'seeds', 'durationMs', 'noise', 'mismatch', 'inputs', 'expect'];
const INPUT_KEYS = ['atMs', 'cue', 'go', 'reset', 'durationMs', 'rateHz'];
const EXPECT_KEYS = ['state', 'atMs', 'fromMs', 'toMs', 'toleranceMs'];
const MAX_DURATION_MS = 600_000;

/** Parse and check a script (text or parsed JSON). Throws ScriptError listing every problem. */
export function parseScript(input: string | unknown, source = '<script>', labels: readonly string[] = stateLabels(2)): WmScript {
  const issues: ScriptIssue[] = [];
  const fail = (path: string, rule: string, message: string): void => void issues.push({ path, rule, message });
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new ScriptError(source, [{ path: '$', rule: 'json-syntax', message: `not valid JSON: ${(e as Error).message}` }]);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ScriptError(source, [{ path: '$', rule: 'script-object', message: 'a script is a JSON object with "inputs" and "expect"' }]);
  const o = raw as Record<string, unknown>;
  unknownKeys(o, TOP_KEYS, '', fail);

  const num = (v: unknown, path: string, { min = 0, integer = false, fallback }: { min?: number; integer?: boolean; fallback?: number } = {}): number => {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
      fail(path, integer ? 'integer-range' : 'number-range', `must be ${integer ? 'an integer' : 'a finite number'} ≥ ${min}${v === undefined ? ' (missing)' : `, got ${JSON.stringify(v)}`}`);
      return fallback ?? min;
    }
    return v;
  };
  const states = [IDLE, ...labels, MIXED];
  const label = (v: unknown, path: string, allowed: readonly string[]): string => {
    if (typeof v !== 'string' || !allowed.includes(v)) fail(path, 'known-state', `must be one of ${allowed.map((s) => `"${s}"`).join(', ')}, got ${JSON.stringify(v)}`);
    return String(v);
  };

  if (o.name !== undefined && typeof o.name !== 'string') fail('name', 'string', `must be a string, got ${JSON.stringify(o.name)}`);
  if (o.description !== undefined && typeof o.description !== 'string') fail('description', 'string', `must be a string, got ${JSON.stringify(o.description)}`);
  const seed = num(o.seed, 'seed', { integer: true, fallback: 1 });
  const seeds = num(o.seeds, 'seeds', { integer: true, min: 1, fallback: 1 });
  const noise = section(o.noise, 'noise', ['backgroundHz'], fail);
  const mismatch = section(o.mismatch, 'mismatch', ['vTSdMv', 'gLCv', 'weightCv'], fail);

  const inputs: ScriptInput[] = [];
  if (!Array.isArray(o.inputs)) fail('inputs', 'array', `must be an array of inputs${o.inputs === undefined ? ' (missing; use [] for none)' : ''}`);
  else o.inputs.forEach((x, i) => {
    const p = `inputs[${i}]`;
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return fail(p, 'input-object', 'must be an object like { "atMs": 300, "cue": "A" }');
    const e = x as Record<string, unknown>;
    unknownKeys(e, INPUT_KEYS, `${p}.`, fail);
    const kinds = (['cue', 'go', 'reset'] as const).filter((k) => e[k] !== undefined);
    if (kinds.length !== 1) return fail(p, 'one-input-kind', `needs exactly one of "cue", "go" or "reset", got ${kinds.length ? kinds.join(' and ') : 'none'}`);
    const kind = kinds[0]!;
    const out: ScriptInput = { atMs: num(e.atMs, `${p}.atMs`) };
    if (kind === 'reset') {
      if (e.reset !== true) fail(`${p}.reset`, 'reset-true', `must be true, got ${JSON.stringify(e.reset)}`);
      out.reset = true;
    } else out[kind] = label(e[kind], `${p}.${kind}`, labels);
    if (e.durationMs !== undefined) out.durationMs = num(e.durationMs, `${p}.durationMs`, { min: 1 });
    if (e.rateHz !== undefined) out.rateHz = num(e.rateHz, `${p}.rateHz`);
    inputs.push(out);
  });

  const expect: ScriptExpectation[] = [];
  if (!Array.isArray(o.expect)) fail('expect', 'array', `must be an array of expected states${o.expect === undefined ? ' (missing)' : ''}`);
  else if (o.expect.length === 0) fail('expect', 'non-empty', 'needs at least one expectation, e.g. { "state": "A", "atMs": 1000 }');
  else o.expect.forEach((x, i) => {
    const p = `expect[${i}]`;
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return fail(p, 'expect-object', 'must be an object like { "state": "A", "atMs": 1000 }');
    const e = x as Record<string, unknown>;
    unknownKeys(e, EXPECT_KEYS, `${p}.`, fail);
    const state = label(e.state, `${p}.state`, states);
    const tol = e.toleranceMs === undefined ? undefined : num(e.toleranceMs, `${p}.toleranceMs`);
    const tolerance = tol === undefined ? {} : { toleranceMs: tol };
    const hasAt = e.atMs !== undefined;
    const hasSpan = e.fromMs !== undefined || e.toMs !== undefined;
    if (hasAt === hasSpan) return fail(p, 'at-or-span', 'needs either "atMs" or both "fromMs" and "toMs"');
    if (hasAt) return void expect.push({ state, atMs: num(e.atMs, `${p}.atMs`), ...tolerance });
    const fromMs = num(e.fromMs, `${p}.fromMs`);
    const toMs = num(e.toMs, `${p}.toMs`);
    if (toMs <= fromMs + (tol ?? 0)) fail(`${p}.toMs`, 'span-order', `must be after fromMs + toleranceMs (${fromMs + (tol ?? 0)} ms), got ${toMs}`);
    expect.push({ state, fromMs, toMs, ...tolerance });
  });

  const ends = [...inputs.map((i) => i.atMs + (i.durationMs ?? defaults(i).durationMs)), ...expect.map((e) => ('atMs' in e ? e.atMs + (e.toleranceMs ?? 0) : e.toMs))];
  const durationMs = num(o.durationMs, 'durationMs', { min: 1, fallback: Math.ceil(Math.max(0, ...ends)) + 1 });
  for (const [i, e] of expect.entries()) {
    const last = 'atMs' in e ? e.atMs : e.toMs;
    if (last > durationMs) fail(`expect[${i}]`, 'within-run', `ends at ${last} ms, after the run (durationMs ${durationMs})`);
  }
  if (durationMs > MAX_DURATION_MS) fail('durationMs', 'duration-limit', `${durationMs} ms is longer than ${MAX_DURATION_MS} ms; split the script`);
  const backgroundHz = num(noise.backgroundHz, 'noise.backgroundHz', { fallback: WM_VARIABILITY.backgroundHz });
  const vTSdMv = num(mismatch.vTSdMv, 'mismatch.vTSdMv', { fallback: WM_VARIABILITY.vTSdMv });
  const gLCv = num(mismatch.gLCv, 'mismatch.gLCv', { fallback: WM_VARIABILITY.gLCv });
  const weightCv = num(mismatch.weightCv, 'mismatch.weightCv', { fallback: WM_VARIABILITY.weightCv });
  if (issues.length > 0) throw new ScriptError(source, issues);
  return {
    name: typeof o.name === 'string' ? o.name : source,
    ...(typeof o.description === 'string' ? { description: o.description } : {}),
    seed, seeds, durationMs,
    noise: { backgroundHz },
    mismatch: { vTSdMv, gLCv, weightCv },
    inputs, expect,
  };
}

function defaults(i: ScriptInput): { durationMs: number; rateHz: number } {
  return i.cue !== undefined ? WM_INPUTS.cue : i.go !== undefined ? WM_INPUTS.go : WM_INPUTS.reset;
}

function section(v: unknown, path: string, keys: string[], fail: (p: string, r: string, m: string) => void): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    fail(path, 'section-object', `must be an object with ${keys.map((k) => `"${k}"`).join(', ')}`);
    return {};
  }
  unknownKeys(v as Record<string, unknown>, keys, `${path}.`, fail);
  return v as Record<string, unknown>;
}

function unknownKeys(o: Record<string, unknown>, known: readonly string[], prefix: string, fail: (p: string, r: string, m: string) => void): void {
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    const near = known.find((c) => c.toLowerCase() === k.toLowerCase() || editDistance(c, k) <= 2);
    fail(`${prefix}${k}`, 'known-field', `unknown field${near ? `; did you mean "${near}"?` : `; known fields: ${known.join(', ')}`}`);
  }
}

/** The script's inputs as timed runtime inputs. */
export function scriptInputs(s: WmScript, labels: readonly string[] = stateLabels(2)): TimedInput[] {
  return s.inputs.map((i) => {
    const d = defaults(i);
    const base = { atMs: i.atMs, durationMs: i.durationMs ?? d.durationMs, rateHz: i.rateHz ?? d.rateHz };
    if (i.reset) return { kind: 'reset', ...base };
    return { kind: i.cue !== undefined ? 'cue' : 'go', state: labels.indexOf((i.cue ?? i.go)!), ...base };
  });
}

export interface ExpectationResult {
  index: number;
  description: string;
  passed: boolean;
  /** What the machine showed over the expectation's window, e.g. "A" or "A→B@2310". */
  observed: string;
}

/** Judge one expectation against a run's machine events (pure). */
export function judge(e: ScriptExpectation, index: number, events: readonly WmStateEvent[]): ExpectationResult {
  const tol = e.toleranceMs ?? 0;
  const [from, to] = 'atMs' in e ? [e.atMs - tol, e.atMs + tol] : [e.fromMs + tol, e.toMs];
  const inside = events.filter((x) => x.transition && x.transition.detectedAtMs > from && x.transition.detectedAtMs <= to);
  const first = stateAt(events, from);
  const seen = [first, ...inside.map((x) => x.state)];
  const passed = 'atMs' in e ? seen.includes(e.state) : seen.every((s) => s === e.state);
  const observed = [first, ...inside.map((x) => `${x.state}@${x.transition!.detectedAtMs}`)].join('→');
  const description = 'atMs' in e ? `${e.state} at ${e.atMs} ms${tol ? ` ± ${tol}` : ''}` : `${e.state} throughout ${from}–${to} ms`;
  return { index, description, passed, observed };
}

export interface ScriptRun {
  seed: number;
  results: ExpectationResult[];
}

/** Run a parsed script for each of its seeds. */
export async function runScript(s: WmScript, log: (line: string) => void = () => {}, adapter?: AdapterRef): Promise<ScriptRun[]> {
  const runs: ScriptRun[] = [];
  const variability: Variability = { ...s.mismatch, backgroundHz: s.noise.backgroundHz };
  for (let seed = s.seed; seed < s.seed + s.seeds; seed++) {
    const record = await runSession({ seed, variability, ...(adapter ? { adapter } : {}) }, scriptInputs(s), s.durationMs);
    const results = s.expect.map((e, i) => judge(e, i, record.events));
    log(`seed ${seed}: ${results.filter((r) => r.passed).length}/${results.length} expectations passed`);
    runs.push({ seed, results });
  }
  return runs;
}
