import { LOSER_INPUT_HZ } from '../../src/calibration/conditions.ts';
import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { parseBackend } from './module-runner.ts';
import { fmt, ioCurves, slopeGain, twoPoolRunner } from './common.ts';

/** Selective amplification: the winner's Δrate_out/Δrate_in alone and in competition. */
export const scenario: Scenario = {
  description: 'input–output curves of one pool alone and in competition; gainAlone, gainCompeting (Hz/Hz)',
  async run(options) {
    const r = twoPoolRunner({ ...(options.seed === undefined ? {} : { seed: options.seed }), backend: parseBackend(options.backend) });
    const c = ioCurves(r);
    const gainAlone = slopeGain(c.inputsHz, c.alone);
    const gainCompeting = slopeGain(c.inputsHz, c.winner);
    const table = [
      `input Hz   alone Hz   winner Hz   loser Hz (loser input ${LOSER_INPUT_HZ} Hz)`,
      ...c.inputsHz.map((x, i) => `${String(x).padStart(8)}   ${fmt(c.alone[i]!, 1).padStart(8)}   ${fmt(c.winner[i]!, 1).padStart(9)}   ${fmt(c.loser[i]!, 1).padStart(8)}`),
      `gainAlone ${fmt(gainAlone)}  gainCompeting ${fmt(gainCompeting)} (Δrate_out/Δrate_in, Hz/Hz)`,
    ];
    const pts = (ys: number[]) => c.inputsHz.map((x, i) => [x, ys[i]!] as const);
    return {
      result: { gainAlone, gainCompeting, curves: c },
      table,
      svg: lineChart(
        [{ label: 'alone', points: pts(c.alone) }, { label: 'winner (competing)', points: pts(c.winner) }, { label: 'loser', points: pts(c.loser), dashed: true }],
        { title: 'sWTA selective amplification', xLabel: 'input rate (Hz per fibre)', yLabel: 'pool rate (Hz)' },
      ),
    };
  },
};
