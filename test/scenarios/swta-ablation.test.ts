import { describe, expect, it } from 'vitest';
import { ConductanceEngine } from '../../adapters/conductance/engine.ts';
import {
  ABLATED_CLASSES, ablationMetrics, ablationReport, judge, REPORTED_POPULATIONS, type AblationMetrics,
} from '../../scenarios/swta/ablation.ts';
import { ModuleRunner } from '../../scenarios/swta/module-runner.ts';

function conductance(r: ModuleRunner): ConductanceEngine {
  if (!(r.engine instanceof ConductanceEngine)) throw new Error('conductance engine expected');
  return r.engine;
}

describe('sWTA ablations: the measuring code', () => {
  it('silencing SST zeroes its output conductances and leaves the network instance otherwise identical', () => {
    const intact = new ModuleRunner({ module: { pools: 2, poolSize: 40 }, seed: 3 });
    const ablated = new ModuleRunner({ module: { pools: 2, poolSize: 40 }, seed: 3, ablate: 'SST' });
    const sst = intact.module.ids.sst;
    const a = intact.module.graph.projections;
    const b = ablated.module.graph.projections;
    expect(b.map((p) => p.id)).toEqual(a.map((p) => p.id));
    b.forEach((p, i) => {
      if (p.pre === sst) for (const c of p.components) expect(c.gNs, p.id).toBe(0);
      else expect(p, p.id).toEqual(a[i]);
      expect(conductance(ablated).synapses(p.id), p.id).toEqual(conductance(intact).synapses(p.id));
    });
    expect(a.some((p) => p.pre === sst && p.components.some((c) => c.gNs > 0))).toBe(true);
    for (const p of intact.module.graph.populations) expect(conductance(ablated).drawnNeurons(p.id), p.id).toEqual(conductance(intact).drawnNeurons(p.id));
  });

  it('with VIP silenced its drive reaches nothing: the VIP effect is exactly 0 (seed 3)', () => {
    const m = ablationMetrics('VIP', 3);
    expect(m.vipEffect).toBe(0);
    expect(Object.keys(m.ratesHz)).toEqual([...REPORTED_POPULATIONS]);
    expect(m.pyrHz).toBeCloseTo((m.ratesHz.winner + m.ratesHz.loser) / 2, 12);
    expect(m.loserWinnerRatio).toBeCloseTo(m.ratesHz.loser / m.ratesHz.winner, 12);
  });

  it('judge: paired intervals decide up / down / gone', () => {
    const intact = [1, 2, 3, 4];
    expect(judge({ measure: 'pyrHz', expect: 'up' }, intact, [2.1, 3, 4.2, 5]).verdict).toBe('as expected');
    expect(judge({ measure: 'pyrHz', expect: 'down' }, intact, [2.1, 3, 4.2, 5]).verdict).toBe('contradicted');
    expect(judge({ measure: 'pyrHz', expect: 'up' }, intact, [1.5, 1.5, 3.5, 3.5]).verdict).toBe('not resolved');
    const effect = [0.2, 0.25, 0.3, 0.22];
    expect(judge({ measure: 'vipEffect', expect: 'gone' }, effect, [0, 0, 0, 0]).verdict).toBe('as expected');
    expect(judge({ measure: 'vipEffect', expect: 'gone' }, effect, [0.1, 0.12, 0.15, 0.11]).verdict).toBe('contradicted');
    expect(judge({ measure: 'vipEffect', expect: 'gone' }, [0.2, -0.2, 0.1, -0.1], [0, 0, 0, 0]).verdict).toBe('not resolved');
    const d = judge({ measure: 'pyrHz', expect: 'up' }, intact, [2, 3, 4, 5]).difference;
    expect([d.mean, d.sd, d.low, d.high]).toEqual([1, 0, 1, 1]);
  });

  it('the report gives every class a verdict and every condition a summary (synthetic metrics)', () => {
    const metrics = (k: number, over: Partial<AblationMetrics> = {}): AblationMetrics => ({
      ratesHz: { winner: 30 + k, loser: 3, pv: 5, sst: 40, vip: 4, lamp5: 0 },
      pyrHz: 16.5 + k / 2, gainCompeting: 2 + 0.01 * k, loserFraction: 0.1, loserWinnerRatio: 0.1 + 0.001 * k, vipEffect: 0.2 + 0.01 * k, lamp5Effect: -0.3 - 0.01 * k, ...over,
    });
    const seeds = [1, 2, 3];
    const none = seeds.map((k) => metrics(k));
    const report = ablationReport(seeds, {
      none,
      PV: seeds.map((k) => metrics(k, { pyrHz: 30 + k, gainCompeting: 3 + 0.02 * k })),
      SST: seeds.map((k) => metrics(k, { loserWinnerRatio: 0.1 + 0.001 * k })),
      VIP: seeds.map((k) => metrics(k, { vipEffect: 0 })),
      LAMP5: seeds.map((k) => metrics(k, { lamp5Effect: 0 })),
    });
    expect(Object.keys(report.verdicts)).toEqual([...ABLATED_CLASSES]);
    expect(report.verdicts.PV.verdict).toBe('as expected');
    expect(report.verdicts.SST.verdict).toBe('not resolved');
    expect(report.verdicts.VIP.verdict).toBe('as expected');
    expect(report.verdicts.LAMP5.verdict).toBe('as expected');
    expect(report.summary.none.ratesHz.winner).toEqual({ mean: 32, sd: 1 });
    expect(report.table.filter((l) => l.includes('→'))).toHaveLength(4);
  });
});
