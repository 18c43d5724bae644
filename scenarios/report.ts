import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioReport } from './types.ts';

/** Print the table, write <out>/<name>.json and .svg; with json, the last stdout line is the result object. */
export async function emitReport(name: string, report: ScenarioReport, options: { outDir: string; json: boolean }): Promise<void> {
  await mkdir(options.outDir, { recursive: true });
  const jsonPath = join(options.outDir, `${name}.json`);
  await writeFile(jsonPath, JSON.stringify(report.result, null, 2) + '\n');
  let svgPath: string | undefined;
  if (report.svg) {
    svgPath = join(options.outDir, `${name}.svg`);
    await writeFile(svgPath, report.svg);
  }
  if (options.json) {
    console.log(JSON.stringify(report.result));
  } else {
    for (const line of report.table) console.log(line);
    console.log(`\nwrote ${jsonPath}${svgPath ? ` and ${svgPath}` : ''}`);
  }
}
