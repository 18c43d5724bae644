import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/vision.ts';
import { encodeIdx } from '../../src/vision/data/idx.ts';
import { loadMnist } from '../../src/vision/data/mnist.ts';
import { decodePng } from '../../src/vision/data/png.ts';
import { put, tempDir } from '../vision/helpers.ts';

/** Runs the CLI and returns what it printed to stdout, line by line. */
async function run(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    lines.push(a.map(String).join(' '));
  });
  try {
    await main(args);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('swta vision', () => {
  const dir = tempDir();
  const model = join(dir, 'model');
  afterEach(() => vi.restoreAllMocks());

  it('train saves a checkpoint and reports JSON', async () => {
    const out = await run(['train', '--data', 'mnist:train', '--limit', '400', '--epochs', '1', '--batch', '50', '--depth', '1', '--out', model, '--json']);
    const summary = JSON.parse(out[out.length - 1]!);
    expect(summary).toMatchObject({ out: model, filter: 'none', n: 360, steps: 8 });
    expect(existsSync(join(model, 'model.json'))).toBe(true);
    expect(existsSync(join(model, 'weights.bin'))).toBe(true);
  });

  it('eval ends stdout with {"accuracy", "n"} for built-in data and for user files', async () => {
    const builtin = await run(['eval', '--model', model, '--data', 'mnist:test', '--limit', '100', '--json']);
    expect(builtin).toHaveLength(1);
    const r = JSON.parse(builtin[0]!);
    expect(Object.keys(r)).toEqual(['accuracy', 'n']);
    expect(r.n).toBe(100);
    expect(r.accuracy).toBeGreaterThanOrEqual(0);

    // The same 20 test digits as gzipped IDX and as CSV give the same accuracy.
    const digits = loadMnist({ split: 'test', limit: 20 });
    const bytes = Uint8Array.from(digits.images, (v) => Math.round(v * 255));
    const idx = put(join(dir, 'u-images-idx3-ubyte.gz'), gzipSync(encodeIdx([20, 28, 28], bytes)));
    put(join(dir, 'u-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([20], Uint8Array.from(digits.labels))));
    const csv = put(join(dir, 'u.csv'), Array.from({ length: 20 }, (_, i) => [digits.labels[i], ...bytes.subarray(i * 784, (i + 1) * 784)].join(',')).join('\n'));
    const fromIdx = JSON.parse((await run(['eval', '--model', model, '--data', idx, '--json'])).at(-1)!);
    const fromCsv = JSON.parse((await run(['eval', '--model', model, '--data', csv, '--json'])).at(-1)!);
    const fromBuiltin = JSON.parse((await run(['eval', '--model', model, '--data', 'mnist:test', '--limit', '20', '--json'])).at(-1)!);
    expect(fromIdx).toEqual(fromBuiltin);
    expect(fromCsv).toEqual(fromBuiltin);

    const human = await run(['eval', '--model', join(model, 'model.json'), '--data', 'mnist:test', '--limit', '20']);
    expect(human[0]).toMatch(/mnist:test: 20 images, model .* \(filter 'none'\), [\d.]+ ms\/image/);
    expect(JSON.parse(human.at(-1)!)).toEqual(fromBuiltin);
  });

  it('an unknown --filter fails before loading data', async () => {
    await expect(run(['train', '--filter', 'blur', '--out', join(dir, 'never')])).rejects.toThrow(/unknown filter 'blur'/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('show writes a PNG grid of samples', async () => {
    const png = join(dir, 'grid.png');
    await run(['show', '--data', 'street:night', '--count', '4', '--out', png]);
    const img = decodePng(readFileSync(png), png);
    expect([img.width, img.height]).toEqual([2 * 64, 2 * 2 * 64]);
  });

  it('explains missing options and unknown commands', async () => {
    await expect(run(['eval', '--data', 'mnist:test'])).rejects.toThrow(/--model <dir> is required/);
    await expect(run(['fly'])).rejects.toThrow(/unknown vision command 'fly' \(known: train, eval, show, ood\)/);
    expect((await run(['--help']))[0]).toMatch(/^usage:/);
  });
});
