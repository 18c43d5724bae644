/**
 * The TrueNorth engine behind the Engine contract: inbound and replayed spikes reach their targets
 * with their delay, frames and probes agree, setRate and reset work, and the same seed gives the
 * same spikes.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../adapters/truenorth/compile.ts';
import { TrueNorthEngine } from '../../../adapters/truenorth/engine.ts';
import { mapNetlist, TrueNorthMappingError, type NeuronTemplate } from '../../../adapters/truenorth/mapper.ts';
import type { Graph } from '../../../src/graph/types.ts';
import { swtaModule, type SwtaModuleOptions } from '../../../src/motifs/swta-module.ts';
import { TEST_GAINS } from './gains.ts';

const RELAY: NeuronTemplate = {
  b0: 0, b1: 0, b2: 0, b3: 0, sigma_lambda: 1, lambda: 0, c_lambda: 0, epsilon: 0,
  alpha: 1, beta: 0, TM: 0, gamma: 0, kappa: 1, sigma_VR: 1, VR: 0,
};

/** A graph and a hand-made model: 'port' (spikes source, 4 indices) → relays 'r' one to one, 3 ms. */
function relayEngine(): TrueNorthEngine {
  const graph: Graph = {
    populations: [{ id: 'r', size: 4, cell: 'Pyr' }],
    projections: [{ id: 'port->r', pre: 'port', post: 'r', connect: { rule: 'oneToOne' }, components: [{ receptor: 'AMPA', gNs: 1 }], delayMs: 3 }],
    stimuli: [{ kind: 'spikes', id: 'port', size: 4, timesMs: [5, 6], indices: [2, 3] }],
    probes: [{ id: 'rate', target: 'r', kind: 'rate' }, { id: 'spk', target: 'r', kind: 'spikes' }, { id: 'in', target: 'port', kind: 'rate' }],
  };
  const model = mapNetlist(
    {
      populations: [{ id: 'r', size: 4, neuron: RELAY }],
      sources: [{ id: 'port', size: 4 }],
      projections: [{ id: 'port->r', pre: 'port', post: 'r', weight: 1, delayMs: 3, synapses: { pre: [0, 1, 2, 3], post: [0, 1, 2, 3] } }],
    },
    { seed: 1 },
  );
  return new TrueNorthEngine(graph, model, { seed: 1 });
}

describe('TrueNorth engine: host input, frames, probes', () => {
  it('an inbound spike at tick t reaches its target after the projection delay; replayed spikes too', () => {
    const e = relayEngine();
    const fired: [number, number][] = [];
    for (let t = 0; t < 12; t++) {
      const f = e.step(t === 1 ? [{ source: 'port', indices: [0, 1, 1], count: 2 }] : undefined);
      expect(f.tick).toBe(t);
      expect(f.populations).toEqual(['r']);
      for (let k = 0; k < f.counts[0]!; k++) fired.push([t, f.indices[0]![k]!]);
    }
    // inbound 0 and 1 at tick 1 → tick 4; replayed 2 at 5 ms → tick 8, 3 at 6 ms → tick 9
    expect(fired).toEqual([[4, 0], [4, 1], [8, 2], [9, 3]]);
    const rate = e.probe('rate');
    expect(rate.kind === 'rate' && Array.from(rate.countsPerTick)).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 1, 1, 0, 0]);
    const spk = e.probe('spk');
    expect(spk.kind === 'spikes' && [Array.from(spk.timesMs), Array.from(spk.indices)]).toEqual([[4, 4, 8, 9], [0, 1, 2, 3]]);
    const src = e.probe('in');
    expect(src.kind === 'rate' && Array.from(src.countsPerTick).slice(0, 7)).toEqual([0, 2, 0, 0, 0, 1, 1]);
  });

  it('two inbound spikes for one index in one tick merge (an axon spikes once per tick) and are counted', () => {
    const e = relayEngine();
    e.step([{ source: 'port', indices: [1, 1, 1] }]);
    expect(e.mergedInputs).toBe(2);
  });

  it('reset replays the same run; inbound spikes must name a spikes source', () => {
    const e = relayEngine();
    e.run(12);
    e.reset();
    expect(e.tick).toBe(0);
    e.run(12);
    const spk = e.probe('spk');
    expect(spk.kind === 'spikes' && Array.from(spk.timesMs)).toEqual([8, 9]);
    expect(() => e.step([{ source: 'nope', indices: [0] }])).toThrow(/'nope', which is not a 'spikes' source/);
    expect(() => e.setRate('port', 5)).toThrow(/not a Poisson source/);
  });
});

/**
 * An earlier sWTA operating point (shared 5-Hz background fibres, a 16-cell interneuron floor,
 * larger conductance scales, no per-neuron background), the one TEST_GAINS were made for.
 */
const LEGACY_MODULE_OPTIONS = {
  minInterneurons: 16,
  withinPoolP: 0.3,
  crossPoolP: 0.02,
  inputFibres: 100,
  inputInDegree: 50,
  inputGNs: 1.0,
  inputToPvGNs: 0.6,
  contextInDegree: 20,
  vipDriveGNs: 1.0,
  lamp5DriveGNs: 5.0,
  recurrentNmdaScale: 2.5,
  gScale: {
    'Pyr->Pyr': 8, 'Pyr->PV': 3, 'Pyr->SST': 3, 'Pyr->VIP': 3, 'Pyr->LAMP5': 3,
    'PV->Pyr': 14, 'PV->PV': 12,
    'SST->Pyr': 16, 'SST->PV': 14, 'SST->VIP': 14, 'SST->LAMP5': 14,
    'VIP->SST': 10, 'VIP->PV': 10, 'VIP->VIP': 10, 'VIP->Pyr': 10,
    'LAMP5->Pyr': 8, 'LAMP5->PV': 1, 'LAMP5->SST': 1, 'LAMP5->VIP': 1, 'LAMP5->LAMP5': 1,
  },
  background: false,
  sharedBackground: { rateHz: 5, inDegree: 20, gNs: 0.5 },
} as const satisfies Omit<SwtaModuleOptions, 'prefix' | 'pools' | 'poolSize'>;

describe('TrueNorth engine on the sWTA module (gain-matched)', () => {
  // The module at the previous (hard-threshold, no per-neuron background) operating point that
  // TEST_GAINS were made for: these tests are of the engine's mechanics, not of the calibration.
  const graph = (): Graph => {
    const m = swtaModule({ ...LEGACY_MODULE_OPTIONS, pools: 2, poolSize: 40, prefix: 'm' });
    for (const p of m.graph.populations) m.graph.probes.push({ id: p.id, target: p.id, kind: 'rate' });
    return m.graph;
  };
  const runRaster = (e: TrueNorthEngine, ticks: number): string => {
    e.setRate('m.in0', 20);
    e.setRate('m.in1', 10);
    const out: string[] = [];
    for (let t = 0; t < ticks; t++) {
      const f = e.step();
      out.push(f.populations.map((_, p) => Array.from(f.indices[p]!.subarray(0, f.counts[p]!)).join(',')).join('|'));
    }
    return out.join(';');
  };

  it('same seed, same spikes (new engine or reset); another seed, other spikes', () => {
    const g = graph();
    const a = compile(g, { seed: 7, gains: TEST_GAINS });
    const r1 = runRaster(a, 300);
    expect(r1.replace(/[;|]/g, '').length).toBeGreaterThan(0);
    expect(runRaster(compile(g, { seed: 7, gains: TEST_GAINS }), 300)).toBe(r1);
    a.reset();
    expect(runRaster(a, 300)).toBe(r1);
    expect(runRaster(compile(g, { seed: 8, gains: TEST_GAINS }), 300)).not.toBe(r1);
  });

  it('rate probes count the frame spikes; setRate moves the pools; the winner is the pool with the larger input', () => {
    const g = graph();
    const e = compile(g, { seed: 3, gains: TEST_GAINS });
    const mean = (id: string, from: number): number => {
      const d = e.probe(id);
      if (d.kind !== 'rate') throw new Error('rate');
      let s = 0;
      for (let t = from; t < d.countsPerTick.length; t++) s += d.countsPerTick[t]!;
      return (s / d.size / (d.countsPerTick.length - from)) * 1000;
    };
    let frameSpikes = 0;
    e.setRate('m.in0', 22);
    e.setRate('m.in1', 10);
    for (let t = 0; t < 800; t++) frameSpikes += e.step().counts[0]!;
    const d = e.probe('m.pyr0');
    expect(d.kind === 'rate' && d.countsPerTick.reduce((a, b) => a + b, 0)).toBe(frameSpikes);
    const w = mean('m.pyr0', 300);
    const l = mean('m.pyr1', 300);
    expect(w).toBeGreaterThan(15);
    expect(l).toBeLessThan(w / 2);
    e.reset();
    e.setRate('m.in0', 0);
    e.setRate('m.in1', 0);
    e.run(800);
    expect(mean('m.pyr0', 300)).toBeLessThan(w / 4);
    expect(() => e.setRate('m.pv', 3)).toThrow(/Poisson sources: m\.in0, m\.in1/);
  });

  it('what TrueNorth cannot represent fails at compile with the reason', () => {
    const g = graph();
    g.probes.push({ id: 'vm', target: 'm.pv', kind: 'v', neurons: [0] });
    expect(() => compile(g, { seed: 1, gains: TEST_GAINS })).toThrow(/kind 'v' has no TrueNorth counterpart/);
    const h = graph();
    h.stimuli.push({ kind: 'current', id: 'step', target: 'm.pv', segments: [{ startMs: 0, fromPa: 100 }] });
    expect(() => compile(h, { seed: 1, gains: TEST_GAINS })).toThrow(TrueNorthMappingError);
    expect(() => compile(h, { seed: 1, gains: TEST_GAINS })).toThrow(/current injection 'step'/);
  });
});
