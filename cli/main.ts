/**
 * `swta <command> …` — one dispatcher; each command lives in its own module and is loaded on demand
 * so that, e.g., `swta run celltypes` never loads TensorFlow.js.
 */
import { EXIT, isUsageError, UsageError } from './args.ts';
import { didYouMean } from '../src/graph/suggest.ts';

type CommandMain = (args: string[]) => Promise<void>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandMain> }> = {
  run: { summary: 'run a named scenario: swta run <name> [--json] [--out dir]', load: async () => (await import('./run.ts')).main },
  truenorth: { summary: 'one TrueNorth neuron: swta truenorth neuron --params P.json --inputs I.json --ticks N [--json]', load: async () => (await import('./truenorth.ts')).main },
  export: { summary: 'write a graph for NEURON or as SONATA files: swta export --format pynn|sonata <name|graph.json> --out DIR', load: async () => (await import('./export.ts')).main },
  import: { summary: 'read SONATA files written by swta export: swta import <simulation_config.json> [--out graph.json]', load: async () => (await import('./import.ts')).main },
  serve: { summary: 'the live demo: two coupled sWTA modules in real time, viewer at http://127.0.0.1:8080/ (swta serve --help)', load: async () => (await import('./serve.ts')).main },
  calibrate: { summary: 'regenerate the calibration chain: rate fit, gain matching, filter check, sWTA results, vision results (swta calibrate --help)', load: async () => (await import('./calibrate.ts')).main },
  vision: { summary: 'ViT on images, optionally behind the sWTA filter: swta vision train|eval|show [--help]', load: async () => (await import('./vision.ts')).main },
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log('usage: swta <command> [options]\n\ncommands:');
    for (const [n, c] of Object.entries(COMMANDS)) console.log(`  ${n.padEnd(10)} ${c.summary}`);
    console.log('\nevery command answers --help; exit codes: 0 success, 1 the command failed, 2 a wrong command line');
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    throw new UsageError(`unknown command '${name}'${didYouMean(name, Object.keys(COMMANDS))} (known commands: ${Object.keys(COMMANDS).join(', ')}; try swta --help)`);
  }
  await (await command.load())(rest);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`swta: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = isUsageError(e) ? EXIT.usage : EXIT.failed;
});
