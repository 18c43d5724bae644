import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/graph/index.ts';
import { swtaModule } from '../../../src/motifs/swta-module.ts';

describe('swtaModule', () => {
  it('every NMDA component saturates by default; nmdaModel: linear keeps the linear channel', () => {
    const models = (o: { nmdaModel?: 'linear' | 'saturating' }) =>
      new Set(swtaModule({ pools: 2, poolSize: 20, ...o }).graph.projections.flatMap((p) => p.components.filter((c) => c.receptor === 'NMDA').map((c) => c.nmdaModel)));
    expect(models({})).toEqual(new Set(['saturating']));
    expect(models({ nmdaModel: 'linear' })).toEqual(new Set(['linear']));
  });

  it('builds a valid graph with K pools, four interneuron classes and the role wiring', () => {
    const { graph, ids } = swtaModule({ pools: 3, poolSize: 50, prefix: 'a' });
    expect(validate(graph)).toBe(graph);
    expect(ids.pools).toEqual(['a.pyr0', 'a.pyr1', 'a.pyr2']);
    const has = (pre: string, post: string) => graph.projections.some((p) => p.pre === pre && p.post === post);
    // PV: feedforward inhibition — it sees every pool's input and inhibits the pools.
    for (const input of ids.inputs) expect(has(input, ids.pv)).toBe(true);
    expect(has(ids.pv, 'a.pyr1')).toBe(true);
    // SST: driven by the pools through facilitating synapses; inhibits pools and PV.
    const pyrToSst = graph.projections.find((p) => p.pre === 'a.pyr0' && p.post === ids.sst)!;
    expect(pyrToSst.stp!.tauFacilMs).toBeGreaterThan(0);
    expect(has(ids.sst, ids.pv)).toBe(true);
    // VIP: disinhibition onto SST, driven by its context input.
    expect(has(ids.vip, ids.sst)).toBe(true);
    expect(has(ids.vipDrive, ids.vip)).toBe(true);
    // LAMP5: slow GABA_A + GABA_B onto everything.
    const lamp5ToPyr = graph.projections.find((p) => p.pre === ids.lamp5 && p.post === 'a.pyr2')!;
    expect(lamp5ToPyr.components.map((c) => c.receptor)).toEqual(['GABA_A_slow', 'GABA_B']);
    // Recurrent excitation within a pool is denser than across pools.
    const within = graph.projections.find((p) => p.pre === 'a.pyr0' && p.post === 'a.pyr0')!;
    const across = graph.projections.find((p) => p.pre === 'a.pyr0' && p.post === 'a.pyr2')!;
    expect(within.connect).toMatchObject({ p: 0.3 });
    expect(across.connect).toMatchObject({ p: 0.02 });
  });

  it('interneuron counts follow §d1 fractions above the floor, and can be set', () => {
    const big = swtaModule({ pools: 4, poolSize: 500 }).graph.populations;
    expect(big.find((p) => p.cell === 'PV')!.size).toBe(Math.round((2000 * 0.03) / 0.9));
    const set = swtaModule({ pools: 2, poolSize: 10, counts: { SST: 3 } }).graph.populations;
    expect(set.find((p) => p.cell === 'SST')!.size).toBe(3);
  });

  it('neighbourP wires adjacent pools only', () => {
    const { graph } = swtaModule({ pools: 4, poolSize: 10, neighbourP: 0.2 });
    const p = (a: number, b: number) => graph.projections.find((x) => x.pre === `m.pyr${a}` && x.post === `m.pyr${b}`)!.connect;
    expect(p(1, 2)).toMatchObject({ p: 0.2 });
    expect(p(2, 1)).toMatchObject({ p: 0.2 });
    expect(p(0, 2)).toMatchObject({ p: 0.02 });
  });

  it('rejects a bad pool count with a clear error', () => {
    expect(() => swtaModule({ pools: 0, poolSize: 10 })).toThrow(/pools must be an integer ≥ 1, got 0/);
  });
});
