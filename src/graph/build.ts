import type { CellClass } from '../celltypes/l23.ts';
import { l23Pathway, type StpSet } from '../synapses/l23-pathways.ts';
import type { NmdaModel } from '../synapses/nmda.ts';
import { RECEPTOR_DEFAULTS } from '../synapses/receptors.ts';
import type { Graph, Population, Projection } from './types.ts';

/** An empty graph to fill with the helpers below (or by hand: it is plain data). */
export function emptyGraph(name?: string): Graph {
  return { ...(name === undefined ? {} : { name }), populations: [], projections: [], stimuli: [], probes: [] };
}

export interface L23ProjectionOptions {
  /** Short-term plasticity set of docs/reference/celltypes.md §b2; false disables STP. Default 'allen'. */
  stp?: StpSet | false;
  /** Multiplies the §c1 connection probability (result clipped to 1). */
  pScale?: number;
  /** Multiplies every §c3 conductance. */
  gScale?: number;
  /** Fixed in-degree instead of fixed probability: k = round(p · pre size). */
  fixedInDegree?: boolean;
  weightSpread?: { logNormalCv: number };
  /** Gating of the NMDA components (src/synapses/nmda.ts). Default 'saturating'. */
  nmdaModel?: NmdaModel;
}

/** A projection between two L2/3 populations with the reference defaults for their classes. */
export function l23Projection(
  id: string,
  pre: Pick<Population, 'id' | 'size'> & { cell: CellClass },
  post: Pick<Population, 'id'> & { cell: CellClass },
  options: L23ProjectionOptions = {},
): Projection {
  const pathway = l23Pathway(pre.cell, post.cell, options.stp === false ? 'allen' : options.stp ?? 'allen', options.nmdaModel ?? 'saturating');
  const p = Math.min(1, pathway.p * (options.pScale ?? 1));
  const gScale = options.gScale ?? 1;
  return {
    id,
    pre: pre.id,
    post: post.id,
    connect: options.fixedInDegree ? { rule: 'fixedInDegree', k: Math.round(p * pre.size) } : { rule: 'fixedProbability', p },
    components: pathway.components.map((c) => ({ ...c, gNs: c.gNs * gScale })),
    delayMs: pathway.delayMs,
    ...(options.stp === false ? {} : { stp: pathway.stp }),
    ...(options.weightSpread ? { weightSpread: options.weightSpread } : {}),
  };
}

/**
 * Excitatory Poisson fibres onto a population: fixed in-degree, one AMPA component with the
 * receptor's default kinetics (RECEPTOR_DEFAULTS.AMPA, the Pyr→Pyr values of
 * docs/reference/celltypes.md §b1), 1 ms delay.
 */
export function poissonFibres(id: string, pre: string, post: string, inDegree: number, gNs: number): Projection {
  const { tauRiseMs, tauDecayMs } = RECEPTOR_DEFAULTS.AMPA;
  return { id, pre, post, connect: { rule: 'fixedInDegree', k: inDegree }, components: [{ receptor: 'AMPA', gNs, tauRiseMs, tauDecayMs }], delayMs: 1 };
}
