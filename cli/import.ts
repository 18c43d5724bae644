import { writeFileSync } from 'node:fs';
import { readSonata } from '../adapters/sonata/read.ts';
import { graphToJson } from '../src/graph/json.ts';
import { parseCommandArgs, UsageError } from './args.ts';

const USAGE = `usage: swta import <simulation_config.json> [--out graph.json]

Reads SONATA files written by swta export --format sonata: prints the populations and the number
of edges per projection; --out writes the graph back as JSON (the edge lists are the file's,
drawn by our engine for the exported seed, which the summary names).`;

/** `swta import <simulation_config.json> [--out graph.json]` */
export async function main(args: string[]): Promise<void> {
  const parsed = parseCommandArgs('swta import', USAGE, { args, allowPositionals: true, options: { out: { type: 'string' } } });
  if (parsed === null) return;
  const file = parsed.positionals[0];
  if (file === undefined || parsed.positionals.length !== 1) throw new UsageError(`give one simulation_config.json\n${USAGE}`);
  const r = await readSonata(file);
  console.log(`graph '${r.graph.name ?? ''}', seed ${r.seed}: ${r.graph.populations.length} populations, ${r.graph.projections.length} projections`);
  for (const p of r.graph.populations) console.log(`  population ${p.id.padEnd(16)} ${p.cell.padEnd(6)} ${p.size} neurons`);
  for (const p of r.graph.projections) console.log(`  projection ${p.id.padEnd(28)} ${r.edges.get(p.id)!.pre.length} edges`);
  if (parsed.values.out !== undefined) {
    writeFileSync(parsed.values.out, graphToJson(r.graph) + '\n');
    console.log(`wrote ${parsed.values.out}`);
  }
}
