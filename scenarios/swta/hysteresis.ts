import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { mean } from '../../src/stats.ts';
import { fmt } from './common.ts';
import { ModuleRunner, parseBackend, type Backend } from './module-runner.ts';

/**
 * Multistability: the input ratio of two pools is ramped up, then down, in one continuous run.
 * Without memory both sweeps give the same selection curve; with multistability the winner holds
 * on, and the down sweep lags the up sweep. The loop's width in input-ratio units is its area
 * ∫ (share_down − share_up) d(ratio), which for an ideal rectangular loop equals the distance
 * between the two switch points (negative when adaptation makes the winner give up early).
 *
 * The context [I]: a cholinergic (arousal) state that blocks the Pyr cells' spike-frequency
 * adaptation — muscarinic block of the M-current and the slow AHP (McCormick & Prince 1986 [L*]),
 * the classic enabler of persistent firing. In the model: Pyr b → 0 (CONTEXT_CELL_PARAMS).
 * Without it, the data-constrained adaptation (b = 20 pA, τ_w = 200 ms, docs/reference/celltypes.md §a2) makes
 * the winner tire and the selection follows the input; with it, the NMDA-rich recurrence keeps
 * the current winner (the rate reduction's α_eff exceeds 1; docs/reference/swta-and-truenorth.md §4.2).
 */
export const HYSTERESIS = {
  meanInputHz: 12,
  /** Ratios pool 0 / pool 1: 1.15^k for k = −6 … 6 (0.43 … 2.3). */
  ratioStep: 1.15,
  stepsEachSide: 6,
  dwellMs: 500,
  measureMs: 300,
  seeds: 2,
} as const;

/** Parameter overrides of the "with context" module: Pyr adaptation blocked. */
export const CONTEXT_CELL_PARAMS = { Pyr: { bPa: 0 } } as const;

export interface Sweep {
  ratios: number[];
  up: number[];
  down: number[];
  width: number;
}

export function hysteresisSweep(seed: number, withContext: boolean, backend: Backend = 'conductance'): Sweep {
  const h = HYSTERESIS;
  const r = new ModuleRunner({ module: { pools: 2, poolSize: 80, ...(withContext ? { cellParams: CONTEXT_CELL_PARAMS } : {}) }, seed, backend });
  const { engine, module: m } = r;
  const ratios = Array.from({ length: 2 * h.stepsEachSide + 1 }, (_, i) => h.ratioStep ** (i - h.stepsEachSide));
  engine.reset();
  engine.setRate(m.ids.vipDrive, 0);
  engine.setRate(m.ids.lamp5Drive, 0);
  const probeIds = m.ids.pools.map((id) => `${id}`);
  const share = (): number => {
    const counts = probeIds.map((id) => {
      const d = engine.probe(id);
      if (d.kind !== 'rate') throw new Error('rate probe expected');
      let s = 0;
      for (let t = d.countsPerTick.length - h.measureMs; t < d.countsPerTick.length; t++) s += d.countsPerTick[t]!;
      return s;
    });
    const total = counts[0]! + counts[1]!;
    return total > 0 ? counts[0]! / total : 0.5;
  };
  const visit = (ratio: number): number => {
    engine.setRate(m.ids.inputs[0]!, (2 * h.meanInputHz * ratio) / (1 + ratio));
    engine.setRate(m.ids.inputs[1]!, (2 * h.meanInputHz) / (1 + ratio));
    engine.run(h.dwellMs);
    return share();
  };
  const up = ratios.map(visit);
  const down = [...ratios].reverse().map(visit).reverse();
  let width = 0;
  for (let i = 1; i < ratios.length; i++) {
    const dx = ratios[i]! - ratios[i - 1]!;
    width += (dx * (down[i]! - up[i]! + down[i - 1]! - up[i - 1]!)) / 2;
  }
  return { ratios, up, down, width };
}

export const scenario: Scenario = {
  description: 'ramp the input ratio up then down, with and without the cholinergic context (Pyr adaptation blocked); hysteresis loop width',
  async run(options) {
    const first = options.seed ?? 1;
    const seeds = Array.from({ length: HYSTERESIS.seeds }, (_, i) => first + i);
    const backend = parseBackend(options.backend);
    const withCtx = seeds.map((s) => hysteresisSweep(s, true, backend));
    const without = seeds.map((s) => hysteresisSweep(s, false, backend));
    const widthWithContext = mean(withCtx.map((w) => w.width));
    const widthWithoutContext = mean(without.map((w) => w.width));
    const table = [
      `loop width (input-ratio units), mean over seeds ${seeds.join(', ')}`,
      `with context (Pyr adaptation blocked): ${fmt(widthWithContext, 3)}  [${withCtx.map((w) => fmt(w.width, 3)).join(', ')}]`,
      `without context:                       ${fmt(widthWithoutContext, 3)}  [${without.map((w) => fmt(w.width, 3)).join(', ')}]`,
    ];
    const s0 = withCtx[0]!;
    const n0 = without[0]!;
    const pts = (xs: number[], ys: number[]) => xs.map((x, i) => [x, ys[i]!] as const);
    return {
      result: { widthWithContext, widthWithoutContext, seeds: seeds.length, sweeps: { withContext: withCtx, withoutContext: without } },
      table,
      svg: lineChart(
        [
          { label: 'context, up', points: pts(s0.ratios, s0.up) },
          { label: 'context, down', points: pts(s0.ratios, s0.down), dashed: true },
          { label: 'no context, up', points: pts(n0.ratios, n0.up) },
          { label: 'no context, down', points: pts(n0.ratios, n0.down), dashed: true },
        ],
        { title: 'Hysteresis of the selection', xLabel: 'input ratio pool 0 / pool 1', yLabel: 'rate share of pool 0' },
      ),
    };
  },
};
