import { describe, expect, it } from 'vitest';
import { compile } from '../../adapters/conductance/index.ts';
import { mapGraph } from '../../adapters/truenorth/compile.ts';
import type { Graph } from '../../src/graph/types.ts';
import { swtaModule } from '../../src/motifs/swta-module.ts';

/** The default two-pool sWTA module with mismatch, random initial V and spread weights on one projection. */
function module(): Graph {
  const g = swtaModule({ pools: 2, poolSize: 40, mismatch: { vTSdMv: 1, gLCv: 0.1 } }).graph;
  for (const p of g.populations) p.vInitMv = { fromMv: -70, toMv: -55 };
  g.projections.find((p) => p.id === 'm.pyr0->m.pyr0')!.weightSpread = { logNormalCv: 0.5 };
  return g;
}

const REMOVED = 'm.sst->m.pyr1';

function without(g: Graph, projectionId: string): Graph {
  return { ...g, projections: g.projections.filter((p) => p.id !== projectionId) };
}

describe('random substreams: one per projection, population and source (conductance)', () => {
  it('removing one projection leaves every other projection\'s synapses and every population\'s neurons identical', () => {
    const full = compile(module(), { seed: 9 });
    const reduced = compile(without(module(), REMOVED), { seed: 9 });
    const g = module();
    for (const pr of g.projections) {
      if (pr.id === REMOVED) continue;
      expect(reduced.synapses(pr.id), pr.id).toEqual(full.synapses(pr.id));
    }
    for (const p of g.populations) expect(reduced.drawnNeurons(p.id), p.id).toEqual(full.drawnNeurons(p.id));
    // The draws are real: mismatch and spread weights vary across neurons and synapses.
    expect(new Set(full.drawnNeurons('m.pv').vTMv).size).toBeGreaterThan(1);
    expect(full.synapses('m.pyr0->m.pyr0').weight).not.toBeNull();
  });

  it('a changed connection rule changes only that projection', () => {
    const g = module();
    const changed = module();
    changed.projections.find((p) => p.id === REMOVED)!.connect = { rule: 'fixedProbability', p: 0.9 };
    const a = compile(g, { seed: 4 });
    const b = compile(changed, { seed: 4 });
    expect(b.synapses(REMOVED)).not.toEqual(a.synapses(REMOVED));
    for (const pr of g.projections) if (pr.id !== REMOVED) expect(b.synapses(pr.id), pr.id).toEqual(a.synapses(pr.id));
  });

  it('removing one source leaves every other source\'s spikes identical', () => {
    const probe = (g: Graph): Graph => ({ ...g, probes: [{ id: 'in0', target: 'm.in0', kind: 'spikes' }] });
    const g = probe(module());
    const reduced = probe({ ...module(), stimuli: g.stimuli.filter((s) => s.id !== 'm.in1'), projections: g.projections.filter((p) => p.pre !== 'm.in1') });
    const spikes = (graph: Graph): number[] => {
      const e = compile(graph, { seed: 2 });
      e.setRate('m.in0', 20);
      e.run(50);
      const d = e.probe('in0');
      if (d.kind !== 'spikes') throw new Error('not a spike probe');
      return Array.from(d.indices, (i, k) => d.timesMs[k]! * 1000 + i);
    };
    const a = spikes(g);
    expect(a.length).toBeGreaterThan(50);
    expect(spikes(reduced)).toEqual(a);
  });

  it('same seed, same spikes; different seed, different spikes', () => {
    const spikes = (seed: number): number[] => {
      const g = module();
      g.probes.push({ id: 'sp', target: 'm.pyr0', kind: 'spikes' });
      const e = compile(g, { seed });
      e.setRate('m.in0', 20);
      e.setRate('m.in1', 12);
      e.run(150);
      const d = e.probe('sp');
      if (d.kind !== 'spikes') throw new Error('not a spike probe');
      return [...Array.from(d.timesMs), ...Array.from(d.indices)];
    };
    const a = spikes(5);
    expect(a.length).toBeGreaterThan(100);
    expect(spikes(5)).toEqual(a);
    expect(spikes(6)).not.toEqual(a);
  });
});

describe('random substreams (TrueNorth mapping)', () => {
  // A projection onto a pool: its removal changes that pool's realization but neither the core
  // groups nor the other groups' windows (a removal that resizes a shared window redraws the
  // synapses that window feeds: placement couples the projections of one core group).
  const removed = 'm.vip->m.pyr1';

  it('removing one projection leaves the synapses and initial potentials of the other targets identical', () => {
    const full = mapGraph(module(), { seed: 9 }).netlist;
    const reduced = mapGraph(without(module(), removed), { seed: 9 }).netlist;
    const post = module().projections.find((p) => p.id === removed)!.post;
    expect(reduced.populations.map((p) => p.coreGroup)).toEqual(full.populations.map((p) => p.coreGroup));
    const elsewhere = (id: string): boolean => id !== post && !id.startsWith(`${post}#`);
    const others = (n: typeof full) => n.projections.filter((p) => elsewhere(p.post) && !p.id.startsWith(removed));
    const rf = others(full);
    expect(rf.length).toBeGreaterThan(100);
    expect(others(reduced)).toEqual(rf);
    const v0 = (n: typeof full) => n.populations.filter((p) => elsewhere(p.id)).map((p) => [p.id, Array.from(p.v0 ?? [])]);
    expect(v0(reduced)).toEqual(v0(full));
  });
});
