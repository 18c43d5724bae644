import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, type CompileOptions } from '../../../adapters/conductance/index.ts';
import { TWO_M } from '../../../adapters/conductance/fast-exp.ts';
import { EXPONENT_BIAS } from '../../../adapters/conductance/wasm-lanes.ts';
import { emptyGraph, l23Projection } from '../../../src/graph/index.ts';
import type { Graph } from '../../../src/graph/types.ts';
import { swtaModule } from '../../../src/motifs/swta-module.ts';
import { cobaGraph } from '../../../scenarios/coba/network.ts';

/** Spike rasters of every population, and the v and conductance samples the graph's probes record. */
function record(graph: Graph, ticks: number, options: CompileOptions, setup: (e: ReturnType<typeof compile>) => void = () => {}): { spikes: number[][]; samples: number[][] } {
  const g = structuredClone(graph);
  for (const p of g.populations) g.probes.push({ id: `spikes:${p.id}`, target: p.id, kind: 'spikes' });
  const e = compile(g, { seed: 7, ...options });
  setup(e);
  e.run(ticks);
  const spikes: number[][] = [];
  const samples: number[][] = [];
  for (const pb of g.probes) {
    const d = e.probe(pb.id);
    if (d.kind === 'spikes') spikes.push([...d.timesMs, ...d.indices]);
    else if (d.kind === 'v' || d.kind === 'w' || d.kind === 'g') samples.push(Array.from(d.samples));
  }
  return { spikes, samples };
}

/** Equal as doubles, bit for bit (Object.is: −0 and NaN included). */
function identical(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i]!.length && x.every((q, j) => Object.is(q, b[i]![j])));
}

const WASM_VARIANTS: CompileOptions[] = [{ kernel: 'wasm', simd: true }, { kernel: 'wasm', simd: false }];

describe('WebAssembly kernels (f64) against the JS kernels', () => {
  it('the default sWTA module (2 pools of 80, seed 7, 1 s, both pools driven): identical spike rasters, v and NMDA/GABA_A/AMPA conductances', () => {
    const m = swtaModule({ pools: 2, poolSize: 80 });
    const g = m.graph;
    for (const receptor of ['NMDA', 'GABA_A', 'AMPA'] as const) g.probes.push({ id: `g:${receptor}`, target: m.ids.pools[0]!, kind: 'g', receptor, neurons: [0, 1, 2, 79] });
    g.probes.push({ id: 'v:pv', target: m.ids.pv, kind: 'v' }, { id: 'w:pyr', target: m.ids.pools[1]!, kind: 'w' });
    const drive = (e: ReturnType<typeof compile>): void => {
      e.setRate(m.ids.inputs[0]!, 20);
      e.setRate(m.ids.inputs[1]!, 14);
    };
    const js = record(g, 1000, { kernel: 'fused' }, drive);
    expect(js.spikes.reduce((n, s) => n + s.length / 2, 0)).toBeGreaterThan(3000);
    for (const o of WASM_VARIANTS) {
      const wasm = record(g, 1000, o, drive);
      expect(identical(wasm.spikes, js.spikes), `spikes, simd ${o.simd}`).toBe(true);
      expect(identical(wasm.samples, js.samples), `samples, simd ${o.simd}`).toBe(true);
    }
  });

  it('COBA (4000 LIF, seed 7, 1 s): identical spike rasters and conductances', () => {
    const g = cobaGraph();
    g.probes.push({ id: 'gE', target: 'E', kind: 'g', receptor: 'AMPA', neurons: [0, 1, 3199] }, { id: 'gI', target: 'I', kind: 'g', receptor: 'GABA_A', neurons: [0, 799] });
    const js = record(g, 1000, { kernel: 'fused' });
    expect(js.spikes[0]!.length / 2).toBeGreaterThan(20000);
    const wasm = record(g, 1000, { kernel: 'wasm' });
    expect(identical(wasm.spikes, js.spikes)).toBe(true);
    expect(identical(wasm.samples, js.samples)).toBe(true);
  });

  it('every receptor, mismatch, log-normal weights, STP, odd population sizes and a v outside the fast exponential range: identical to the reference kernels', () => {
    const g = emptyGraph('rich');
    const pyr = { id: 'pyr', size: 61, cell: 'Pyr' as const };
    const pv = { id: 'pv', size: 15, cell: 'PV' as const };
    const sst = { id: 'sst', size: 10, cell: 'SST' as const };
    const vip = { id: 'vip', size: 9, cell: 'VIP' as const };
    const lamp5 = { id: 'lamp5', size: 8, cell: 'LAMP5' as const };
    // PV starts far below rest: (v − V_T)/Δ_T < −708 there, which takes the scalar path (Math.exp) until it relaxes.
    g.populations.push({ ...pyr, mismatch: { vTSdMv: 1.5, gLCv: 0.1 } }, { ...pv, vInitMv: { fromMv: -1500, toMv: -1000 } }, sst, vip, lamp5);
    g.stimuli.push({ kind: 'poisson', id: 'drive', size: 200, rateHz: 15 });
    const all = [pyr, pv, sst, vip, lamp5];
    for (const post of all) {
      g.projections.push({ id: `drive->${post.id}`, pre: 'drive', post: post.id, connect: { rule: 'fixedInDegree', k: 40 }, components: [{ receptor: 'AMPA', gNs: 0.8 }], weightSpread: { logNormalCv: 0.5 }, delayMs: 1 });
    }
    for (const pre of all) for (const post of all) g.projections.push(l23Projection(`${pre.id}->${post.id}`, pre, post, { gScale: 2 }));
    g.probes.push({ id: 'nmda', target: 'pyr', kind: 'g', receptor: 'NMDA', neurons: [0, 60] }, { id: 'vpv', target: 'pv', kind: 'v' });
    const reference = record(g, 400, { kernel: 'reference' });
    expect(reference.samples[1]![0]).toBeLessThan(-700);
    for (const o of WASM_VARIANTS) {
      const wasm = record(g, 400, o);
      expect(identical(wasm.spikes, reference.spikes), `spikes, simd ${o.simd}`).toBe(true);
      expect(identical(wasm.samples, reference.samples), `samples, simd ${o.simd}`).toBe(true);
    }
  });

  it('tiny state is flushed to exactly 0 as by the JS kernels: one spike, then 1.5 s of decay (τ 3 ms: below 1e-200 after 1.4 s)', () => {
    const g = emptyGraph('flush');
    g.populations.push({ id: 'p', size: 3, cell: 'SST' });
    g.stimuli.push({ kind: 'spikes', id: 'in', size: 1, timesMs: [1], indices: [0] });
    g.projections.push({ id: 'in->p', pre: 'in', post: 'p', connect: { rule: 'all' }, components: [{ receptor: 'AMPA', gNs: 2, tauRiseMs: 0.3, tauDecayMs: 3 }], delayMs: 2 });
    g.probes.push({ id: 'g', target: 'p', kind: 'g', receptor: 'AMPA' }, { id: 'w', target: 'p', kind: 'w' });
    const js = record(g, 1500, { kernel: 'fused' });
    const wasm = record(g, 1500, { kernel: 'wasm' });
    expect(identical(wasm.samples, js.samples)).toBe(true);
    expect(js.samples[0]!.at(-1)).toBe(0);
    expect(js.samples[0]![10]).toBeGreaterThan(0);
  });

  it('reset() restores the initial state: a second run repeats the first bit for bit', () => {
    const m = swtaModule({ pools: 2, poolSize: 20 });
    m.graph.probes.push({ id: 's', target: m.ids.pools[0]!, kind: 'spikes' });
    const e = compile(m.graph, { seed: 3, kernel: 'wasm' });
    const run = (): number[] => {
      e.setRate(m.ids.inputs[0]!, 25);
      e.run(300);
      const d = e.probe('s');
      return d.kind === 'spikes' ? [...d.timesMs, ...d.indices] : [];
    };
    const first = run();
    e.reset();
    expect(first.length).toBeGreaterThan(20);
    expect(run()).toEqual(first);
  });

  it('a non-finite membrane potential fails with the same message as the JS kernels', () => {
    const g = emptyGraph('nan');
    // A capacitance of 1e-300 pF: the first current step sends v to Infinity, the next one to NaN.
    g.populations.push({ id: 'p', size: 4, cell: 'Pyr', params: { cPf: 1e-300 } });
    g.stimuli.push({ kind: 'current', id: 'i', target: 'p', segments: [{ startMs: 2, fromPa: -100 }] });
    const message = (kernel: 'fused' | 'wasm'): string => {
      try {
        compile(g, { kernel }).run(5);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(message('wasm')).toMatch(/^population 'p' at t = 2\.\d+ ms: membrane potential became NaN at neuron 0/);
    expect(message('wasm')).toBe(message('fused'));
  });

  it('2^m built from its bits is exactly fastExp\'s scale table', () => {
    for (let m = -1022; m <= 1023; m++) {
      const bits = new Float64Array(new BigInt64Array([BigInt(m + EXPONENT_BIAS) << 52n]).buffer)[0];
      expect(Object.is(bits, TWO_M[m + 1022])).toBe(true);
    }
  });

  it('the kernel module loads without Node APIs: the instantiation file imports nothing', () => {
    const source = readFileSync(new URL('../../../adapters/conductance/wasm-instance.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\./);
  });
});
