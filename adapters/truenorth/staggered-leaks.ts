import type { MappedModel } from './mapped-model-json.ts';
import type { Netlist, NetlistPopulation, NetlistProjection } from './mapper.ts';

/**
 * Staggered thresholds: the convex foot of a class (ClassGains.footHz, ltu-network.ts) realized by
 * giving the neurons of one population evenly spread leaks, λ_j = round((b + u_j)·alpha/1000) with
 * u_j = −w + (2j + 1)·w/n (the midpoints of n equal bins over ±w Hz of drive), so that the
 * population's mean rate is the average of n linear-threshold units with staggered thresholds.
 *
 * A netlist population has one neuron template, so the population is split into one
 * sub-population per neuron (`<id>#<j>`), its projections split by pre and post index; after
 * mapping, `mergeSubPopulations` joins the sub-populations back into the population in neuron order
 * (the engine sees one population). Each sub-population is its own neuron type on the core.
 */
export const SUB_SEPARATOR = '#';

/** The leak (signed, clipped to ±255) of each neuron of a population with bias b and foot w (Hz). */
export function staggeredLeaks(size: number, biasHz: number, footHz: number, alpha: number, leakMax: number): number[] {
  return Array.from({ length: size }, (_, j) => {
    const u = -footHz + ((2 * j + 1) * footHz) / size;
    return Math.max(-leakMax, Math.min(leakMax, Math.round(((biasHz + u) * alpha) / 1000)));
  });
}

/** Split each population in `leaks` into one single-neuron sub-population per leak. */
export function splitStaggered(net: Netlist, leaks: ReadonlyMap<string, readonly number[]>): Netlist {
  const populations: NetlistPopulation[] = [];
  for (const p of net.populations) {
    const l = leaks.get(p.id);
    if (!l) {
      populations.push(p);
      continue;
    }
    for (let j = 0; j < p.size; j++) {
      populations.push({
        id: `${p.id}${SUB_SEPARATOR}${j}`,
        size: 1,
        neuron: { ...p.neuron, sigma_lambda: l[j]! < 0 ? -1 : 1, lambda: Math.abs(l[j]!) },
        ...(p.v0 ? { v0: [p.v0[j]!] } : {}),
        ...(p.coreGroup === undefined ? {} : { coreGroup: p.coreGroup }),
      });
    }
  }
  const projections: NetlistProjection[] = [];
  for (const pr of net.projections) {
    const splitPre = leaks.has(pr.pre);
    const splitPost = leaks.has(pr.post);
    if (!splitPre && !splitPost) {
      projections.push(pr);
      continue;
    }
    const parts = new Map<string, { pre: number[]; post: number[]; preId: string; postId: string }>();
    for (let s = 0; s < pr.synapses.pre.length; s++) {
      const i = pr.synapses.pre[s]!;
      const j = pr.synapses.post[s]!;
      const preId = splitPre ? `${pr.pre}${SUB_SEPARATOR}${i}` : pr.pre;
      const postId = splitPost ? `${pr.post}${SUB_SEPARATOR}${j}` : pr.post;
      const key = `${preId}>${postId}`;
      let part = parts.get(key);
      if (!part) parts.set(key, (part = { pre: [], post: [], preId, postId }));
      part.pre.push(splitPre ? 0 : i);
      part.post.push(splitPost ? 0 : j);
    }
    for (const [key, part] of parts) {
      projections.push({ ...pr, id: `${pr.id}${SUB_SEPARATOR}${key}`, pre: part.preId, post: part.postId, synapses: { pre: Int32Array.from(part.pre), post: Int32Array.from(part.post) } });
    }
  }
  return { populations, sources: net.sources, projections };
}

/** Join the sub-populations of a split population back into one, in neuron order. */
export function mergeSubPopulations(model: MappedModel): MappedModel {
  const out: MappedModel['populations'] = [];
  const byId = new Map<string, number[]>();
  for (const p of model.populations) {
    const k = p.id.indexOf(SUB_SEPARATOR);
    if (k < 0) {
      out.push(p);
      continue;
    }
    const id = p.id.slice(0, k);
    let neurons = byId.get(id);
    if (!neurons) {
      byId.set(id, (neurons = []));
      out.push({ id, neurons });
    }
    neurons.push(...p.neurons);
  }
  return { ...model, populations: out };
}
