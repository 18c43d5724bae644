import { compile as compileTrueNorth } from '../../adapters/truenorth/compile.ts';
import type { TransferCondition } from '../../src/calibration/class-gain-fit.ts';
import { CALIBRATION_MODULE, populationTransferConditions, TRANSFER_MEASUREMENT } from '../../src/calibration/conditions.ts';
import type { GainsByClass } from '../../src/calibration/ltu-network.ts';
import type { Graph } from '../../src/graph/types.ts';
import { swtaModule, type SwtaModule } from '../../src/motifs/swta-module.ts';
import { ModuleRunner, type Condition } from '../swta/module-runner.ts';

/** The calibration module: the rate fit's (2 pools × 80 Pyr, defaults), with a rate probe on every population. */
export function calibrationModule(): SwtaModule {
  const m = swtaModule({ ...CALIBRATION_MODULE, prefix: 'm' });
  for (const p of m.graph.populations) m.graph.probes.push({ id: p.id, target: p.id, kind: 'rate' });
  return m;
}

/** The gain matching's measurement (src/calibration/conditions.ts). */
export const CALIBRATION_TIMING = TRANSFER_MEASUREMENT;

/** Every population's rate under one condition, as a transfer sample keyed by graph ids. */
function measureCondition(r: ModuleRunner, c: Condition): TransferCondition {
  const ids = r.module.ids;
  const m = r.measure(c);
  const sourcesHz: Record<string, number> = { [ids.vipDrive]: c.vipHz ?? 0, [ids.lamp5Drive]: c.lamp5Hz ?? 0 };
  ids.inputs.forEach((id, k) => {
    sourcesHz[id] = c.inputsHz[k]!;
  });
  for (const s of r.module.graph.stimuli) if (s.kind === 'poisson' && ids.backgrounds.includes(s.id)) sourcesHz[s.id] = s.rateHz;
  const populationsHz: Record<string, number> = { [ids.pv]: m.pv, [ids.sst]: m.sst, [ids.vip]: m.vip, [ids.lamp5]: m.lamp5 };
  ids.pools.forEach((id, k) => {
    populationsHz[id] = m.pools[k]!;
  });
  return { sourcesHz, populationsHz };
}

/** Every population's rate on the conductance module under every transfer condition (≈ 1 min). */
export function measureConductance(seed: number, log?: (line: string) => void): TransferCondition[] {
  const r = new ModuleRunner({ module: CALIBRATION_MODULE, seed, ...CALIBRATION_TIMING });
  return populationTransferConditions().map((c, k, all) => {
    log?.(`conductance: condition ${k + 1}/${all.length}`);
    return measureCondition(r, c);
  });
}

/**
 * Rates of every population (graph order) of `graph` realized on TrueNorth with `gains`, per
 * condition: engine reset, source rates set, `settleMs` discarded, mean over `windowMs`.
 */
export function trueNorthRates(graph: Graph, conditions: readonly TransferCondition[], gains: GainsByClass, o: { seed: number; settleMs?: number; windowMs?: number }): Float64Array[] {
  const settle = o.settleMs ?? CALIBRATION_TIMING.settleMs;
  const window = o.windowMs ?? CALIBRATION_TIMING.windowMs;
  const probes = graph.populations.map((p) => {
    const probe = graph.probes.find((x) => x.target === p.id && x.kind === 'rate');
    if (!probe) throw new Error(`population '${p.id}' has no rate probe`);
    return probe.id;
  });
  const e = compileTrueNorth(graph, { seed: o.seed, gains });
  return conditions.map((c) => {
    e.reset();
    for (const [id, hz] of Object.entries(c.sourcesHz)) e.setRate(id, hz);
    e.run(settle + window);
    return Float64Array.from(graph.populations, (p, i) => {
      const d = e.probe(probes[i]!);
      if (d.kind !== 'rate') throw new Error('rate probe expected');
      let s = 0;
      for (let t = settle; t < settle + window; t++) s += d.countsPerTick[t]!;
      return s / p.size / (window / 1000);
    });
  });
}
