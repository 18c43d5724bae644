import { describe, expect, it } from 'vitest';
import { emptyGraph, graphFromJson, graphToJson, l23Projection } from '../../../src/graph/index.ts';

describe('graph JSON', () => {
  it('round-trips a graph built with the helpers', () => {
    const g = emptyGraph('roundtrip');
    g.populations.push({ id: 'pyr', size: 20, cell: 'Pyr', mismatch: { vTSdMv: 1 } }, { id: 'sst', size: 5, cell: 'SST' });
    g.projections.push(l23Projection('pyr->sst', { id: 'pyr', size: 20, cell: 'Pyr' }, { id: 'sst', cell: 'SST' }));
    g.stimuli.push({ kind: 'poisson', id: 'in', size: 10, rateHz: 5, schedule: [{ atMs: 100, v: 20 }] });
    g.probes.push({ id: 'v', target: 'pyr', kind: 'v', neurons: [0, 1] });
    const back = graphFromJson(graphToJson(g));
    expect(back).toEqual(g);
  });

  it('malformed JSON gives a clear error', () => {
    expect(() => graphFromJson('{"populations": [')).toThrow(/graph JSON does not parse/);
  });

  it('the Pyr → SST default pathway carries AMPA + NMDA and facilitating STP (docs/reference/celltypes.md §b)', () => {
    const p = l23Projection('x', { id: 'a', size: 100, cell: 'Pyr' }, { id: 'b', cell: 'SST' });
    expect(p.components.map((c) => c.receptor)).toEqual(['AMPA', 'NMDA']);
    expect(p.components[0]).toMatchObject({ gNs: 0.13, tauRiseMs: 0.5, tauDecayMs: 3.5 });
    expect(p.stp).toEqual({ U: 0.12, tauRecMs: 138, tauFacilMs: 670 });
    expect(p.connect).toEqual({ rule: 'fixedProbability', p: 0.22 });
    expect(p.delayMs).toBe(1.47);
  });
});
