import { CELL_CLASSES, L23_TARGETS, type CellClass } from '../../src/celltypes/l23.ts';
import { lineChart } from '../plot/svg.ts';
import { parseBackend } from '../../adapters/registry.ts';
import type { Scenario } from '../types.ts';
import { fiFeatures, measureFiCurve, type FiFeatures } from './fi-curve.ts';

/** Sweep up to the reference rheobase + 300 pA (the range of docs/reference/celltypes.md §a2's rate columns). */
const SWEEP_ABOVE_RHEOBASE_PA = 300;

export const scenario: Scenario = {
  description: 'f–I curves (1-s steps, 10-pA increments) and adaptation index per L2/3 class, beside docs/reference/celltypes.md §a2',
  async run(options) {
    const classes = {} as Record<CellClass, FiFeatures>;
    const series = [];
    const table = [
      'class   rheobase pA (model ref / data)   f–I slope Hz/nA (model ref / data)   adaptation index (model ref / data)',
    ];
    const backend = parseBackend(options.backend);
    for (const cell of CELL_CLASSES) {
      const target = L23_TARGETS[cell];
      const curve = measureFiCurve(cell, target.rheobasePa + SWEEP_ABOVE_RHEOBASE_PA, { ...(options.seed === undefined ? {} : { seed: options.seed }), backend });
      const f = fiFeatures(curve);
      classes[cell] = f;
      series.push({ label: cell, points: curve.amplitudesPa.map((a, i) => [a, curve.ratesHz[i]!] as const) });
      table.push(
        `${cell.padEnd(7)} ${f.rheobasePa.toFixed(0).padStart(6)} (${target.rheobasePa} / ${target.data.rheobasePa})`.padEnd(42) +
          `${f.slopeHzPerNa.toFixed(0).padStart(6)} (${target.slopeHzPerNa} / ${target.data.slopeHzPerNa})`.padEnd(37) +
          `${f.adaptationIndex.toFixed(3).padStart(7)} (${target.adaptationIndex} / ${target.data.adaptationIndex})`,
      );
      options.log?.(`measured ${cell}`);
    }
    return {
      result: { classes },
      table,
      svg: lineChart(series, { title: 'f–I curves, 1-s steps (AdEx, docs/reference/celltypes.md §a2)', xLabel: 'step current (pA)', yLabel: 'rate (Hz)' }),
    };
  },
};
