import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../../adapters/conductance/connectivity.ts';
import { compile } from '../../../adapters/conductance/index.ts';
import { emptyGraph, l23Projection } from '../../../src/graph/index.ts';
import type { Graph } from '../../../src/graph/types.ts';
import { Random } from '../../../src/random.ts';

/** A small recurrent E/I network driven by Poisson input: enough randomness to tell seeds apart. */
function network(): Graph {
  const g = emptyGraph('ei');
  const pyr = { id: 'pyr', size: 80, cell: 'Pyr' as const };
  const pv = { id: 'pv', size: 20, cell: 'PV' as const };
  g.populations.push({ ...pyr, mismatch: { vTSdMv: 1 } }, pv);
  g.stimuli.push({ kind: 'poisson', id: 'drive', size: 100, rateHz: 20 });
  g.projections.push(
    { id: 'in', pre: 'drive', post: 'pyr', connect: { rule: 'fixedInDegree', k: 20 }, components: [{ receptor: 'AMPA', gNs: 1.2 }], delayMs: 1 },
    { id: 'in-pv', pre: 'drive', post: 'pv', connect: { rule: 'fixedInDegree', k: 20 }, components: [{ receptor: 'AMPA', gNs: 1.5 }], delayMs: 1 },
    l23Projection('pyr->pyr', pyr, pyr),
    l23Projection('pyr->pv', pyr, pv, { gScale: 3 }),
    l23Projection('pv->pyr', pv, pyr),
  );
  g.probes.push({ id: 'sp', target: 'pyr', kind: 'spikes' }, { id: 'rate', target: 'pv', kind: 'rate' });
  return g;
}

function spikes(seed: number, ticks = 300): { t: number[]; i: number[] } {
  const e = compile(network(), { seed });
  e.run(ticks);
  const d = e.probe('sp');
  if (d.kind !== 'spikes') throw new Error();
  return { t: Array.from(d.timesMs), i: Array.from(d.indices) };
}

describe('conductance engine', () => {
  it('determinism: same seed, identical spike trains; different seeds, different trains', () => {
    const a = spikes(11);
    const b = spikes(11);
    const c = spikes(12);
    expect(a.t.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('reset() replays the same spikes', () => {
    const e = compile(network(), { seed: 5 });
    e.run(200);
    const first = e.probe('sp');
    if (first.kind !== 'spikes') throw new Error();
    const t1 = Array.from(first.timesMs);
    e.reset();
    expect(e.tick).toBe(0);
    e.run(200);
    const second = e.probe('sp');
    if (second.kind !== 'spikes') throw new Error();
    expect(Array.from(second.timesMs)).toEqual(t1);
  });

  it('step() frames hold the tick spikes and agree with the rate probe', () => {
    const e = compile(network(), { seed: 3 });
    let total = 0;
    for (let k = 0; k < 200; k++) {
      const f = e.step();
      expect(f.tick).toBe(k);
      expect(f.populations).toEqual(['pyr', 'pv']);
      total += f.counts[1]!;
    }
    const r = e.probe('rate');
    if (r.kind !== 'rate') throw new Error();
    expect(r.countsPerTick.length).toBe(200);
    expect(r.countsPerTick.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it('Poisson sources fire at their rate and follow setRate (4σ bounds)', () => {
    const g: Graph = { populations: [], projections: [], stimuli: [{ kind: 'poisson', id: 'p', size: 500, rateHz: 40 }], probes: [{ id: 'r', target: 'p', kind: 'rate' }] };
    const e = compile(g, { seed: 9 });
    e.run(1000);
    e.setRate('p', 5);
    e.run(1000);
    const r = e.probe('r');
    if (r.kind !== 'rate') throw new Error();
    const first = r.countsPerTick.subarray(0, 1000).reduce((a, b) => a + b, 0);
    const second = r.countsPerTick.subarray(1000).reduce((a, b) => a + b, 0);
    expect(Math.abs(first - 20_000)).toBeLessThan(4 * Math.sqrt(20_000));
    expect(Math.abs(second - 2500)).toBeLessThan(4 * Math.sqrt(2500));
    expect(() => e.setRate('p', NaN)).toThrow(/finite number/);
    expect(() => e.setRate('nope', 1)).toThrow(/not a Poisson source/);
  });

  it('injected spikes arrive after the projection delay', () => {
    const g: Graph = {
      populations: [{ id: 'n', size: 2, cell: 'PV' }],
      stimuli: [{ kind: 'spikes', id: 'port', size: 2 }],
      projections: [{ id: 'p', pre: 'port', post: 'n', connect: { rule: 'oneToOne' }, components: [{ receptor: 'AMPA', gNs: 1, tauRiseMs: 0, tauDecayMs: 2 }], delayMs: 3 }],
      probes: [{ id: 'g', target: 'n', kind: 'g', receptor: 'AMPA', neurons: [1] }],
    };
    const e = compile(g);
    e.step([{ source: 'port', indices: [1] }]);
    e.run(5);
    const d = e.probe('g');
    if (d.kind !== 'g') throw new Error();
    expect(Array.from(d.samples.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(d.samples[3]).toBeGreaterThan(0);
    expect(() => e.step([{ source: 'port', indices: [5] }])).toThrow(/outside \[0, 2\) of source 'port'/);
    expect(() => e.step([{ source: 'n', indices: [0] }])).toThrow(/not a 'spikes' source/);
  });

  it('rejects a dt that does not divide the tick', () => {
    expect(() => compile(network(), { dtMs: 0.3 })).toThrow(/must divide the 1 ms tick/);
  });

  it('unknown probe ids are named', () => {
    expect(() => compile(network()).probe('vm')).toThrow(/unknown probe 'vm'; probes of this graph: sp, rate/);
  });
});

describe('connectivity rules', () => {
  it('fixedProbability: synapse count within 4σ of p·N·(N−1), no autapses', () => {
    const rng = new Random(1);
    const csr = buildCsr({ rule: 'fixedProbability', p: 0.1 }, 400, 400, true, rng);
    const n = 400 * 399;
    expect(Math.abs(csr.post.length - 0.1 * n)).toBeLessThan(4 * Math.sqrt(n * 0.1 * 0.9));
    for (let i = 0; i < 400; i++) for (let k = csr.rowStart[i]!; k < csr.rowStart[i + 1]!; k++) expect(csr.post[k]).not.toBe(i);
  });

  it('fixedInDegree: exactly k distinct inputs per post neuron, no autapses', () => {
    const csr = buildCsr({ rule: 'fixedInDegree', k: 7 }, 30, 30, true, new Random(2));
    const inputs = Array.from({ length: 30 }, () => new Set<number>());
    for (let i = 0; i < 30; i++) for (let k = csr.rowStart[i]!; k < csr.rowStart[i + 1]!; k++) inputs[csr.post[k]!]!.add(i);
    inputs.forEach((s, j) => {
      expect(s.size).toBe(7);
      expect(s.has(j)).toBe(false);
    });
    expect(csr.post.length).toBe(210);
  });

  it('all, oneToOne and pairs', () => {
    expect(buildCsr({ rule: 'all' }, 3, 4, false, new Random(1)).post.length).toBe(12);
    expect(buildCsr({ rule: 'all' }, 3, 3, true, new Random(1)).post.length).toBe(6);
    expect(Array.from(buildCsr({ rule: 'oneToOne' }, 3, 3, false, new Random(1)).post)).toEqual([0, 1, 2]);
    const p = buildCsr({ rule: 'pairs', pre: [2, 0, 2], post: [1, 1, 0] }, 3, 2, false, new Random(1));
    expect(Array.from(p.rowStart)).toEqual([0, 1, 1, 3]);
  });
});
