import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Network } from '../adapters/truenorth/network.ts';
import type { TrueNorthNeuronParams } from '../adapters/truenorth/neuron-params.ts';
import { Random } from '../src/random.ts';
import type { Benchmark } from './types.ts';

/**
 * `npm run bench -- truenorth [--json] [--density 0.5] [--rate-hz 20] [--cores 256] [--quick]`
 *
 * A random recurrent TrueNorth network, the same construction for both figures:
 * - every core full: 256 neurons, 256 axons; axons 0–191 excitatory (type 0, +EXC), 192–255
 *   inhibitory (type 1, −3·EXC, so excitation and inhibition balance on average);
 * - crossbar bits independent with probability `density` (default 0.5: 128 synapses per neuron);
 *   with the default 20 Hz this is the operating point TrueNorth's own power figures are usually
 *   quoted at (Merolla et al. 2014: 20 Hz mean rate, 128 active synapses per neuron) [K];
 * - every neuron sends to a uniformly random (core, axon) with a uniformly random delay of 1–15 ticks;
 * - neurons: constant leak +LEAK, threshold alpha = LEAK / rate, linear reset (gamma = 1) and V
 *   floored at 0 (kappa = 1, beta = 0): with balanced input each fires at about `rate`; the
 *   measured mean rate is reported;
 * - deterministic synapses and leak; a stochastic threshold (TM = 2) on every 4th neuron, so the
 *   PRNG path is exercised too.
 *
 * Figures:
 * - synEventsPerSec: synaptic events (active axon × set crossbar bit) per wall-clock second, one
 *   thread, on `cores` cores (default 256); synEventsPerCpuSec divides by this process's CPU time
 *   instead, which is less sensitive to other processes sharing the machine;
 * - realtimeCores: the most cores that still run ≥ 1000 ticks/s (1 tick = 1 ms, so real time),
 *   found by doubling then bisection;
 * - kernelEventsPerSec: the same network with alpha = 0, so a neuron fires whenever V ≥ 0 (about
 *   600 Hz here, the inhibition keeps the rest silent): the axon pass dominates, a bound for the
 *   event kernel.
 * Timings depend on machine load; the results file records the machine.
 */
const EXC = 2;
const LEAK = 4;

interface NetConfig {
  cores: number;
  density: number;
  rateHz: number;
  seed: number;
}

function buildNetwork(cfg: NetConfig): Network {
  const net = new Network({ coreCount: cfg.cores, seed: cfg.seed });
  const r = new Random(cfg.seed);
  const alpha = cfg.rateHz >= 1000 ? 0 : Math.round(LEAK / (cfg.rateHz / 1000));
  const base: TrueNorthNeuronParams = {
    sigma0: 1, sigma1: -1, sigma2: 1, sigma3: 1,
    s0: EXC, s1: 3 * EXC, s2: 0, s3: 0,
    b0: 0, b1: 0, b2: 0, b3: 0,
    sigma_lambda: 1, lambda: LEAK, c_lambda: 0, epsilon: 0,
    alpha, beta: 0, TM: 0, gamma: 1, kappa: 1, sigma_VR: 1, VR: 0, V: 0,
  };
  const stochastic: TrueNorthNeuronParams = { ...base, TM: 2 };
  const row = new Uint32Array(8);
  for (let c = 0; c < cfg.cores; c++) {
    const core = net.cores[c]!;
    for (let a = 0; a < 256; a++) {
      core.setAxonType(a, a < 192 ? 0 : 1);
      for (let w = 0; w < 8; w++) {
        let bits = 0;
        for (let b = 0; b < 32; b++) if (r.uniform() < cfg.density) bits |= 1 << b;
        row[w] = bits;
      }
      core.setRow(a, row);
    }
    for (let j = 0; j < 256; j++) {
      core.setNeuron(j, { ...(j % 4 === 3 ? stochastic : base), V: r.int(Math.max(1, alpha)) });
      core.setDestination(j, { core: r.int(cfg.cores), axon: r.int(256), delayTicks: 1 + r.int(15) });
    }
  }
  return net;
}

interface Run {
  ticksPerSec: number;
  synEventsPerSec: number;
  synEventsPerCpuSec: number;
  meanRateHz: number;
  eventsPerTick: number;
}

/** Warms up, then runs whole batches of ticks for at least `minMs`. */
function measure(net: Network, options: { warmupTicks: number; minMs: number }): Run {
  net.run(options.warmupTicks);
  const e0 = net.synapticEvents;
  let ticks = 0;
  let spikes = 0;
  const t0 = performance.now();
  let elapsed = 0;
  const cpu0 = process.cpuUsage();
  do {
    for (let i = 0; i < 100; i++) spikes += net.step();
    ticks += 100;
    elapsed = performance.now() - t0;
  } while (elapsed < options.minMs);
  const cpuMs = process.cpuUsage(cpu0).user / 1000;
  const events = net.synapticEvents - e0;
  return {
    ticksPerSec: (ticks / elapsed) * 1000,
    synEventsPerSec: (events / elapsed) * 1000,
    synEventsPerCpuSec: (events / cpuMs) * 1000,
    meanRateHz: (spikes / ticks / (net.cores.length * 256)) * 1000,
    eventsPerTick: events / ticks,
  };
}

function realtimeCores(cfg: Omit<NetConfig, 'cores'>, log: (line: string) => void, minMs: number): number {
  const fast = (cores: number): boolean => {
    const run = measure(buildNetwork({ ...cfg, cores }), { warmupTicks: 300, minMs });
    log(`  ${String(cores).padStart(5)} cores: ${run.ticksPerSec.toFixed(0).padStart(6)} ticks/s, ${(run.synEventsPerSec / 1e6).toFixed(1)} M events/s, ${run.meanRateHz.toFixed(1)} Hz`);
    return run.ticksPerSec >= 1000;
  };
  let lo = 0;
  let hi = 16;
  while (fast(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 65536) return lo;
  }
  while (hi - lo > Math.max(1, lo >> 4)) {
    const mid = (lo + hi) >> 1;
    if (fast(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

export const benchmark: Benchmark = {
  description: 'TrueNorth emulator: synaptic events/s per thread and the largest network run in real time',
  async run({ log, args }) {
    const { values } = parseArgs({
      args,
      options: {
        density: { type: 'string', default: '0.5' },
        'rate-hz': { type: 'string', default: '20' },
        cores: { type: 'string', default: '256' },
        quick: { type: 'boolean', default: false },
      },
    });
    const density = Number(values.density);
    const rateHz = Number(values['rate-hz']);
    const cores = Number(values.cores);
    if (!(density > 0 && density <= 1)) throw new Error(`--density must be in (0, 1], got '${values.density}'`);
    if (!(rateHz > 0 && rateHz <= 1000)) throw new Error(`--rate-hz must be in (0, 1000], got '${values['rate-hz']}'`);
    if (!Number.isInteger(cores) || cores < 1) throw new Error(`--cores must be a positive integer, got '${values.cores}'`);
    const minMs = values.quick ? 300 : 1500;
    const seed = 1;

    log(`network: ${cores} cores × 256 neurons, crossbar density ${density}, target rate ${rateHz} Hz, delays 1–15 ticks`);
    const main = measure(buildNetwork({ cores, density, rateHz, seed }), { warmupTicks: 500, minMs: 2 * minMs });
    log(`  ${(main.synEventsPerSec / 1e6).toFixed(1)} M synaptic events/s (${(main.synEventsPerCpuSec / 1e6).toFixed(1)} M per CPU-second), ${main.ticksPerSec.toFixed(0)} ticks/s, measured rate ${main.meanRateHz.toFixed(1)} Hz, ${main.eventsPerTick.toFixed(0)} events/tick`);

    log(`kernel bound: same network with alpha = 0 (fires whenever V ≥ 0)`);
    const kernel = measure(buildNetwork({ cores: Math.min(cores, 64), density, rateHz: 1000, seed }), { warmupTicks: 50, minMs });
    log(`  ${(kernel.synEventsPerSec / 1e6).toFixed(1)} M synaptic events/s (${(kernel.synEventsPerCpuSec / 1e6).toFixed(1)} M per CPU-second), ${kernel.ticksPerSec.toFixed(0)} ticks/s, measured rate ${kernel.meanRateHz.toFixed(0)} Hz`);

    log(`real time (≥ 1000 ticks/s) at ${rateHz} Hz, density ${density}:`);
    const rt = realtimeCores({ density, rateHz, seed }, log, minMs);
    log(`  largest real-time network: ${rt} cores (${rt * 256} neurons)`);

    return {
      synEventsPerSec: Math.round(main.synEventsPerSec),
      realtimeCores: rt,
      synEventsPerCpuSec: Math.round(main.synEventsPerCpuSec),
      kernelEventsPerSec: Math.round(kernel.synEventsPerSec),
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
      cores,
      density,
      targetRateHz: rateHz,
      measuredRateHz: Number(main.meanRateHz.toFixed(2)),
      ticksPerSec: Math.round(main.ticksPerSec),
      eventsPerTick: Math.round(main.eventsPerTick),
    };
  },
};
