import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browserFiles from '../../../src/calibration/artifact-files.browser.ts';
import { GAIN_MATCH_PATH } from '../../../src/calibration/gain-matching-artifact.ts';
import { RATE_FIT_PATH } from '../../../src/calibration/rate-fit-artifact.ts';
import { spikeHash } from '../../../runtime/web/spike-hash.ts';
import { serveStatic } from '../../../runtime/web/static-server.ts';

/** The static page's Node-side pieces: the spike-hash check, the embedded artifacts, the static server. */
describe('static page, Node side', () => {
  it('spike hash: the same seed gives the same hash, on both conductance kernels; another seed another hash', async () => {
    const a = await spikeHash({ backend: 'conductance', kernel: 'wasm', seed: 3, ticks: 300 });
    const b = await spikeHash({ backend: 'conductance', kernel: 'reference', seed: 3, ticks: 300 });
    const c = await spikeHash({ backend: 'conductance', kernel: 'wasm', seed: 4, ticks: 300 });
    expect(a.spikes).toBeGreaterThan(500);
    expect(b).toEqual(a);
    expect(c.hash).not.toBe(a.hash);
  }, 30_000);

  it('the browser build embeds the calibration artifacts as they are on disk', () => {
    for (const path of [RATE_FIT_PATH, GAIN_MATCH_PATH]) {
      const url = new URL(`file://${path}`);
      expect(JSON.parse(browserFiles.readArtifact(browserFiles.artifactPath(url)))).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    }
    expect(() => browserFiles.readArtifact('/x/data/calibration/none.json')).toThrow(/not embedded in the browser build/);
  });

  it('the static server serves files under its root with their types, and nothing outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swta-static-'));
    mkdirSync(join(dir, 'site'));
    writeFileSync(join(dir, 'site', 'index.html'), '<p>hi</p>');
    writeFileSync(join(dir, 'secret.txt'), 'no');
    const server = await serveStatic(join(dir, 'site'), { isolated: true });
    try {
      const page = await fetch(server.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await page.text()).toBe('<p>hi</p>');
      expect((await fetch(new URL('/..%2Fsecret.txt', server.url))).status).toBe(403);
      expect((await fetch(new URL('/missing.js', server.url))).status).toBe(404);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
