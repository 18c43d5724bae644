import { describe, expect, it } from 'vitest';
import { validate } from '../../../src/graph/index.ts';
import { L23_CELL_TYPES, type CellClass } from '../../../src/celltypes/l23.ts';
import { SWTA_DEFAULTS, SWTA_PATHWAYS, swtaModule } from '../../../src/motifs/swta-module.ts';
import { L23_G_RESTING_NS, l23Pathway } from '../../../src/synapses/l23-pathways.ts';

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

describe('swtaModule: balanced background and per-pathway conductances', () => {
  it('every population gets one AMPA and one GABA_A aggregate, one source neuron per cell, one-to-one', () => {
    const { graph, ids } = swtaModule({ pools: 2, poolSize: 30 });
    expect(validate(graph)).toBe(graph);
    for (const p of graph.populations) {
      for (const [suffix, receptor, pre] of [['bgE', 'AMPA', 'Pyr'], ['bgI', 'GABA_A', 'PV']] as const) {
        const src = graph.stimuli.find((s) => s.id === `${p.id}.${suffix}`);
        expect(src, `${p.id}.${suffix}`).toMatchObject({ kind: 'poisson', size: p.size });
        const pr = graph.projections.find((x) => x.pre === `${p.id}.${suffix}`)!;
        expect(pr.post).toBe(p.id);
        expect(pr.connect).toEqual({ rule: 'oneToOne' });
        // Kinetics of the class's own inputs: Pyr→class AMPA, PV→class GABA_A (§b1).
        const k = l23Pathway(pre, p.cell as CellClass).components[0]!;
        expect(pr.components).toEqual([{ receptor, gNs: expect.any(Number), tauRiseMs: k.tauRiseMs, tauDecayMs: k.tauDecayMs }]);
      }
    }
    expect(ids.backgrounds).toHaveLength(2 * graph.populations.length);
  });

  it('background false removes the aggregates; sharedBackground adds the shared fibres', () => {
    const none = swtaModule({ pools: 2, poolSize: 10, background: false });
    expect(none.ids.backgrounds).toEqual([]);
    expect(none.graph.stimuli.every((s) => !s.id.includes('.bg'))).toBe(true);
    const shared = swtaModule({ pools: 2, poolSize: 10, background: false, sharedBackground: { rateHz: 5, inDegree: 20, gNs: 0.5 } });
    expect(shared.ids.backgrounds).toEqual(['m.bg']);
    expect(shared.graph.projections.filter((p) => p.pre === 'm.bg')).toHaveLength(shared.graph.populations.length);
  });

  it('a per-class override replaces that class only', () => {
    const { graph } = swtaModule({ pools: 1, poolSize: 10, background: { PV: { excitation: { rateHz: 500, gNs: 3 }, inhibition: { rateHz: 1000, gNs: 1 } } } });
    expect(graph.stimuli.find((s) => s.id === 'm.pv.bgE')).toMatchObject({ rateHz: 500 });
    expect(graph.projections.find((p) => p.pre === 'm.pv.bgE')!.components[0]!.gNs).toBe(3);
    expect(graph.stimuli.find((s) => s.id === 'm.pyr0.bgE')).toMatchObject({ rateHz: SWTA_DEFAULTS.background.Pyr.excitation.rateHz });
  });

  it('per synapse, every inhibitory pathway stays within 4× its §c3 in-vitro conductance and below the target\'s g_L', () => {
    for (const pathway of SWTA_PATHWAYS) {
      const [pre, post] = pathway.split('->') as [CellClass, CellClass];
      if (pre === 'Pyr') continue;
      expect(SWTA_DEFAULTS.gScale[pathway], pathway).toBeLessThanOrEqual(4);
      expect(L23_G_RESTING_NS[pre][post] * SWTA_DEFAULTS.gScale[pathway], pathway).toBeLessThan(L23_CELL_TYPES[post].params.gLNs);
    }
  });

  it('gScale keys pathways pre->post: the PV→PV projection carries 1.78 nS × its factor', () => {
    const { graph, ids } = swtaModule({ pools: 1, poolSize: 10, gScale: { 'PV->PV': 2 } });
    const pvpv = graph.projections.find((p) => p.pre === ids.pv && p.post === ids.pv)!;
    expect(pvpv.components[0]!.gNs).toBeCloseTo(L23_G_RESTING_NS.PV.PV * 2, 12);
  });
});
