import type { ConnectRule } from '../../src/graph/types.ts';
import type { Random } from '../../src/random.ts';

/**
 * Compressed sparse rows by presynaptic neuron: the targets of pre neuron i are
 * post[rowStart[i] .. rowStart[i+1]), with per-synapse weight factors (null when all are 1).
 */
export interface Csr {
  rowStart: Int32Array;
  post: Int32Array;
  weight: Float64Array | null;
}

/** Draw the synapses of one projection. `samePopulation` excludes autapses unless the rule allows them. */
export function buildCsr(rule: ConnectRule, nPre: number, nPost: number, samePopulation: boolean, rng: Random): Csr {
  const pre: number[] = [];
  const post: number[] = [];
  const allowSelf = !samePopulation || ('autapses' in rule && rule.autapses === true);
  switch (rule.rule) {
    case 'all':
      for (let i = 0; i < nPre; i++) {
        for (let j = 0; j < nPost; j++) {
          if (allowSelf || i !== j) {
            pre.push(i);
            post.push(j);
          }
        }
      }
      break;
    case 'fixedProbability': {
      // Geometric skipping over the nPre × nPost pair grid: O(synapses), not O(pairs).
      const p = rule.p;
      if (p <= 0) break;
      const total = nPre * nPost;
      let k = rng.geometric(p);
      while (k < total) {
        const i = Math.floor(k / nPost);
        const j = k - i * nPost;
        if (allowSelf || i !== j) {
          pre.push(i);
          post.push(j);
        }
        k += 1 + rng.geometric(p);
      }
      break;
    }
    case 'fixedInDegree': {
      // For each post neuron, k distinct pre neurons (Floyd's sampling), excluding itself if needed.
      const candidates = allowSelf ? nPre : nPre - 1;
      if (rule.k > candidates) {
        throw new RangeError(`fixedInDegree k = ${rule.k} exceeds the ${candidates} available presynaptic neurons`);
      }
      const chosen = new Set<number>();
      for (let j = 0; j < nPost; j++) {
        chosen.clear();
        for (let m = candidates - rule.k; m < candidates; m++) {
          const t = rng.int(m + 1);
          chosen.add(chosen.has(t) ? m : t);
        }
        for (const c of [...chosen].sort((a, b) => a - b)) {
          // Map the candidate index onto pre indices, skipping j itself when autapses are excluded.
          const i = !allowSelf && c >= j ? c + 1 : c;
          pre.push(i);
          post.push(j);
        }
      }
      break;
    }
    case 'oneToOne':
      for (let i = 0; i < Math.min(nPre, nPost); i++) {
        pre.push(i);
        post.push(i);
      }
      break;
    case 'pairs':
      for (let s = 0; s < rule.pre.length; s++) {
        pre.push(rule.pre[s]!);
        post.push(rule.post[s]!);
      }
      break;
  }
  return toCsr(pre, post, nPre);
}

function toCsr(pre: number[], post: number[], nPre: number): Csr {
  const rowStart = new Int32Array(nPre + 1);
  for (const i of pre) rowStart[i + 1]!++;
  for (let i = 0; i < nPre; i++) rowStart[i + 1]! += rowStart[i]!;
  const fill = rowStart.slice(0, nPre);
  const out = new Int32Array(pre.length);
  for (let s = 0; s < pre.length; s++) out[fill[pre[s]!]!++] = post[s]!;
  return { rowStart, post: out, weight: null };
}

/** Log-normal factors of mean 1 and coefficient of variation cv, one per synapse. */
export function logNormalWeights(count: number, cv: number, rng: Random): Float64Array {
  const sigma2 = Math.log(1 + cv * cv);
  const sigma = Math.sqrt(sigma2);
  const mu = -sigma2 / 2;
  const w = new Float64Array(count);
  for (let s = 0; s < count; s++) w[s] = Math.exp(mu + sigma * rng.normal());
  return w;
}
