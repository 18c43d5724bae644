/**
 * Gain matching: the TrueNorth neuron as a linear-threshold unit (§5.5 closed form), the integer
 * realization of LTU coefficients, the class-gain fit recovering known gains, and the committed
 * calibration reproduced on the emulator with a fixed seed.
 */
import { describe, expect, it } from 'vitest';
import { compile, mapGraph } from '../../../adapters/truenorth/compile.ts';
import { fitClassGains, r2Rmse, type TransferCondition } from '../../../src/calibration/class-gain-fit.ts';
import { loadGainMatch, loadPopulationTransfer } from '../../../src/calibration/gain-matching-artifact.ts';
import { backgroundSources, limitedClasses, ltuNetwork, steadyRates, unitOutput, type GainsByClass } from '../../../src/calibration/ltu-network.ts';
import { splitStaggered, staggeredLeaks, mergeSubPopulations } from '../../../adapters/truenorth/staggered-leaks.ts';
import { realizeUnit, TN_ALPHA_MAX, TN_LEAK_MAX, TN_WEIGHT_MAX } from '../../../src/calibration/tn-realization.ts';
import type { Graph } from '../../../src/graph/types.ts';
import { calibrationModule, trueNorthRates } from '../../../scenarios/gain-matching/measure.ts';
import { HELD_OUT_SEEDS, heldOutR2 } from '../../../scenarios/gain-matching/scenario.ts';
import { fitShapedGains } from '../../../src/calibration/shaped-gain-fit.ts';
import { TEST_GAINS } from './gains.ts';

/** One PV population of 60 driven by 200 Poisson fibres (fan-in 40 in the graph), no recurrence. */
function feedforward(rateHz: number): Graph {
  return {
    populations: [{ id: 'p', size: 60, cell: 'PV' }],
    projections: [{ id: 'in->p', pre: 'in', post: 'p', connect: { rule: 'fixedInDegree', k: 40 }, components: [{ receptor: 'AMPA', gNs: 1, tauRiseMs: 0.3, tauDecayMs: 3 }], delayMs: 1 }],
    stimuli: [{ kind: 'poisson', id: 'in', size: 200, rateHz }],
    probes: [{ id: 'r', target: 'p', kind: 'rate' }],
  };
}

describe('a TrueNorth population is the LTU it realizes (docs/reference/swta-and-truenorth.md §5.5)', () => {
  // Exact while V never reaches the floor at 0, i.e. when the drive is well above threshold; near
  // threshold input noise rectified at the floor adds rate (the smooth foot of the curve).
  it('rate = (s·k·ν + λ)/α per tick well above threshold: measured within 3 % at three input rates', () => {
    for (const hz of [40, 80, 160]) {
      const g = feedforward(hz);
      const r = mapGraph(g, { seed: 2, gains: TEST_GAINS }).realizations.p!;
      const t = r.terms[0]!;
      expect(t.fanIn).toBeGreaterThan(0);
      // closed form from the integer parameters: spikes per tick = (s·k·hz/1000 + λ)/α
      const expectedHz = (1000 * ((t.weight * t.fanIn * hz) / 1000 + r.lambda)) / r.alpha;
      expect(expectedHz).toBeGreaterThan(5);
      const e = compile(g, { seed: 2, gains: TEST_GAINS });
      e.run(4000);
      const d = e.probe('r');
      if (d.kind !== 'rate') throw new Error('rate');
      let s = 0;
      for (let k = 500; k < 4000; k++) s += d.countsPerTick[k]!;
      const measured = (s / 60 / 3500) * 1000;
      expect(Math.abs(measured - expectedHz) / expectedHz).toBeLessThan(0.03);
    }
  });
});

describe('integer realization of LTU coefficients', () => {
  it('stays within the registers and realizes every coefficient and the bias to < 1 % of the drive', () => {
    const m = calibrationModule();
    const net = ltuNetwork(m.graph);
    for (const u of net.units) {
      const r = realizeUnit(u, TEST_GAINS[u.cls]!, () => ({ maxFanIn: 80 }));
      expect(Number.isInteger(r.alpha) && r.alpha >= 1 && r.alpha <= TN_ALPHA_MAX).toBe(true);
      expect(Number.isInteger(r.lambda) && Math.abs(r.lambda) <= TN_LEAK_MAX).toBe(true);
      for (const w of r.weights) expect(Number.isInteger(w) && Math.abs(w) <= TN_WEIGHT_MAX).toBe(true);
      expect(r.totalFanIn).toBeLessThanOrEqual(160);
      // drive error at 10 Hz per presynaptic population, against the drive's own scale
      const scale = r.terms.reduce((a, t) => a + Math.abs(t.coefficient) * 10, Math.abs(r.biasHz));
      expect(r.errorHz / scale).toBeLessThan(0.01);
      for (const t of r.terms) {
        expect(Math.sign(t.weight)).toBe(t.group === 0 ? 1 : -1); // excitation on type 0, inhibition on types 1–3
        expect(r.weights[t.group]).toBe(t.weight); // one weight per axon type
      }
    }
  });

  it('a fan-in fixed by the rule (one-to-one) is kept and the weight carries the coefficient', () => {
    const m = calibrationModule();
    const u = ltuNetwork(m.graph).units[2]!; // PV
    const r = realizeUnit(u, TEST_GAINS.PV!, (id) => (id.startsWith('m.pyr0') ? { maxFanIn: 1, fixedFanIn: 1 } : { maxFanIn: 80 }));
    const t = r.terms.find((x) => x.projection.startsWith('m.pyr0'))!;
    expect(t.fanIn).toBe(1);
  });
});

describe('class-gain fit', () => {
  it('recovers the gains that generated the rates (mean field, no noise): r2 > 0.999 for every population', () => {
    const m = calibrationModule();
    const net = ltuNetwork(m.graph);
    const truth: GainsByClass = TEST_GAINS;
    const conditions: TransferCondition[] = loadPopulationTransfer().conditions.map((c) => {
      const r = steadyRates(net, truth, c.sourcesHz);
      return { sourcesHz: c.sourcesHz, populationsHz: Object.fromEntries(net.units.map((u, i) => [u.id, r[i]!])) };
    });
    const fit = fitClassGains(m.graph, conditions);
    for (const u of net.units) expect(fit.populations[u.id]!.r2).toBeGreaterThan(0.999);
  });
});

describe('shaped class-gain fit', () => {
  it('from gains 20 % off, recovers a network with an SST limiter and a VIP foot (mean field): r2 > 0.999', () => {
    const m = calibrationModule();
    const truth: GainsByClass = { ...TEST_GAINS, SST: { ...TEST_GAINS.SST!, limiter: { gain: 4e-5, kinkHz: 30 } }, VIP: { ...TEST_GAINS.VIP!, footHz: 10 } };
    const net = ltuNetwork(m.graph, { limited: ['SST'] });
    const conditions: TransferCondition[] = loadPopulationTransfer().conditions.map((c) => {
      const r = steadyRates(net, truth, c.sourcesHz);
      return { sourcesHz: c.sourcesHz, populationsHz: Object.fromEntries(m.graph.populations.map((p, i) => [p.id, r[i]!])) };
    });
    const initial: GainsByClass = Object.fromEntries(
      Object.entries(truth).map(([c, g]) => [c, { ...g, gains: g!.gains.map((x) => 1.2 * x) as [number, number, number, number, number], biasHz: g!.biasHz + 1 }]),
    );
    const fit = fitShapedGains(m.graph, conditions, { shapes: { SST: { limiter: true }, VIP: { foot: true } }, initial, closedLoopStarts: 1 });
    for (const p of m.graph.populations) expect(fit.populations[p.id]!.r2, p.id).toBeGreaterThan(0.999);
  });
});

describe('the committed calibration on the emulator (seed 3)', () => {
  const gm = loadGainMatch();
  const tr = loadPopulationTransfer();
  const m = calibrationModule();
  const tn = trueNorthRates(m.graph, tr.conditions, gm.classes, { seed: gm.source.seed });
  const net = ltuNetwork(m.graph, { limited: limitedClasses(gm.classes) });
  const mf = tr.conditions.map((c) => steadyRates(net, gm.classes, c.sourcesHz));

  it('reproduces the r2 and RMSE recorded in the artifact (same seed, same spikes)', () => {
    m.graph.populations.forEach((p, i) => {
      const got = r2Rmse(tr.conditions.map((c) => c.populationsHz[p.id]!), tn.map((r) => r[i]!));
      expect(got.r2).toBeCloseTo(gm.populations[p.id]!.r2, 10);
      expect(got.rmseHz).toBeCloseTo(gm.populations[p.id]!.rmseHz, 10);
    });
  });

  // The background aggregates are no term of the units (ltu-network.ts backgroundSources): the
  // realized network follows its mean-field model (docs/truenorth-mapping.md §3, Figures: TrueNorth
  // vs LTU r2 0.942–0.993 at seed 3).
  it('every TrueNorth population follows its gain-matched transfer curve: r2 ≥ 0.9 against the LTU model', () => {
    m.graph.populations.forEach((p, i) => {
      expect(r2Rmse(mf.map((r) => r[i]!), tn.map((r) => r[i]!)).r2, p.id).toBeGreaterThanOrEqual(0.9);
    });
  });

  it('against the conductance module: r2 ≥ 0.9 for every population (the gain-matching target)', () => {
    m.graph.populations.forEach((p, i) => {
      const r2 = r2Rmse(tr.conditions.map((c) => c.populationsHz[p.id]!), tn.map((r) => r[i]!)).r2;
      expect(r2, p.id).toBeGreaterThanOrEqual(0.9);
    });
  });

  it('held out: on TrueNorth seeds 4, 5, 6 (other synapses, V(0), streams; not fitted on) r2 ≥ 0.9 for every population', () => {
    const held = heldOutR2(m.graph, tr.conditions, gm.classes, HELD_OUT_SEEDS.map((k) => gm.source.seed + k));
    for (const p of m.graph.populations) for (const r2 of held[p.id]!) expect(r2, p.id).toBeGreaterThanOrEqual(0.9);
  });

  // The spontaneous state (the last condition: background alone) is carried by the classes' feet
  // (staggered leaks): on the conductance module Pyr 0.94/0.92, PV 8.8, SST 4.3, VIP 2.2, LAMP5 1.85 Hz;
  // on TrueNorth (seed 3) Pyr 0.43/0.41, PV 4.4, SST 5.5, VIP 1.35, LAMP5 1.6 Hz (docs/truenorth-mapping.md §9).
  it('at rest (no input, no context) every TrueNorth population fires, within a factor 3 of the conductance module', () => {
    const rest = tr.conditions.length - 1;
    expect(Object.entries(tr.conditions[rest]!.sourcesHz).every(([id, hz]) => hz === 0 || m.ids.backgrounds.includes(id))).toBe(true);
    m.graph.populations.forEach((p, i) => {
      const ratio = tn[rest]![i]! / tr.conditions[rest]!.populationsHz[p.id]!;
      expect(ratio, p.id).toBeGreaterThan(1 / 3);
      expect(ratio, p.id).toBeLessThan(3);
    });
  });

  it('the background aggregates (1 kHz, one-to-one) stay off the chip: no unit term, no netlist synapse', () => {
    const bg = backgroundSources(m.graph);
    expect([...bg].sort()).toEqual([...m.ids.backgrounds].sort());
    const mp = mapGraph(m.graph, { seed: gm.source.seed, gains: gm.classes });
    for (const u of mp.ltu.units) for (const t of u.terms) expect(bg.has(t.pre), `${u.id} ← ${t.pre}`).toBe(false);
    for (const pr of mp.netlist.projections) expect(bg.has(pr.pre), pr.id).toBe(false);
    for (const s of mp.model.sources) if (bg.has(s.id)) expect(s.targets.every((t) => t.length === 0), s.id).toBe(true);
  });

  it('the limiter relays and staggered leaks are on the chip, not in the engine\'s populations', () => {
    const mp = mapGraph(m.graph, { seed: gm.source.seed, gains: gm.classes });
    const relays = mp.ltu.units.filter((u) => u.relay).map((u) => u.id);
    expect(relays.length).toBeGreaterThan(0);
    for (const id of relays) expect(mp.netlist.populations.some((p) => p.id === id)).toBe(true);
    expect(mp.model.populations.map((p) => p.id)).toEqual(m.graph.populations.map((p) => p.id));
    m.graph.populations.forEach((p, i) => expect(mp.model.populations[i]!.neurons.length / 2).toBe(p.size));
  });
});

describe('transfer shapes (ltu-network.ts ClassGains)', () => {
  it('a limiter relay bends a pool\'s drive above its kink: slope g·e below, (g − ℓ)·e above', () => {
    const m = calibrationModule();
    const gains: GainsByClass = { ...TEST_GAINS, SST: { ...TEST_GAINS.SST!, limiter: { gain: 5e-5, kinkHz: 30 } } };
    const net = ltuNetwork(m.graph, { limited: ['SST'] });
    const sst = net.units.findIndex((u) => u.id === 'm.sst');
    const relay = net.units.findIndex((u) => u.id === 'm.sst.limiter.m.pyr0');
    expect(relay).toBeGreaterThan(sst);
    const e = net.units[sst]!.terms.find((t) => t.pre === 'm.pyr0' && !t.kind)!.efficacy;
    const g = TEST_GAINS.SST!.gains[0];
    // the SST drive at fixed pool rates, from the relay's steady state: [r − kink]₊
    const drive = (poolHz: number): number => {
      const rates = new Float64Array(net.units.length);
      rates[0] = poolHz;
      rates[relay] = Math.max(0, poolHz - 30);
      return net.units[sst]!.terms.reduce((a, t) => a + (t.preUnit === 0 || t.preUnit === relay ? (t.kind === 'limiter' ? -5e-5 * t.efficacy : g * t.efficacy) * rates[t.preUnit]! : 0), 0);
    };
    expect((drive(20) - drive(10)) / 10).toBeCloseTo(g * e, 6);
    expect((drive(50) - drive(40)) / 10).toBeCloseTo((g - 5e-5) * e, 6);
  });

  it('the convex foot is the mean of linear-threshold units with thresholds spread over ±w', () => {
    const u = { id: 'x', cls: 'VIP' as const, size: 16, terms: [] };
    const g = { gains: [0, 0, 0, 0, 0] as [number, number, number, number, number], biasHz: 0, footHz: 10 };
    const n = 4000;
    for (const a of [-12, -5, 0, 5, 12]) {
      let mean = 0;
      for (let j = 0; j < n; j++) mean += Math.max(0, a - 10 + ((2 * j + 1) * 10) / n) / n;
      expect(unitOutput(u, g, a, 1000)).toBeCloseTo(mean, 3);
    }
  });

  it('staggered leaks: evenly spread, split into single-neuron sub-populations and merged back in order', () => {
    const l = staggeredLeaks(4, 10, 8, 1000, 255);
    expect(l).toEqual([4, 8, 12, 16]); // (10 + u)·1000/1000 with u = −6, −2, 2, 6
    const neuron = { b0: 0, b1: 0, b2: 0, b3: 0, sigma_lambda: 1, lambda: 10, c_lambda: 0, epsilon: 0, alpha: 1000, beta: 0, TM: 0, gamma: 1, kappa: 1, sigma_VR: 1, VR: 0 } as const;
    const split = splitStaggered(
      {
        populations: [{ id: 'p', size: 4, neuron }],
        sources: [{ id: 's', size: 2 }],
        projections: [{ id: 's->p', pre: 's', post: 'p', weight: 5, delayMs: 1, synapses: { pre: [0, 1, 1], post: [0, 0, 3] } }],
      },
      new Map([['p', l]]),
    );
    expect(split.populations.map((p) => [p.id, p.neuron.lambda])).toEqual([['p#0', 4], ['p#1', 8], ['p#2', 12], ['p#3', 16]]);
    expect(split.projections.map((p) => [p.post, Array.from(p.synapses.pre)])).toEqual([['p#0', [0, 1]], ['p#3', [1]]]);
    const merged = mergeSubPopulations({ populations: split.populations.map((p, k) => ({ id: p.id, neurons: [0, k] })) } as never);
    expect(merged.populations).toEqual([{ id: 'p', neurons: [0, 0, 0, 1, 0, 2, 0, 3] }]);
  });
});
