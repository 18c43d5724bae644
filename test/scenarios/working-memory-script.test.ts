import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDLE, type WmStateEvent } from '../../runtime/working-memory-machine.ts';
import { judge, parseScript, ScriptError, scriptInputs } from '../../scenarios/working-memory/script.ts';
import { WM_INPUTS, WM_VARIABILITY } from '../../scenarios/working-memory/session.ts';

const SCRIPTS = join(import.meta.dirname, '../../scenarios/working-memory/scripts');

const minimal = { inputs: [{ atMs: 100, cue: 'A' }], expect: [{ state: 'A', atMs: 500 }] };

/** The issues of a script that must fail, as "path rule". */
function issues(script: unknown): string[] {
  try {
    parseScript(typeof script === 'string' ? script : JSON.stringify(script), 'test.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ScriptError);
    expect((e as ScriptError).code).toBe('WM_SCRIPT_INVALID');
    return (e as ScriptError).issues.map((i) => `${i.path} ${i.rule}`);
  }
  throw new Error('the script was accepted');
}

describe('parseScript', () => {
  it('fills defaults: seed 1, one seed, the variability of the scenario, a duration covering every input and expectation', () => {
    const s = parseScript(JSON.stringify(minimal), 'x.json');
    expect(s).toMatchObject({ name: 'x.json', seed: 1, seeds: 1, durationMs: 501 });
    expect(s.noise.backgroundHz).toBe(WM_VARIABILITY.backgroundHz);
    expect(s.mismatch).toEqual({ vTSdMv: WM_VARIABILITY.vTSdMv, gLCv: WM_VARIABILITY.gLCv, weightCv: WM_VARIABILITY.weightCv });
  });

  it('maps inputs to timed runtime inputs with WM_INPUTS defaults', () => {
    const s = parseScript({ inputs: [{ atMs: 100, cue: 'B' }, { atMs: 900, go: 'A', rateHz: 25 }, { atMs: 1500, reset: true }], expect: [{ state: 'idle', atMs: 2000 }] });
    expect(scriptInputs(s)).toEqual([
      { kind: 'cue', state: 1, atMs: 100, durationMs: WM_INPUTS.cue.durationMs, rateHz: WM_INPUTS.cue.rateHz },
      { kind: 'go', state: 0, atMs: 900, durationMs: WM_INPUTS.go.durationMs, rateHz: 25 },
      { kind: 'reset', atMs: 1500, durationMs: WM_INPUTS.reset.durationMs, rateHz: WM_INPUTS.reset.rateHz },
    ]);
  });

  it('accepts the example scripts', () => {
    const files = readdirSync(SCRIPTS).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(() => parseScript(readFileSync(join(SCRIPTS, f), 'utf8'), f)).not.toThrow();
  });

  it('names the field and the rule of each problem, all at once', () => {
    expect(issues('{ "inputs": [ }')).toEqual(['$ json-syntax']);
    expect(issues([])).toEqual(['$ script-object']);
    expect(issues({ expect: [{ state: 'A', atMs: 1 }] })).toEqual(['inputs array']);
    expect(issues({ inputs: [], expect: [] })).toEqual(['expect non-empty']);
    expect(issues({
      seed: 1.5,
      inputs: [{ atMs: -1, cue: 'C' }, { atMs: 10, cue: 'A', go: 'B' }, { atMs: 10, reset: 'yes' }, { atMs: 5, go: 'A', rate: 3 }],
      expect: [{ state: 'Z', atMs: 10 }, { state: 'A', fromMs: 500, toMs: 400 }, { state: 'A' }],
    })).toEqual([
      'seed integer-range',
      'inputs[0].atMs number-range',
      'inputs[0].cue known-state',
      'inputs[1] one-input-kind',
      'inputs[2].reset reset-true',
      'inputs[3].rate known-field',
      'expect[0].state known-state',
      'expect[1].toMs span-order',
      'expect[2] at-or-span',
    ]);
  });

  it('suggests the field meant and lists the allowed states in its messages', () => {
    try {
      parseScript({ ...minimal, inputz: [], expect: [{ state: 'a', atMs: 3 }] }, 'typo.json');
      throw new Error('accepted');
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('typo.json');
      expect(msg).toContain('inputz: unknown field; did you mean "inputs"?');
      expect(msg).toContain('expect[0].state: must be one of "idle", "A", "B", "mixed", got "a" [rule known-state]');
    }
  });

  it('rejects expectations after the run and runs that are too long', () => {
    expect(issues({ ...minimal, durationMs: 400 })).toEqual(['expect[0] within-run']);
    expect(issues({ ...minimal, durationMs: 10_000_000 })).toEqual(['durationMs duration-limit']);
  });
});

describe('judge', () => {
  /** idle, A from 310 ms (seen at 335), B from 2700 (seen at 2725). */
  const events: WmStateEvent[] = [
    { state: IDLE, since: 0, transition: null },
    { state: 'A', since: 310, transition: { from: IDLE, to: 'A', atMs: 310, detectedAtMs: 335 } },
    { state: 'B', since: 2700, transition: { from: 'A', to: 'B', atMs: 2700, detectedAtMs: 2725 } },
  ];
  it('passes a point expectation when the state is seen within ± tolerance', () => {
    expect(judge({ state: 'A', atMs: 320 }, 0, events).passed).toBe(false);
    expect(judge({ state: 'A', atMs: 320, toleranceMs: 20 }, 0, events).passed).toBe(true);
    expect(judge({ state: 'B', atMs: 3000 }, 0, events)).toMatchObject({ passed: true, observed: 'B', description: 'B at 3000 ms' });
  });
  it('passes a span only when the state holds throughout [from + tolerance, to]', () => {
    expect(judge({ state: 'A', fromMs: 300, toMs: 2600 }, 1, events)).toMatchObject({ passed: false, observed: 'idle→A@335' });
    expect(judge({ state: 'A', fromMs: 300, toMs: 2600, toleranceMs: 50 }, 1, events).passed).toBe(true);
    expect(judge({ state: 'A', fromMs: 400, toMs: 2800 }, 1, events)).toMatchObject({ passed: false, observed: 'A→B@2725' });
  });
});
