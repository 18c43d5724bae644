/**
 * Graph → TrueNorth: the gain-matched LTU of every population (src/calibration), its integer
 * realization (alpha, lambda, one weight per axon type, a fan-in per projection), the synapses drawn
 * with those fan-ins, the mapper (cores, splitters) and the engine.
 *
 *   graph ──ltuNetwork + class gains──▶ LTU units ──realizeUnit──▶ integer parameters
 *         ──draw synapses (seeded)──▶ netlist ──mapNetlist──▶ MappedModel ──▶ TrueNorthEngine
 *
 * Placement-aware synapses: populations are grouped for cores (planCoreGroups), and each core group
 * gives each presynaptic population Q a window, a seeded subset of Q of about 1.5 × the largest
 * fan-in from Q into the group. Projection Q → P gets fanIn synapses per neuron of P, distinct
 * presynaptic neurons drawn uniformly from P's group's window of Q (no autapses unless the rule
 * allows them). A core has 256 axons and every presynaptic neuron a core hears costs one of them,
 * so drawing from all of Q would make every core hear every neuron and need splitters everywhere;
 * with windows a pool and its interneurons share one core. Poisson fibres are independent and
 * identical, and the neurons of one population fire alike, so a window changes which neurons carry
 * a drive, not its rate. 'spikes' sources (inter-module ports, where each index may carry its own
 * signal) and exact rules ('oneToOne', 'pairs') are never windowed.
 *
 * Background aggregates (1 kHz one-to-one Poisson sources, ltu-network.ts backgroundSources) are
 * no unit term: they stay host sources of the model without targets (their rates can be set, nothing
 * reaches the chip); their mean is in each population's leak through the class bias.
 *
 * Neurons: gamma 1 (linear reset), kappa 1 and beta 0 (floor at 0), deterministic leak and
 * synapses, TM 0; V(0) uniform in [0, alpha) per neuron so that a pool does not start in lockstep.
 *
 * Transfer shapes of a class (ClassGains in ltu-network.ts): a class with a limiter gets, per
 * pyramidal population Q driving one of its populations P, a limiter relay population (the LTU
 * network's relay unit, RELAY_SIZE neurons of the same linear-threshold kind: rate [r_Q − kink]₊)
 * driven by Q on axon type 0 and inhibiting P on axon type 1; the relays are internal, like splitter
 * relays, and are not populations of the engine. A class with a foot gets staggered leaks across
 * its neurons (staggered-leaks.ts).
 *
 * A depressing projection from a port (an inter-module 'spikes' source) gets saturation relays
 * (ltu-network.ts, docs/truenorth-mapping.md §10): L = [r − θ]₊ and S = [r − L]₊ = min(r, θ),
 * internal like the limiter relays; S's neurons floor at −floorAlphas·α (beta), the only neurons
 * with a floor below 0.
 */
import { limitedClasses, ltuNetwork, type GainsByClass, type LtuNetwork } from '../../src/calibration/ltu-network.ts';
import { loadGainMatch } from '../../src/calibration/gain-matching-artifact.ts';
import { realizeUnit, TN_ALPHA_MAX, TN_LEAK_MAX, type Realization, type RealizationOptions } from '../../src/calibration/tn-realization.ts';
import type { Graph, Population, Projection } from '../../src/graph/types.ts';
import { validate } from '../../src/graph/validate.ts';
import type { Random } from '../../src/random.ts';
import { placementStream, populationStream, projectionStream } from '../../src/random-streams.ts';
import { TrueNorthEngine } from './engine.ts';
import type { MappedModel } from './mapped-model-json.ts';
import { AXONS, NEURONS } from './core.ts';
import { mapNetlist, TrueNorthMappingError, type Netlist, type NetlistProjection } from './mapper.ts';
import { mergeSubPopulations, splitStaggered, staggeredLeaks } from './staggered-leaks.ts';

export interface TrueNorthCompileOptions {
  /**
   * One seed for the synapses, initial potentials, core PRNGs and host Poisson streams (default 1),
   * drawn per element as in src/random-streams.ts: windows per core group and presynaptic
   * population, synapses per projection, initial potentials per population, spikes per source.
   */
  seed?: number;
  /** Calibrated gains per cell class; default: the committed gain-matching artifact. */
  gains?: GainsByClass;
  realization?: RealizationOptions;
}

export interface TrueNorthMapping {
  ltu: LtuNetwork;
  realizations: Record<string, Realization>;
  netlist: Netlist;
  model: MappedModel;
}

/** A window holds max(WINDOW_MIN, WINDOW_FACTOR · fan-in) presynaptic neurons (at most all of them). */
const WINDOW_MIN = 8;
const WINDOW_FACTOR = 1.5;

interface CoreGroup {
  populations: string[];
  neurons: number;
  /** Window size per presynaptic population or source. */
  windows: Map<string, number>;
}

/**
 * Populations, in graph order, grouped for cores: a population joins the current group while the
 * group's neurons stay ≤ 256 and its axons (the sum of its windows) ≤ 256. A window for
 * presynaptic Q in a group is max(WINDOW_MIN, 1.5 · the largest fan-in from Q into the group),
 * at most |Q|; 'spikes' sources and exact rules ('oneToOne', 'pairs') take all of Q.
 */
function planCoreGroups(g: Graph, realizations: Record<string, Realization>, projById: Map<string, Projection>, sizeOf: (id: string) => number): CoreGroup[] {
  const spikeSources = new Set(g.stimuli.filter((s) => s.kind === 'spikes').map((s) => s.id));
  const windowsOf = (pop: string, factor: number): Map<string, number> => {
    const w = new Map<string, number>();
    for (const t of realizations[pop]!.terms) {
      if (t.fanIn === 0) continue;
      const pr = projById.get(t.projection)!;
      const n = sizeOf(t.pre);
      const exact = spikeSources.has(t.pre) || pr.connect.rule === 'oneToOne' || pr.connect.rule === 'pairs';
      const size = exact ? n : Math.min(n, Math.max(WINDOW_MIN, Math.ceil(factor * t.fanIn) + (pr.pre === pr.post ? 1 : 0)));
      w.set(t.pre, Math.max(w.get(t.pre) ?? 0, size));
    }
    return w;
  };
  const axons = (w: Map<string, number>): number => [...w.values()].reduce((a, b) => a + b, 0);
  const merged = (a: Map<string, number>, b: Map<string, number>): Map<string, number> => {
    const m = new Map(a);
    for (const [k, v] of b) m.set(k, Math.max(m.get(k) ?? 0, v));
    return m;
  };
  const groups: CoreGroup[] = [];
  let cur: CoreGroup | null = null;
  for (const p of g.populations) {
    let w = windowsOf(p.id, WINDOW_FACTOR);
    // A population whose own windows overflow a core shares every input among its neurons (factor 1).
    if (axons(w) > AXONS) w = windowsOf(p.id, 1);
    if (cur) {
      const m = merged(cur.windows, w);
      if (cur.neurons + p.size <= NEURONS && axons(m) <= AXONS) {
        cur.populations.push(p.id);
        cur.neurons += p.size;
        cur.windows = m;
        continue;
      }
    }
    cur = { populations: [p.id], neurons: p.size, windows: w };
    groups.push(cur);
  }
  return groups;
}

export function mapGraph(graph: Graph, options: TrueNorthCompileOptions = {}): TrueNorthMapping {
  const g = validate(graph);
  const seed = options.seed ?? 1;
  for (const s of g.stimuli) {
    if (s.kind === 'current') {
      throw new TrueNorthMappingError(s.target, 'netlist', `current injection '${s.id}' cannot be represented: a TrueNorth neuron has no current input (drive it with a Poisson source instead)`);
    }
  }
  const gains = options.gains ?? loadGainMatch().classes;
  const ltu = ltuNetwork(g, { limited: limitedClasses(gains) });
  // The limiter relays as populations and projections of the netlist (not of the engine's graph).
  const relayPops: Population[] = ltu.units.filter((u) => u.relay).map((u) => ({ id: u.id, size: u.size, cell: g.populations.find((p) => p.id === u.id.split('.limiter.')[0])!.cell }));
  const relayProjs: Projection[] = ltu.units.flatMap((u) =>
    u.terms.filter((t) => t.kind).map((t) => ({ id: t.projection, pre: t.pre, post: u.id, connect: { rule: 'fixedInDegree' as const, k: 1 }, components: [], delayMs: 1 })),
  );
  const allPops = [...g.populations, ...relayPops];
  const pops = new Map(allPops.map((p) => [p.id, p]));
  const sizeOf = (id: string): number => pops.get(id)?.size ?? (g.stimuli.find((s) => s.id === id) as { size: number }).size;
  const projById = new Map([...g.projections, ...relayProjs].map((p) => [p.id, p]));
  const limits = (projection: string) => {
    const pr = projById.get(projection)!;
    const self = pr.pre === pr.post && !('autapses' in pr.connect && pr.connect.autapses === true);
    const n = sizeOf(pr.pre) - (self ? 1 : 0);
    if (pr.connect.rule === 'oneToOne') return { maxFanIn: 1, fixedFanIn: 1 };
    if (pr.connect.rule === 'pairs') {
      const perPost = pr.connect.pre.length / sizeOf(pr.post);
      return { maxFanIn: Math.max(1, Math.ceil(perPost)), fixedFanIn: Math.max(1, Math.round(perPost)) };
    }
    return { maxFanIn: Math.max(0, n) };
  };
  const realizations: Record<string, Realization> = {};
  for (const u of ltu.units) {
    const cg = gains[u.cls];
    if (!cg) throw new TrueNorthMappingError(u.id, 'netlist', `no calibrated gains for cell class '${u.cls}' (run: npx swta run gain-matching --save)`);
    realizations[u.id] = realizeUnit(u, cg, limits, options.realization);
  }

  const groups = planCoreGroups({ ...g, populations: allPops }, realizations, projById, sizeOf);
  const groupOf = new Map<string, number>();
  groups.forEach((grp, k) => grp.populations.forEach((id) => groupOf.set(id, k)));
  // One window per (core group, presynaptic population or Poisson source), shared by every
  // population of the group: the axons that group's core gives to that presynaptic population.
  const windows = groups.map((grp) => {
    const w = new Map<string, Int32Array>();
    for (const [pre, size] of grp.windows) {
      const n = sizeOf(pre);
      w.set(pre, size >= n ? Int32Array.from({ length: n }, (_, i) => i) : shuffled(n, placementStream(seed, grp.populations[0]!, pre)).subarray(0, size).sort());
    }
    return w;
  });

  const floorOf = new Map(ltu.units.filter((u) => (u.floorAlphas ?? 0) > 0).map((u) => [u.id, u.floorAlphas!]));
  const drawn: Netlist = {
    populations: allPops.map((p) => {
      const r = realizations[p.id]!;
      const v0 = new Int32Array(p.size);
      const rng = populationStream(seed, p.id);
      for (let i = 0; i < p.size; i++) v0[i] = rng.int(r.alpha);
      return {
        id: p.id,
        size: p.size,
        coreGroup: groupOf.get(p.id)!,
        neuron: {
          b0: 0, b1: 0, b2: 0, b3: 0,
          sigma_lambda: r.lambda < 0 ? -1 : 1, lambda: Math.abs(r.lambda), c_lambda: 0, epsilon: 0,
          alpha: r.alpha, beta: Math.min(TN_ALPHA_MAX, Math.round((floorOf.get(p.id) ?? 0) * r.alpha)), TM: 0, gamma: 1, kappa: 1, sigma_VR: 1, VR: 0,
        },
        v0,
      };
    }),
    sources: g.stimuli.filter((s) => s.kind !== 'current').map((s) => ({ id: s.id, size: (s as { size: number }).size })),
    projections: [],
  };
  for (const r of Object.values(realizations)) {
    for (const t of r.terms) {
      if (t.fanIn === 0) continue;
      const pr = projById.get(t.projection)!;
      const window = windows[groupOf.get(pr.post)!]!.get(pr.pre);
      drawn.projections.push(drawProjection(pr, t.fanIn, t.weight, t.group, sizeOf(pr.pre), sizeOf(pr.post), window, projectionStream(seed, pr.id)));
    }
  }
  const leaks = new Map<string, number[]>();
  for (const u of ltu.units) {
    const foot = gains[u.cls]?.footHz ?? 0;
    const r = realizations[u.id]!;
    if (!u.relay && foot > 0) leaks.set(u.id, staggeredLeaks(u.size, r.biasHz, foot, r.alpha, TN_LEAK_MAX));
  }
  const netlist = splitStaggered(drawn, leaks);
  const mapped = mergeSubPopulations(mapNetlist(netlist, { seed: seed >>> 0 }));
  const graphPops = new Set(g.populations.map((p) => p.id));
  const model = { ...mapped, populations: mapped.populations.filter((p) => graphPops.has(p.id)) };
  return { ltu, realizations, netlist, model };
}

export function compile(graph: Graph, options: TrueNorthCompileOptions = {}): TrueNorthEngine {
  const m = mapGraph(graph, options);
  return new TrueNorthEngine(validate(graph), m.model, { seed: options.seed ?? 1 });
}

function drawProjection(pr: Projection, fanIn: number, weight: number, group: number, nPre: number, nPost: number, window: Int32Array | undefined, rng: Random): NetlistProjection {
  const pre: number[] = [];
  const post: number[] = [];
  if (pr.connect.rule === 'oneToOne') {
    for (let i = 0; i < Math.min(nPre, nPost); i++) {
      pre.push(i);
      post.push(i);
    }
  } else if (pr.connect.rule === 'pairs') {
    pre.push(...pr.connect.pre);
    post.push(...pr.connect.post);
  } else {
    const allowSelf = pr.pre !== pr.post || ('autapses' in pr.connect && pr.connect.autapses === true);
    const pool = window ?? Int32Array.from({ length: nPre }, (_, i) => i);
    const chosen = new Set<number>();
    for (let j = 0; j < nPost; j++) {
      chosen.clear();
      const candidates = allowSelf ? pool.length : pool.length - (pool.includes(j) ? 1 : 0);
      const k = Math.min(fanIn, candidates);
      while (chosen.size < k) {
        const i = pool[rng.int(pool.length)]!;
        if (!allowSelf && i === j) continue;
        chosen.add(i);
      }
      for (const i of [...chosen].sort((a, b) => a - b)) {
        pre.push(i);
        post.push(j);
      }
    }
  }
  return { id: pr.id, pre: pr.pre, post: pr.post, weight, delayMs: pr.delayMs, axonType: group, synapses: { pre: Int32Array.from(pre), post: Int32Array.from(post) } };
}

function shuffled(n: number, rng: Random): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}
