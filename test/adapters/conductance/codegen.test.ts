import { describe, expect, it } from 'vitest';
import { compile } from '../../../adapters/conductance/index.ts';
import { emptyGraph, l23Projection } from '../../../src/graph/index.ts';
import type { Graph } from '../../../src/graph/types.ts';

/** Every receptor kind, NMDA's Mg block, STP, mismatch, log-normal weights and AdEx exponentials. */
function richGraph(): Graph {
  const g = emptyGraph('rich');
  const pyr = { id: 'pyr', size: 60, cell: 'Pyr' as const };
  const pv = { id: 'pv', size: 15, cell: 'PV' as const };
  const sst = { id: 'sst', size: 10, cell: 'SST' as const };
  const vip = { id: 'vip', size: 10, cell: 'VIP' as const };
  const lamp5 = { id: 'lamp5', size: 8, cell: 'LAMP5' as const };
  g.populations.push({ ...pyr, mismatch: { vTSdMv: 1.5, gLCv: 0.1 } }, pv, sst, vip, lamp5);
  g.stimuli.push({ kind: 'poisson', id: 'drive', size: 200, rateHz: 15 });
  for (const post of [pyr, pv, sst, vip, lamp5]) {
    g.projections.push({ id: `drive->${post.id}`, pre: 'drive', post: post.id, connect: { rule: 'fixedInDegree', k: 40 }, components: [{ receptor: 'AMPA', gNs: 0.8 }], weightSpread: { logNormalCv: 0.5 }, delayMs: 1 });
  }
  const all = [pyr, pv, sst, vip, lamp5];
  for (const pre of all) for (const post of all) g.projections.push(l23Projection(`${pre.id}->${post.id}`, pre, post, { gScale: 2 }));
  g.probes.push({ id: 'sp', target: 'pyr', kind: 'spikes' }, { id: 'sst', target: 'sst', kind: 'spikes' }, { id: 'nmda', target: 'pyr', kind: 'g', receptor: 'NMDA', neurons: [0, 1] });
  return g;
}

describe('fused (generated) kernels', () => {
  it('give bit-identical spikes and conductances to the reference kernels', () => {
    const run = (kernel: 'fused' | 'reference') => {
      const e = compile(richGraph(), { seed: 21, kernel });
      e.run(400);
      const sp = e.probe('sp');
      const sst = e.probe('sst');
      const g = e.probe('nmda');
      if (sp.kind !== 'spikes' || sst.kind !== 'spikes' || g.kind !== 'g') throw new Error();
      return { t: Array.from(sp.timesMs), i: Array.from(sp.indices), sst: Array.from(sst.timesMs), g: Array.from(g.samples) };
    };
    const fused = run('fused');
    const reference = run('reference');
    expect(fused.t.length).toBeGreaterThan(100);
    expect(fused.sst.length).toBeGreaterThan(10);
    expect(fused).toEqual(reference);
  });
});
