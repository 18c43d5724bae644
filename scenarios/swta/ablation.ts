import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { fmt, ioCurves, loserFraction, responseGain, slopeGain, twoPoolRunner } from './common.ts';
import { parseBackend, type Ablation, type Backend } from './module-runner.ts';

/** The context level used to measure each modulator's effect (Hz per fibre). */
const CONTEXT_HZ = 10;

export interface AblationMetrics {
  gainCompeting: number;
  loserFraction: number;
  /** Response gain with VIP drive minus without. */
  vipEffect: number;
  /** Response gain with LAMP5 drive minus without. */
  lamp5Effect: number;
}

export function ablationMetrics(ablate: Ablation | undefined, seed?: number, backend: Backend = 'conductance'): AblationMetrics {
  const r = twoPoolRunner({ ...(seed === undefined ? {} : { seed }), ...(ablate ? { ablate } : {}), backend });
  const base = ioCurves(r);
  const vip = ioCurves(r, { vipHz: CONTEXT_HZ });
  const lamp5 = ioCurves(r, { lamp5Hz: CONTEXT_HZ });
  const g0 = responseGain(base.inputsHz, base.winner);
  return {
    gainCompeting: slopeGain(base.inputsHz, base.winner),
    loserFraction: loserFraction(r).loserFraction,
    vipEffect: responseGain(vip.inputsHz, vip.winner) - g0,
    lamp5Effect: responseGain(lamp5.inputsHz, lamp5.winner) - g0,
  };
}

export const ABLATED_CLASSES: readonly Ablation[] = ['PV', 'SST', 'VIP', 'LAMP5'];

/** Silence each interneuron class in turn (its outgoing synapses removed) and see how the sWTA measures move. */
export const scenario: Scenario = {
  description: 'silence PV, SST, VIP, LAMP5 in turn: how gain, suppression and the context effects move',
  async run(options) {
    const backend = parseBackend(options.backend);
    const intact = ablationMetrics(undefined, options.seed, backend);
    const ablations: Record<string, AblationMetrics> = {};
    for (const c of ABLATED_CLASSES) {
      ablations[c] = ablationMetrics(c, options.seed, backend);
      options.log?.(`ablated ${c}`);
    }
    const row = (name: string, m: AblationMetrics) =>
      `${name.padEnd(8)} ${fmt(m.gainCompeting).padStart(13)} ${fmt(m.loserFraction).padStart(13)} ${fmt(m.vipEffect).padStart(10)} ${fmt(m.lamp5Effect).padStart(12)}`;
    const rows: [string, AblationMetrics][] = [['none', intact], ...ABLATED_CLASSES.map((c) => [c, ablations[c]!] as [string, AblationMetrics])];
    const metric = (label: string, pick: (m: AblationMetrics) => number) => ({ label, points: rows.map(([, m], i) => [i, pick(m)] as const) });
    return {
      result: { intact, ablations },
      svg: lineChart(
        [metric('gainCompeting', (m) => m.gainCompeting), metric('loserFraction', (m) => m.loserFraction), metric('VIP effect', (m) => m.vipEffect), metric('LAMP5 effect', (m) => m.lamp5Effect)],
        { title: `Ablations: x = silenced class (${rows.map(([n], i) => `${i} ${n}`).join(', ')})`, xLabel: 'silenced class', yLabel: 'measure' },
      ),
      table: [
        `silenced  gainCompeting  loserFraction  VIP effect  LAMP5 effect  (effects: response-gain change at ${CONTEXT_HZ} Hz drive)`,
        row('none', intact),
        ...ABLATED_CLASSES.map((c) => row(c, ablations[c]!)),
      ],
    };
  },
};
