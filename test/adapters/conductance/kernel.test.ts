import { describe, expect, it } from 'vitest';
import { compile } from '../../../adapters/conductance/index.ts';
import type { Graph } from '../../../src/graph/types.ts';

const LIF = { cPf: 200, gLNs: 10, eLMv: -60, deltaTMv: 0, vTMv: -50, vRMv: -60, vPeakMv: -50, tRefMs: 5, aNs: 0, bPa: 0, tauWMs: 100 };

function oneNeuron(extra: Partial<Graph>): Graph {
  return {
    populations: [{ id: 'n', size: 1, cell: 'custom', params: LIF }],
    projections: [],
    stimuli: [],
    probes: [{ id: 'v', target: 'n', kind: 'v' }, { id: 'sp', target: 'n', kind: 'spikes' }],
    ...extra,
  };
}

describe('conductance kernels against closed forms', () => {
  it('passive charging under a current step follows forward Euler of C dV/dt = −gL(V−EL) + I', () => {
    // I = 50 pA → V∞ = EL + I/gL = −55 mV (below threshold); Euler: V_n = V∞ + (V0 − V∞)(1 − dt/τ)^n.
    const e = compile(oneNeuron({ stimuli: [{ kind: 'current', id: 'i', target: 'n', segments: [{ startMs: 0, fromPa: 50 }] }] }));
    e.run(40);
    const d = e.probe('v');
    if (d.kind !== 'v') throw new Error();
    const tau = 200 / 10;
    for (const tick of [0, 9, 39]) {
      const steps = (tick + 1) * 10;
      const expected = -55 + (-60 + 55) * Math.pow(1 - 0.1 / tau, steps);
      expect(d.samples[tick]).toBeCloseTo(expected, 10);
    }
  });

  it('a single-exponential synapse decays exactly: g(t) = w·exp(−(t − t_arrival)/τ)', () => {
    const g = oneNeuron({
      stimuli: [{ kind: 'spikes', id: 'in', size: 1, timesMs: [0], indices: [0] }],
      projections: [{ id: 'syn', pre: 'in', post: 'n', connect: { rule: 'all' }, components: [{ receptor: 'AMPA', gNs: 2, tauRiseMs: 0, tauDecayMs: 5 }], delayMs: 1 }],
      probes: [{ id: 'g', target: 'n', kind: 'g', receptor: 'AMPA' }],
    });
    const e = compile(g);
    e.run(30);
    const d = e.probe('g');
    if (d.kind !== 'g') throw new Error();
    // Spike at step 0, delay 10 steps → arrives at step 10 (t = 1 ms). The sample at the end of tick k is taken after step 10k + 9.
    for (const tick of [1, 5, 20]) {
      const stepsSinceArrival = tick * 10 + 9 - 10;
      expect(d.samples[tick]).toBeCloseTo(2 * Math.exp((-stepsSinceArrival * 0.1) / 5), 12);
    }
    expect(d.samples[0]).toBe(0);
  });

  it('a silent channel decays to exactly 0 through normal doubles, never a subnormal (flushTiny)', () => {
    const g = oneNeuron({
      stimuli: [{ kind: 'spikes', id: 'in', size: 1, timesMs: [0], indices: [0] }],
      projections: [{ id: 'syn', pre: 'in', post: 'n', connect: { rule: 'all' }, components: [{ receptor: 'AMPA', gNs: 2, tauRiseMs: 0.5, tauDecayMs: 1 }], delayMs: 1 }],
      probes: [{ id: 'g', target: 'n', kind: 'g', receptor: 'AMPA' }],
    });
    for (const kernel of ['fused', 'reference'] as const) {
      const e = compile(g, { kernel });
      // Unflushed, A = 2·e^(−t/1 ms) would pass 2.2e-308 at t ≈ 710 ms and stay subnormal to ≈ 745 ms.
      e.run(800);
      const d = e.probe('g');
      if (d.kind !== 'g') throw new Error();
      expect(d.samples[300]).toBeGreaterThan(1e-150);
      expect(Array.from(d.samples).filter((x) => x !== 0 && Math.abs(x) < 2.2250738585072014e-308)).toEqual([]);
      expect(d.samples[799]).toBe(0);
    }
  });

  it('a bi-exponential synapse peaks at gNs', () => {
    const g = oneNeuron({
      stimuli: [{ kind: 'spikes', id: 'in', size: 1, timesMs: [0], indices: [0] }],
      projections: [{ id: 'syn', pre: 'in', post: 'n', connect: { rule: 'all' }, components: [{ receptor: 'NMDA', gNs: 1.5 }], delayMs: 0.1 }],
      probes: [{ id: 'g', target: 'n', kind: 'g', receptor: 'NMDA' }],
    });
    const e = compile(g, { dtMs: 0.05 });
    e.run(60);
    const d = e.probe('g');
    if (d.kind !== 'g') throw new Error();
    const peak = Math.max(...d.samples);
    expect(peak).toBeGreaterThan(1.49);
    expect(peak).toBeLessThanOrEqual(1.5 + 1e-9);
  });

  it('refractoriness holds V at V_r for t_ref, then integration resumes', () => {
    const e = compile(oneNeuron({ stimuli: [{ kind: 'current', id: 'i', target: 'n', segments: [{ startMs: 0, fromPa: 400 }] }] }));
    e.run(100);
    const sp = e.probe('sp');
    if (sp.kind !== 'spikes') throw new Error();
    const t = Array.from(sp.timesMs);
    expect(t.length).toBeGreaterThan(3);
    // LIF with I = 400 pA: V∞ = −20 mV; time to threshold from V_r: τ ln((V∞ − V_r)/(V∞ − V_T)) = 20 ln(40/30) = 5.75 ms,
    // plus t_ref 5 ms minus the one step in which the spike is emitted: ISI ≈ 10.7–10.9 ms with Euler at 0.1 ms.
    const isi = t[2]! - t[1]!;
    expect(isi).toBeGreaterThan(10.5);
    expect(isi).toBeLessThan(11.0);
  });

  it('STP scales successive arrivals by u·R/U (depressing Pyr→Pyr: second of a 50-Hz pair ≈ 0.90)', () => {
    const g = oneNeuron({
      stimuli: [{ kind: 'spikes', id: 'in', size: 1, timesMs: [0, 20], indices: [0, 0] }],
      projections: [{ id: 'syn', pre: 'in', post: 'n', connect: { rule: 'all' }, components: [{ receptor: 'AMPA', gNs: 1, tauRiseMs: 0, tauDecayMs: 1 }], delayMs: 0.1, stp: { U: 0.1, tauRecMs: 300, tauFacilMs: 0 } }],
      probes: [{ id: 'g', target: 'n', kind: 'g', receptor: 'AMPA' }],
    });
    const e = compile(g);
    e.run(25);
    const d = e.probe('g');
    if (d.kind !== 'g') throw new Error();
    // Sample at the end of tick 0 (step 9): 8 steps after the arrival at step 1; tick 20 likewise
    // (plus e^{−20} ≈ 2e−9 left of the first arrival, hence 7 digits).
    const ratio = d.samples[20]! / d.samples[0]!;
    const r2 = 1 - (1 - 1 * (1 - 0.1)) * Math.exp(-20 / 300);
    expect(ratio).toBeCloseTo(r2, 7);
  });

  it('a non-finite membrane potential is an error naming the population', () => {
    // Two overlapping 1e308-pA segments sum to Infinity: the graph is valid, the state is not.
    const g = oneNeuron({ stimuli: [{ kind: 'current', id: 'i', target: 'n', segments: [{ startMs: 0, fromPa: 1e308 }, { startMs: 0, fromPa: 1e308 }] }] });
    const e = compile(g);
    expect(() => e.run(2)).toThrow(/population 'n'.*membrane potential became/);
  });
});
