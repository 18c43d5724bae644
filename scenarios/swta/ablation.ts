import { ciIncludes, meanCi, meanSd, type MeanCi, type MeanSd } from '../../src/stats.ts';
import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { LOSER_INPUT_HZ, WINNER_INPUTS_HZ } from '../../src/calibration/conditions.ts';
import { fmt, fmtMeanSd, REFERENCE_RATIO, responseGain, seedRange, slopeGain, twoPoolRunner } from './common.ts';
import { parseBackend, type Ablation, type Backend, type Condition } from './module-runner.ts';

/**
 * Ablations on one network instance: silencing a class zeroes its output synapses' conductances
 * (ModuleRunner `ablate`); the network is otherwise the intact one, synapse for synapse, and every
 * condition replays the same noise. So the per-seed difference ablated − intact is the class's
 * effect, and the seeds (network instances) give its spread: mean and 95 % t interval of the
 * paired differences.
 */
export const ABLATION = {
  seeds: 10,
  /** Seeds of `--quick` (tests). */
  quickSeeds: 2,
  /** The context drive at which each modulator's effect on the gain is measured (Hz per fibre). */
  contextHz: 10,
  /** Confidence level of the paired intervals behind the verdicts. */
  ciLevel: 0.95,
} as const;

export const ABLATED_CLASSES: readonly Ablation[] = ['PV', 'SST', 'VIP', 'LAMP5'];

/** Populations whose rates are reported, as keys of AblationMetrics.ratesHz. */
export const REPORTED_POPULATIONS = ['winner', 'loser', 'pv', 'sst', 'vip', 'lamp5'] as const;
export type ReportedPopulation = (typeof REPORTED_POPULATIONS)[number];

export interface AblationMetrics {
  /** Every population's rate at the reference competition (winner input REFERENCE_RATIO × the loser's), Hz per neuron. */
  ratesHz: Record<ReportedPopulation, number>;
  /** Mean Pyr rate over both pools at the reference competition (Hz). */
  pyrHz: number;
  /** Winner's Δrate_out/Δrate_in against the loser at LOSER_INPUT_HZ (Hz/Hz). */
  gainCompeting: number;
  /** Loser at the reference competition / loser alone. */
  loserFraction: number;
  /** Loser rate / winner rate at the reference competition. */
  loserWinnerRatio: number;
  /** Winner's response gain with VIP drive at contextHz minus without. */
  vipEffect: number;
  /** Winner's response gain with LAMP5 drive at contextHz minus without. */
  lamp5Effect: number;
}

export type AblationMeasure = Exclude<keyof AblationMetrics, 'ratesHz'>;

export function ablationMetrics(ablate: Ablation | undefined, seed?: number, backend: Backend = 'conductance'): AblationMetrics {
  const r = twoPoolRunner({ ...(seed === undefined ? {} : { seed }), ...(ablate ? { ablate } : {}), backend });
  const ctx = ABLATION.contextHz;
  const winnerCurve = (context: Omit<Condition, 'inputsHz'>) => WINNER_INPUTS_HZ.map((x) => r.measure({ inputsHz: [x, LOSER_INPUT_HZ], ...context }).pools[0]!);
  const xs = [...WINNER_INPUTS_HZ];
  const base = winnerCurve({});
  const g0 = responseGain(xs, base);
  const ref = r.measure({ inputsHz: [LOSER_INPUT_HZ * REFERENCE_RATIO, LOSER_INPUT_HZ] });
  const loserAlone = r.measure({ inputsHz: [0, LOSER_INPUT_HZ] }).pools[1]!;
  const [winner, loser] = [ref.pools[0]!, ref.pools[1]!];
  return {
    ratesHz: { winner, loser, pv: ref.pv, sst: ref.sst, vip: ref.vip, lamp5: ref.lamp5 },
    pyrHz: (winner + loser) / 2,
    gainCompeting: slopeGain(xs, base),
    loserFraction: loserAlone > 0 ? loser / loserAlone : NaN,
    loserWinnerRatio: winner > 0 ? loser / winner : NaN,
    vipEffect: responseGain(xs, winnerCurve({ vipHz: ctx })) - g0,
    lamp5Effect: responseGain(xs, winnerCurve({ lamp5Hz: ctx })) - g0,
  };
}

/**
 * One component of a class's expected signature: a measure that should rise or fall when the
 * class is silenced (judged on the paired differences), or an effect that should be gone (present
 * in the intact network, absent once silenced).
 */
export interface SignatureComponent {
  measure: AblationMeasure;
  expect: 'up' | 'down' | 'gone';
}

export const EXPECTED_SIGNATURES: Record<Ablation, { description: string; components: SignatureComponent[] }> = {
  PV: { description: 'Pyr rate and gain up (feedforward inhibition removed)', components: [{ measure: 'pyrHz', expect: 'up' }, { measure: 'gainCompeting', expect: 'up' }] },
  SST: { description: 'competition lost: loser/winner ratio up (feedback inhibition removed)', components: [{ measure: 'loserWinnerRatio', expect: 'up' }] },
  VIP: { description: 'the VIP-drive effect on the gain gone (disinhibition removed)', components: [{ measure: 'vipEffect', expect: 'gone' }] },
  LAMP5: { description: 'no normalization under LAMP5 drive (its effect on the gain gone)', components: [{ measure: 'lamp5Effect', expect: 'gone' }] },
};

export type Verdict = 'as expected' | 'contradicted' | 'not resolved';

export interface ComponentVerdict extends SignatureComponent {
  intact: MeanCi;
  ablated: MeanCi;
  /** Per-seed ablated − intact. */
  difference: MeanCi;
  verdict: Verdict;
}

/**
 * Judge one component on paired seeds. 'up' / 'down': the difference's interval excludes 0 on the
 * expected side (as expected) or on the other (contradicted). 'gone': the intact effect's interval
 * excludes 0 and the ablated one includes it (as expected); the ablated effect's interval excludes
 * 0 on the intact effect's side (contradicted: the effect survives); an intact effect whose
 * interval includes 0 leaves nothing to remove (not resolved).
 */
export function judge(component: SignatureComponent, intact: readonly number[], ablated: readonly number[], level: number = ABLATION.ciLevel): ComponentVerdict {
  const i = meanCi(intact, level);
  const a = meanCi(ablated, level);
  const d = meanCi(ablated.map((x, k) => x - intact[k]!), level);
  let verdict: Verdict = 'not resolved';
  if (component.expect === 'gone') {
    if (!ciIncludes(i, 0)) {
      if (ciIncludes(a, 0)) verdict = 'as expected';
      else if (Math.sign(a.mean) === Math.sign(i.mean)) verdict = 'contradicted';
    }
  } else if (!ciIncludes(d, 0) && Number.isFinite(d.low)) {
    const up = d.low > 0;
    verdict = up === (component.expect === 'up') ? 'as expected' : 'contradicted';
  }
  return { ...component, intact: i, ablated: a, difference: d, verdict };
}

function overall(components: readonly ComponentVerdict[]): Verdict {
  if (components.some((c) => c.verdict === 'contradicted')) return 'contradicted';
  return components.every((c) => c.verdict === 'as expected') ? 'as expected' : 'not resolved';
}

const MEASURES: readonly AblationMeasure[] = ['pyrHz', 'gainCompeting', 'loserFraction', 'loserWinnerRatio', 'vipEffect', 'lamp5Effect'];

function summarize(perSeed: readonly AblationMetrics[]): { ratesHz: Record<ReportedPopulation, MeanSd> } & Record<AblationMeasure, MeanSd> {
  const ratesHz = Object.fromEntries(REPORTED_POPULATIONS.map((p) => [p, meanSd(perSeed.map((m) => m.ratesHz[p]))])) as Record<ReportedPopulation, MeanSd>;
  const measures = Object.fromEntries(MEASURES.map((k) => [k, meanSd(perSeed.map((m) => m[k]))])) as Record<AblationMeasure, MeanSd>;
  return { ratesHz, ...measures };
}

const signed = (x: number, digits = 2): string => `${x >= 0 ? '+' : ''}${fmt(x, digits)}`;
const interval = (c: MeanCi, digits = 2): string => `${signed(c.mean, digits)} [${fmt(c.low, digits)}, ${fmt(c.high, digits)}]`;

export interface AblationReport {
  verdicts: Record<Ablation, { expected: string; verdict: Verdict; components: ComponentVerdict[] }>;
  summary: Record<'none' | Ablation, ReturnType<typeof summarize>>;
  table: string[];
}

const CONDITIONS: readonly ('none' | Ablation)[] = ['none', ...ABLATED_CLASSES];

/** Verdicts, summaries and the table from the per-seed metrics of every condition (same seeds, same order). */
export function ablationReport(seeds: readonly number[], perSeed: Record<'none' | Ablation, AblationMetrics[]>): AblationReport {
  const verdicts = Object.fromEntries(
    ABLATED_CLASSES.map((c) => {
      const components = EXPECTED_SIGNATURES[c].components.map((k) => judge(k, perSeed.none.map((m) => m[k.measure]), perSeed[c].map((m) => m[k.measure])));
      return [c, { expected: EXPECTED_SIGNATURES[c].description, verdict: overall(components), components }];
    }),
  ) as AblationReport['verdicts'];
  const summary = Object.fromEntries(CONDITIONS.map((c) => [c, summarize(perSeed[c])])) as AblationReport['summary'];

  const name = (c: 'none' | Ablation) => (c === 'none' ? 'none' : `${c} off`).padEnd(9);
  const col = (xs: number[], w: number, digits = 1) => fmtMeanSd(xs, digits).padStart(w);
  const rateRows = CONDITIONS.map((c) => `${name(c)} ${REPORTED_POPULATIONS.map((p) => col(perSeed[c].map((m) => m.ratesHz[p]), 12)).join('')}`);
  const measureRows = CONDITIONS.map((c) => {
    const m = perSeed[c];
    return `${name(c)} ${[m.map((x) => x.gainCompeting), m.map((x) => x.loserWinnerRatio), m.map((x) => x.loserFraction), m.map((x) => x.vipEffect), m.map((x) => x.lamp5Effect)].map((xs) => col(xs, 15, 2)).join('')}`;
  });
  const verdictRows = ABLATED_CLASSES.flatMap((c) => [
    `${c} off — expected: ${verdicts[c].expected} → ${verdicts[c].verdict}`,
    ...verdicts[c].components.map((k) =>
      k.expect === 'gone'
        ? `    ${k.measure}: intact ${interval(k.intact)}, silenced ${interval(k.ablated)} (gone: ${k.verdict})`
        : `    ${k.measure}: silenced − intact ${interval(k.difference)} (${k.expect}: ${k.verdict})`,
    ),
  ]);
  const ref = `winner ${LOSER_INPUT_HZ * REFERENCE_RATIO} Hz, loser ${LOSER_INPUT_HZ} Hz per fibre`;
  const table = [
    `${seeds.length} seeds (${seeds[0]}–${seeds.at(-1)}), mean ± sd over seeds; a silenced class keeps firing but its output synapses are at 0 nS (same network instance)`,
    `population rates at the reference competition (${ref}), Hz:`,
    `silenced  ${REPORTED_POPULATIONS.map((p) => (p === 'winner' || p === 'loser' ? `Pyr ${p}` : p.toUpperCase()).padStart(12)).join('')}`,
    ...rateRows,
    `gain and competition (gain: Δrate_out/Δrate_in of the winner, Hz/Hz; effects: response-gain change at ${ABLATION.contextHz} Hz drive):`,
    `silenced  ${['gainCompeting', 'loser/winner', 'loserFraction', 'VIP effect', 'LAMP5 effect'].map((h) => h.padStart(15)).join('')}`,
    ...measureRows,
    `verdicts (paired over seeds, ${ABLATION.ciLevel * 100} % t intervals; mean [low, high]):`,
    ...verdictRows,
  ];
  return { verdicts, summary, table };
}

/** Silence each interneuron class in turn on the same network instances and judge each against its expected signature. */
export const scenario: Scenario = {
  description: 'silence PV, SST, VIP, LAMP5 in turn on the same network: every population\'s rate, gain, competition and context effects over seeds; a verdict per class',
  async run(options) {
    const backend = parseBackend(options.backend);
    const seeds = seedRange(options.seed, options.quick ? ABLATION.quickSeeds : ABLATION.seeds);
    const perSeed = {} as Record<'none' | Ablation, AblationMetrics[]>;
    for (const c of CONDITIONS) {
      perSeed[c] = seeds.map((s) => ablationMetrics(c === 'none' ? undefined : c, s, backend));
      options.log?.(`${c === 'none' ? 'intact' : `${c} silenced`}: ${seeds.length} seeds`);
    }
    const { verdicts, summary, table } = ablationReport(seeds, perSeed);
    const metric = (label: string, pick: (m: AblationMetrics) => number) => ({ label, points: CONDITIONS.map((c, i) => [i, meanSd(perSeed[c].map(pick)).mean] as const) });
    return {
      result: { seeds, backend, contextHz: ABLATION.contextHz, referenceInputsHz: [LOSER_INPUT_HZ * REFERENCE_RATIO, LOSER_INPUT_HZ], summary, verdicts, perSeed },
      svg: lineChart(
        [metric('gainCompeting', (m) => m.gainCompeting), metric('loser/winner', (m) => m.loserWinnerRatio), metric('VIP effect', (m) => m.vipEffect), metric('LAMP5 effect', (m) => m.lamp5Effect)],
        { title: `Ablations, mean of ${seeds.length} seeds: x = silenced class (${CONDITIONS.map((c, i) => `${i} ${c}`).join(', ')})`, xLabel: 'silenced class', yLabel: 'measure' },
      ),
      table,
    };
  },
};
