import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IDLE, MIXED } from '../../runtime/working-memory-machine.ts';
import { lineChart, type Series } from '../plot/svg.ts';
import { adapterRef, parseLiveBackend } from '../../adapters/registry.ts';
import type { Scenario, ScenarioOptions, ScenarioReport } from '../types.ts';
import { protocolPlan, PROTOCOL, runProtocol, summarize, type SeedResult } from './protocol.ts';
import { parseScript, runScript } from './script.ts';
import { WM_INPUTS, WM_VARIABILITY } from './session.ts';

/**
 * `swta run working-memory`: two coupled sWTA modules hold a state after a cue and switch on
 * valid symbols only; an uncoupled module is the control. Every seed is one
 * continuous run of protocol.ts through the runtime (createRunner, 'loop' placement) with 10 %
 * mismatch and background noise. `--quick`: fewer seeds, same protocol. `--script <file>`: run a
 * user's script (script.ts) instead and report pass/fail per expectation. `--save`: also write the
 * results page docs/results/working-memory.{md,json,svg}.
 */
export const WM_SCENARIO = { seeds: 20, quickSeeds: 5, firstSeed: 1 } as const;

export const scenario: Scenario = {
  description: 'coupled sWTA modules as a two-state working memory: persistence, switching, false switches, control decay',
  run: (options) => (options.script ? runScriptScenario(options.script, options) : runProtocolScenario(options)),
};

async function runProtocolScenario(options: ScenarioOptions): Promise<ScenarioReport> {
  const log = options.log ?? (() => {});
  const n = options.quick ? WM_SCENARIO.quickSeeds : WM_SCENARIO.seeds;
  const first = options.seed ?? WM_SCENARIO.firstSeed;
  const results: SeedResult[] = [];
  for (let seed = first; seed < first + n; seed++) {
    const r = await runProtocol({ seed, adapter: adapterRef(parseLiveBackend(options.backend)) });
    results.push(r);
    const failed = r.trials.filter((t) => !t.ok).map((t) => t.name);
    log(`seed ${seed}: persisted ${r.persisted ? 'yes' : `no (${r.persistMs.toFixed(0)} ms)`}, up-state ${r.upStateHz.toFixed(0)} Hz, control decay ${r.controlDecayMs ?? '∞'} ms${failed.length ? `, failed: ${failed.join('; ')}` : ''}`);
  }
  const { summary, details } = summarize(results);
  const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;
  const table = [
    `working memory: ${summary.seeds} seeds (${first}–${first + n - 1}), mismatch V_T ${WM_VARIABILITY.vTSdMv} mV, g_L CV ${WM_VARIABILITY.gLCv}, weight CV ${WM_VARIABILITY.weightCv}, background ${WM_VARIABILITY.backgroundHz} Hz`,
    `  cue ${WM_INPUTS.cue.rateHz} Hz × ${WM_INPUTS.cue.durationMs} ms, go ${WM_INPUTS.go.rateHz} Hz × ${WM_INPUTS.go.durationMs} ms`,
    '',
    'measure                          value      target',
    `persistence ≥ ${PROTOCOL.delayMs / 1000} s after cue        ${pct(summary.persistenceRate).padStart(6)}     ≥ 95 %`,
    `correct switches                 ${pct(summary.switchRate).padStart(6)}     ≥ 95 %  (${details.validTrials} valid trials)`,
    `false switches                   ${pct(summary.falseSwitchRate).padStart(6)}     ≤ 5 %   (${details.invalidTrials} invalid trials scored, ${details.invalidUnscored} unscored)`,
    `control decay (mean / max)   ${summary.controlDecayMs.toFixed(0).padStart(5)} / ${String(details.controlDecayMaxMs.toFixed(0)).padEnd(4)} ms  ≤ 200 ms (${pct(details.controlDecayWithin200Rate)} of seeds)`,
    `switch latency (net / detected) ${summary.switchLatencyMs.toFixed(0).padStart(4)} / ${details.switchDetectionMs.toFixed(0)} ms`,
    `up-state rate                  ${details.upStateHz.toFixed(0).padStart(5)} Hz   (${details.upStateHzRange.map((x) => x.toFixed(0)).join('–')} Hz; other state ${details.otherStateHz.toFixed(1)} Hz)`,
  ];
  const report = { result: { ...details, ...summary }, table, svg: figure(results[0]!) };
  if (options.save) await saveResultsPage(report, options.backend ?? 'conductance', options.quick === true);
  return report;
}

const DOCS = fileURLToPath(new URL('../../docs/results/', import.meta.url));

/** docs/results/working-memory.{md,json,svg}: the scenario's targets beside the measured values. */
async function saveResultsPage(report: ScenarioReport & { svg: string }, backend: string, quick: boolean): Promise<void> {
  const name = backend === 'conductance' ? 'working-memory' : `working-memory-${backend}`;
  await mkdir(DOCS, { recursive: true });
  await writeFile(join(DOCS, `${name}.svg`), report.svg);
  await writeFile(join(DOCS, `${name}.json`), JSON.stringify(report.result, null, 2) + '\n');
  const md = [
    `# Working memory: coupled sWTA modules (${backend} backend)`,
    '',
    `Regenerate with \`npx swta run working-memory${backend === 'conductance' ? '' : ` --backend ${backend}`}${quick ? ' --quick' : ''} --save\`. Two sWTA modules with sparse cross-excitation between corresponding pools and transition neurons (src/motifs/working-memory.ts, after Rutishauser & Douglas 2009); an uncoupled module is the control. Every seed is one continuous run of the protocol in scenarios/working-memory/protocol.ts.`,
    '',
    '```',
    ...report.table,
    '```',
    '',
    `![working memory, first seed](${name}.svg)`,
    '',
    `Machine-readable: [${name}.json](${name}.json).`,
    '',
  ];
  await writeFile(join(DOCS, `${name}.md`), md.join('\n'));
}

/** Rates of both states and the control over the first seed's run, with the machine's state. */
function figure(r: SeedResult): string {
  const { record } = r;
  const every = (k: number): boolean => k % 2 === 0;
  const state = (k: number): Series => ({ label: `state ${record.labels[k]} pools`, points: record.samples.filter((_, i) => every(i)).map((s) => [s.timeMs, s.rates[k]!] as const) });
  const top = Math.max(...record.samples.flatMap((s) => s.rates)) * 1.1;
  const level = (s: string): number => (s === IDLE ? 0 : s === MIXED ? top : (top * (record.labels.indexOf(s) + 1)) / (record.labels.length + 1));
  const machine: [number, number][] = [];
  let prev = IDLE;
  machine.push([0, 0]);
  for (const e of record.events.slice(1)) {
    const t = e.transition!.detectedAtMs;
    machine.push([t, level(prev)], [t, level(e.state)]);
    prev = e.state;
  }
  machine.push([record.durationMs, level(prev)]);
  const plan = protocolPlan(record.labels);
  return lineChart(
    [
      state(0), state(1),
      { label: 'control pool A', points: record.control.filter((_, i) => every(i)).map((s) => [s.timeMs, s.rates[0]!] as const), dashed: true },
      { label: 'machine state', points: machine, color: '#000000', dashed: true },
    ],
    {
      title: `working memory, seed ${r.seed}: cue A at ${plan.cue.atMs} ms, go at ${plan.trials.map((t) => t.atMs).join(', ')} ms; machine state: ${record.labels.map((l) => `${l} = ${level(l).toFixed(0)}`).join(', ')}`,
      xLabel: 'time (ms)',
      yLabel: 'rate (Hz per neuron)',
      width: 900,
    },
  );
}

async function runScriptScenario(path: string, options: ScenarioOptions): Promise<ScenarioReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the working-memory script '${path}': ${(e as Error).message}`);
  }
  const script = parseScript(text, path);
  const runs = await runScript(options.seed === undefined ? script : { ...script, seed: options.seed }, options.log, adapterRef(parseLiveBackend(options.backend)));
  const table = [`script '${script.name}': ${runs.length} seed${runs.length === 1 ? '' : 's'} (${runs.map((r) => r.seed).join(', ')})`, ''];
  const expectations = script.expect.map((_, i) => {
    const per = runs.map((r) => r.results[i]!);
    const passed = per.filter((x) => x.passed).length;
    table.push(`${passed === per.length ? 'PASS' : 'FAIL'}  expect[${i}] ${per[0]!.description}  (${passed}/${per.length} seeds; observed ${per.map((x) => x.observed).join(' | ')})`);
    return { index: i, description: per[0]!.description, passed: passed === per.length, seedsPassed: passed, observed: per.map((x, k) => ({ seed: runs[k]!.seed, observed: x.observed })) };
  });
  const passed = expectations.every((e) => e.passed);
  table.push('', passed ? 'all expectations passed' : `${expectations.filter((e) => !e.passed).length} of ${expectations.length} expectations failed`);
  return { result: { script: script.name, seeds: runs.map((r) => r.seed), expectations, passed }, table };
}
