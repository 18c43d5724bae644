/**
 * The mapper: hardware limits (each failure names the population and the limit), placement within
 * 256 axons × 256 neurons per core, splitters for fan-out (and the tick they cost), the report, and
 * spikes through the mapped network arriving where and when the netlist says.
 */
import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../../adapters/truenorth/mapped-model-json.ts';
import { mapNetlist, TrueNorthMappingError, type Netlist, type NetlistProjection, type NeuronTemplate } from '../../../adapters/truenorth/mapper.ts';

/** Fires on one input of weight ≥ 1: alpha 1, normal reset to 0, no leak. */
const RELAY: NeuronTemplate = {
  b0: 0, b1: 0, b2: 0, b3: 0, sigma_lambda: 1, lambda: 0, c_lambda: 0, epsilon: 0,
  alpha: 1, beta: 0, TM: 0, gamma: 0, kappa: 1, sigma_VR: 1, VR: 0,
};
/** Integrates without ever firing (alpha far above any input here). */
const QUIET: NeuronTemplate = { ...RELAY, alpha: 100000 };

function proj(id: string, pre: string, post: string, pairs: [number, number][], o: Partial<NetlistProjection> = {}): NetlistProjection {
  return { id, pre, post, weight: 1, delayMs: 1, synapses: { pre: pairs.map((p) => p[0]), post: pairs.map((p) => p[1]) }, ...o };
}

function expectLimit(f: () => unknown, population: string, limit: string, text?: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TrueNorthMappingError);
  const m = err as TrueNorthMappingError;
  expect(m.code).toBe('TN_UNMAPPABLE');
  expect(m.population).toBe(population);
  expect(m.limit).toBe(limit);
  expect(m.message).toContain(`'${population}'`);
  expect(m.message).toContain(`'${limit}'`);
  if (text) expect(m.message).toMatch(text);
}

describe('mapper limits: errors name the population and the limit', () => {
  const base = (): Netlist => ({ populations: [{ id: 'post', size: 2, neuron: QUIET }], sources: [{ id: 'in', size: 300 }], projections: [] });

  it('weights outside [−255, 255] (9-bit signed) are rejected', () => {
    const n = base();
    n.projections.push(proj('in->post', 'in', 'post', [[0, 0]], { weight: 300 }));
    expectLimit(() => mapNetlist(n, { seed: 1 }), 'post', 'weight range', /300/);
  });

  it('a fifth distinct weight onto one population exceeds the 4 axon types', () => {
    const n = base();
    [1, 2, 3, 4, 5].forEach((w, k) => n.projections.push(proj(`p${k}`, 'in', 'post', [[k, 0]], { weight: w })));
    expectLimit(() => mapNetlist(n, { seed: 1 }), 'post', 'axon types', /5 distinct weights/);
  });

  it('two weights on one axon-type hint are rejected', () => {
    const n = base();
    n.projections.push(proj('a', 'in', 'post', [[0, 0]], { weight: 3, axonType: 1 }), proj('b', 'in', 'post', [[1, 0]], { weight: 4, axonType: 1 }));
    expectLimit(() => mapNetlist(n, { seed: 1 }), 'post', 'axon types', /type 1/);
  });

  it('delays are quantized to ticks and must be 1–15 ticks', () => {
    const n = base();
    n.projections.push(proj('slow', 'in', 'post', [[0, 0]], { delayMs: 20 }));
    expectLimit(() => mapNetlist(n, { seed: 1 }), 'post', 'delay range', /20 ticks/);
    const ok = base();
    ok.projections.push(proj('a', 'in', 'post', [[0, 0]], { delayMs: 0.4 }), proj('b', 'in', 'post', [[1, 1]], { delayMs: 14.6 }));
    const m = mapNetlist(ok, { seed: 1 });
    const delays = m.sources[0]!.targets.filter((t) => t.length > 0).map((t) => t[2]);
    expect(delays.sort()).toEqual([1, 15]); // 0.4 ms → 1 tick (the minimum), 14.6 ms → 15
  });

  it('a neuron needing more than 256 input axons cannot be placed', () => {
    const n = base();
    n.projections.push(proj('wide', 'in', 'post', Array.from({ length: 257 }, (_, i) => [i, 1] as [number, number])));
    expectLimit(() => mapNetlist(n, { seed: 1 }), 'post', 'axons per core', /neuron 1 needs 257 input axons/);
  });

  it('one splitter level reaches at most 256 axons', () => {
    const pops = Array.from({ length: 257 }, (_, k) => ({ id: `t${k}`, size: 1, neuron: QUIET, coreGroup: k }));
    const n: Netlist = { populations: [{ id: 'hub', size: 1, neuron: RELAY, coreGroup: -1 }, ...pops], sources: [], projections: pops.map((p) => proj(`hub->${p.id}`, 'hub', p.id, [[0, 0]])) };
    expectLimit(() => mapNetlist(n, { seed: 1 }), 'hub', 'splitter fan-out', /257 axons/);
  });

  it('an unknown projection end is a netlist error naming it', () => {
    const n = base();
    n.projections.push(proj('x', 'nowhere', 'post', [[0, 0]]));
    expectLimit(() => mapNetlist(n, { seed: 1 }), 'nowhere', 'netlist');
  });
});

describe('placement and report', () => {
  it('a 300-neuron population spans two cores; every core keeps ≤ 256 neurons and ≤ 256 axons', () => {
    const n: Netlist = {
      populations: [{ id: 'big', size: 300, neuron: QUIET }],
      sources: [{ id: 'in', size: 200 }],
      projections: [proj('in->big', 'in', 'big', Array.from({ length: 300 }, (_, j) => [j % 200, j] as [number, number]))],
    };
    const m = mapNetlist(n, { seed: 1 });
    expect(m.cores).toHaveLength(2);
    for (const c of m.cores) {
      expect(c.neurons.length).toBeLessThanOrEqual(256);
      expect(c.axons.length).toBeLessThanOrEqual(256);
    }
    expect(m.report).toMatchObject({ cores: 2, neurons: 300, populationNeurons: 300, splitterNeurons: 0, synapses: 300 });
    // every neuron of the population is placed exactly once
    const placed = new Set<string>();
    for (let i = 0; i < 300; i++) placed.add(`${m.populations[0]!.neurons[2 * i]},${m.populations[0]!.neurons[2 * i + 1]}`);
    expect(placed.size).toBe(300);
  });

  it('synapses sharing a presynaptic neuron share one axon (crossbar row) on a core', () => {
    const n: Netlist = {
      populations: [{ id: 'post', size: 10, neuron: QUIET }],
      sources: [{ id: 'in', size: 1 }],
      projections: [proj('fan', 'in', 'post', Array.from({ length: 10 }, (_, j) => [0, j] as [number, number]))],
    };
    const m = mapNetlist(n, { seed: 1 });
    expect(m.cores[0]!.axons).toEqual([{ type: 0, neurons: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] }]);
    expect(m.report.crossbarBits).toBe(10);
    expect(m.report.utilization.axons).toBeCloseTo(1 / 256, 12);
  });

  it('each distinct weight onto a population gets its own axon type and the neurons the matching s_G', () => {
    const n: Netlist = {
      populations: [{ id: 'post', size: 1, neuron: QUIET }],
      sources: [{ id: 'e', size: 2 }, { id: 'i', size: 2 }],
      projections: [proj('e->post', 'e', 'post', [[0, 0], [1, 0]], { weight: 7 }), proj('i->post', 'i', 'post', [[0, 0]], { weight: -3 })],
    };
    const m = mapNetlist(n, { seed: 1 });
    const t = m.neuronTypes[0]!.params;
    expect([t.sigma0 * t.s0, t.sigma1 * t.s1]).toEqual([7, -3]);
    expect(m.cores[0]!.axons.map((a) => a.type).sort()).toEqual([0, 0, 1]);
    expect(m.report.weights).toEqual({ post: { type0: 7, type1: -3 } });
  });
});

describe('splitters', () => {
  /** hub neuron 0 → three populations on three cores, delays 1, 3 and 5 ms. */
  const fanOut = (): Netlist => ({
    populations: [
      { id: 'hub', size: 1, neuron: RELAY, coreGroup: 0 },
      { id: 'a', size: 1, neuron: RELAY, coreGroup: 1 },
      { id: 'b', size: 1, neuron: RELAY, coreGroup: 2 },
      { id: 'c', size: 1, neuron: RELAY, coreGroup: 3 },
    ],
    sources: [{ id: 'in', size: 1 }],
    projections: [
      proj('in->hub', 'in', 'hub', [[0, 0]]),
      proj('hub->a', 'hub', 'a', [[0, 0]], { delayMs: 1 }),
      proj('hub->b', 'hub', 'b', [[0, 0]], { delayMs: 3 }),
      proj('hub->c', 'hub', 'c', [[0, 0]], { delayMs: 5 }),
    ],
  });

  it('a neuron with 3 target axons sends to one splitter axon relayed by 3 neurons; D = 1 is stretched to 2', () => {
    const m = mapNetlist(fanOut(), { seed: 1 });
    expect(m.report).toMatchObject({ splitters: 1, splitterNeurons: 3, populationNeurons: 4, neurons: 7, stretchedDelays: 1 });
    const [hc, hj] = m.populations[0]!.neurons as [number, number];
    const dest = m.cores[hc]!.neurons[hj]!.dest!;
    expect(dest[2]).toBe(1); // to the splitter: one tick
    const row = m.cores[dest[0]]!.axons[dest[1]]!.neurons;
    expect(row).toHaveLength(3);
    expect(row.map((j) => m.neuronTypes[m.cores[dest[0]]!.neurons[j]!.type]!.name)).toEqual(['splitter', 'splitter', 'splitter']);
  });

  it('spikes reach every target through the splitter after max(2, D) ticks', () => {
    const m = mapNetlist(fanOut(), { seed: 1 });
    const net = buildNetwork(m);
    const at = (pop: number): number => m.populations[pop]!.neurons[0]! * 256 + m.populations[pop]!.neurons[1]!;
    const [c, a, d] = m.sources[0]!.targets[0]! as [number, number, number];
    net.inject(c, a, d - 1); // the input fibre spikes so that its axon fires at tick d − 1 = 0
    const firedAt = new Map<number, number>();
    for (let t = 0; t < 12; t++) {
      const n = net.step();
      for (let k = 0; k < n; k++) if (!firedAt.has(net.fired[k]!)) firedAt.set(net.fired[k]!, t);
    }
    expect(firedAt.get(at(0))).toBe(0); // hub fires in the tick its axon spikes
    expect(firedAt.get(at(1))).toBe(2); // D = 1 → 2 (stretched)
    expect(firedAt.get(at(2))).toBe(3); // D = 3
    expect(firedAt.get(at(3))).toBe(5); // D = 5
  });

  it('a neuron with a single target needs no splitter and keeps its delay of 1 tick', () => {
    const n = fanOut();
    n.projections = n.projections.slice(0, 2);
    const m = mapNetlist(n, { seed: 1 });
    expect(m.report.splitterNeurons).toBe(0);
    expect(m.report.stretchedDelays).toBe(0);
  });
});
