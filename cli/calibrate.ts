import { SCENARIOS } from '../scenarios/registry.ts';
import { emitReport } from '../scenarios/report.ts';
import { parseCommandArgs } from './args.ts';

const USAGE = `usage: swta calibrate [--seed 3] [--no-vision] [--out out]

Regenerates the calibration chain (docs/reference/architecture.md) from today's cell types and
module defaults, in dependency order, each step reading what the one before wrote:
  1. swta run rate-fit --save          data/calibration/rate-fit.json
  2. swta run gain-matching --save     data/calibration/population-transfer.json, gain-matching.json
  3. swta run filter-vs-circuit        the image filter (it reads the rate fit) against the circuit
  4. swta run swta-report              docs/results/swta.md and its figures
  5. swta vision ood --jobs 2          docs/results/vision.{md,json,svg} and the shipped weights in
                                       data/vision (skipped with --no-vision; the longest step, resumable)
Each artifact records a fingerprint of what it was made from; a stale one is refused when loaded.`;

/** `swta calibrate`: the whole calibration chain, one command. */
export async function main(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta calibrate', USAGE, {
    args,
    options: { seed: { type: 'string' }, 'no-vision': { type: 'boolean', default: false }, out: { type: 'string', default: 'out' } },
  });
  if (parsed === null) return;
  const { values } = parsed;
  const seed = values.seed === undefined ? {} : { seed: Number(values.seed) };
  const log = (line: string): void => console.log(line);
  const steps: [string, { save?: boolean }][] = [['rate-fit', { save: true }], ['gain-matching', { save: true }], ['filter-vs-circuit', {}], ['swta-report', {}]];
  for (const [name, extra] of steps) {
    log(`\n== swta calibrate: ${name}`);
    const report = await SCENARIOS[name]!.run({ ...seed, ...extra, log });
    await emitReport(name, report, { outDir: values.out, json: false });
  }
  if (!values['no-vision']) {
    log('\n== swta calibrate: vision ood');
    await (await import('./vision-ood.ts')).main(['--jobs', '2']);
  }
}
