import { compile, resolveParams, type ConductanceEngine } from '../../adapters/conductance/index.ts';
import type { Network } from '../../src/graph/network.ts';
import type { Graph } from '../../src/graph/types.ts';
import { MG_CONCENTRATION_MM } from '../../src/synapses/receptors.ts';
import { TICK_MS } from '../../src/engine.ts';
import { planNetwork } from '../../runtime/plan.ts';
import { channelComponents } from './channels.ts';
import type { Brian2NmdaSpec } from './nmda-spec.ts';

/**
 * Any network of conductance modules (or one graph) as the input of scenarios/brian2/nmda.py, so
 * that Brian2 runs what our engine runs: AdEx populations with every receptor (Mg²⁺ block
 * included), saturating NMDA, STP and delays, and — read back from our compiled engines
 * (ConductanceEngine.structure) — the exact synapses and weight factors, each neuron's V_T, g_L
 * and initial v, and every Poisson source's spike train (recorded from the engine's own stream:
 * a source's draws do not depend on the network, so they are those of the timed run).
 *
 * Populations and sources are named `module/id`. A link between modules (runtime/plan.ts) becomes
 * projections from its presynaptic population straight to the targets of its port, composed with
 * the port's projections (the same synapses, the link's map times the port's). One difference of
 * timing remains: the runtime delivers a link spike at the start of the next 1 ms tick, 0.1–1 ms
 * after it, and Brian2 here after a fixed 1 ms; STP and NMDA gating, per presynaptic port neuron
 * in our engine, are per presynaptic neuron here (the same for one-to-one links).
 */
export interface GraphSpecOptions {
  seed: number;
  dtMs: number;
  /** Simulated before the timed run (both simulators), then the timed run. */
  warmupMs: number;
  durationMs: number;
}

/** Brian2NmdaSpec plus per-neuron parameters, synaptic weights and the timed window. */
export interface Brian2GraphSpec extends Brian2NmdaSpec {
  warmupMs: number;
  countsOnly: true;
  populations: (Brian2NmdaSpec['populations'][number] & { vTMv: number[]; gLNs: number[] })[];
  projections: (Brian2NmdaSpec['projections'][number] & { weight: number[] | null })[];
}

interface Compiled {
  prefix: string;
  graph: Graph;
  engine: ConductanceEngine;
}

export function brian2GraphSpec(input: Network | Graph, o: GraphSpecOptions): Brian2GraphSpec {
  const network: Network = 'modules' in input ? input : { name: input.name ?? 'graph', modules: [{ id: 'm', graph: input }], links: [] };
  const plan = planNetwork(network, o.seed);
  const single = !('modules' in input);
  const totalMs = o.warmupMs + o.durationMs;
  const compiled: Compiled[] = plan.modules.map((m) => ({
    prefix: `${m.id}/`,
    graph: m.graph,
    // A single graph runs with the given seed, as compile(graph, { seed }) does; modules with theirs.
    engine: compile(m.graph, { seed: single ? o.seed : m.seed, dtMs: o.dtMs }),
  }));
  const spec: Brian2GraphSpec = { dtMs: o.dtMs, durationMs: o.durationMs, warmupMs: o.warmupMs, countsOnly: true, populations: [], sources: [], projections: [], recordG: [] };
  /** Channel keys per flattened population, as the engine groups them. */
  const channelKeys = new Map<string, string[]>();
  const portTargets = new Map<string, Compiled>();

  for (const c of compiled) {
    const structure = c.engine.structure();
    for (const p of c.graph.populations) {
      const s = structure.populations.find((x) => x.id === p.id)!;
      spec.populations.push({
        id: c.prefix + p.id, size: p.size, params: resolveParams(p), biasPa: constantBiasPa(c.graph, p.id), vInitMv: s.vInitMv,
        mgOver357: MG_CONCENTRATION_MM / 3.57, channels: [], vTMv: s.vTMv, gLNs: s.gLNs,
      });
      channelKeys.set(c.prefix + p.id, []);
    }
    // Poisson trains: the engine's own, recorded on a copy with a spike probe per source.
    const poisson = c.graph.stimuli.filter((s) => s.kind === 'poisson');
    if (poisson.length > 0) {
      const g = structuredClone(c.graph);
      g.probes = poisson.map((s) => ({ id: `train:${s.id}`, target: s.id, kind: 'spikes' as const }));
      const e = compile(g, { seed: single ? o.seed : plan.modules.find((m) => `${m.id}/` === c.prefix)!.seed, dtMs: o.dtMs });
      e.run(Math.round(totalMs / TICK_MS));
      for (const s of poisson) {
        const d = e.probe(`train:${s.id}`);
        if (d.kind !== 'spikes') continue;
        spec.sources.push({ id: c.prefix + s.id, size: s.size, timesMs: Array.from(d.timesMs, (t) => Number(t.toFixed(6))), indices: Array.from(d.indices) });
      }
    }
    for (const pr of c.graph.projections) {
      const syn = structure.projections.find((x) => x.id === pr.id)!;
      const isPort = c.graph.stimuli.some((s) => s.id === pr.pre && s.kind === 'spikes');
      if (isPort) {
        portTargets.set(c.prefix + pr.pre, c);
        continue;
      }
      spec.projections.push({ ...projectionSpec(spec, channelKeys, c.prefix + pr.pre, c.prefix + pr.post, pr, syn.delaySteps), i: syn.pre, j: syn.post, weight: syn.weight });
    }
  }

  // Links: presynaptic population → port (the link's map) → the port's projections.
  for (const l of plan.links) {
    const fromPrefix = `${plan.modules[l.from]!.id}/`;
    const toModule = compiled[l.to]!;
    const pre = fromPrefix + plan.modules[l.from]!.populations[l.fromPopulation]!;
    const structure = toModule.engine.structure();
    for (const pr of toModule.graph.projections) {
      if (pr.pre !== l.port) continue;
      const syn = structure.projections.find((x) => x.id === pr.id)!;
      // Port neuron q → its targets in the port projection, with their weight factors.
      const byPort = new Map<number, number[]>();
      syn.pre.forEach((q, k) => {
        const list = byPort.get(q) ?? [];
        list.push(k);
        byPort.set(q, list);
      });
      const i: number[] = [];
      const j: number[] = [];
      const weight: number[] = [];
      for (let n = 0; n < l.map.preSize; n++) {
        for (let a = l.map.offsets[n]!; a < l.map.offsets[n + 1]!; a++) {
          for (const k of byPort.get(l.map.ports[a]!) ?? []) {
            i.push(n);
            j.push(syn.post[k]!);
            weight.push(syn.weight ? syn.weight[k]! : 1);
          }
        }
      }
      const delaySteps = syn.delaySteps + Math.round(TICK_MS / o.dtMs);
      spec.projections.push({ ...projectionSpec(spec, channelKeys, pre, toModule.prefix + pr.post, pr, delaySteps), i, j, weight: syn.weight ? weight : null });
    }
  }
  return spec;
}

function constantBiasPa(graph: Graph, population: string): number {
  let biasPa = 0;
  for (const s of graph.stimuli) {
    if (s.kind !== 'current' || s.target !== population) continue;
    if (s.neurons || s.segments.some((g) => g.startMs !== 0 || g.endMs !== undefined || (g.toPa ?? g.fromPa) !== g.fromPa)) {
      throw new Error(`current '${s.id}': only constant currents onto a whole population are translated`);
    }
    biasPa += s.segments.reduce((a, g) => a + g.fromPa, 0);
  }
  return biasPa;
}

/** A projection's channels (created on the post population as the engine groups them), STP and delay. */
function projectionSpec(spec: Brian2GraphSpec, channelKeys: Map<string, string[]>, pre: string, post: string, pr: Graph['projections'][number], delaySteps: number): Omit<Brian2GraphSpec['projections'][number], 'i' | 'j' | 'weight'> {
  const target = spec.populations.find((p) => p.id === post)!;
  const keys = channelKeys.get(post)!;
  const components = channelComponents(pr.components, keys, target.channels);
  return { pre, post, delaySteps, stp: pr.stp ?? null, components };
}
