import { brian2Available } from '../scenarios/brian2/run.ts';
import { BRIAN2_DEVICES, COBA, runBrian2Coba, runOurCoba, type Brian2Device } from '../scenarios/coba/network.ts';
import type { Benchmark, BenchOptions } from './types.ts';

/**
 * `npm run bench -- coba [--json] [--duration-ms 1000] [--repeats 3] [--seed 1] [--no-brian2]`:
 * the Vogels–Abbott COBA network (scenarios/coba/network.ts) on the conductance engine and on
 * Brian2 (cython and cpp_standalone) in the same invocation; ratios of real-time factors.
 */

function parseArgs(args: readonly string[]): { durationMs: number; repeats: number; seed: number; brian2: boolean } {
  const out = { durationMs: 1000, repeats: 3, seed: 1, brian2: true };
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    const num = (): number => {
      const v = Number(args[++k]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`coba: ${a} needs a positive number, got '${args[k]}'`);
      return v;
    };
    if (a === '--duration-ms') out.durationMs = Math.round(num());
    else if (a === '--repeats') out.repeats = Math.round(num());
    else if (a === '--seed') out.seed = Math.round(num());
    else if (a === '--no-brian2') out.brian2 = false;
    else if (a === '--') continue;
    else throw new Error(`coba: unknown argument '${a}' (known: --duration-ms N, --repeats N, --seed N, --no-brian2)`);
  }
  return out;
}

const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');

async function run(options: BenchOptions): Promise<Record<string, unknown>> {
  const { log } = options;
  const a = parseArgs(options.args);
  log(`COBA: ${COBA.nExc + COBA.nInh} LIF neurons, ${a.durationMs} ms biological time, median of ${a.repeats} runs, seed ${a.seed}`);

  const ours = runOurCoba({ durationMs: a.durationMs, repeats: a.repeats, seed: a.seed });
  log(`swta conductance: rtf ${fmt(ours.rtf)} (runs ${ours.rtfs.map((x) => fmt(x)).join(', ')}; cpu ${fmt(ours.cpuRtf)}), rate ${fmt(ours.rateHz, 2)} Hz, build ${fmt(ours.buildSeconds, 2)} s`);

  const brian2: Partial<Record<Brian2Device, { rtf: number; rateHz: number; cpuRtf: number }>> = {};
  let brian2Note: string | undefined;
  if (!a.brian2) brian2Note = 'Brian2 skipped (--no-brian2)';
  else if (!(await brian2Available())) brian2Note = 'Brian2 skipped: /usr/bin/python3 cannot import brian2 (apt-get install python3-brian)';
  else {
    for (const device of BRIAN2_DEVICES) {
      const r = await runBrian2Coba(device, a);
      brian2[device] = { rtf: r.rtf, rateHz: r.rateHz, cpuRtf: r.cpuRtf };
      log(`Brian2 ${device}: rtf ${fmt(r.rtf)} (runs ${r.rtfs.map((x) => fmt(x)).join(', ')}; cpu ${fmt(r.cpuRtf)}), rate ${fmt(r.rateHz, 2)} Hz, build ${fmt(r.buildSeconds, 2)} s`);
    }
  }
  if (brian2Note) log(brian2Note);

  const cpp = brian2.cpp_standalone;
  const cy = brian2.cython;
  const ratioVsCpp = cpp ? ours.rtf / cpp.rtf : null;
  const ratioVsCython = cy ? ours.rtf / cy.rtf : null;
  const rows: string[][] = [
    ['simulator', 'rtf', 'cpu rtf', 'rate (Hz)', 'rtf ours/this', 'cpu ours/this', 'rate ours/this'],
    ['swta conductance', fmt(ours.rtf), fmt(ours.cpuRtf), fmt(ours.rateHz, 2), '1.00', '1.00', '1.000'],
  ];
  for (const device of BRIAN2_DEVICES) {
    const b = brian2[device];
    if (b) {
      rows.push([`Brian2 ${device}`, fmt(b.rtf), fmt(b.cpuRtf), fmt(b.rateHz, 2), fmt(ours.rtf / b.rtf, 2), fmt(ours.cpuRtf / b.cpuRtf, 2), fmt(ours.rateHz / b.rateHz, 3)]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  log('');
  for (const r of rows) log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  log('');

  return {
    rtf: ours.rtf,
    rateHz: ours.rateHz,
    brian2: BRIAN2_DEVICES.every((d) => brian2[d]) ? brian2 : null,
    ratioVsCpp,
    ratioVsCython,
    cpuRtf: ours.cpuRtf,
    cpuRatioVsCpp: cpp ? ours.cpuRtf / cpp.cpuRtf : null,
    cpuRatioVsCython: cy ? ours.cpuRtf / cy.cpuRtf : null,
    durationMs: a.durationMs,
    repeats: a.repeats,
    seed: a.seed,
    rtfRuns: ours.rtfs,
    buildSeconds: ours.buildSeconds,
    ...(brian2Note ? { note: brian2Note } : {}),
  };
}

export const benchmark: Benchmark = {
  description: 'Vogels–Abbott COBA network (4000 LIF, conductance synapses): real-time factor and rate, against Brian2 cython and cpp_standalone',
  run,
};
