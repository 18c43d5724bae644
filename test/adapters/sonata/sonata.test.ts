import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConductanceEngine } from '../../../adapters/conductance/engine.ts';
import { readSonata } from '../../../adapters/sonata/read.ts';
import { writeSonata } from '../../../adapters/sonata/write.ts';
import { swtaModule } from '../../../src/motifs/swta-module.ts';

/**
 * SONATA files of the default sWTA module with mismatch and weight spread (seed 3): h5py (an
 * independent HDF5 reader) finds the SONATA 0.1 layout intact, and reading them back gives the
 * same graph, the engine's own edge lists and weights, and the drawn neuron parameters, exactly.
 */
const CHECK = fileURLToPath(new URL('../../../adapters/sonata/check_sonata.py', import.meta.url));
const h5py = existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import h5py'], { cwd: '/' }).status === 0;
const SEED = 3;

function graph() {
  const g = swtaModule({ pools: 2, poolSize: 80, mismatch: { vTSdMv: 2, gLCv: 0.1 } }).graph;
  for (const p of g.projections) if (p.pre.includes('pyr')) p.weightSpread = { logNormalCv: 0.1 };
  g.probes.push({ id: 'pool0', target: 'm.pyr0', kind: 'rate' });
  return g;
}

describe('SONATA export and import', () => {
  it('round trip: the same graph, edge lists, weights and drawn neurons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swta-sonata-'));
    const g = graph();
    await writeSonata(g, dir, { seed: SEED });
    const back = await readSonata(join(dir, 'simulation_config.json'));
    expect(back.graph).toEqual(g);
    expect(back.seed).toBe(SEED);
    const engine = new ConductanceEngine(g, { seed: SEED });
    for (const pr of g.projections) {
      const csr = engine.synapses(pr.id);
      const e = back.edges.get(pr.id)!;
      expect(e.post).toEqual(csr.post);
      const pre = new Int32Array(csr.post.length);
      for (let i = 0; i + 1 < csr.rowStart.length; i++) pre.fill(i, csr.rowStart[i]!, csr.rowStart[i + 1]!);
      expect(e.pre).toEqual(pre);
      expect(e.weight).toEqual(csr.weight ?? new Float64Array(csr.post.length).fill(1));
    }
    for (const p of g.populations) expect(back.neurons.get(p.id)).toEqual(engine.drawnNeurons(p.id));
  });

  it.skipIf(!h5py)(`h5py reads the files and finds the SONATA layout intact${h5py ? '' : ' (skipped: /usr/bin/python3 with h5py is missing: apt-get install python3-h5py)'}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swta-sonata-'));
    const g = graph();
    await writeSonata(g, dir, { seed: SEED });
    const r = spawnSync('/usr/bin/python3', [CHECK, join(dir, 'simulation_config.json')], { encoding: 'utf8', cwd: '/' });
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { errors: string[]; nodes: Record<string, number>; edges: Record<string, number> };
    expect(out.errors).toEqual([]);
    expect(r.status).toBe(0);
    const engine = new ConductanceEngine(g, { seed: SEED });
    for (const p of g.populations) expect(out.nodes[p.id]).toBe(p.size);
    for (const pr of g.projections) expect(out.edges[pr.id.replace(/[\s/]/g, '_')]).toBe(engine.synapses(pr.id).post.length);
  });
});
