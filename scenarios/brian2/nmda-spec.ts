import { resolveParams } from '../../adapters/conductance/index.ts';
import { buildCsr } from '../../adapters/conductance/connectivity.ts';
import type { AdexParams } from '../../src/celltypes/adex.ts';
import type { ConnectRule, Graph } from '../../src/graph/types.ts';
import type { Random } from '../../src/random.ts';
import { MG_CONCENTRATION_MM } from '../../src/synapses/receptors.ts';
import type { StpParams } from '../../src/synapses/stp.ts';
import { channelComponents } from './channels.ts';

/**
 * The input of scenarios/brian2/nmda.py, made from one of our graphs so that both simulators
 * run the same network: the graph's populations (resolved AdEx parameters, a constant bias from its
 * 'current' stimuli), its 'spikes' sources, and its projections with 'pairs' connectivity. Channels
 * are grouped per population as the engine groups them (receptor, kinetics, reversal potential).
 */
export interface Brian2NmdaSpec {
  dtMs: number;
  durationMs: number;
  populations: {
    id: string;
    size: number;
    params: AdexParams;
    biasPa: number;
    vInitMv: number[] | null;
    mgOver357: number;
    channels: { tauRiseMs: number; tauDecayMs: number; eRevMv: number; mgBlock: boolean; norm: number }[];
  }[];
  sources: { id: string; size: number; timesMs: number[]; indices: number[] }[];
  projections: {
    pre: string;
    post: string;
    i: number[];
    j: number[];
    delaySteps: number;
    stp: StpParams | null;
    components: { channel: number; gNs: number; saturating: boolean; alphaS: number }[];
  }[];
  recordG: { population: string; neuron: number; channel: number }[];
  wangOde?: { ratesHz: number[]; trainsPerRate: number; durationMs: number; alphaPerMs: number; tauXMs: number; tauDecayMs: number; seed: number };
}

/** The synapses of a connection rule as explicit pairs, drawn by the engine's own builder. */
export function pairsOf(rule: ConnectRule, nPre: number, nPost: number, samePopulation: boolean, rng: Random): { rule: 'pairs'; pre: number[]; post: number[] } {
  const csr = buildCsr(rule, nPre, nPost, samePopulation, rng);
  const pre: number[] = [];
  const post: number[] = [];
  for (let i = 0; i < nPre; i++) {
    for (let k = csr.rowStart[i]!; k < csr.rowStart[i + 1]!; k++) {
      pre.push(i);
      post.push(csr.post[k]!);
    }
  }
  return { rule: 'pairs', pre, post };
}

/** Spec of a graph with 'pairs' projections, 'spikes' sources and constant currents; `recordG` names channels by receptor. */
export function brian2NmdaSpec(graph: Graph, o: { dtMs: number; durationMs: number; recordG?: { population: string; neuron: number; receptor: string }[] }): Brian2NmdaSpec {
  const populations: Brian2NmdaSpec['populations'] = [];
  const channelKeys = new Map<string, string[]>();
  for (const p of graph.populations) {
    let biasPa = 0;
    for (const s of graph.stimuli) {
      if (s.kind !== 'current' || s.target !== p.id) continue;
      if (s.neurons || s.segments.some((g) => g.startMs !== 0 || g.endMs !== undefined || (g.toPa ?? g.fromPa) !== g.fromPa)) {
        throw new Error(`current '${s.id}': only constant currents onto a whole population are translated`);
      }
      biasPa += s.segments.reduce((a, g) => a + g.fromPa, 0);
    }
    populations.push({ id: p.id, size: p.size, params: resolveParams(p), biasPa, vInitMv: null, mgOver357: MG_CONCENTRATION_MM / 3.57, channels: [] });
    channelKeys.set(p.id, []);
  }
  const pop = (id: string) => populations.find((p) => p.id === id)!;
  const projections: Brian2NmdaSpec['projections'] = graph.projections.map((pr) => {
    if (pr.connect.rule !== 'pairs') throw new Error(`projection '${pr.id}': use 'pairs' connectivity (pairsOf) so both simulators have the same synapses`);
    if (pr.weightSpread) throw new Error(`projection '${pr.id}': weight spread is not translated`);
    const post = pop(pr.post);
    const keys = channelKeys.get(pr.post)!;
    const components = channelComponents(pr.components, keys, post.channels);
    return {
      pre: pr.pre, post: pr.post, i: pr.connect.pre, j: pr.connect.post,
      delaySteps: Math.max(1, Math.round(pr.delayMs / o.dtMs)), stp: pr.stp ?? null, components,
    };
  });
  const sources = graph.stimuli.flatMap((s) => {
    if (s.kind === 'current') return [];
    if (s.kind !== 'spikes') throw new Error(`stimulus '${s.id}': export Poisson sources as 'spikes' so both simulators get the same input`);
    return [{ id: s.id, size: s.size, timesMs: s.timesMs ?? [], indices: s.indices ?? [] }];
  });
  const recordG = (o.recordG ?? []).map((r) => {
    const receptorKeys = channelKeys.get(r.population)!;
    const channel = receptorKeys.findIndex((k) => k.startsWith(`${r.receptor}|`));
    if (channel < 0) throw new Error(`population '${r.population}' has no ${r.receptor} channel`);
    if (receptorKeys.filter((k) => k.startsWith(`${r.receptor}|`)).length > 1) throw new Error(`population '${r.population}' has several ${r.receptor} channels`);
    return { population: r.population, neuron: r.neuron, channel };
  });
  return { dtMs: o.dtMs, durationMs: o.durationMs, populations, sources, projections, recordG };
}

/** Poisson spike times (ms) on the dt grid: one Bernoulli trial per step, as the engine's Poisson sources. */
export function poissonTimesMs(rateHz: number, durationMs: number, dtMs: number, rng: Random): number[] {
  const p = (rateHz * dtMs) / 1000;
  const out: number[] = [];
  const steps = Math.round(durationMs / dtMs);
  for (let k = rng.geometric(p); k < steps; k += 1 + rng.geometric(p)) out.push(Number((k * dtMs).toFixed(6)));
  return out;
}
