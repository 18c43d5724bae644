import { ADAPTERS } from '../../adapters/registry.ts';
import type { CellClass } from '../../src/celltypes/l23.ts';
import { L23_CELL_TYPES } from '../../src/celltypes/l23.ts';
import { swtaModule } from '../../src/motifs/swta-module.ts';
import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { DEFAULT_SEED, fmt } from './common.ts';

/**
 * The spontaneous state: the two-pool module with its balanced background and no input. Rates per
 * class over the window, and the membrane potential of the recorded cells: per cell the mean and
 * the standard deviation of V sampled once per tick, samples above SPONTANEOUS.spikeCutMv left out
 * (the few that catch a spike's upstroke), then the median over cells.
 *
 * Targets (docs/reference/celltypes.md §d2, awake mouse V1, grey screen; SPONTANEOUS_TARGETS):
 * Pyr 0.5–3 Hz, PV 5–10, SST 3–6, VIP 1–6, LAMP5 1–6 Hz, ordered PV > SST > Pyr; V a few mV
 * below V_T with fluctuations of 2–4 mV (s.d.).
 */
export const SPONTANEOUS = {
  settleMs: 500,
  windowMs: 4000,
  /** Cells recorded per population (the first ones; all when the population is smaller). */
  vCells: 40,
  /** V samples above this are spike upstrokes, not subthreshold fluctuations (mV). */
  spikeCutMv: -45,
} as const;

/** In-vivo ranges the spontaneous state must fall in (Hz; §d2 medians 0.63 / 7.35 / 3.82 / — / 2.21). */
export const SPONTANEOUS_TARGETS: Record<CellClass, { minHz: number; maxHz: number }> = {
  Pyr: { minHz: 0.5, maxHz: 3 },
  PV: { minHz: 5, maxHz: 10 },
  SST: { minHz: 3, maxHz: 6 },
  VIP: { minHz: 1, maxHz: 6 },
  LAMP5: { minHz: 1, maxHz: 6 },
};
/** Subthreshold targets: mean V between 2 and 8 mV below V_T, s.d. of V 2–4 mV. */
export const SUBTHRESHOLD_TARGETS = { belowVtMinMv: 2, belowVtMaxMv: 8, sdMinMv: 2, sdMaxMv: 4 } as const;

export interface ClassState {
  rateHz: number;
  vMeanMv: number;
  vSdMv: number;
  /** V_T of the class minus the median mean V (mV). */
  belowVtMv: number;
}

export function spontaneousState(seed: number = DEFAULT_SEED): Record<CellClass, ClassState> {
  const s = SPONTANEOUS;
  const m = swtaModule({ pools: 2, poolSize: 80 });
  const g = m.graph;
  for (const p of g.populations) {
    g.probes.push({ id: `${p.id}:rate`, target: p.id, kind: 'rate' });
    g.probes.push({ id: `${p.id}:v`, target: p.id, kind: 'v', neurons: Array.from({ length: Math.min(p.size, s.vCells) }, (_, i) => i) });
  }
  const engine = ADAPTERS.conductance.compile(g, { seed });
  engine.run(s.settleMs + s.windowMs);
  const byClass = new Map<CellClass, { spikes: number; cells: number; means: number[]; sds: number[] }>();
  for (const p of g.populations) {
    if (p.cell === 'custom') continue;
    const acc = byClass.get(p.cell) ?? { spikes: 0, cells: 0, means: [], sds: [] };
    const r = engine.probe(`${p.id}:rate`);
    if (r.kind !== 'rate') throw new Error('rate probe expected');
    for (let t = s.settleMs; t < r.countsPerTick.length; t++) acc.spikes += r.countsPerTick[t]!;
    acc.cells += p.size;
    const v = engine.probe(`${p.id}:v`);
    if (v.kind === 'rate' || v.kind === 'spikes') throw new Error('v probe expected');
    const n = v.neurons.length;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      let sum2 = 0;
      let count = 0;
      for (let t = s.settleMs; t < v.ticks; t++) {
        const x = v.samples[t * n + i]!;
        if (x > s.spikeCutMv) continue;
        sum += x;
        sum2 += x * x;
        count++;
      }
      const mu = sum / count;
      acc.means.push(mu);
      acc.sds.push(Math.sqrt(Math.max(0, sum2 / count - mu * mu)));
    }
    byClass.set(p.cell, acc);
  }
  const out = {} as Record<CellClass, ClassState>;
  for (const [cell, a] of byClass) {
    const vMeanMv = median(a.means);
    out[cell] = { rateHz: a.spikes / a.cells / (s.windowMs / 1000), vMeanMv, vSdMv: median(a.sds), belowVtMv: L23_CELL_TYPES[cell].params.vTMv - vMeanMv };
  }
  return out;
}

function median(xs: readonly number[]): number {
  const a = [...xs].sort((p, q) => p - q);
  const k = a.length >> 1;
  return a.length % 2 ? a[k]! : (a[k - 1]! + a[k]!) / 2;
}

export const scenario: Scenario = {
  description: 'the spontaneous state under the balanced background: rate, mean V and V fluctuations per class vs in-vivo ranges',
  async run(options) {
    if (options.backend !== undefined && options.backend !== 'conductance') throw new Error('swta-spontaneous records membrane potentials: conductance backend only');
    const seed = options.seed ?? DEFAULT_SEED;
    const st = spontaneousState(seed);
    const classes = Object.keys(st) as CellClass[];
    const table = [
      `spontaneous state, 2 pools × 80 Pyr, seed ${seed}, ${SPONTANEOUS.windowMs} ms after ${SPONTANEOUS.settleMs} ms`,
      'class    rate Hz (target)     V mean mV   below V_T mV   V s.d. mV',
      ...classes.map((c) => {
        const x = st[c];
        const t = SPONTANEOUS_TARGETS[c];
        return `${c.padEnd(6)} ${fmt(x.rateHz).padStart(8)} (${t.minHz}–${t.maxHz})   ${fmt(x.vMeanMv, 1).padStart(9)}   ${fmt(x.belowVtMv, 1).padStart(12)}   ${fmt(x.vSdMv).padStart(9)}`;
      }),
    ];
    return {
      result: { seed, classes: st },
      table,
      svg: lineChart(
        [
          { label: 'rate (Hz)', points: classes.map((c, i) => [i, st[c].rateHz] as const) },
          { label: 'V s.d. (mV)', points: classes.map((c, i) => [i, st[c].vSdMv] as const), dashed: true },
        ],
        { title: `Spontaneous state (x: ${classes.map((c, i) => `${i} ${c}`).join(', ')})`, xLabel: 'class', yLabel: 'rate (Hz) / V s.d. (mV)' },
      ),
    };
  },
};
