import { describe, expect, it } from 'vitest';
import { validateNetwork } from '../../src/graph/network.ts';
import { WM_DEFAULTS, workingMemoryNetwork } from '../../src/motifs/working-memory.ts';

describe('workingMemoryNetwork', () => {
  it('builds two coupled modules, the transition module and the control as a valid runtime network', () => {
    const { network, ids } = workingMemoryNetwork();
    expect(() => validateNetwork(network)).not.toThrow();
    expect(network.modules.map((m) => m.id)).toEqual(['wm0', 'wm1', 'trans', 'ctrl']);
    expect(ids.coupled).toEqual(['wm0', 'wm1']);
    expect(ids.statePools).toEqual([
      [{ module: 'wm0', population: 'wm0.pyr0' }, { module: 'wm1', population: 'wm1.pyr0' }],
      [{ module: 'wm0', population: 'wm0.pyr1' }, { module: 'wm1', population: 'wm1.pyr1' }],
    ]);
    expect(ids.transitions).toEqual({ '0->1': 'trans.t0to1', '1->0': 'trans.t1to0' });
    // The control has no link at all; it is the same sWTA module, uncoupled.
    expect(network.links.some((l) => l.from.module === 'ctrl' || l.to.module === 'ctrl')).toBe(false);
    const wm1 = network.modules.find((m) => m.id === 'wm1')!.graph;
    const coupling = wm1.projections.find((p) => p.id === 'wm1.x.wm0.pyr0->wm1.pyr0')!;
    expect(coupling.connect).toEqual({ rule: 'fixedProbability', p: WM_DEFAULTS.coupling.pyrP });
    // NMDA only (an AMPA component at 0 nS is left out), with the coupling's fast depression.
    expect(coupling.components.map((c) => [c.receptor, c.gNs])).toEqual([['NMDA', WM_DEFAULTS.coupling.nmdaGNs]]);
    expect(coupling.stp).toEqual(WM_DEFAULTS.coupling.stp);
  });

  it('gives the modules their balanced per-neuron background and the transition cells their own, weaker one', () => {
    const { network } = workingMemoryNetwork();
    const wm0 = network.modules.find((m) => m.id === 'wm0')!.graph;
    const pyrBgE = wm0.projections.find((p) => p.id === 'wm0.pyr0.bgE->wm0.pyr0')!;
    expect(pyrBgE.connect).toEqual({ rule: 'oneToOne' });
    expect(pyrBgE.components[0]!.gNs).toBe(WM_DEFAULTS.module.background && WM_DEFAULTS.module.background.Pyr!.excitation.gNs);
    const trans = network.modules.find((m) => m.id === 'trans')!.graph;
    const tBgE = trans.projections.find((p) => p.id === 'trans.t0to1.bgE->trans.t0to1')!;
    const tBg = WM_DEFAULTS.transition.background;
    expect(tBg && tBgE.components[0]!.gNs).toBe(tBg && tBg.excitation.gNs);
    expect(tBg && tBg.excitation.gNs).toBeLessThan(pyrBgE.components[0]!.gNs);
    // No shared fibres anywhere: every background process is one neuron's.
    expect(network.modules.some((m) => m.graph.stimuli.some((s) => s.id.endsWith('.bg')))).toBe(false);
  });

  it('links corresponding pools of every ordered module pair, pools to transitions and transitions to target pools', () => {
    for (const [M, K] of [[2, 2], [3, 3]] as const) {
      const { network } = workingMemoryNetwork({ modules: M, pools: K, poolSize: 10 });
      expect(() => validateNetwork(network)).not.toThrow();
      const count = (pred: (from: string, to: string) => boolean): number => network.links.filter((l) => pred(l.from.module, l.to.module)).length;
      expect(count((f, t) => f.startsWith('wm') && t.startsWith('wm'))).toBe(M * (M - 1) * K);
      expect(count((f, t) => f.startsWith('wm') && t === 'trans')).toBe(M * K);
      expect(count((f, t) => f === 'trans' && t.startsWith('wm'))).toBe(M * K * (K - 1));
    }
  });

  it('applies the weight jitter to every projection and mismatch to every population, transition cells included', () => {
    const { network } = workingMemoryNetwork({ weightCv: 0.1, module: { mismatch: { vTSdMv: 2, gLCv: 0.1 } }, control: false });
    for (const m of network.modules) {
      for (const p of m.graph.projections) expect(p.weightSpread, p.id).toEqual({ logNormalCv: 0.1 });
      for (const p of m.graph.populations) expect(p.mismatch, p.id).toEqual({ vTSdMv: 2, gLCv: 0.1 });
    }
    expect(network.modules.map((m) => m.id)).toEqual(['wm0', 'wm1', 'trans']);
  });

  it('rejects a network without a coupling partner or with a single state', () => {
    expect(() => workingMemoryNetwork({ modules: 1 })).toThrow(/modules must be an integer ≥ 2/);
    expect(() => workingMemoryNetwork({ pools: 1 })).toThrow(/pools must be an integer ≥ 2/);
    expect(() => workingMemoryNetwork({ weightCv: -1 })).toThrow(/weightCv/);
  });
});
