import { parseArgs } from 'node:util';
import { SCENARIOS } from '../scenarios/registry.ts';
import { emitReport } from '../scenarios/report.ts';

/** `swta run <scenario> [--json] [--out dir] [--seed n] [--quick] [--save]` */
export async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
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
    },
  });
  const name = positionals[0];
  const scenario = name === undefined ? undefined : SCENARIOS[name];
  if (!scenario) {
    throw new Error(`${name === undefined ? 'no scenario given' : `unknown scenario '${name}'`}; available: ${Object.keys(SCENARIOS).join(', ')}`);
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be an integer, got '${values.seed}'`);
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
    process.exitCode = 1;
  }
}
