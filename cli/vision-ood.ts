/**
 * `swta vision ood` — the out-of-distribution experiments, baseline vs. sWTA-filtered
 * ViT (scenarios/vision), and the shipped demo weights. One command regenerates
 * docs/results/vision.{md,json} and data/vision/; finished runs are cached, so an interrupted
 * run resumes.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadMnist } from '../src/vision/data/mnist.ts';
import { budgetNamed, BUDGETS } from '../scenarios/vision/budget.ts';
import { discussion } from '../scenarios/vision/discussion.ts';
import { invarianceTable, type InvarianceTable } from '../scenarios/vision/invariance.ts';
import { GROUPS, runOod, type Group, type OodResults, type RunResult } from '../scenarios/vision/ood.ts';
import { buildReport, renderMarkdown, type WeightInfo } from '../scenarios/vision/report.ts';
import { preprocessFor } from '../src/vision/preprocess.ts';
import { evaluate } from '../src/vision/train/evaluate.ts';
import { loadCheckpoint } from '../src/vision/vit/checkpoint.ts';
import { parseCommandArgs } from './args.ts';

export const OOD_USAGE = `usage:
  swta vision ood [--budget ${Object.keys(BUDGETS).join('|')} | --quick] [--seeds 1,2,3,4,5] [--tasks ${GROUPS.join(',')}]
                  [--cache <file>] [--fresh] [--ship <dir> | --no-ship] [--out <dir>]

  Trains baseline and sWTA-filtered ViTs (identical but for the filter) on every task and seed and
  writes <out>/vision.md and <out>/vision.json (default docs/results; with --quick, out/vision-ood/quick).
  tasks: digits = zero-shot digit domains, MNIST → fonts and the compute task; fonts = fonts → MNIST;
         street = nighttime segmentation.
  Finished runs are cached (default out/vision-ood/<budget>/runs.json) and skipped when run again.
  The MNIST models of the first seed are copied to <ship>/mnist-baseline and <ship>/mnist-swta
  (default data/vision for the default budget; not shipped with --quick unless --ship is given).`;

export async function main(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta vision ood', OOD_USAGE, {
    args,
    options: {
      budget: { type: 'string' },
      quick: { type: 'boolean', default: false },
      seeds: { type: 'string', default: '1,2,3,4,5' },
      tasks: { type: 'string', default: GROUPS.join(',') },
      cache: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      ship: { type: 'string' },
      'no-ship': { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  if (parsed === null) return;
  const { values } = parsed;
  if (values.quick && values.budget !== undefined && values.budget !== 'quick') throw new Error(`--quick and --budget ${values.budget} contradict each other`);
  const budget = budgetNamed(values.quick ? 'quick' : (values.budget ?? 'default'));
  const seeds = values.seeds.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n)) throw new Error(`--seeds must be comma-separated integers, got '${values.seeds}'`);
    return n;
  });
  if (new Set(seeds).size !== seeds.length) throw new Error(`--seeds has duplicates: ${values.seeds}`);
  const groups = values.tasks.split(',').map((t) => t.trim()) as Group[];
  for (const g of groups) if (!GROUPS.includes(g)) throw new Error(`unknown task group '${g}' in --tasks; known: ${GROUPS.join(', ')}`);

  const work = join('out', 'vision-ood', budget.name);
  const cacheFile = values.cache ?? join(work, 'runs.json');
  const outDir = values.out ?? (budget.name === 'default' ? join('docs', 'results') : work);
  const shipDir = values['no-ship'] ? undefined : (values.ship ?? (budget.name === 'default' ? join('data', 'vision') : undefined));
  if (values.fresh && existsSync(cacheFile)) writeFileSync(cacheFile, '{}');
  const command = `swta vision ood${budget.name === 'default' ? '' : ` --budget ${budget.name}`}${values.seeds === '1,2,3,4,5' ? '' : ` --seeds ${values.seeds}`}${values.tasks === GROUPS.join(',') ? '' : ` --tasks ${values.tasks}`}`;

  const t0 = performance.now();
  const log = (s: string): void => console.error(s);
  log(`swta vision ood: budget '${budget.name}', seeds ${seeds.join(',')}, tasks ${groups.join(',')}; cache ${cacheFile}; results to ${outDir}`);
  const write = (results: OodResults, weights: WeightInfo[], partial: boolean, invariance?: InvarianceTable): void => {
    const report = buildReport(results, weights, invariance);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'vision.json'), `${JSON.stringify(report, null, 1)}\n`);
    const md = renderMarkdown(report, { command, partial, ...(partial ? {} : { discussion: discussion(report) }) });
    writeFileSync(join(outDir, 'vision.md'), md);
  };
  const partialResults = (runs: readonly RunResult[]): OodResults => ({
    budget,
    seeds,
    groups,
    arms: { baseline: 'none', filtered: 'swta' },
    runs: [...runs],
    forwardFlops: { digits: NaN, street: NaN },
    filterMsPerImage: { digits: NaN, street: NaN },
  });

  const results = await runOod({
    budget,
    seeds,
    groups,
    cacheFile,
    modelDir: join(work, 'models'),
    log,
    onRun: (_r, all) => write(partialResults(all), [], true),
  });

  const weights: WeightInfo[] = [];
  if (shipDir !== undefined && groups.includes('digits')) {
    const seed = seeds[0]!;
    const test = loadMnist({ split: 'test' });
    for (const arm of ['baseline', 'filtered'] as const) {
      const run = results.runs.find((r) => r.spec.group === 'digits' && r.spec.arm === arm && r.spec.seed === seed);
      if (!run?.checkpoint) continue;
      const dest = join(shipDir, arm === 'baseline' ? 'mnist-baseline' : `mnist-${run.spec.filter}`);
      const bytes = copyFolder(run.checkpoint, dest);
      const { model, meta } = await loadCheckpoint(dest);
      const s = await evaluate(model, test, { preprocess: preprocessFor(meta.preprocess) });
      model.dispose();
      weights.push({ path: dest, filter: run.spec.filter, seed, bytes, mnistTestAccuracy: s.accuracy, n: s.n });
      log(`shipped ${dest} (${(bytes / 1024).toFixed(0)} KB): MNIST test accuracy ${(100 * s.accuracy).toFixed(2)} % on ${s.n}`);
    }
  }
  log('invariance diagnostic (clean vs. shifted relative distance, raw and filter variants)…');
  const invariance = invarianceTable({ n: budget.name === 'quick' ? 20 : 200, corruptions: budget.corruptions, severities: budget.severities });
  write(results, weights, false, invariance);
  log(`wrote ${join(outDir, 'vision.md')} and ${join(outDir, 'vision.json')} in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
}

/** Copies the files of a checkpoint folder (not recursive); returns the bytes copied. */
function copyFolder(src: string, dest: string): number {
  mkdirSync(dest, { recursive: true });
  let bytes = 0;
  for (const f of readdirSync(src)) {
    const p = join(src, f);
    if (!statSync(p).isFile()) continue;
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    copyFileSync(p, join(dest, f));
    bytes += statSync(p).size;
  }
  return bytes;
}
