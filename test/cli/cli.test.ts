import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../cli/bin.mjs');

describe('swta CLI', () => {
  it('swta run celltypes --json ends stdout with the result object and writes JSON + SVG', async () => {
    const out = await mkdtemp(join(tmpdir(), 'swta-cli-'));
    const { stdout } = await run(process.execPath, [BIN, 'run', 'celltypes', '--json', '--out', out]);
    const last = stdout.trim().split('\n').at(-1)!;
    const result = JSON.parse(last) as { classes: Record<string, { rheobasePa: number; slopeHzPerNa: number; adaptationIndex: number }> };
    expect(Object.keys(result.classes)).toEqual(['Pyr', 'PV', 'SST', 'VIP', 'LAMP5']);
    for (const c of Object.values(result.classes)) {
      expect(Object.keys(c).sort()).toEqual(['adaptationIndex', 'rheobasePa', 'slopeHzPerNa']);
    }
    expect(JSON.parse(await readFile(join(out, 'celltypes.json'), 'utf8'))).toEqual(result);
    expect(await readFile(join(out, 'celltypes.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('an unknown scenario or command is a usage error (exit code 2) with a did-you-mean', async () => {
    await expect(run(process.execPath, [BIN, 'run', 'celtypes'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown scenario 'celtypes'. Did you mean 'celltypes'\?; available: celltypes/) });
    await expect(run(process.execPath, [BIN, 'frobnicate'])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command 'frobnicate'/) });
  });

  it('swta run working-memory --script exits 1 when an expectation fails, 0 when all hold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'swta-wm-script-'));
    // 400 ms with no input: the network stays idle, so 'idle' holds and 'A' cannot.
    const script = (state: string): string => JSON.stringify({ name: `expect ${state}`, seed: 1, seeds: 1, inputs: [], expect: [{ state, fromMs: 100, toMs: 400 }] });
    await writeFile(join(dir, 'idle.json'), script('idle'));
    await writeFile(join(dir, 'a.json'), script('A'));
    const ok = await run(process.execPath, [BIN, 'run', 'working-memory', '--script', join(dir, 'idle.json'), '--json', '--out', dir]);
    expect(JSON.parse(ok.stdout.trim().split('\n').at(-1)!)).toMatchObject({ passed: true });
    await expect(run(process.execPath, [BIN, 'run', 'working-memory', '--script', join(dir, 'a.json'), '--json', '--out', dir])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/expectations failed/),
      stdout: expect.stringMatching(/"passed":false/),
    });
  });
});
