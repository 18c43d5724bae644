import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { parseBackend } from './module-runner.ts';
import { fmt, loserFraction, REFERENCE_RATIO, twoPoolRunner } from './common.ts';

/** Input ratios of the selection curve (pool 0 / pool 1), around a mean input of 12 Hz. */
export const SELECTION_RATIOS = [0.5, 0.67, 0.8, 0.9, 1, 1.11, 1.25, 1.5, 2] as const;
const MEAN_INPUT_HZ = 12;

/** Suppression without silencing, and the selection curve as the input ratio sweeps. */
export const scenario: Scenario = {
  description: 'loser rate in competition vs alone at a 40 % input difference; selection curve over the input ratio',
  async run(options) {
    const r = twoPoolRunner({ ...(options.seed === undefined ? {} : { seed: options.seed }), backend: parseBackend(options.backend) });
    const lf = loserFraction(r);
    const selectionCurve = SELECTION_RATIOS.map((ratio) => {
      const a = (2 * MEAN_INPUT_HZ * ratio) / (1 + ratio);
      const b = (2 * MEAN_INPUT_HZ) / (1 + ratio);
      const m = r.measure({ inputsHz: [a, b] });
      const total = m.pools[0]! + m.pools[1]!;
      return [ratio, total > 0 ? m.pools[0]! / total : 0.5] as [number, number];
    });
    const table = [
      `reference ratio ${REFERENCE_RATIO}: loser alone ${fmt(lf.loserAloneHz, 1)} Hz, in competition ${fmt(lf.loserCompetingHz, 1)} Hz, winner ${fmt(lf.winnerHz, 1)} Hz`,
      `loserFraction ${fmt(lf.loserFraction)}`,
      'input ratio   winner share (pool 0)',
      ...selectionCurve.map(([x, y]) => `${fmt(x).padStart(11)}   ${fmt(y)}`),
    ];
    return {
      result: { loserFraction: lf.loserFraction, referenceRatio: REFERENCE_RATIO, loserAloneHz: lf.loserAloneHz, loserCompetingHz: lf.loserCompetingHz, selectionCurve },
      table,
      svg: lineChart([{ label: 'pool 0 share', points: selectionCurve }], { title: 'sWTA selection curve', xLabel: 'input ratio pool 0 / pool 1', yLabel: 'rate share of pool 0' }),
    };
  },
};
