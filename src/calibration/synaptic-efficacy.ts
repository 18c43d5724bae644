import { L23_CELL_TYPES, isCellClass } from '../celltypes/l23.ts';
import type { AdexParams } from '../celltypes/adex.ts';
import type { Graph, Population, Projection } from '../graph/types.ts';
import { biexpPeakNorm, mgBlock, RECEPTOR_DEFAULTS } from '../synapses/receptors.ts';
import type { StpParams } from '../synapses/stp.ts';
import type { Hertz, Millivolt } from '../units.ts';

/**
 * The efficacy of a projection: how much mean drive one presynaptic hertz gives a postsynaptic
 * cell, from the graph's own numbers (the structure the gain matching keeps; its per-class gains
 * only scale it). For a projection pre → post with expected in-degree k:
 *
 *   q      = Σ_components ḡ · ∫ g(t)/ḡ dt · |E_rev − V_op| · B(V_op)      charge per spike (fC)
 *   ∫ g/ḡ  = norm · (τ_decay − τ_rise)                                   peak-normalized bi-exponential
 *   e      = k · q · A_stp(r_ref)                                         fC per presynaptic Hz
 *
 * V_op = (V_T + V_r)/2 of the postsynaptic class: the middle of the range a firing cell's membrane
 * crosses between reset and threshold; it sets each receptor's driving force and the NMDA Mg²⁺
 * block B (docs/reference/celltypes.md §b1). A_stp is the Tsodyks–Markram amplitude, relative to the first
 * response, of a periodic train at `stpRefHz`: short-term plasticity frozen at an operating rate
 * (the TrueNorth crossbar has no STP; see the conformance skip list).
 */
export interface Efficacy {
  projection: string;
  pre: string;
  post: string;
  /** Expected synapses per postsynaptic cell. */
  inDegree: number;
  /** Charge per presynaptic spike at V_op, times the STP factor (fC). */
  chargeFc: number;
  /** inDegree · chargeFc: fC of drive per presynaptic Hz. */
  efficacy: number;
  /** True when every component reverses above V_op (the projection excites). */
  excitatory: boolean;
}

/** Reference rate of the frozen STP factor (Hz): the middle of the sWTA module's interneuron and pool rates. */
export const STP_REF_HZ: Hertz = 20;

/** The AdEx parameters of a population: its class defaults, then its overrides. */
export function populationParams(p: Population): AdexParams {
  const base = p.cell !== 'custom' && isCellClass(p.cell) ? L23_CELL_TYPES[p.cell].params : undefined;
  const merged = { ...(base ?? {}), ...(p.params ?? {}) } as AdexParams;
  if (!Number.isFinite(merged.vTMv) || !Number.isFinite(merged.vRMv)) {
    throw new Error(`population '${p.id}': V_T and V_r are needed for its operating voltage (cell '${p.cell}' gives none)`);
  }
  return merged;
}

/** Operating voltage of a population: (V_T + V_r)/2 (mV). */
export function operatingVoltageMv(p: Population): Millivolt {
  const q = populationParams(p);
  return (q.vTMv + q.vRMv) / 2;
}

/** Steady-state Tsodyks–Markram amplitude of a periodic train at `rateHz`, relative to the first spike (u∞R∞/U). */
export function stpSteadyFactor(stp: StpParams, rateHz: Hertz): number {
  if (!(rateHz > 0)) return 1;
  const dt = 1000 / rateHz;
  const eF = stp.tauFacilMs > 0 ? Math.exp(-dt / stp.tauFacilMs) : 0;
  const u = stp.tauFacilMs > 0 ? stp.U / (1 - (1 - stp.U) * eF) : stp.U;
  const eR = Math.exp(-dt / stp.tauRecMs);
  const r = (1 - eR) / (1 - (1 - u) * eR);
  return (u * r) / stp.U;
}

/** Expected in-degree of a projection's connection rule. */
export function expectedInDegree(pr: Projection, preSize: number, postSize: number): number {
  const c = pr.connect;
  const self = pr.pre === pr.post;
  switch (c.rule) {
    case 'all':
      return self && c.autapses !== true ? preSize - 1 : preSize;
    case 'fixedProbability':
      return c.p * (self && c.autapses !== true ? preSize - 1 : preSize);
    case 'fixedInDegree':
      return c.k;
    case 'oneToOne':
      return Math.min(preSize, postSize) / postSize;
    case 'pairs':
      return c.pre.length / postSize;
  }
}

/** Efficacy of every projection of a graph (in graph order). */
export function projectionEfficacies(graph: Graph, options: { stpRefHz?: Hertz } = {}): Efficacy[] {
  const refHz = options.stpRefHz ?? STP_REF_HZ;
  const pops = new Map(graph.populations.map((p) => [p.id, p]));
  const sizeOf = (id: string): number => {
    const p = pops.get(id);
    if (p) return p.size;
    const s = graph.stimuli.find((x) => x.id === id);
    if (!s || s.kind === 'current') throw new Error(`projection source '${id}' is neither a population nor a spike source`);
    return s.size;
  };
  return graph.projections.map((pr) => {
    const post = pops.get(pr.post);
    if (!post) throw new Error(`projection '${pr.id}': target '${pr.post}' is not a population`);
    const vOp = operatingVoltageMv(post);
    let q = 0;
    let excitatory = true;
    for (const c of pr.components) {
      const d = RECEPTOR_DEFAULTS[c.receptor];
      const tauRiseMs = c.tauRiseMs ?? d.tauRiseMs;
      const tauDecayMs = c.tauDecayMs ?? d.tauDecayMs;
      const eRev = c.eRevMv ?? d.eRevMv;
      const area = biexpPeakNorm({ tauRiseMs, tauDecayMs }) * (tauDecayMs - tauRiseMs);
      const block = d.mgBlock ? mgBlock(vOp) : 1;
      q += c.gNs * area * Math.abs(eRev - vOp) * block; // nS · ms · mV = fC
      if (!(eRev > vOp)) excitatory = false;
    }
    const stp = pr.stp ? stpSteadyFactor(pr.stp, refHz) : 1;
    const inDegree = expectedInDegree(pr, sizeOf(pr.pre), post.size);
    const chargeFc = q * stp;
    return { projection: pr.id, pre: pr.pre, post: pr.post, inDegree, chargeFc, efficacy: inDegree * chargeFc, excitatory };
  });
}
