import { performance } from 'node:perf_hooks';
import { compile } from '../../adapters/conductance/index.ts';
import type { AdexParams } from '../../src/celltypes/adex.ts';
import type { Graph, Projection } from '../../src/graph/types.ts';
import { runBrian2 } from '../brian2/run.ts';

/**
 * The Vogels–Abbott COBA network (Brette et al. 2007, benchmark 1), built as an ordinary graph and
 * run by the conductance engine; the same network in Brian2 (scenarios/brian2/coba.py, cython and
 * cpp_standalone), where /usr/bin/python3 can import brian2. `npm run bench -- coba` and the rate
 * cross-check (test/crosscheck/coba-rate.test.ts) both run it from here.
 *
 * 4000 LIF neurons (3200 E, 800 I), p = 0.02 without autapses, τ_m 20 ms (C = 200 pF, g_L = 10 nS),
 * V_t −50, V_r = E_L = −60 mV, refractory 5 ms, single-exponential conductances of 6 nS
 * (0.6 g_L, τ 5 ms, E 0 mV) and 67 nS (6.7 g_L, τ 10 ms, E −80 mV), a constant 200 pA = g_L·20 mV,
 * v0 uniform in [V_r, V_t), dt 0.1 ms. delayMs 0.1 (one step) is Brian2's zero delay: a spike of
 * step n acts on the conductances from step n + 1.
 *
 * rtf = wall seconds of the simulation loop per biological second; building the graph, compiling
 * (and Brian2's code generation and C++/Cython compilation) are excluded. Each run starts from the
 * network's initial state (engine.reset(), after a warm-up that lets the JIT compile the kernels);
 * the reported rtf is the median of the repeats. cpuRtf is the same in CPU time (process CPU time
 * here, std::clock in Brian2's standalone binary): steadier than wall time when other processes
 * share the cores, which is when the wall-clock ratios get noisy.
 */

export const COBA = {
  nExc: 3200,
  nInh: 800,
  p: 0.02,
  /** Excitatory and inhibitory synaptic conductances (nS): 0.6 and 6.7 × g_L. */
  gExcNs: 6,
  gInhNs: 67,
  tauExcMs: 5,
  tauInhMs: 10,
  eExcMv: 0,
  eInhMv: -80,
  /** g_L · 20 mV. */
  drivePa: 200,
} as const;

/** LIF (Δ_T = 0: threshold V_peak) with τ_m = C/g_L = 20 ms. */
export const COBA_LIF: AdexParams = {
  cPf: 200, gLNs: 10, eLMv: -60, deltaTMv: 0, vTMv: -50, vRMv: -60, vPeakMv: -50, tRefMs: 5, aNs: 0, bPa: 0, tauWMs: 100,
};

/** The COBA network as a graph with populations E and I and 'rate' probes rE and rI. */
export function cobaGraph(): Graph {
  const vInitMv = { fromMv: COBA_LIF.vRMv, toMv: COBA_LIF.vPeakMv };
  const graph: Graph = {
    name: 'coba',
    populations: [
      { id: 'E', size: COBA.nExc, cell: 'custom', params: { ...COBA_LIF }, vInitMv },
      { id: 'I', size: COBA.nInh, cell: 'custom', params: { ...COBA_LIF }, vInitMv },
    ],
    projections: [],
    stimuli: [
      { kind: 'current', id: 'driveE', target: 'E', segments: [{ startMs: 0, fromPa: COBA.drivePa }] },
      { kind: 'current', id: 'driveI', target: 'I', segments: [{ startMs: 0, fromPa: COBA.drivePa }] },
    ],
    probes: [
      { id: 'rE', target: 'E', kind: 'rate' },
      { id: 'rI', target: 'I', kind: 'rate' },
    ],
  };
  for (const pre of ['E', 'I'] as const) {
    for (const post of ['E', 'I'] as const) {
      const exc = pre === 'E';
      const projection: Projection = {
        id: `${pre}${post}`,
        pre,
        post,
        connect: { rule: 'fixedProbability', p: COBA.p, autapses: false },
        components: [exc
          ? { receptor: 'AMPA', gNs: COBA.gExcNs, tauRiseMs: 0, tauDecayMs: COBA.tauExcMs, eRevMv: COBA.eExcMv }
          : { receptor: 'GABA_A', gNs: COBA.gInhNs, tauRiseMs: 0, tauDecayMs: COBA.tauInhMs, eRevMv: COBA.eInhMv }],
        delayMs: 0.1,
      };
      graph.projections.push(projection);
    }
  }
  return graph;
}

export interface CobaRun {
  rtf: number;
  rtfs: number[];
  /** CPU seconds of the run per biological second (median): steadier than wall time on a shared machine. */
  cpuRtf: number;
  rateHz: number;
  buildSeconds: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Mean rate per neuron (Hz) over the ticks recorded by the rE and rI probes. */
function meanRateHz(engine: ReturnType<typeof compile>, durationMs: number): number {
  let spikes = 0;
  for (const id of ['rE', 'rI']) {
    const d = engine.probe(id);
    if (d.kind !== 'rate') throw new Error(`probe ${id} is not a rate probe`);
    for (let t = 0; t < d.countsPerTick.length; t++) spikes += d.countsPerTick[t]!;
  }
  return spikes / (COBA.nExc + COBA.nInh) / (durationMs / 1000);
}

/** Run COBA in our engine: build (timed separately), warm up, then `repeats` timed runs from the initial state. */
export function runOurCoba(options: { durationMs: number; repeats: number; seed: number; warmupMs?: number }): CobaRun {
  const ticks = Math.round(options.durationMs);
  const t0 = performance.now();
  const engine = compile(cobaGraph(), { dtMs: 0.1, seed: options.seed });
  const buildSeconds = (performance.now() - t0) / 1000;
  engine.run(Math.round(options.warmupMs ?? 200));
  const rtfs: number[] = [];
  const cpuRtfs: number[] = [];
  let rateHz = NaN;
  for (let r = 0; r < options.repeats; r++) {
    engine.reset();
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    engine.run(ticks);
    const wall = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    rtfs.push(wall / (ticks / 1000));
    cpuRtfs.push((cpu.user + cpu.system) / 1e6 / (ticks / 1000));
    rateHz = meanRateHz(engine, ticks);
  }
  return { rtf: median(rtfs), rtfs, cpuRtf: median(cpuRtfs), rateHz, buildSeconds };
}

export type Brian2Device = 'cython' | 'cpp_standalone';
export const BRIAN2_DEVICES: readonly Brian2Device[] = ['cython', 'cpp_standalone'];

export interface Brian2CobaRun {
  device: Brian2Device;
  rtf: number;
  rtfs: number[];
  cpuRtf: number;
  rateHz: number;
  buildSeconds: number;
  spikes: number;
  synapses: number;
}

/** Run scenarios/brian2/coba.py on one device (throws Brian2MissingError when Brian2 is not installed). */
export function runBrian2Coba(device: Brian2Device, options: { durationMs: number; repeats: number; seed: number }): Promise<Brian2CobaRun> {
  return runBrian2<Brian2CobaRun>('scenarios/brian2/coba.py', {}, {
    args: ['--device', device, '--duration-ms', String(options.durationMs), '--seed', String(options.seed), '--repeats', String(options.repeats)],
  });
}
