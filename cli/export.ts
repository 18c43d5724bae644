import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportGraph } from '../adapters/neuron/export.ts';
import { sourceSpikes, writeSpec } from '../adapters/neuron/run.ts';
import { sourceTrains, type SourceTrain } from '../adapters/neuron/sources.ts';
import type { NeuronSpec } from '../adapters/neuron/spec.ts';
import { writeSonata } from '../adapters/sonata/write.ts';
import { exportNetwork, networkTrains } from '../scenarios/neuron/network.ts';
import { EXPORT_TARGETS, type ExportTarget } from '../scenarios/neuron/graphs.ts';
import { graphFromJson } from '../src/graph/json.ts';
import { didYouMean } from '../src/graph/suggest.ts';
import { parseCommandArgs, UsageError } from './args.ts';

const FORMATS = ['pynn', 'sonata'] as const;

const USAGE = `usage: swta export --format pynn|sonata <name|graph.json> --out DIR [--seed N] [--duration MS]

Writes a graph as our conductance engine draws it for the seed (the engine's own edge lists,
weights and per-neuron mismatch, not a redraw):
  --format pynn    spec.json + binary arrays, run_network.py (NEURON via h; PyNN cannot express the
                   model, docs/pynn-neuron.md), mod/*.mod, and run.json with the Poisson sources'
                   spike trains for --duration ms; run.sh compiles the mechanisms and runs it
                   (MPI: NP=4 ./run.sh)
  --format sonata  SONATA nodes/edges HDF5, node/edge types CSV, circuit and simulation configs
                   (swta import reads them back)

names: ${Object.entries(EXPORT_TARGETS).map(([n, t]) => `\n  ${n.padEnd(16)} ${t().description}`).join('')}
  or a graph JSON file (seed 1 unless --seed, 1000 ms unless --duration)`;

function target(name: string, values: { seed?: string; duration?: string }): ExportTarget {
  let t: ExportTarget;
  if (name.endsWith('.json')) {
    t = { kind: 'graph', description: name, graph: graphFromJson(readFileSync(name, 'utf8')), seed: 1, durationMs: 1000 };
  } else {
    const make = EXPORT_TARGETS[name];
    if (!make) throw new UsageError(`unknown export '${name}'${didYouMean(name, Object.keys(EXPORT_TARGETS))}; names: ${Object.keys(EXPORT_TARGETS).join(', ')}, or a graph .json file`);
    t = make();
  }
  if (values.seed !== undefined) {
    const s = Number(values.seed);
    if (!Number.isInteger(s)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
    t.seed = s;
  }
  if (values.duration !== undefined) {
    const d = Number(values.duration);
    if (!(Number.isInteger(d) && d > 0)) throw new UsageError(`--duration must be a whole number of ms > 0, got '${values.duration}'`);
    t.durationMs = d;
  }
  return t;
}

const RUN_SH = `#!/usr/bin/env bash
# Compile the mechanisms (Debian's nrnivmodl needs its makefile found and the NEURON library path) and run on NP processes.
set -euo pipefail
cd "$(dirname "$0")"
NP=\${NP:-1}
if [ ! -e mech/x86_64/.libs/libnrnmech.so ]; then
  mkdir -p mech/home/bin && ln -sf /usr/lib/nrn/nrnmech_makefile mech/home/bin/nrnmech_makefile
  (cd mech && NRNHOME_EXEC="$PWD/home" nrnivmodl -loadflags "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn" ../mod/*.mod >build.log 2>&1 || true)
  [ -e mech/x86_64/.libs/libnrnmech.so ] || { echo "nrnivmodl failed: see mech/build.log (apt-get install neuron-dev g++)"; exit 1; }
fi
mkdir -p output
cmd=(/usr/bin/python3 run_network.py . run.json output "$PWD/mech/x86_64/.libs/libnrnmech.so")
if [ "$NP" -gt 1 ]; then
  [ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  OMPI_MCA_mpi_yield_when_idle=1 mpirun -np "$NP" --oversubscribe "\${cmd[@]}"
else
  "\${cmd[@]}"
fi
echo "spikes in output/spikes.<rank>.f64 (pairs: detection time ms, gid; a spike of step n is detected at (n + 1)·dt)"
`;

function writeRun(dir: string, spec: NeuronSpec, trains: readonly SourceTrain[], durationMs: number): void {
  const { timesMs, gids } = sourceSpikes(spec, trains);
  writeFileSync(join(dir, 'spike-times.f64'), Buffer.from(timesMs.buffer));
  writeFileSync(join(dir, 'spike-gids.i32'), Buffer.from(gids.buffer));
  writeFileSync(join(dir, 'run.json'), JSON.stringify({
    durationMs,
    spikeTimes: { file: 'spike-times.f64', dtype: 'float64', length: timesMs.length },
    spikeGids: { file: 'spike-gids.i32', dtype: 'int32', length: gids.length },
    traceProbes: [],
  }) + '\n');
  writeFileSync(join(dir, 'run.sh'), RUN_SH, { mode: 0o755 });
}

/** `swta export --format pynn|sonata <name|graph.json> --out DIR` */
export async function main(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta export', USAGE, {
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, duration: { type: 'string' } },
  });
  if (parsed === null) return;
  const { values, positionals } = parsed;
  const format = values.format;
  if (format === undefined || !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}${format === undefined ? '' : `, got '${format}'${didYouMean(format, FORMATS)}`}\n${USAGE}`);
  if (positionals.length !== 1) throw new UsageError(`give one scenario name or graph .json file\n${USAGE}`);
  if (values.out === undefined) throw new UsageError(`--out DIR is required\n${USAGE}`);
  const dir = resolve(values.out);
  const t = target(positionals[0]!, values);
  if (format === 'sonata') {
    if (t.kind === 'network') throw new UsageError(`'${positionals[0]}' is a network of modules; --format sonata writes single graphs (use --format pynn for networks)`);
    await writeSonata(t.graph, dir, { seed: t.seed });
    console.log(`wrote SONATA files of '${t.graph.name ?? positionals[0]}' (seed ${t.seed}) to ${dir}; swta import ${join(dir, 'simulation_config.json')} reads them back`);
    return;
  }
  if (t.kind === 'graph') {
    const { spec, arrays } = exportGraph(t.graph, { seed: t.seed });
    writeSpec(dir, spec, arrays);
    writeRun(dir, spec, sourceTrains(t.graph, { seed: t.seed, dtMs: spec.dtMs, durationMs: t.durationMs }), t.durationMs);
  } else {
    const { spec, arrays } = exportNetwork(t.network, t.seed);
    writeSpec(dir, spec, arrays);
    writeRun(dir, spec, networkTrains(t.network, t.seed, { durationMs: t.durationMs, rateChanges: t.rateChanges }), t.durationMs);
  }
  console.log(`wrote the NEURON model of '${positionals[0]}' (seed ${t.seed}, ${t.durationMs} ms) to ${dir}; run it with ${join(dir, 'run.sh')} (NP=2 for 2 MPI processes)`);
}
