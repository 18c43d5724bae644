import { ConductanceEngine } from '../adapters/conductance/engine.ts';
import { NeuronEngine } from '../adapters/neuron/engine.ts';
import { missingToolchain } from '../adapters/neuron/toolchain.ts';
import { swtaModule } from '../src/motifs/swta-module.ts';
import type { Benchmark, BenchOptions } from './types.ts';

/**
 * `npm run bench -- neuron [--json] [--duration-ms 2000] [--pool-size 80]`: the default sWTA module
 * (2 pools, inputs 28 / 20 Hz, seed 3) on our conductance engine and on NEURON with 1 and 2 MPI
 * processes, same network and input spikes. NEURON's figures: building the model (Python, NetCons)
 * and integrating (pc.psolve), the slower process's; and the wall time of the whole run (process
 * start, mechanism load, writing spikes).
 */
function parseArgs(args: readonly string[]): { durationMs: number; poolSize: number } {
  const out = { durationMs: 2000, poolSize: 80 };
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    const v = Number(args[k + 1]);
    if (a === '--duration-ms' && v > 0) out.durationMs = Math.round(v);
    else if (a === '--pool-size' && v > 0) out.poolSize = Math.round(v);
    else if (a === '--') continue;
    else throw new Error(`neuron: unknown argument '${a}' (known: --duration-ms N, --pool-size N)`);
    k++;
  }
  return out;
}

async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const { log } = options;
  const a = parseArgs(options.args);
  const missing = missingToolchain({ mpi: true });
  if (missing.length > 0) throw new Error(`NEURON is not available: ${missing.join('; ')}`);
  const m = swtaModule({ pools: 2, poolSize: a.poolSize, prefix: 'm' });
  m.graph.probes.push({ id: 'pool0', target: m.ids.pools[0]!, kind: 'rate' });
  const drive = (e: { setRate(id: string, hz: number): void }): void => {
    e.setRate(m.ids.inputs[0]!, 28);
    e.setRate(m.ids.inputs[1]!, 20);
  };
  const rate = (e: { probe(id: string): ReturnType<ConductanceEngine['probe']> }): number => {
    const d = e.probe('pool0');
    if (d.kind !== 'rate') throw new Error('not a rate probe');
    return d.countsPerTick.reduce((x, y) => x + y, 0) / d.size / (a.durationMs / 1000);
  };
  const neurons = m.graph.populations.reduce((n, p) => n + p.size, 0);
  log(`sWTA module: ${neurons} neurons, ${a.durationMs} ms biological time, seed 3`);
  const t0 = performance.now();
  const ours = new ConductanceEngine(m.graph, { seed: 3 });
  const tBuilt = performance.now();
  drive(ours);
  ours.run(a.durationMs);
  const tRan = performance.now();
  const oursFig = { buildSeconds: (tBuilt - t0) / 1000, runSeconds: (tRan - tBuilt) / 1000, pool0Hz: rate(ours) };
  log(`swta conductance: build ${oursFig.buildSeconds.toFixed(3)} s, run ${oursFig.runSeconds.toFixed(3)} s (rtf ${(a.durationMs / 1000 / oursFig.runSeconds).toFixed(2)}), pool 0 ${oursFig.pool0Hz.toFixed(2)} Hz`);
  const neuron: Record<string, unknown> = {};
  for (const processes of [1, 2]) {
    const e = new NeuronEngine(m.graph, { seed: 3, processes });
    drive(e);
    e.run(a.durationMs);
    const hz = rate(e);
    const t = e.lastTiming!;
    neuron[`np${processes}`] = { ...t, pool0Hz: hz };
    log(`NEURON ${processes} process${processes > 1 ? 'es' : ''}: build ${t.buildSeconds.toFixed(3)} s, run ${t.runSeconds.toFixed(3)} s (rtf ${(a.durationMs / 1000 / t.runSeconds).toFixed(2)}), wall ${t.wallSeconds.toFixed(2)} s, spike exchange every ${t.exchangeIntervalMs.toFixed(2)} ms, pool 0 ${hz.toFixed(2)} Hz`);
  }
  return { neurons, durationMs: a.durationMs, conductance: oursFig, neuron };
}

export const benchmark: Benchmark = {
  description: 'the default sWTA module on our conductance engine and on NEURON with 1 and 2 MPI processes (same network, same input spikes)',
  run,
};
