import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, platform } from 'node:os';
import { join } from 'node:path';
import type { Benchmark } from './types.ts';

/**
 * `npm run bench -- <name> [--json] [more args]` — runs one benchmark (or all with no name),
 * prints its figures and writes them, with the machine they were measured on, to
 * bench/results/<name>.json. With --json the last stdout line is the figures object.
 */
const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  coba: async () => (await import('./coba.ts')).benchmark,
  capacity: async () => (await import('./capacity.ts')).benchmark,
  module: async () => (await import('./module.ts')).benchmark,
  runtime: async () => (await import('./runtime.ts')).benchmark,
  truenorth: async () => (await import('./truenorth.ts')).benchmark,
  stream: async () => (await import('./stream.ts')).benchmark,
  filter: async () => (await import('./filter.ts')).benchmark,
  neuron: async () => (await import('./neuron.ts')).benchmark,
  browser: async () => (await import('./browser.ts')).benchmark,
  realtime: async () => (await import('./child.ts')).childBenchmark(
    'the 2-module working-memory network paced in real time: real-time factor, deadline misses and the platform\'s own stalls (scenarios/working-memory/realtime-check.ts)',
    'scenarios/working-memory/realtime-check.ts',
  ),
  'tick-allocation': async () => (await import('./child.ts')).childBenchmark(
    'heap bytes allocated per 1 ms tick on each layer of the tick path (engines, actors, workers)',
    'bench/tick-allocation.ts',
    ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64'],
  ),
};

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  const name = rest[0];
  const names = name === undefined ? Object.keys(BENCHMARKS) : [name];
  for (const n of names) {
    const load = BENCHMARKS[n];
    if (!load) throw new Error(`unknown benchmark '${n}'; available: ${Object.keys(BENCHMARKS).join(', ')}`);
    const bench = await load();
    const log = json ? (line: string) => console.error(line) : (line: string) => console.log(line);
    log(`# ${n}: ${bench.description}`);
    const figures = await bench.run({ json, log, args: rest.slice(1) });
    const record = {
      benchmark: n,
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: platform(), arch: arch(), node: process.version },
      figures,
    };
    await mkdir(join('bench', 'results'), { recursive: true });
    await writeFile(join('bench', 'results', `${n}.json`), JSON.stringify(record, null, 2) + '\n');
    if (json) console.log(JSON.stringify(figures));
    else log(`wrote bench/results/${n}.json`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
