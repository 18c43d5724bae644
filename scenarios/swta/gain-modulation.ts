import { LAMP5_LEVELS_HZ, VIP_LEVELS_HZ } from '../../src/calibration/conditions.ts';
import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { parseBackend } from './module-runner.ts';
import { fmt, ioCurves, responseGain, twoPoolRunner } from './common.ts';

/** Gain modulation: the winner's response gain under VIP (disinhibition) and LAMP5 (normalization) drive. */
export const scenario: Scenario = {
  description: "the winner's response gain at 3 levels of VIP drive and of LAMP5 drive",
  async run(options) {
    const r = twoPoolRunner({ ...(options.seed === undefined ? {} : { seed: options.seed }), backend: parseBackend(options.backend) });
    const vip = VIP_LEVELS_HZ.map((v) => ioCurves(r, { vipHz: v }));
    const lamp5 = LAMP5_LEVELS_HZ.map((l) => ioCurves(r, { lamp5Hz: l }));
    const vipGains = vip.map((c) => responseGain(c.inputsHz, c.winner));
    const lamp5Gains = lamp5.map((c) => responseGain(c.inputsHz, c.winner));
    const table = [
      'gain = r_out/r_in of the winner fitted through the origin over its input–output curve (Hz/Hz)',
      ...VIP_LEVELS_HZ.map((v, i) => `VIP drive ${String(v).padStart(3)} Hz: gain ${fmt(vipGains[i]!)}`),
      ...LAMP5_LEVELS_HZ.map((l, i) => `LAMP5 drive ${String(l).padStart(3)} Hz: gain ${fmt(lamp5Gains[i]!)}`),
    ];
    const series = [
      ...vip.map((c, i) => ({ label: `VIP ${VIP_LEVELS_HZ[i]} Hz`, points: c.inputsHz.map((x, k) => [x, c.winner[k]!] as const) })),
      ...lamp5.map((c, i) => ({ label: `LAMP5 ${LAMP5_LEVELS_HZ[i]} Hz`, points: c.inputsHz.map((x, k) => [x, c.winner[k]!] as const), dashed: true })),
    ];
    return {
      result: { vipGains, lamp5Gains, vipLevelsHz: [...VIP_LEVELS_HZ], lamp5LevelsHz: [...LAMP5_LEVELS_HZ] },
      table,
      svg: lineChart(series, { title: 'Gain modulation of the winner', xLabel: 'winner input (Hz per fibre)', yLabel: 'winner rate (Hz)' }),
    };
  },
};
