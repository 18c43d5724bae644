import { TICK_MS } from '../../src/engine.ts';
import type { Graph, SynapseComponent } from '../../src/graph/types.ts';
import { validate } from '../../src/graph/validate.ts';
import { biexpPeakNorm, MG_CONCENTRATION_MM, RECEPTOR_DEFAULTS } from '../../src/synapses/receptors.ts';
import { ConductanceEngine, resolveParams } from '../conductance/engine.ts';
import {
  SPEC_FORMAT,
  type ArrayRef, type ChannelSpec, type ComponentSpec, type CurrentSpec, type NeuronSpec, type PopulationSpec, type ProjectionSpec, type SourceSpec,
} from './spec.ts';

/** The binary arrays of a spec, by file name (written beside spec.json). */
export type SpecArrays = Map<string, Int32Array | Float64Array>;

export interface ExportedGraph {
  spec: NeuronSpec;
  arrays: SpecArrays;
}

/**
 * α_s of saturating NMDA gating when a component does not set it: 1 − exp(−α τ_x) with Wang
 * 2002's α = 0.5 /ms and τ_x = 2 ms (src/synapses/nmda.ts, NMDA_SPIKE_INCREMENT).
 */
export const DEFAULT_NMDA_SPIKE_INCREMENT = -Math.expm1(-0.5 * 2);

/**
 * Saturating NMDA gating of a component (the graph field `nmdaModel: 'saturating'`, with
 * `nmdaSpikeIncrement` for α_s), or null for a linear one. Read by name so that graphs of either
 * NMDA model export alike.
 */
export function saturationOf(c: SynapseComponent, tauDecayMs: number): ComponentSpec['saturation'] {
  const x = c as SynapseComponent & { nmdaModel?: unknown; nmdaSpikeIncrement?: unknown };
  if (c.receptor !== 'NMDA' || x.nmdaModel !== 'saturating') return null;
  return { alphaS: typeof x.nmdaSpikeIncrement === 'number' ? x.nmdaSpikeIncrement : DEFAULT_NMDA_SPIKE_INCREMENT, tauDecayMs };
}

/** Jahr–Stevens [Mg]/3.57 mM of the engine (src/synapses/receptors.ts). */
export const MG_OVER_357 = MG_CONCENTRATION_MM / 3.57;

/**
 * A graph as our conductance engine draws it for a seed, as a NEURON spec: resolved AdEx
 * parameters, per-neuron V_T, g_L and initial V (drawnNeurons), receptor channels grouped as the
 * engine groups them (receptor, kinetics, reversal), every projection's drawn synapses
 * (synapses(id): the engine's own edge list and weight factors, not a redraw), current
 * injections as per-step amplitudes, probes. `prefix` namespaces array files and ids (modules of
 * a network); `gidStart` is the first gid.
 */
export function exportGraph(graph: Graph, options: { seed: number; dtMs?: number; prefix?: string; gidStart?: number; arrays?: SpecArrays }): ExportedGraph {
  const dtMs = options.dtMs ?? 0.1;
  const g = validate(graph, { dtMs });
  const engine = new ConductanceEngine(g, { seed: options.seed, dtMs, kernel: 'reference' });
  const prefix = options.prefix ?? '';
  const arrays: SpecArrays = options.arrays ?? new Map();
  const put = (name: string, a: Int32Array | Float64Array): ArrayRef => {
    const file = `${prefix}${name}`.replace(/[^A-Za-z0-9._-]/g, '_') + (a instanceof Int32Array ? '.i32' : '.f64');
    if (arrays.has(file)) throw new Error(`array file name collision: ${file}`);
    arrays.set(file, a);
    return { file, dtype: a instanceof Int32Array ? 'int32' : 'float64', length: a.length };
  };
  let gid = options.gidStart ?? 0;

  const populations: PopulationSpec[] = g.populations.map((p) => {
    const params = resolveParams(p);
    const drawn = engine.drawnNeurons(p.id);
    const spec: PopulationSpec = {
      id: prefix + p.id, size: p.size, gidStart: gid, params,
      vTMv: Array.from(drawn.vTMv), gLNs: Array.from(drawn.gLNs), vInitMv: Array.from(drawn.vInitMv),
      refractorySteps: Math.round(params.tRefMs / dtMs),
      channels: [],
    };
    gid += p.size;
    return spec;
  });
  const popById = new Map(g.populations.map((p, i) => [p.id, populations[i]!]));
  const sources: SourceSpec[] = [];
  for (const s of g.stimuli) {
    if (s.kind === 'current') continue;
    sources.push({ id: prefix + s.id, kind: s.kind, size: s.size, gidStart: gid });
    gid += s.size;
  }

  const channelFor = (pop: PopulationSpec, c: SynapseComponent): { index: number; tauDecayMs: number } => {
    const d = RECEPTOR_DEFAULTS[c.receptor];
    const tauRiseMs = c.tauRiseMs ?? d.tauRiseMs;
    const tauDecayMs = c.tauDecayMs ?? d.tauDecayMs;
    const eRevMv = c.eRevMv ?? d.eRevMv;
    const decayA = Math.exp(-dtMs / tauDecayMs);
    const decayB = tauRiseMs > 0 ? Math.exp(-dtMs / tauRiseMs) : 0;
    let index = pop.channels.findIndex((ch) => ch.receptor === c.receptor && ch.decayA === decayA && ch.decayB === decayB && ch.eRevMv === eRevMv);
    if (index < 0) {
      const ch: ChannelSpec = { receptor: c.receptor, tauRiseMs, tauDecayMs, eRevMv, mgBlock: d.mgBlock, decayA, decayB, norm: biexpPeakNorm({ tauRiseMs, tauDecayMs }) };
      index = pop.channels.push(ch) - 1;
    }
    return { index, tauDecayMs };
  };

  const projections: ProjectionSpec[] = g.projections.map((pr) => {
    const post = popById.get(pr.post)!;
    const csr = engine.synapses(pr.id);
    const nPre = csr.rowStart.length - 1;
    const preIndex = new Int32Array(csr.post.length);
    for (let i = 0; i < nPre; i++) preIndex.fill(i, csr.rowStart[i]!, csr.rowStart[i + 1]!);
    const components = pr.components.map((c): ComponentSpec => {
      const ch = channelFor(post, c);
      return { receptor: c.receptor, channel: ch.index, gNs: c.gNs, saturation: saturationOf(c, ch.tauDecayMs) };
    });
    return {
      id: prefix + pr.id,
      pre: prefix + pr.pre,
      preKind: popById.has(pr.pre) ? 'population' : 'source',
      post: post.id,
      delayMs: pr.delayMs,
      delaySteps: Math.max(1, Math.round(pr.delayMs / dtMs)),
      components,
      stp: pr.stp ? { ...pr.stp } : null,
      preIndex: put(`${pr.id}.pre`, preIndex),
      postIndex: put(`${pr.id}.post`, csr.post),
      weight: csr.weight ? put(`${pr.id}.weight`, csr.weight) : null,
    };
  });

  const currents: CurrentSpec[] = [];
  for (const s of g.stimuli) {
    if (s.kind !== 'current') continue;
    const pop = popById.get(s.target)!;
    currents.push({ id: prefix + s.id, population: pop.id, neurons: s.neurons ?? Array.from({ length: pop.size }, (_, i) => i), ...currentSteps(s.segments, dtMs) });
  }

  for (const p of populations) {
    if (p.channels.length > MAX_CHANNELS) throw new Error(`population '${p.id}' has ${p.channels.length} receptor channels; swta_adex.mod holds ${MAX_CHANNELS}`);
  }
  const spec: NeuronSpec = {
    format: SPEC_FORMAT,
    name: g.name ?? 'graph',
    seed: options.seed,
    dtMs,
    tickMs: TICK_MS,
    stepsPerTick: Math.round(TICK_MS / dtMs),
    mgOver357: MG_OVER_357,
    populations,
    sources,
    relays: [],
    projections,
    links: [],
    currents,
    probes: g.probes.map((p) => ({ id: prefix + p.id, target: prefix + p.target, kind: p.kind, neurons: p.neurons ? [...p.neurons] : null, receptor: p.receptor ?? null })),
    orderEpsilonMs: 0,
  };
  spec.orderEpsilonMs = orderEpsilon(spec);
  return { spec, arrays };
}

/** MAXCH of swta_adex.mod. */
export const MAX_CHANNELS = 16;

/**
 * A current injection's amplitude per integration step, as the engine's applyCurrents computes
 * it (steps and linear ramps, summed over segments), given as the steps where it changes.
 */
export function currentSteps(segments: readonly { startMs: number; endMs?: number; fromPa: number; toPa?: number }[], dtMs: number): { steps: number[]; amplitudesPa: number[] } {
  const segs = segments.map((s) => ({
    start: Math.round(s.startMs / dtMs),
    end: s.endMs === undefined ? Infinity : Math.round(s.endMs / dtMs),
    from: s.fromPa,
    to: s.toPa ?? s.fromPa,
  }));
  const amplitude = (step: number): number => {
    let a = 0;
    for (const s of segs) {
      if (step >= s.start && step < s.end) a += s.to === s.from ? s.from : s.from + ((s.to - s.from) * (step - s.start)) / (s.end - s.start);
    }
    return a;
  };
  // The amplitude can change only at segment edges and inside ramps.
  const candidates = new Set<number>();
  for (const s of segs) {
    candidates.add(s.start);
    if (Number.isFinite(s.end)) candidates.add(s.end);
    if (s.to !== s.from) for (let k = s.start + 1; k < s.end; k++) candidates.add(k);
  }
  const steps: number[] = [];
  const amplitudesPa: number[] = [];
  let last = 0;
  for (const k of [...candidates].sort((a, b) => a - b)) {
    const a = amplitude(k);
    if (a !== last) {
      steps.push(k);
      amplitudesPa.push(a);
      last = a;
    }
  }
  return { steps, amplitudesPa };
}

/**
 * The event-ordering offset (ms per key unit) of a spec: NetCon events that reach one cell in the
 * same step are delivered in the order of these offsets, whatever order they were queued in, so
 * the floating-point sums of arrivals, and the spikes, are the same on any number of processes.
 * The largest offset stays below 1 % of a step, so every event keeps its step.
 */
export function orderEpsilon(spec: NeuronSpec): number {
  const gids = totalGids(spec);
  const slots = Math.max(1, spec.projections.reduce((n, p) => n + p.components.length, 0) + spec.links.length);
  return Math.min(1e-9, (0.01 * spec.dtMs) / (gids * slots + 1));
}

export function totalGids(spec: NeuronSpec): number {
  let n = 0;
  for (const p of spec.populations) n = Math.max(n, p.gidStart + p.size);
  for (const s of spec.sources) n = Math.max(n, s.gidStart + s.size);
  for (const r of spec.relays) n = Math.max(n, r.gidStart + r.size);
  return n;
}
