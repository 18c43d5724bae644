import { ADAPTERS, parseBackend, type Backend } from '../../adapters/registry.ts';
import type { CellClass } from '../../src/celltypes/l23.ts';
import type { Graph } from '../../src/graph/types.ts';

/**
 * The Allen/IPFX-style protocol of docs/reference/celltypes.md §a2: 1-s current steps in 10-pA increments,
 * one neuron per amplitude (they are independent, so one population runs the whole sweep).
 */
export const STEP_PA = 10;
export const STEP_DURATION_MS = 1000;

export interface FiCurve {
  amplitudesPa: number[];
  ratesHz: number[];
  /** Spike times (ms from step onset) per amplitude. */
  spikeTimesMs: number[][];
}

export interface FiFeatures {
  rheobasePa: number;
  slopeHzPerNa: number;
  adaptationIndex: number;
}

export function measureFiCurve(cell: CellClass, maxPa: number, options: { seed?: number; backend?: Backend } = {}): FiCurve {
  const amplitudesPa: number[] = [];
  for (let a = 0; a <= maxPa + 1e-9; a += STEP_PA) amplitudesPa.push(a);
  const graph: Graph = {
    name: `fi-${cell}`,
    populations: [{ id: cell, size: amplitudesPa.length, cell }],
    projections: [],
    stimuli: amplitudesPa.map((a, i) => ({
      kind: 'current' as const, id: `step${i}`, target: cell, neurons: [i],
      segments: [{ startMs: 0, endMs: STEP_DURATION_MS, fromPa: a }],
    })),
    probes: [{ id: 'spikes', target: cell, kind: 'spikes' }],
  };
  const engine = ADAPTERS[parseBackend(options.backend)].compile(graph, { seed: options.seed ?? 1 });
  engine.run(STEP_DURATION_MS);
  const data = engine.probe('spikes');
  if (data.kind !== 'spikes') throw new Error('unexpected probe kind');
  const spikeTimesMs: number[][] = amplitudesPa.map(() => []);
  for (let k = 0; k < data.indices.length; k++) spikeTimesMs[data.indices[k]!]!.push(data.timesMs[k]!);
  return { amplitudesPa, ratesHz: spikeTimesMs.map((t) => t.length / (STEP_DURATION_MS / 1000)), spikeTimesMs };
}

/**
 * Features as defined in docs/reference/celltypes.md §a2 step 3: rheobase = smallest step with a spike;
 * slope = least-squares slope over rheobase … rheobase + 100 pA; adaptation index =
 * mean((ISI_{n+1} − ISI_n)/(ISI_{n+1} + ISI_n)) on the sweep at rheobase + 50 pA.
 */
export function fiFeatures(curve: FiCurve): FiFeatures {
  const k0 = curve.ratesHz.findIndex((r) => r > 0);
  if (k0 < 0) throw new Error(`no spikes up to ${curve.amplitudesPa.at(-1)} pA: raise the sweep's maximum`);
  const rheobasePa = curve.amplitudesPa[k0]!;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = k0; k < curve.amplitudesPa.length && curve.amplitudesPa[k]! <= rheobasePa + 100 + 1e-9; k++) {
    xs.push(curve.amplitudesPa[k]! / 1000);
    ys.push(curve.ratesHz[k]!);
  }
  const kAdapt = curve.amplitudesPa.findIndex((a) => Math.abs(a - (rheobasePa + 50)) < 1e-6);
  return { rheobasePa, slopeHzPerNa: leastSquaresSlope(xs, ys), adaptationIndex: adaptationIndex(curve.spikeTimesMs[kAdapt] ?? []) };
}

export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx === 0 ? NaN : sxy / sxx;
}

/** IPFX adaptation index; 0 for fewer than three spikes (no ISI pair). */
export function adaptationIndex(spikeTimesMs: readonly number[]): number {
  const isi: number[] = [];
  for (let k = 1; k < spikeTimesMs.length; k++) isi.push(spikeTimesMs[k]! - spikeTimesMs[k - 1]!);
  if (isi.length < 2) return 0;
  let sum = 0;
  for (let k = 1; k < isi.length; k++) sum += (isi[k]! - isi[k - 1]!) / (isi[k]! + isi[k - 1]!);
  return sum / (isi.length - 1);
}
