import { describe, expect, it } from 'vitest';
import { GraphValidationError, validate } from '../../../src/graph/index.ts';
import type { Graph } from '../../../src/graph/types.ts';

/** A small valid graph; each test breaks one rule of a copy. */
function base(): Graph {
  return {
    populations: [
      { id: 'exc', size: 10, cell: 'Pyr' },
      { id: 'inh', size: 4, cell: 'PV' },
    ],
    projections: [
      { id: 'e->i', pre: 'exc', post: 'inh', connect: { rule: 'fixedProbability', p: 0.3 }, components: [{ receptor: 'AMPA', gNs: 0.3 }], delayMs: 1 },
    ],
    stimuli: [
      { kind: 'poisson', id: 'drive', size: 5, rateHz: 10 },
      { kind: 'current', id: 'step', target: 'exc', segments: [{ startMs: 0, endMs: 100, fromPa: 50 }] },
    ],
    probes: [{ id: 'sp', target: 'exc', kind: 'spikes' }],
  };
}

function issuesOf(g: unknown): { rule: string; element: string; message: string }[] {
  try {
    validate(g);
  } catch (e) {
    expect(e).toBeInstanceOf(GraphValidationError);
    expect((e as GraphValidationError).code).toBe('GRAPH_INVALID');
    return (e as GraphValidationError).issues;
  }
  return [];
}

function expectRule(g: unknown, rule: string, element: string, messagePart: string | RegExp): void {
  const issues = issuesOf(g);
  const hit = issues.find((i) => i.rule === rule);
  expect(hit, `expected rule ${rule}, got ${JSON.stringify(issues)}`).toBeDefined();
  expect(hit!.element).toBe(element);
  expect(hit!.message).toMatch(messagePart);
}

describe('validate', () => {
  it('accepts the base graph and returns it', () => {
    const g = base();
    expect(validate(g)).toBe(g);
  });

  it('graph-object / graph-arrays', () => {
    expectRule(null, 'graph-object', 'graph', 'must be an object');
    expectRule({ populations: [] }, 'graph-arrays', 'graph', "'projections' must be an array");
  });

  it('unknown-population names the projection and suggests a fix', () => {
    const g = base();
    g.projections[0]!.post = 'inhh';
    expectRule(g, 'unknown-population', "projection 'e->i'", "post 'inhh' is not a population. Did you mean 'inh'?");
  });

  it('probability-range', () => {
    const g = base();
    g.projections[0]!.connect = { rule: 'fixedProbability', p: 1.5 };
    expectRule(g, 'probability-range', "projection 'e->i'", 'within [0, 1], got 1.5');
  });

  it('negative-conductance', () => {
    const g = base();
    g.projections[0]!.components[0]!.gNs = -0.2;
    expectRule(g, 'negative-conductance', "projection 'e->i'", 'must be ≥ 0 nS');
  });

  it('delay-min: shorter than one step', () => {
    const g = base();
    g.projections[0]!.delayMs = 0.05;
    expectRule(g, 'delay-min', "projection 'e->i'", 'at least one integration step (0.1 ms), got 0.05 ms');
  });

  it('finite-number: NaN anywhere, with its path', () => {
    const g = base();
    g.populations[1]!.params = { vTMv: NaN };
    const issues = issuesOf(g);
    expect(issues.find((i) => i.rule === 'finite-number')).toMatchObject({ element: "population 'inh'", field: 'params.vTMv', message: 'NaN is not a finite number' });
  });

  it('duplicate-id', () => {
    const g = base();
    g.stimuli[0]!.id = 'exc';
    expectRule(g, 'duplicate-id', "stimulus 'exc'", "id 'exc' is already used");
  });

  it('id-string', () => {
    const g = base();
    (g.populations[0] as { id: unknown }).id = 3;
    expectRule(g, 'id-string', "population '3'", 'non-empty string');
  });

  it('size-positive-integer', () => {
    const g = base();
    g.populations[0]!.size = 2.5;
    expectRule(g, 'size-positive-integer', "population 'exc'", 'positive integer, got 2.5');
  });

  it('unknown-cell-class', () => {
    const g = base();
    (g.populations[0] as { cell: string }).cell = 'Chandelier';
    expectRule(g, 'unknown-cell-class', "population 'exc'", 'unknown cell class "Chandelier"');
  });

  it('unknown-parameter and custom-params-complete', () => {
    const g = base();
    g.populations[0]!.params = { tauMs: 3 } as never;
    expectRule(g, 'unknown-parameter', "population 'exc'", "unknown AdEx parameter 'tauMs'");
    const h = base();
    h.populations[0] = { id: 'exc', size: 10, cell: 'custom', params: { cPf: 100 } };
    expectRule(h, 'custom-params-complete', "population 'exc'", 'missing gLNs');
  });

  it('parameter-positive and parameter-non-negative', () => {
    const g = base();
    g.populations[0]!.params = { cPf: 0, tRefMs: -1 };
    expectRule(g, 'parameter-positive', "population 'exc'", 'cPf must be > 0, got 0');
    expectRule(g, 'parameter-non-negative', "population 'exc'", 'tRefMs must be ≥ 0, got -1');
  });

  it('mismatch-non-negative and range-ordered', () => {
    const g = base();
    g.populations[0]!.mismatch = { vTSdMv: -1 };
    g.populations[1]!.vInitMv = { fromMv: -50, toMv: -60 };
    expectRule(g, 'mismatch-non-negative', "population 'exc'", 'mismatch vTSdMv must be a number ≥ 0');
    expectRule(g, 'range-ordered', "population 'inh'", 'fromMv (-50) must be ≤ toMv (-60)');
  });

  it('in-degree-range', () => {
    const g = base();
    g.projections[0]!.connect = { rule: 'fixedInDegree', k: 11 };
    expectRule(g, 'in-degree-range', "projection 'e->i'", "in-degree 11 exceeds the 10 neurons of 'exc'");
  });

  it('one-to-one-sizes', () => {
    const g = base();
    g.projections[0]!.connect = { rule: 'oneToOne' };
    expectRule(g, 'one-to-one-sizes', "projection 'e->i'", 'equal sizes, got 10');
  });

  it('pairs: parallel-arrays and index-range', () => {
    const g = base();
    g.projections[0]!.connect = { rule: 'pairs', pre: [0, 1], post: [0] };
    expectRule(g, 'parallel-arrays', "projection 'e->i'", 'equal length');
    const h = base();
    h.projections[0]!.connect = { rule: 'pairs', pre: [0, 12], post: [0, 1] };
    expectRule(h, 'index-range', "projection 'e->i'", 'pre index 12 is outside [0, 10)');
  });

  it('unknown-connect-rule', () => {
    const g = base();
    (g.projections[0] as { connect: unknown }).connect = { rule: 'smallWorld' };
    expectRule(g, 'unknown-connect-rule', "projection 'e->i'", 'unknown connection rule "smallWorld"');
  });

  it('components-non-empty, unknown-receptor, kinetics', () => {
    const g = base();
    g.projections[0]!.components = [];
    expectRule(g, 'components-non-empty', "projection 'e->i'", 'at least one receptor component');
    const h = base();
    h.projections[0]!.components = [{ receptor: 'GLY' as never, gNs: 1 }];
    expectRule(h, 'unknown-receptor', "projection 'e->i'", 'unknown receptor "GLY"');
    const k = base();
    k.projections[0]!.components = [{ receptor: 'AMPA', gNs: 1, tauRiseMs: 5, tauDecayMs: 3 }];
    expectRule(k, 'kinetics', "projection 'e->i'", 'rise time constant must be in [0, τ_decay = 3) ms, got 5');
  });

  it('NMDA gating: unknown-nmda-model, nmda-model-receptor, nmda-increment-model, nmda-increment-range', () => {
    const ok = base();
    ok.projections[0]!.components = [{ receptor: 'NMDA', gNs: 1, nmdaModel: 'saturating', nmdaSpikeIncrement: 0.5 }, { receptor: 'NMDA', gNs: 1, nmdaModel: 'linear' }];
    expect(issuesOf(ok)).toEqual([]);
    const g = base();
    g.projections[0]!.components = [{ receptor: 'NMDA', gNs: 1, nmdaModel: 'sigmoid' as never }];
    expectRule(g, 'unknown-nmda-model', "projection 'e->i'", 'unknown NMDA model "sigmoid"; expected linear or saturating');
    const h = base();
    h.projections[0]!.components = [{ receptor: 'AMPA', gNs: 1, nmdaModel: 'saturating' }];
    expectRule(h, 'nmda-model-receptor', "projection 'e->i'", 'NMDA components only, not AMPA');
    const k = base();
    k.projections[0]!.components = [{ receptor: 'NMDA', gNs: 1, nmdaSpikeIncrement: 0.5 }];
    expectRule(k, 'nmda-increment-model', "projection 'e->i'", "needs nmdaModel: 'saturating'");
    const m = base();
    m.projections[0]!.components = [{ receptor: 'NMDA', gNs: 1, nmdaModel: 'saturating', nmdaSpikeIncrement: 1.5 }];
    expectRule(m, 'nmda-increment-range', "projection 'e->i'", 'must be in (0, 1], got 1.5');
  });

  it('spread-non-negative and stp-range', () => {
    const g = base();
    g.projections[0]!.weightSpread = { logNormalCv: -0.1 };
    g.projections[0]!.stp = { U: 1.2, tauRecMs: 100, tauFacilMs: 0 };
    expectRule(g, 'spread-non-negative', "projection 'e->i'", 'log-normal CV must be ≥ 0');
    expectRule(g, 'stp-range', "projection 'e->i'", 'U must be in (0, 1], got 1.2');
  });

  it('stimulus rules: rate-non-negative, schedule-ordered, unknown-stimulus-kind', () => {
    const g = base();
    g.stimuli[0] = { kind: 'poisson', id: 'drive', size: 5, rateHz: -3, schedule: [{ atMs: 10, v: 1 }, { atMs: 5, v: 2 }] };
    expectRule(g, 'rate-non-negative', "stimulus 'drive'", 'rate must be ≥ 0 Hz, got -3');
    expectRule(g, 'schedule-ordered', "stimulus 'drive'", 'schedule times must increase, got 5 after 10');
    const h = base();
    (h.stimuli[0] as { kind: string }).kind = 'noise';
    expectRule(h, 'unknown-stimulus-kind', "stimulus 'drive'", 'unknown stimulus kind "noise"');
  });

  it('spike source rules: parallel-arrays, index-range, time-non-negative', () => {
    const g = base();
    g.stimuli[0] = { kind: 'spikes', id: 'in', size: 3, timesMs: [1, -2], indices: [0, 3] };
    expectRule(g, 'index-range', "stimulus 'in'", 'index 3 is outside [0, 3)');
    expectRule(g, 'time-non-negative', "stimulus 'in'", 'spike time must be ≥ 0 ms, got -2');
    const h = base();
    h.stimuli[0] = { kind: 'spikes', id: 'in', size: 3, timesMs: [1], indices: [] };
    expectRule(h, 'parallel-arrays', "stimulus 'in'", 'same length');
  });

  it('current rules: unknown target, segment-ordered, segments-array', () => {
    const g = base();
    g.stimuli[1] = { kind: 'current', id: 'step', target: 'nope', segments: [] };
    expectRule(g, 'unknown-population', "stimulus 'step'", "target 'nope' is not a population");
    const h = base();
    h.stimuli[1] = { kind: 'current', id: 'step', target: 'exc', segments: [{ startMs: 50, endMs: 20, fromPa: 1 }] };
    expectRule(h, 'segment-ordered', "stimulus 'step'", 'endMs (20) must be after startMs (50)');
    const k = base();
    (k.stimuli[1] as { segments: unknown }).segments = 'on';
    expectRule(k, 'segments-array', "stimulus 'step'", 'must be an array');
  });

  it('probe rules: unknown-probe-kind, probe-receptor, index-range', () => {
    const g = base();
    g.probes = [
      { id: 'a', target: 'exc', kind: 'current' as never },
      { id: 'b', target: 'exc', kind: 'g' },
      { id: 'c', target: 'inh', kind: 'v', neurons: [4] },
    ];
    expectRule(g, 'unknown-probe-kind', "probe 'a'", 'unknown probe kind "current"');
    expectRule(g, 'probe-receptor', "probe 'b'", "a 'g' probe needs a receptor");
    expectRule(g, 'index-range', "probe 'c'", "neuron 4 is outside [0, 4) of 'inh'");
  });

  it('lists every problem in one error message', () => {
    const g = base();
    g.projections[0]!.connect = { rule: 'fixedProbability', p: -1 };
    g.projections[0]!.delayMs = 0;
    expect(() => validate(g)).toThrow(/2 problems[\s\S]*probability-range[\s\S]*delay-min/);
  });
});
