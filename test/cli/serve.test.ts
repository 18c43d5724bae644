import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../cli/bin.mjs');

/** Start `swta serve` on a free port; resolves with the process and the viewer URL it printed. */
function serve(args: string[]): Promise<{ child: ReturnType<typeof spawn>; url: string; out: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--pool-size', '20', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const m = /viewer at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, out: () => out });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

const exit = (child: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: string | null }> =>
  new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

describe('swta serve', () => {
  it.each([
    ['SIGINT', '0'],
    ['SIGTERM', '0'],
    ['SIGTERM', '2'],
  ] as const)('serves the viewer and shuts down cleanly on %s (%s worker threads)', async (signal, workers) => {
    const { child, url, out } = await serve(['--workers', workers]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const done = exit(child);
    child.kill(signal);
    expect(await done).toEqual({ code: 0, signal: null });
    expect(out()).toMatch(new RegExp(`${signal}, shutting down`));
  });

  it('rejects bad options with the usage (exit code 2)', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    expect((await exit(child)).code).toBe(2);
    expect(err).toMatch(/--port must be an integer in \[0, 65535\], got 'x'/);
  });
});
