/**
 * `swta truenorth neuron`: spawned as a real process on temp files (output format, exit status,
 * error text), plus the other error paths called in-process (spawning costs ~1 s each).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/truenorth.ts';
import type { TrueNorthError } from '../../adapters/truenorth/errors.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../cli/main.ts');

/** The linear-reset neuron of the golden reset-mode test (gamma 1, kappa 0). */
const PARAMS = {
  sigma0: 1, sigma1: -1, sigma2: 1, sigma3: 1, s0: 5, s1: 5, s2: 0, s3: 0,
  b0: false, b1: false, b2: 0, b3: 0, sigma_lambda: 1, lambda: 0, c_lambda: 0, epsilon: 0,
  alpha: 7, beta: 3, TM: 0, gamma: 1, kappa: 0, sigma_VR: 1, VR: 1, V: 0, seed: 5,
};
const INPUTS = [[0], [0], [], [1], [1], [1, 1], []];

let dir = '';
const file = (name: string): string => join(dir, name);

async function swta(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: join(import.meta.dirname, '../..') });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Calls main in-process and returns the TrueNorthError it throws. */
async function failure(args: string[]): Promise<TrueNorthError> {
  try {
    await main(args);
  } catch (e) {
    return e as TrueNorthError;
  }
  throw new Error(`expected 'swta truenorth ${args.join(' ')}' to fail`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swta-tn-cli-'));
  await writeFile(file('P.json'), JSON.stringify(PARAMS));
  await writeFile(file('I.json'), JSON.stringify(INPUTS));
  await writeFile(file('bad-P.json'), JSON.stringify({ ...PARAMS, alpah: 7, alpha: undefined, s0: 256, kappa: 2 }));
  await writeFile(file('bad-I.json'), '[[0], [4], "x"]');
  await writeFile(file('not-json.json'), '{ "sigma0": 1,');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('swta truenorth neuron (spawned)', () => {
  it('--json prints {"v": [...], "spikes": [...]} as the golden linear-reset trace', async () => {
    const r = await swta(['truenorth', 'neuron', '--params', file('P.json'), '--inputs', file('I.json'), '--ticks', '7', '--json']);
    expect(r.code).toBe(0);
    // hand-worked in neuron.golden.test.ts (gamma 1, kappa 0)
    expect(JSON.parse(r.stdout)).toEqual({ v: [5, 3, 3, -2, -4, -11, -8], spikes: [1] });
  });

  it('bad parameters: exit 1, every broken field named with its rule and the error code', async () => {
    const r = await swta(['truenorth', 'neuron', '--params', file('bad-P.json'), '--ticks', '3']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/TN_PARAMS_INVALID: 4 problems/);
    expect(r.stderr).toMatch(/alpah: unknown field; did you mean 'alpha'\?/);
    expect(r.stderr).toMatch(/alpha: missing; expected an integer in \[0, 262143\] \[rule required\]/);
    expect(r.stderr).toMatch(/s0: must be an integer in \[0, 255\], got 256 \[rule range\]/);
    expect(r.stderr).toMatch(/kappa: must be a flag, 0\/1 or false\/true, got 2 \[rule flag\]/);
  });

  it('bad inputs: exit 1, the tick and entry named', async () => {
    const r = await swta(['truenorth', 'neuron', '--params', file('P.json'), '--inputs', file('bad-I.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TN_INPUTS_INVALID/);
    expect(r.stderr).toMatch(/\[1\]\[0\]: must be an axon type, an integer in \[0, 3\], got 4/);
    expect(r.stderr).toMatch(/\[2\]: tick 2 must be an array of axon types/);
  });
});

describe('swta truenorth neuron (in-process)', () => {
  it('prints a table without --json; --ticks defaults to the inputs length', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await main(['neuron', '--params', file('P.json'), '--inputs', file('I.json')]);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1 + 7 + 1);
    expect(lines[2]).toMatch(/^\s+1\s+3\s+\*$/);
    expect(lines.at(-1)).toBe('1 spike in 7 ticks');
  });

  it('argument and file errors carry stable codes', async () => {
    expect((await failure(['neuron'])).code).toBe('TN_ARGS_INVALID');
    expect((await failure(['neurons', '--params', file('P.json')])).message).toMatch(/unknown subcommand 'neurons'; the only subcommand is 'neuron'/);
    expect((await failure(['neuron', '--params', file('P.json')])).message).toMatch(/--ticks: missing/);
    expect((await failure(['neuron', '--params', file('P.json'), '--ticks', '2.5'])).message).toMatch(/--ticks: must be an integer in \[1, 10000000\], got '2.5'/);
    expect((await failure(['neuron', '--params', file('P.json'), '--inputs', file('I.json'), '--ticks', '3'])).message).toMatch(
      /is 3, but .*I\.json lists 7 ticks; raise --ticks to at least 7/,
    );
    const missing = await failure(['neuron', '--params', file('nope.json'), '--ticks', '1']);
    expect(missing.code).toBe('TN_FILE_UNREADABLE');
    expect(missing.message).toMatch(/nope\.json: cannot read the params file: no such file/);
    const notJson = await failure(['neuron', '--params', file('not-json.json'), '--ticks', '1']);
    expect(notJson.code).toBe('TN_FILE_UNREADABLE');
    expect(notJson.message).toMatch(/not valid JSON/);
  });

  it('seed: optional (default 1), must be a uint32', async () => {
    await writeFile(file('seed.json'), JSON.stringify({ ...PARAMS, seed: 'one' }));
    const e = await failure(['neuron', '--params', file('seed.json'), '--ticks', '1']);
    expect(e.code).toBe('TN_PARAMS_INVALID');
    expect(e.message).toMatch(/seed: must be an integer in \[0, 4294967295\] \(the PRNG seed\), got "one"/);
  });
});
