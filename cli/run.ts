import { BACKENDS } from '../adapters/backends.ts';
import { SCENARIOS } from '../scenarios/registry.ts';
import { emitReport } from '../scenarios/report.ts';
import { didYouMean } from '../src/graph/suggest.ts';
import { EXIT, parseCommandArgs, UsageError } from './args.ts';

const USAGE = `usage: swta run <scenario> [--json] [--out out] [--seed n] [--quick] [--save] [--backend ${BACKENDS.join('|')}] [--mpi N] [--script file.json]

Runs a named experiment, prints its table, writes out/<scenario>.json and .svg; with --json the
last stdout line is the result object. --save rewrites the scenario's committed artifact or results
page where it has one (rate-fit, gain-matching, working-memory). Exit code 1 when a working-memory
script's expectation fails. --backend neuron runs each measurement on Debian's NEURON
(docs/pynn-neuron.md), on N MPI processes with --mpi N (the sWTA module scenarios and celltypes).

scenarios:
${Object.entries(SCENARIOS).map(([n, s]) => `  ${n.padEnd(22)} ${s.description}`).join('\n')}`;

/** `swta run <scenario> [--json] [--out dir] [--seed n] [--quick] [--save]` */
export async function main(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta run', USAGE, {
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string', default: 'out' },
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      backend: { type: 'string' },
      script: { type: 'string' },
      save: { type: 'boolean', default: false },
      mpi: { type: 'string' },
    },
  });
  if (parsed === null) return;
  const { values, positionals } = parsed;
  const name = positionals[0];
  const scenario = name === undefined ? undefined : SCENARIOS[name];
  if (!scenario) {
    const near = name === undefined ? '' : didYouMean(name, Object.keys(SCENARIOS));
    throw new UsageError(`${name === undefined ? 'no scenario given' : `unknown scenario '${name}'${near}`}; available: ${Object.keys(SCENARIOS).join(', ')}`);
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
  if (values.mpi !== undefined) {
    const n = Number(values.mpi);
    if (!(Number.isInteger(n) && n >= 1)) throw new UsageError(`--mpi must be an integer ≥ 1, got '${values.mpi}'`);
    if (values.backend !== 'neuron') throw new UsageError('--mpi runs NEURON on N processes: it needs --backend neuron');
    (await import('../adapters/neuron/index.ts')).setDefaultProcesses(n);
  }
  const report = await scenario.run({
    ...(seed === undefined ? {} : { seed }),
    quick: values.quick,
    save: values.save,
    ...(values.backend === undefined ? {} : { backend: values.backend }),
    ...(values.script === undefined ? {} : { script: values.script }),
    log: values.json ? () => {} : (line: string) => console.log(line),
  });
  await emitReport(name!, report, { outDir: values.out, json: values.json });
  // A scenario that judges expectations (a working-memory script) fails the command when one fails, so scripts can gate CI.
  if (report.result['passed'] === false) {
    console.error(`${name}: expectations failed (see the table above or the JSON's 'expectations')`);
    process.exitCode = EXIT.failed;
  }
}
