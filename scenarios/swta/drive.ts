import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { LOSER_INPUT_HZ, WINNER_INPUTS_HZ } from '../../src/calibration/conditions.ts';
import { fmt, twoPoolRunner } from './common.ts';
import { parseBackend } from './module-runner.ts';

/**
 * Every class's rate as one pool's drive grows (the other pool without input): how the
 * interneurons follow the pyramidal cells. 0 Hz is the spontaneous state; LOW_DRIVES_HZ are drives
 * below the loser's input, where SST should stay below PV (Ma et al. 2010: PV cells respond more
 * strongly than SST cells to weak visual stimuli) [L*]; the strongest standard drive is the last
 * of WINNER_INPUTS_HZ, where the winner's evoked rate is read, alone and against a loser at
 * LOSER_INPUT_HZ.
 */
export const LOW_DRIVES_HZ = [5, LOSER_INPUT_HZ] as const;
export const DRIVES_HZ = [0, ...LOW_DRIVES_HZ, ...WINNER_INPUTS_HZ] as const;
/** Evoked rates of awake mouse V1 are a few to ~20 Hz (docs/reference/celltypes.md §d2); the module's ceiling at the strongest drive. */
export const MAX_EVOKED_PYR_HZ = 30;

export interface DriveRow {
  inputHz: number;
  pyrHz: number;
  pvHz: number;
  sstHz: number;
  vipHz: number;
  lamp5Hz: number;
}

export const scenario: Scenario = {
  description: 'rates of Pyr, PV, SST, VIP and LAMP5 as one pool is driven; the winner at the strongest drive',
  async run(options) {
    const r = twoPoolRunner({ ...(options.seed === undefined ? {} : { seed: options.seed }), backend: parseBackend(options.backend) });
    const rows: DriveRow[] = DRIVES_HZ.map((x) => {
      const m = r.measure({ inputsHz: [x, 0] });
      return { inputHz: x, pyrHz: m.pools[0]!, pvHz: m.pv, sstHz: m.sst, vipHz: m.vip, lamp5Hz: m.lamp5 };
    });
    const strongest = WINNER_INPUTS_HZ.at(-1)!;
    const competing = r.measure({ inputsHz: [strongest, LOSER_INPUT_HZ] });
    const winnerAloneHz = rows.at(-1)!.pyrHz;
    const winnerCompetingHz = competing.pools[0]!;
    const table = [
      'drive Hz    Pyr     PV    SST    VIP  LAMP5  (Hz; pool 0 driven, pool 1 without input)',
      ...rows.map((q) => `${String(q.inputHz).padStart(8)} ${[q.pyrHz, q.pvHz, q.sstHz, q.vipHz, q.lamp5Hz].map((x) => fmt(x, 1).padStart(6)).join(' ')}`),
      `strongest drive ${strongest} Hz: winner ${fmt(winnerAloneHz, 1)} Hz alone, ${fmt(winnerCompetingHz, 1)} Hz against a loser at ${LOSER_INPUT_HZ} Hz (ceiling ${MAX_EVOKED_PYR_HZ} Hz)`,
    ];
    const pts = (f: (q: DriveRow) => number) => rows.map((q) => [q.inputHz, f(q)] as const);
    return {
      result: { rows, winnerAloneHz, winnerCompetingHz, strongestDriveHz: strongest },
      table,
      svg: lineChart(
        [
          { label: 'Pyr', points: pts((q) => q.pyrHz) },
          { label: 'PV', points: pts((q) => q.pvHz) },
          { label: 'SST', points: pts((q) => q.sstHz) },
          { label: 'VIP', points: pts((q) => q.vipHz), dashed: true },
          { label: 'LAMP5', points: pts((q) => q.lamp5Hz), dashed: true },
        ],
        { title: 'Rates per class vs drive', xLabel: 'drive of pool 0 (Hz per fibre)', yLabel: 'rate (Hz)' },
      ),
    };
  },
};
