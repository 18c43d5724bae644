import { ADEX_PARAM_NAMES, type AdexParams } from '../celltypes/adex.ts';
import { isCellClass } from '../celltypes/l23.ts';
import { isNmdaModel } from '../synapses/nmda.ts';
import { isReceptor, RECEPTOR_DEFAULTS } from '../synapses/receptors.ts';
import { GraphValidationError, type GraphIssue } from './errors.ts';
import type { Graph, Population, Projection, Stimulus, Probe, SynapseComponent } from './types.ts';
import { didYouMean } from './suggest.ts';

export interface ValidateOptions {
  /** Integration step the graph will run at; delays shorter than one step are rejected. */
  dtMs?: number;
}

const PROBE_KINDS = ['spikes', 'rate', 'v', 'w', 'g'];

/**
 * Check a graph once, before compiling. Throws GraphValidationError naming every offending
 * element and the rule it breaks; returns the graph, typed, when it is valid.
 */
export function validate(graph: unknown, options: ValidateOptions = {}): Graph {
  const dtMs = options.dtMs ?? 0.1;
  const issues: GraphIssue[] = [];
  const fail = (element: string, field: string, rule: string, message: string): void => {
    issues.push({ element, field, rule, message });
  };

  if (typeof graph !== 'object' || graph === null) {
    throw new GraphValidationError([{ element: 'graph', field: '', rule: 'graph-object', message: 'a graph must be an object' }]);
  }
  const g = graph as Partial<Graph>;
  for (const key of ['populations', 'projections', 'stimuli', 'probes'] as const) {
    if (!Array.isArray(g[key])) fail('graph', key, 'graph-arrays', `'${key}' must be an array (use [] for none)`);
  }
  if (issues.length > 0) throw new GraphValidationError(issues);
  const G = g as Graph;

  scanNonFinite(G, issues);

  const sizes = new Map<string, number>();
  const kinds = new Map<string, 'population' | 'source' | 'current'>();
  const claim = (id: unknown, element: string): void => {
    if (typeof id !== 'string' || id.length === 0) {
      fail(element, 'id', 'id-string', `id must be a non-empty string, got ${JSON.stringify(id)}`);
    } else if (kinds.has(id)) {
      fail(element, 'id', 'duplicate-id', `id '${id}' is already used by another population or stimulus`);
    }
  };

  G.populations.forEach((p, i) => {
    const el = `population '${p?.id ?? `#${i}`}'`;
    claim(p?.id, el);
    checkPopulation(p, el, fail);
    if (typeof p?.id === 'string') {
      kinds.set(p.id, 'population');
      sizes.set(p.id, p.size);
    }
  });
  G.stimuli.forEach((s, i) => {
    const el = `stimulus '${s?.id ?? `#${i}`}'`;
    claim(s?.id, el);
    if (typeof s?.id === 'string') {
      kinds.set(s.id, s.kind === 'current' ? 'current' : 'source');
      if (s.kind !== 'current') sizes.set(s.id, s.size);
    }
  });
  G.stimuli.forEach((s, i) => checkStimulus(s, `stimulus '${s?.id ?? `#${i}`}'`, kinds, sizes, fail));

  const projectionIds = new Set<string>();
  G.projections.forEach((pr, i) => {
    const el = `projection '${pr?.id ?? `#${i}`}'`;
    if (typeof pr?.id !== 'string' || pr.id.length === 0) fail(el, 'id', 'id-string', 'id must be a non-empty string');
    else if (projectionIds.has(pr.id)) fail(el, 'id', 'duplicate-id', `projection id '${pr.id}' is used twice`);
    else projectionIds.add(pr.id);
    checkProjection(pr, el, kinds, sizes, dtMs, fail);
  });

  const probeIds = new Set<string>();
  G.probes.forEach((pb, i) => {
    const el = `probe '${pb?.id ?? `#${i}`}'`;
    if (typeof pb?.id !== 'string' || pb.id.length === 0) fail(el, 'id', 'id-string', 'id must be a non-empty string');
    else if (probeIds.has(pb.id)) fail(el, 'id', 'duplicate-id', `probe id '${pb.id}' is used twice`);
    else probeIds.add(pb.id);
    checkProbe(pb, el, kinds, sizes, fail);
  });

  if (issues.length > 0) throw new GraphValidationError(issues);
  return G;
}

type Fail = (element: string, field: string, rule: string, message: string) => void;

function isPositiveInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

function checkPopulation(p: Population, el: string, fail: Fail): void {
  if (!isPositiveInt(p.size)) fail(el, 'size', 'size-positive-integer', `size must be a positive integer, got ${p.size}`);
  if (p.cell !== 'custom' && !isCellClass(p.cell)) {
    fail(el, 'cell', 'unknown-cell-class', `unknown cell class ${JSON.stringify(p.cell)}; expected Pyr, PV, SST, VIP, LAMP5 or 'custom'`);
    return;
  }
  const params = p.params ?? {};
  for (const key of Object.keys(params)) {
    if (!(ADEX_PARAM_NAMES as readonly string[]).includes(key)) {
      fail(el, `params.${key}`, 'unknown-parameter', `unknown AdEx parameter '${key}'; expected one of ${ADEX_PARAM_NAMES.join(', ')}`);
    }
  }
  if (p.cell === 'custom') {
    const missing = ADEX_PARAM_NAMES.filter((k) => typeof params[k] !== 'number');
    if (missing.length > 0) fail(el, 'params', 'custom-params-complete', `a 'custom' cell needs every AdEx parameter; missing ${missing.join(', ')}`);
  }
  const q = params as Partial<AdexParams>;
  const positive = (k: keyof AdexParams): void => {
    const v = q[k];
    if (typeof v === 'number' && !(v > 0)) fail(el, `params.${k}`, 'parameter-positive', `${k} must be > 0, got ${v}`);
  };
  positive('cPf');
  positive('gLNs');
  positive('tauWMs');
  for (const k of ['deltaTMv', 'tRefMs'] as const) {
    const v = q[k];
    if (typeof v === 'number' && v < 0) fail(el, `params.${k}`, 'parameter-non-negative', `${k} must be ≥ 0, got ${v}`);
  }
  if (p.mismatch) {
    for (const [k, v] of Object.entries(p.mismatch)) {
      if (typeof v !== 'number' || v < 0) fail(el, `mismatch.${k}`, 'mismatch-non-negative', `mismatch ${k} must be a number ≥ 0, got ${v}`);
    }
  }
  if (p.vInitMv && !(p.vInitMv.fromMv <= p.vInitMv.toMv)) {
    fail(el, 'vInitMv', 'range-ordered', `vInitMv.fromMv (${p.vInitMv.fromMv}) must be ≤ toMv (${p.vInitMv.toMv})`);
  }
}

function checkStimulus(s: Stimulus, el: string, kinds: Map<string, string>, sizes: Map<string, number>, fail: Fail): void {
  switch (s?.kind) {
    case 'poisson':
      if (!isPositiveInt(s.size)) fail(el, 'size', 'size-positive-integer', `size must be a positive integer, got ${s.size}`);
      if (!(s.rateHz >= 0)) fail(el, 'rateHz', 'rate-non-negative', `rate must be ≥ 0 Hz, got ${s.rateHz}`);
      s.schedule?.forEach((e, i) => {
        if (!(e.v >= 0)) fail(el, `schedule[${i}].v`, 'rate-non-negative', `scheduled rate must be ≥ 0 Hz, got ${e.v}`);
        if (i > 0 && !(e.atMs > s.schedule![i - 1]!.atMs)) fail(el, `schedule[${i}].atMs`, 'schedule-ordered', `schedule times must increase, got ${e.atMs} after ${s.schedule![i - 1]!.atMs}`);
      });
      return;
    case 'spikes': {
      if (!isPositiveInt(s.size)) fail(el, 'size', 'size-positive-integer', `size must be a positive integer, got ${s.size}`);
      const t = s.timesMs ?? [];
      const ix = s.indices ?? [];
      if (t.length !== ix.length) fail(el, 'indices', 'parallel-arrays', `timesMs (${t.length}) and indices (${ix.length}) must have the same length`);
      ix.forEach((n, i) => {
        if (!Number.isInteger(n) || n < 0 || n >= s.size) fail(el, `indices[${i}]`, 'index-range', `index ${n} is outside [0, ${s.size})`);
      });
      t.forEach((x, i) => {
        if (!(x >= 0)) fail(el, `timesMs[${i}]`, 'time-non-negative', `spike time must be ≥ 0 ms, got ${x}`);
      });
      return;
    }
    case 'current': {
      if (kinds.get(s.target) !== 'population') {
        fail(el, 'target', 'unknown-population', `target '${s.target}' is not a population${didYouMean(s.target ?? '', kinds.keys())}`);
        return;
      }
      const n = sizes.get(s.target) ?? 0;
      s.neurons?.forEach((k, i) => {
        if (!Number.isInteger(k) || k < 0 || k >= n) fail(el, `neurons[${i}]`, 'index-range', `neuron ${k} is outside [0, ${n}) of '${s.target}'`);
      });
      if (!Array.isArray(s.segments)) fail(el, 'segments', 'segments-array', 'segments must be an array');
      else s.segments.forEach((seg, i) => {
        if (!(seg.startMs >= 0)) fail(el, `segments[${i}].startMs`, 'time-non-negative', `startMs must be ≥ 0, got ${seg.startMs}`);
        if (seg.endMs !== undefined && !(seg.endMs > seg.startMs)) fail(el, `segments[${i}]`, 'segment-ordered', `endMs (${seg.endMs}) must be after startMs (${seg.startMs})`);
      });
      return;
    }
    default:
      fail(el, 'kind', 'unknown-stimulus-kind', `unknown stimulus kind ${JSON.stringify((s as { kind?: unknown })?.kind)}; expected 'poisson', 'spikes' or 'current'`);
  }
}

function checkProjection(pr: Projection, el: string, kinds: Map<string, string>, sizes: Map<string, number>, dtMs: number, fail: Fail): void {
  const preKind = kinds.get(pr.pre);
  if (preKind !== 'population' && preKind !== 'source') {
    fail(el, 'pre', 'unknown-population', `pre '${pr.pre}' is neither a population nor a spike source${didYouMean(pr.pre ?? '', kinds.keys())}`);
  }
  if (kinds.get(pr.post) !== 'population') {
    fail(el, 'post', 'unknown-population', `post '${pr.post}' is not a population${didYouMean(pr.post ?? '', kinds.keys())}`);
  }
  const nPre = sizes.get(pr.pre) ?? 0;
  const nPost = sizes.get(pr.post) ?? 0;
  const c = pr.connect;
  switch (c?.rule) {
    case 'all':
      break;
    case 'fixedProbability':
      if (!(c.p >= 0 && c.p <= 1)) fail(el, 'connect.p', 'probability-range', `connection probability must be within [0, 1], got ${c.p}`);
      break;
    case 'fixedInDegree':
      if (!Number.isInteger(c.k) || c.k < 0) fail(el, 'connect.k', 'in-degree-range', `in-degree must be a non-negative integer, got ${c.k}`);
      else if (nPre > 0 && c.k > nPre) fail(el, 'connect.k', 'in-degree-range', `in-degree ${c.k} exceeds the ${nPre} neurons of '${pr.pre}'`);
      break;
    case 'oneToOne':
      if (nPre > 0 && nPost > 0 && nPre !== nPost) fail(el, 'connect', 'one-to-one-sizes', `oneToOne needs equal sizes, got ${nPre} ('${pr.pre}') and ${nPost} ('${pr.post}')`);
      break;
    case 'pairs':
      if (!Array.isArray(c.pre) || !Array.isArray(c.post) || c.pre.length !== c.post.length) {
        fail(el, 'connect', 'parallel-arrays', 'pairs needs pre and post index arrays of equal length');
      } else {
        c.pre.forEach((k, i) => {
          if (!Number.isInteger(k) || k < 0 || k >= nPre) fail(el, `connect.pre[${i}]`, 'index-range', `pre index ${k} is outside [0, ${nPre})`);
        });
        c.post.forEach((k, i) => {
          if (!Number.isInteger(k) || k < 0 || k >= nPost) fail(el, `connect.post[${i}]`, 'index-range', `post index ${k} is outside [0, ${nPost})`);
        });
      }
      break;
    default:
      fail(el, 'connect.rule', 'unknown-connect-rule', `unknown connection rule ${JSON.stringify((c as { rule?: unknown })?.rule)}; expected all, fixedProbability, fixedInDegree, oneToOne or pairs`);
  }
  if (!Array.isArray(pr.components) || pr.components.length === 0) {
    fail(el, 'components', 'components-non-empty', 'a projection needs at least one receptor component');
  } else {
    pr.components.forEach((comp, i) => {
      const f = `components[${i}]`;
      if (!isReceptor(comp.receptor)) {
        fail(el, `${f}.receptor`, 'unknown-receptor', `unknown receptor ${JSON.stringify(comp.receptor)}; expected AMPA, NMDA, GABA_A, GABA_A_slow or GABA_B`);
        return;
      }
      if (!(comp.gNs >= 0)) fail(el, `${f}.gNs`, 'negative-conductance', `conductance must be ≥ 0 nS (inhibition comes from the reversal potential), got ${comp.gNs}`);
      const d = RECEPTOR_DEFAULTS[comp.receptor];
      const rise = comp.tauRiseMs ?? d.tauRiseMs;
      const decay = comp.tauDecayMs ?? d.tauDecayMs;
      if (!(decay > 0)) fail(el, `${f}.tauDecayMs`, 'kinetics', `decay time constant must be > 0 ms, got ${decay}`);
      else if (!(rise >= 0 && rise < decay)) fail(el, `${f}.tauRiseMs`, 'kinetics', `rise time constant must be in [0, τ_decay = ${decay}) ms, got ${rise}`);
      checkNmdaModel(comp, el, f, fail);
    });
  }
  if (!(pr.delayMs >= dtMs - 1e-9)) {
    fail(el, 'delayMs', 'delay-min', `delay must be at least one integration step (${dtMs} ms), got ${pr.delayMs} ms`);
  }
  if (pr.weightSpread && !(pr.weightSpread.logNormalCv >= 0)) {
    fail(el, 'weightSpread.logNormalCv', 'spread-non-negative', `log-normal CV must be ≥ 0, got ${pr.weightSpread.logNormalCv}`);
  }
  if (pr.stp) {
    const s = pr.stp;
    if (!(s.U > 0 && s.U <= 1)) fail(el, 'stp.U', 'stp-range', `STP utilization U must be in (0, 1], got ${s.U}`);
    if (!(s.tauRecMs > 0)) fail(el, 'stp.tauRecMs', 'stp-range', `τ_rec must be > 0 ms, got ${s.tauRecMs}`);
    if (!(s.tauFacilMs >= 0)) fail(el, 'stp.tauFacilMs', 'stp-range', `τ_facil must be ≥ 0 ms, got ${s.tauFacilMs}`);
  }
}

function checkNmdaModel(comp: SynapseComponent, el: string, f: string, fail: Fail): void {
  if (comp.nmdaModel !== undefined) {
    if (!isNmdaModel(comp.nmdaModel)) fail(el, `${f}.nmdaModel`, 'unknown-nmda-model', `unknown NMDA model ${JSON.stringify(comp.nmdaModel)}; expected linear or saturating`);
    else if (comp.receptor !== 'NMDA') fail(el, `${f}.nmdaModel`, 'nmda-model-receptor', `nmdaModel applies to NMDA components only, not ${comp.receptor}`);
  }
  if (comp.nmdaSpikeIncrement !== undefined) {
    if (comp.nmdaModel !== 'saturating') fail(el, `${f}.nmdaSpikeIncrement`, 'nmda-increment-model', "nmdaSpikeIncrement needs nmdaModel: 'saturating'");
    else if (!(comp.nmdaSpikeIncrement > 0 && comp.nmdaSpikeIncrement <= 1)) fail(el, `${f}.nmdaSpikeIncrement`, 'nmda-increment-range', `the fraction of receptors one spike binds must be in (0, 1], got ${comp.nmdaSpikeIncrement}`);
  }
}

function checkProbe(pb: Probe, el: string, kinds: Map<string, string>, sizes: Map<string, number>, fail: Fail): void {
  if (!PROBE_KINDS.includes(pb.kind)) fail(el, 'kind', 'unknown-probe-kind', `unknown probe kind ${JSON.stringify(pb.kind)}; expected ${PROBE_KINDS.join(', ')}`);
  const k = kinds.get(pb.target);
  const recordsSpikes = pb.kind === 'spikes' || pb.kind === 'rate';
  if (k !== 'population' && !(recordsSpikes && k === 'source')) {
    fail(el, 'target', 'unknown-population', `target '${pb.target}' is not a population${didYouMean(pb.target ?? '', kinds.keys())}`);
    return;
  }
  const n = sizes.get(pb.target) ?? 0;
  pb.neurons?.forEach((x, i) => {
    if (!Number.isInteger(x) || x < 0 || x >= n) fail(el, `neurons[${i}]`, 'index-range', `neuron ${x} is outside [0, ${n}) of '${pb.target}'`);
  });
  if (pb.kind === 'g' && !isReceptor(pb.receptor)) fail(el, 'receptor', 'probe-receptor', `a 'g' probe needs a receptor (AMPA, NMDA, GABA_A, GABA_A_slow, GABA_B), got ${JSON.stringify(pb.receptor)}`);
}

/** Any NaN or ±Infinity anywhere in the graph is an error at its exact path. */
function scanNonFinite(graph: Graph, issues: GraphIssue[]): void {
  const visit = (x: unknown, element: string, path: string): void => {
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) issues.push({ element, field: path, rule: 'finite-number', message: `${x} is not a finite number` });
    } else if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) visit(x[i], element, `${path}[${i}]`);
    } else if (x !== null && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) visit(v, element, path ? `${path}.${k}` : k);
    }
  };
  const sections = [['population', graph.populations], ['projection', graph.projections], ['stimulus', graph.stimuli], ['probe', graph.probes]] as const;
  for (const [label, list] of sections) {
    list.forEach((item, i) => visit(item, `${label} '${(item as { id?: string })?.id ?? `#${i}`}'`, ''));
  }
}
