import type { ModuleLink } from '../src/graph/network.ts';
import { Random } from '../src/random.ts';

/**
 * The sparse map of one inter-module link: presynaptic neuron i drives the port indices
 * `ports[offsets[i] .. offsets[i + 1])`, in ascending order for the probabilistic rule.
 * Drawn once from the link's own seed, so every placement (one thread, workers, loop) builds the
 * same map from the same plain data.
 */
export interface LinkMap {
  readonly linkId: string;
  readonly preSize: number;
  readonly portSize: number;
  readonly offsets: Int32Array;
  readonly ports: Int32Array;
  /** Largest number of port indices one presynaptic neuron drives. */
  readonly maxFanOut: number;
}

/** The seed of a link's connectivity, independent of every module's engine seed. */
export function linkSeed(seed: number, linkId: string): number {
  return Random.derive(seed, `link:${linkId}`);
}

/** Build a link's map. The link must have passed validateNetwork (sizes and indices in range). */
export function compileLink(link: ModuleLink, preSize: number, portSize: number, seed: number): LinkMap {
  const pre: number[] = [];
  const post: number[] = [];
  switch (link.rule) {
    case 'oneToOne':
      for (let i = 0; i < preSize; i++) {
        pre.push(i);
        post.push(i);
      }
      break;
    case 'pairs':
      pre.push(...link.pre);
      post.push(...link.post);
      break;
    case 'fixedProbability': {
      // Walk the preSize × portSize pairs row by row, jumping over geometric gaps: the cost is
      // the number of connections, not the number of pairs, and the draw order is fixed.
      const rng = new Random(linkSeed(seed, link.id));
      const total = preSize * portSize;
      if (link.p <= 0) break;
      for (let k = rng.geometric(link.p); k < total; k += 1 + rng.geometric(link.p)) {
        pre.push(Math.floor(k / portSize));
        post.push(k % portSize);
      }
      break;
    }
  }
  // Counting sort by presynaptic index (stable: 'pairs' keeps its listed order per neuron).
  const offsets = new Int32Array(preSize + 1);
  for (const i of pre) offsets[i + 1]!++;
  let maxFanOut = 0;
  for (let i = 0; i < preSize; i++) {
    maxFanOut = Math.max(maxFanOut, offsets[i + 1]!);
    offsets[i + 1]! += offsets[i]!;
  }
  const ports = new Int32Array(pre.length);
  const fill = offsets.slice(0, preSize);
  for (let k = 0; k < pre.length; k++) ports[fill[pre[k]!]!++] = post[k]!;
  return { linkId: link.id, preSize, portSize, offsets, ports, maxFanOut };
}

/**
 * Translate presynaptic spikes into port spikes: writes the port indices driven by
 * `pre[0 .. count)` into `out` and returns how many. `out` needs room for count × maxFanOut.
 * Hot path: a plain indexed loop, no allocation.
 */
export function mapToPorts(map: LinkMap, pre: ArrayLike<number>, count: number, out: Int32Array): number {
  const offsets = map.offsets;
  const ports = map.ports;
  let n = 0;
  for (let k = 0; k < count; k++) {
    const i = pre[k]!;
    for (let s = offsets[i]!, end = offsets[i + 1]!; s < end; s++) out[n++] = ports[s]!;
  }
  return n;
}
