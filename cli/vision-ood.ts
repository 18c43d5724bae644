/**
 * `swta vision ood` — the out-of-distribution experiments: the baseline, the sWTA-filtered and the
 * control ViTs (scenarios/vision), and the shipped demo weights. One command regenerates
 * docs/results/vision.{md,json,svg} and data/vision/; finished runs are cached one file per run,
 * so an interrupted run resumes, and `--jobs N` trains N runs at a time in child processes.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '../src/vision/data/mnist.ts';
import { budgetNamed, BUDGETS } from '../scenarios/vision/budget.ts';
import { discussion } from '../scenarios/vision/discussion.ts';
import { invarianceTable, type InvarianceTable } from '../scenarios/vision/invariance.ts';
import { curvesSvg } from '../scenarios/vision/curves-svg.ts';
import { ARMS, GROUPS, runOod, type Group, type OodResults, type RunResult } from '../scenarios/vision/ood.ts';
import { buildReport, type WeightInfo } from '../scenarios/vision/report.ts';
import { renderMarkdown } from '../scenarios/vision/report-markdown.ts';
import { preprocessFor } from '../src/vision/preprocess.ts';
import { evaluate } from '../src/vision/train/evaluate.ts';
import { loadCheckpoint } from '../src/vision/vit/checkpoint.ts';
import { parseCommandArgs } from './args.ts';

export const OOD_USAGE = `usage:
  swta vision ood [--budget ${Object.keys(BUDGETS).join('|')} | --quick] [--seeds 1,2,3,4,5] [--tasks ${GROUPS.join(',')}]
                  [--arms ${ARMS.join(',')}] [--jobs 1] [--cache <dir>] [--fresh] [--report-only]
                  [--ship <dir> | --no-ship] [--out <dir>]

  Trains one ViT per arm (identical but for the preprocessing in front: the baseline, the sWTA
  filter, and the controls) on every task and seed and writes <out>/vision.md, vision.json and
  vision.svg (default docs/results; with another budget, out/vision-ood/<budget>).
  tasks: digits = zero-shot digit domains, MNIST → fonts and the compute task; fonts = fonts → MNIST;
         street = nighttime segmentation.
  Finished runs are cached one file per run (default out/vision-ood/<budget>/runs/) and skipped
  when run again; --jobs N trains N runs at a time (one child process each; 2 = one per core).
  --report-only trains nothing: the pages are written from the cached runs (marked partial if any is missing).
  The MNIST models of the first seed are copied to <ship>/mnist-baseline and <ship>/mnist-swta
  (default data/vision for the default budget; not shipped otherwise unless --ship is given).`;

export async function main(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta vision ood', OOD_USAGE, {
    args,
    options: {
      budget: { type: 'string' },
      quick: { type: 'boolean', default: false },
      seeds: { type: 'string', default: '1,2,3,4,5' },
      tasks: { type: 'string', default: GROUPS.join(',') },
      arms: { type: 'string', default: ARMS.join(',') },
      jobs: { type: 'string', default: '1' },
      shard: { type: 'string' },
      cache: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'report-only': { type: 'boolean', default: false },
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

  const arms = values.arms.split(',').map((a) => a.trim());
  for (const a of arms) if (!(ARMS as readonly string[]).includes(a)) throw new Error(`unknown arm '${a}' in --arms; known: ${ARMS.join(', ')}`);
  const jobs = Number(values.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new Error(`--jobs must be a positive integer, got '${values.jobs}'`);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);

  const work = join('out', 'vision-ood', budget.name);
  const cacheDir = values.cache ?? join(work, 'runs');
  const outDir = values.out ?? (budget.name === 'default' ? join('docs', 'results') : work);
  const shipDir = values['no-ship'] ? undefined : (values.ship ?? (budget.name === 'default' ? join('data', 'vision') : undefined));
  if (values.fresh && existsSync(cacheDir) && shard === undefined) rmSync(cacheDir, { recursive: true });
  const command = `swta vision ood${budget.name === 'default' ? '' : ` --budget ${budget.name}`}${values.seeds === '1,2,3,4,5' ? '' : ` --seeds ${values.seeds}`}${values.tasks === GROUPS.join(',') ? '' : ` --tasks ${values.tasks}`}${values.arms === ARMS.join(',') ? '' : ` --arms ${values.arms}`}${jobs > 1 ? ` --jobs ${jobs}` : ''}`;

  const t0 = performance.now();
  const log = (s: string): void => console.error(shard ? `[${shard.index}/${shard.count}] ${s}` : s);
  log(`swta vision ood: budget '${budget.name}', seeds ${seeds.join(',')}, tasks ${groups.join(',')}, arms ${arms.join(',')}; cache ${cacheDir}${shard ? `; shard ${shard.index}/${shard.count}` : `; results to ${outDir}`}`);
  const modelDir = join(work, 'models');

  if (shard) {
    // A child of --jobs: train this shard's runs into the shared cache, write nothing else.
    await runOod({ budget, seeds, groups, arms, cacheDir, modelDir, shard, log });
    return;
  }
  const train = !values['report-only'];
  if (jobs > 1 && train) {
    const passOn = ['--budget', budget.name, '--seeds', seeds.join(','), '--tasks', groups.join(','), '--arms', arms.join(','), '--cache', cacheDir];
    await Promise.all(Array.from({ length: jobs }, (_, i) => runChild([...passOn, '--shard', `${i}/${jobs}`])));
  }

  const write = (results: OodResults, weights: WeightInfo[], partial: boolean, invariance?: InvarianceTable): void => {
    const report = buildReport(results, weights, invariance);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'vision.json'), `${JSON.stringify(report, null, 1)}\n`);
    if (report.compute) writeFileSync(join(outDir, 'vision.svg'), curvesSvg(report.compute));
    const md = renderMarkdown(report, { command, partial, ...(report.compute ? { figure: 'vision.svg' } : {}), ...(partial ? {} : { discussion: discussion(report) }) });
    writeFileSync(join(outDir, 'vision.md'), md);
  };
  const partialResults = (runs: readonly RunResult[]): OodResults => ({
    budget,
    seeds,
    groups,
    arms,
    runs: [...runs],
    forwardFlops: { digits: NaN, street: NaN },
    filterMsPerImage: {},
  });

  const results = await runOod({
    budget,
    seeds,
    groups,
    arms,
    cacheDir,
    modelDir,
    train,
    log,
    onRun: (_r, all) => write(partialResults(all), [], true),
  });

  const weights: WeightInfo[] = [];
  if (shipDir !== undefined && groups.includes('digits')) {
    const seed = seeds[0]!;
    const test = loadMnist({ split: 'test' });
    for (const arm of ['none', 'swta'] as const) {
      const run = results.runs.find((r) => r.spec.group === 'digits' && r.spec.arm === arm && r.spec.seed === seed);
      if (!run?.checkpoint) continue;
      const dest = join(shipDir, arm === 'none' ? 'mnist-baseline' : `mnist-${arm}`);
      const bytes = copyFolder(run.checkpoint, dest);
      const { model, meta } = await loadCheckpoint(dest);
      const s = await evaluate(model, test, { preprocess: preprocessFor(meta.preprocess) });
      model.dispose();
      weights.push({ path: dest, filter: arm, seed, bytes, mnistTestAccuracy: s.accuracy, n: s.n });
      log(`shipped ${dest} (${(bytes / 1024).toFixed(0)} KB): MNIST test accuracy ${(100 * s.accuracy).toFixed(2)} % on ${s.n}`);
    }
  }
  log('invariance diagnostic (clean vs. shifted relative distance, raw and filter variants)…');
  const invariance = invarianceTable({ n: budget.name === 'quick' ? 20 : 200, corruptions: budget.corruptions, severities: budget.severities });
  write(results, weights, false, invariance);
  log(`wrote ${join(outDir, 'vision.md')} and ${join(outDir, 'vision.json')} in ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
}

/** "i/n" → { index: i, count: n }. */
function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !(count >= 1 && index < count)) throw new Error(`--shard must be i/n with 0 ≤ i < n, got '${text}'`);
  return { index, count };
}

/** Runs `swta vision ood <args>` in a child process (same Node flags, so the TypeScript loader too); rejects on a non-zero exit. */
function runChild(args: string[]): Promise<void> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, main, 'vision', 'ood', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`swta vision ood ${args.join(' ')}: exited with ${signal ?? `code ${code}`}`))));
  });
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
