import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { encodePng } from '../../src/vision/data/png.ts';

const created: string[] = [];
// Registered when a test file imports this module, i.e. at the file's top level: runs after the file.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file (may be called inside a test). */
export function tempDir(prefix = 'swta-vision-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Writes a file, creating its folders. */
export function put(path: string, data: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

/** An h×w RGB PNG whose every pixel is `rgb` (0–255). */
export function solidPng(h: number, w: number, rgb: [number, number, number]): Uint8Array {
  const data = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++) data.set(rgb, 3 * p);
  return encodePng(data, w, h, 3);
}

export function range(ds: { images: Float32Array }): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of ds.images) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}
