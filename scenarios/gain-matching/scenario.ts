import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mapGraph } from '../../adapters/truenorth/compile.ts';
import { CALIBRATION_MODULE } from '../../src/calibration/conditions.ts';
import { gainMatchFingerprint, populationTransferFingerprint } from '../../src/calibration/fingerprint.ts';
import {
  GAIN_MATCH_PATH,
  loadPopulationTransfer,
  POPULATION_TRANSFER_PATH,
  type GainMatchArtifact,
  type PopulationTransferArtifact,
} from '../../src/calibration/gain-matching-artifact.ts';
import { r2Rmse, type TransferCondition } from '../../src/calibration/class-gain-fit.ts';
import { gainMatch, ROLE_PRIMITIVES } from '../../src/calibration/gain-matching.ts';
import type { GainsByClass } from '../../src/calibration/ltu-network.ts';
import type { Graph } from '../../src/graph/types.ts';
import { GAIN_KEY_NAMES } from '../../src/calibration/ltu-network.ts';
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { SWTA_DEFAULTS } from '../../src/motifs/swta-module.ts';
import { lineChart } from '../plot/svg.ts';
import { DEFAULT_SEED, fmt } from '../swta/common.ts';
import type { Scenario } from '../types.ts';
import { CALIBRATION_TIMING, calibrationModule, measureConductance, trueNorthRates } from './measure.ts';

/**
 * `swta run gain-matching`: the TrueNorth calibration step (src/calibration/gain-matching.ts).
 *
 *   measure   every population's rate on the conductance module over the transfer conditions,
 *             unless data/calibration/population-transfer.json already holds them for this module
 *             (same options) and seed (≈ 1 min saved)
 *   fit       per-class LTU gains, mean field, then the TrueNorth emulator in the loop
 *   report    per population: r2 and RMSE of TrueNorth against the conductance module
 *
 * --save writes data/calibration/population-transfer.json (when measured) and gain-matching.json,
 * which the TrueNorth compiler reads. --json ends with {"classes": {"<population>": {r2, rmseHz}}}.
 */
/** Held-out TrueNorth seeds, as offsets from the fit's seed. */
export const HELD_OUT_SEEDS = [1, 2, 3] as const;

/** r2 of TrueNorth vs conductance per population on each held-out seed, with the fitted gains. */
export function heldOutR2(graph: Graph, conditions: readonly TransferCondition[], gains: GainsByClass, seeds: readonly number[], log?: (line: string) => void): Record<string, number[]> {
  const out: Record<string, number[]> = Object.fromEntries(graph.populations.map((p) => [p.id, [] as number[]]));
  for (const s of seeds) {
    log?.(`held-out TrueNorth seed ${s}`);
    const tn = trueNorthRates(graph, conditions, gains, { seed: s });
    graph.populations.forEach((p, i) => out[p.id]!.push(r2Rmse(conditions.map((c) => c.populationsHz[p.id]!), tn.map((r) => r[i]!)).r2));
  }
  return out;
}

export const scenario: Scenario = {
  description: 'gain-match TrueNorth to the conductance module: per-population r2/RMSE (--save writes data/calibration/gain-matching.json)',
  async run(options) {
    const seed = options.seed ?? DEFAULT_SEED;
    const rateFit = loadRateFit();
    const m = calibrationModule();
    // The committed measurement is reused while it is of this module and seed; else measure again.
    const moduleNow = JSON.parse(JSON.stringify({ ...CALIBRATION_MODULE, ...SWTA_DEFAULTS })) as Record<string, unknown>;
    const committed = existsSync(POPULATION_TRANSFER_PATH) ? loadPopulationTransfer(POPULATION_TRANSFER_PATH, { allowStale: true }) : null;
    const transferFingerprint = populationTransferFingerprint(seed);
    const stale = !committed || committed.seed !== seed || committed.fingerprint !== transferFingerprint;
    let transfer: PopulationTransferArtifact;
    const measureNow = stale;
    if (measureNow) {
      if (committed) options.log?.('the committed transfer curves are of another module or seed: measuring again');
      transfer = {
        version: 1,
        model: 'population-transfer',
        seed,
        module: moduleNow,
        ...CALIBRATION_TIMING,
        date: new Date().toISOString(),
        fingerprint: transferFingerprint,
        conditions: measureConductance(seed, options.log),
      };
    } else {
      transfer = committed!;
      options.log?.(`using the transfer curves measured ${transfer.date} (${POPULATION_TRANSFER_PATH})`);
    }
    const conditions = transfer.conditions;
    let evaluations = 0;
    const result = gainMatch({
      graph: m.graph,
      conditions,
      rateFit,
      module: m.ids,
      measure: (gains) => {
        evaluations++;
        options.log?.(`TrueNorth evaluation ${evaluations}`);
        return trueNorthRates(m.graph, conditions, gains, { seed, windowMs: options.quick ? 1000 : CALIBRATION_TIMING.windowMs });
      },
      emulatorIterations: options.quick ? 2 : 6,
    });
    const mapping = mapGraph(m.graph, { seed, gains: result.gains });

    const artifact: GainMatchArtifact = {
      version: 1,
      model: 'tn-gain-matching',
      classes: result.gains,
      populations: result.populations,
      rateFit: result.rateFit,
      fingerprint: gainMatchFingerprint({ rateFit: rateFit.fingerprint, transfer: transferFingerprint, seed }),
      source: { scenario: 'gain-matching', seed, rateFitSeed: rateFit.source.seed, rateFitDate: rateFit.source.date, transferDate: transfer.date, date: new Date().toISOString() },
    };
    if (options.save) {
      await mkdir(dirname(GAIN_MATCH_PATH), { recursive: true });
      if (measureNow) await writeFile(POPULATION_TRANSFER_PATH, JSON.stringify(transfer, null, 1) + '\n');
      await writeFile(GAIN_MATCH_PATH, JSON.stringify(artifact, null, 2) + '\n');
      options.log?.(`saved ${GAIN_MATCH_PATH}`);
    }

    const pops = m.graph.populations.map((p) => p.id);
    // Judged where it was not fitted: the same gains on TrueNorth seeds other than the fit's
    // (other synapse draws, initial potentials and host Poisson streams).
    const heldOutSeeds = HELD_OUT_SEEDS.map((k) => seed + k);
    const heldOut = heldOutR2(m.graph, conditions, result.gains, heldOutSeeds, options.log);
    const classes: Record<string, { r2: number; rmseHz: number }> = {};
    for (const id of pops) classes[id] = { r2: result.populations[id]!.r2, rmseHz: result.populations[id]!.rmseHz };
    const rep = mapping.model.report;
    const table = [
      `${conditions.length} conditions; TrueNorth vs conductance per population (LTU model vs conductance; TrueNorth vs LTU)`,
      'population    r2     RMSE Hz   | LTU r2  | TN vs LTU r2   alpha  lambda  weights per axon type 0..3',
      ...pops.map((id) => {
        const p = result.populations[id]!;
        const r = result.realizations[id]!;
        return `${id.padEnd(12)} ${fmt(p.r2, 3).padStart(6)}  ${fmt(p.rmseHz).padStart(7)}   | ${fmt(p.ltu.r2, 3).padStart(6)}  | ${fmt(p.tnVsLtu.r2, 3).padStart(6)}   ${String(r.alpha).padStart(10)}  ${String(r.lambda).padStart(6)}  ${r.weights.join(' / ')}`;
      }),
      `rate fit: α ${fmt(result.rateFit.alphaRateFit, 3)} (pool recurrent coefficient on TrueNorth ${fmt(result.rateFit.recurrentCoefficient, 3)}); TrueNorth pools vs rate-model steady state r2 ${fmt(result.rateFit.pools.r2, 3)}, RMSE ${fmt(result.rateFit.pools.rmseHz)} Hz`,
      `mapping: ${rep.cores} cores, ${rep.neurons} neurons (${rep.populationNeurons} + ${rep.splitterNeurons} splitter), ${rep.synapses} synapses, utilization neurons ${fmt(100 * rep.utilization.neurons, 0)} % axons ${fmt(100 * rep.utilization.axons, 0)} %`,
      'class gains (per gain key: ' + GAIN_KEY_NAMES.join(', ') + '; bias Hz):',
      ...Object.entries(result.gains).map(([c, g]) => `  ${c.padEnd(6)} ${g!.gains.map((x) => x.toExponential(2)).join(' ')}  bias ${fmt(g!.biasHz)}`),
      `held-out TrueNorth seeds ${heldOutSeeds.join(', ')}: r2 vs conductance per population (min over seeds)`,
      ...pops.map((id) => `  ${id.padEnd(12)} ${heldOut[id]!.map((x) => fmt(x, 3)).join(' / ')}   min ${fmt(Math.min(...heldOut[id]!), 3)}`),
      'roles → TrueNorth primitives:',
      ...ROLE_PRIMITIVES.map((r) => `  ${r.cls.padEnd(6)} ${r.role}: ${r.primitive}`),
    ];
    const tn = result.rates.trueNorth;
    const series = pops.map((id, i) => ({
      label: id,
      points: conditions.map((c, k) => [c.populationsHz[id]!, tn[k]![i]!] as const).sort((a, b) => a[0] - b[0]),
    }));
    const max = Math.max(...conditions.flatMap((c) => Object.values(c.populationsHz)));
    return {
      result: {
        conditions: conditions.length,
        mapping: rep,
        realizations: Object.fromEntries(pops.map((id) => [id, { alpha: result.realizations[id]!.alpha, lambda: result.realizations[id]!.lambda, weights: result.realizations[id]!.weights, fanIn: Object.fromEntries(result.realizations[id]!.terms.map((t) => [t.projection, t.fanIn])) }])),
        details: result.populations,
        rateFit: result.rateFit,
        classes,
        heldOut: { seeds: heldOutSeeds, r2: heldOut, minR2: Object.fromEntries(pops.map((id) => [id, Math.min(...heldOut[id]!)])) },
      },
      table,
      svg: lineChart([{ label: 'TrueNorth = conductance', points: [[0, 0], [max, max]], dashed: true }, ...series], {
        title: 'Gain matching: TrueNorth vs conductance, every population and condition',
        xLabel: 'conductance module (Hz)',
        yLabel: 'TrueNorth (Hz)',
      }),
    };
  },
};
