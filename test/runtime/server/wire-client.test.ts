import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveServer } from '../../../runtime/server/server.ts';
import { startRecordingServer } from './helpers.ts';
import { engines } from './recording-adapter.ts';

const run = promisify(execFile);
const CLIENT = join(import.meta.dirname, 'wire-client.mjs');

describe('a client in another process, with only ws + msgpackr', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('receives, per tick and population, exactly the spike counts of the engines\' own rate probes', async () => {
    const ticks = 1500;
    const { stdout } = await run(process.execPath, [CLIENT, server.wsUrl, String(ticks)], { timeout: 100_000, maxBuffer: 64 << 20 }).catch((e: { stderr?: string; code?: number }) => {
      throw new Error(`wire-client.mjs exited with ${e.code}: ${e.stderr}`);
    });
    const got = JSON.parse(stdout) as { populations: string[]; first: number; counts: number[][]; dropped: number };
    expect(got.counts).toHaveLength(ticks);
    expect(got.dropped).toBe(0);
    let spikes = 0;
    got.populations.forEach((key, p) => {
      const [module, id] = key.split('/') as [string, string];
      const probe = engines.get(`demo-${module}`)!.probe(`rate:${id}`);
      if (probe.kind !== 'rate') throw new Error('rate probe expected');
      const expected = Array.from(probe.countsPerTick.subarray(got.first, got.first + ticks));
      const wire = got.counts.map((row) => row[p]!);
      expect(wire, `population ${key}`).toEqual(expected);
      spikes += wire.reduce((a, b) => a + b, 0);
    });
    expect(spikes).toBeGreaterThan(1000); // not a comparison of zeros
  });
});
