import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SpecArrays } from './export.ts';
import type { SourceTrain } from './sources.ts';
import type { NeuronSpec, RunSpec } from './spec.ts';
import { mechanismLibrary, MOD_DIR, NeuronToolchainError, PYTHON, requireToolchain, RUNNER_SCRIPT } from './toolchain.ts';

/** Write a spec and its arrays to `dir` (spec.json, *.i32, *.f64), with the runner and mod files beside them. */
export function writeSpec(dir: string, spec: NeuronSpec, arrays: SpecArrays): void {
  mkdirSync(dir, { recursive: true });
  for (const [file, a] of arrays) writeFileSync(join(dir, file), littleEndian(a));
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec) + '\n');
  copyFileSync(RUNNER_SCRIPT, join(dir, 'run_network.py'));
  mkdirSync(join(dir, 'mod'), { recursive: true });
  for (const f of readdirSync(MOD_DIR)) if (f.endsWith('.mod')) copyFileSync(join(MOD_DIR, f), join(dir, 'mod', f));
}

function littleEndian(a: Int32Array | Float64Array): Buffer {
  // Typed arrays are in the platform's byte order; every platform Node runs on here is little-endian.
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Source trains as one time-sorted list of (time, gid), the PatternStim input. */
export function sourceSpikes(spec: NeuronSpec, trains: readonly SourceTrain[]): { timesMs: Float64Array; gids: Int32Array } {
  const start = new Map(spec.sources.map((s) => [s.id, s.gidStart]));
  const all: [number, number][] = [];
  for (const tr of trains) {
    const g0 = start.get(tr.id);
    if (g0 === undefined) throw new Error(`spike train for '${tr.id}', which is not a source of the spec`);
    for (let k = 0; k < tr.timesMs.length; k++) all.push([tr.timesMs[k]!, g0 + tr.indices[k]!]);
  }
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { timesMs: Float64Array.from(all, (x) => x[0]), gids: Int32Array.from(all, (x) => x[1]) };
}

export interface NeuronRunResult {
  /** Spikes of every cell: step index (as the engine counts steps) and gid, sorted by (step, gid). */
  steps: Int32Array;
  gids: Int32Array;
  /** v/w/g samples per (probe, neuron): one per tick. */
  traces: { probe: string; neuron: number; samples: number[] }[];
  timing: { processes: number; buildSeconds: number; runSeconds: number; exchangeIntervalMs: number; wallSeconds: number };
}

export interface RunOptions {
  /** MPI processes (1: no mpirun). */
  processes?: number;
  durationMs: number;
  trains: readonly SourceTrain[];
  traceProbes?: readonly string[];
}

/**
 * Run a written spec on NEURON: `mpirun -np N /usr/bin/python3 run_network.py …` (N > 1) or
 * python3 alone, in `dir`/run-<id>; read the spikes back. Throws NeuronToolchainError when a
 * piece is missing and an Error with NEURON's output when the run fails.
 */
export function runSpec(dir: string, spec: NeuronSpec, o: RunOptions): NeuronRunResult {
  const processes = o.processes ?? 1;
  if (!(Number.isInteger(processes) && processes >= 1)) throw new RangeError(`processes must be an integer ≥ 1, got ${processes}`);
  requireToolchain({ mpi: processes > 1 });
  const lib = mechanismLibrary();
  const runDir = resolve(dir, `run-np${processes}`);
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const { timesMs, gids } = sourceSpikes(spec, o.trains);
  writeFileSync(join(runDir, 'spike-times.f64'), littleEndian(timesMs));
  writeFileSync(join(runDir, 'spike-gids.i32'), littleEndian(gids));
  const run: RunSpec = {
    durationMs: o.durationMs,
    spikeTimes: { file: 'spike-times.f64', dtype: 'float64', length: timesMs.length },
    spikeGids: { file: 'spike-gids.i32', dtype: 'int32', length: gids.length },
    traceProbes: [...(o.traceProbes ?? [])],
  };
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(run) + '\n');
  const outDir = join(runDir, 'out');
  const script = [resolve(dir, 'run_network.py'), resolve(dir), join(runDir, 'run.json'), outDir, lib];
  const [cmd, args] = processes > 1
    ? ['mpirun', ['-np', String(processes), '--oversubscribe', '--bind-to', 'none', PYTHON, ...script]]
    : [PYTHON, script];
  const t0 = performance.now();
  // cwd is the run directory: NEURON auto-loads mechanisms from ./x86_64 of its working directory, which it must not find.
  const r = spawnSync(cmd as string, args as string[], {
    cwd: runDir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1', OMPI_MCA_btl_vader_single_copy_mechanism: 'none', OMPI_MCA_mpi_yield_when_idle: '1' },
  });
  const wallSeconds = (performance.now() - t0) / 1000;
  if (r.error) throw new NeuronToolchainError(`could not start ${cmd}: ${r.error.message}`);
  if (r.status !== 0 || !existsSync(join(outDir, 'timing.json'))) {
    throw new Error(`NEURON run failed (exit ${r.status}):\n${(r.stdout + r.stderr).split('\n').slice(-25).join('\n')}`);
  }
  return { ...readSpikes(outDir, spec.dtMs, processes), traces: readTraces(outDir, processes), timing: { ...JSON.parse(readFileSync(join(outDir, 'timing.json'), 'utf8')), wallSeconds } };
}

function readSpikes(outDir: string, dtMs: number, processes: number): { steps: Int32Array; gids: Int32Array } {
  const pairs: [number, number][] = [];
  for (let r = 0; r < processes; r++) {
    const buf = readFileSync(join(outDir, `spikes.${r}.f64`));
    const a = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
    // Detected at the end of the spike's step: step n ends at (n + 1)·dt.
    for (let k = 0; k + 1 < a.length; k += 2) pairs.push([Math.round(a[k]! / dtMs) - 1, a[k + 1]!]);
  }
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { steps: Int32Array.from(pairs, (p) => p[0]), gids: Int32Array.from(pairs, (p) => p[1]) };
}

function readTraces(outDir: string, processes: number): NeuronRunResult['traces'] {
  const out: NeuronRunResult['traces'] = [];
  for (let r = 0; r < processes; r++) out.push(...(JSON.parse(readFileSync(join(outDir, `traces.${r}.json`), 'utf8')) as NeuronRunResult['traces']));
  return out;
}
