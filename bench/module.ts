import { loadavg } from 'node:os';
import { compile, type KernelKind } from '../adapters/conductance/index.ts';
import { adapterRef } from '../adapters/registry.ts';
import type { Network } from '../src/graph/network.ts';
import type { Graph } from '../src/graph/types.ts';
import { swtaModule } from '../src/motifs/swta-module.ts';
import { createRunner } from '../runtime/create-runner.ts';
import { brian2Available, runBrian2 } from '../scenarios/brian2/run.ts';
import { brian2GraphSpec } from '../scenarios/brian2/graph-spec.ts';
import { sessionNetwork, WM_INPUTS } from '../scenarios/working-memory/session.ts';
import type { Benchmark, BenchOptions } from './types.ts';

/**
 * `npm run bench -- module [--duration-ms 2000] [--warmup-ms 200] [--seed 1] [--targets cpp_standalone,cython] [--json]`:
 * our engine and Brian2 timed on the same two networks in one run:
 *   - the default sWTA module (2 pools of 80, both driven: 20 and 14 Hz per input fibre);
 *   - the working-memory network of the real-time check (2 coupled modules and the transition
 *     cells, 528 neurons, 10 % mismatch, log-normal weights), state A cued for 50 ms at 100 ms.
 * Brian2 gets each network from scenarios/brian2/graph-spec.ts (our engines' synapses, weights,
 * per-neuron parameters and Poisson trains; scenarios/brian2/nmda.py runs it, forward Euler at
 * the same dt), on each Brian2 target asked for. Both simulate warmupMs, then durationMs timed
 * (cpp_standalone times its one run of both); compared per simulated second: CPU time of the
 * loop, and wall time.
 * The same-model check: every population's mean rate over the timed window within 10 % of
 * Brian2's (or within 0.5 Hz, for nearly silent populations).
 */

type Target = 'cpp_standalone' | 'cython' | 'numpy';
const TARGETS: readonly Target[] = ['cpp_standalone', 'cython', 'numpy'];

interface Args {
  durationMs: number;
  warmupMs: number;
  seed: number;
  targets: Target[];
}

function parseArgs(args: readonly string[]): Args {
  const a: Args = { durationMs: 2000, warmupMs: 200, seed: 1, targets: ['cpp_standalone', 'cython'] };
  for (let i = 0; i < args.length; i++) {
    const key = args[i]!;
    const value = args[++i];
    if (value === undefined) throw new Error(`module: ${key} needs a value`);
    if (key === '--duration-ms') a.durationMs = Number(value);
    else if (key === '--warmup-ms') a.warmupMs = Number(value);
    else if (key === '--seed') a.seed = Number(value);
    else if (key === '--targets' && value.split(',').every((t) => (TARGETS as readonly string[]).includes(t))) a.targets = value.split(',') as Target[];
    else throw new Error(`module: unknown option '${key} ${value}' (known: --duration-ms, --warmup-ms, --seed, --targets ${TARGETS.join(',')})`);
  }
  return a;
}

const REL_TOLERANCE = 0.1;
const ABS_TOLERANCE_HZ = 0.5;
const KERNELS: KernelKind[] = ['wasm', 'fused'];

function swtaCase(): Graph {
  const m = swtaModule({ pools: 2, poolSize: 80 });
  for (const s of m.graph.stimuli) {
    const k = m.ids.inputs.indexOf(s.id);
    if (k >= 0 && s.kind === 'poisson') s.rateHz = [20, 14][k]!;
  }
  return m.graph;
}

function wmCase(): Network {
  const { network, ids } = sessionNetwork({ network: { control: false } });
  for (const cue of ids.cues[0]!) {
    const s = network.modules.find((m) => m.id === cue.module)!.graph.stimuli.find((x) => x.id === cue.source)!;
    if (s.kind === 'poisson') s.schedule = [{ atMs: 100, v: WM_INPUTS.cue.rateHz }, { atMs: 100 + WM_INPUTS.cue.durationMs, v: 0 }];
  }
  return network;
}

interface OurRun {
  cpuSeconds: number;
  wallSeconds: number;
  counts: Record<string, number>;
}

/** One graph on one engine: warm-up, then the timed run; spike counts per population (module/id). */
function runGraph(graph: Graph, a: Args, kernel: KernelKind): OurRun {
  const e = compile(graph, { seed: a.seed, kernel });
  e.run(Math.round(a.warmupMs));
  const counts: Record<string, number> = Object.fromEntries(graph.populations.map((p) => [`m/${p.id}`, 0]));
  const keys = graph.populations.map((p) => `m/${p.id}`);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let t = 0; t < a.durationMs; t++) {
    const f = e.step();
    for (let p = 0; p < keys.length; p++) counts[keys[p]!]! += f.counts[p]!;
  }
  const c = process.cpuUsage(c0);
  return { cpuSeconds: (c.user + c.system) / 1e6, wallSeconds: (performance.now() - w0) / 1000, counts };
}

/** A network on the runtime's loop placement (engines and links, one thread). */
async function runNetwork(network: Network, a: Args, kernel: KernelKind): Promise<OurRun> {
  const runner = await createRunner(network, { seed: a.seed, placement: { kind: 'loop' }, adapter: { ...adapterRef('conductance'), options: { kernel } } });
  const counts: Record<string, number> = {};
  let counting = false;
  runner.spikes$.subscribe((f) => {
    if (!counting) return;
    for (let p = 0; p < f.counts.length; p++) {
      const key = `${f.module}/${f.populations[p]}`;
      counts[key] = (counts[key] ?? 0) + f.counts[p]!;
    }
  });
  runner.start();
  for (let t = 0; t < a.warmupMs; t++) runner.runTick();
  counting = true;
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let t = 0; t < a.durationMs; t++) runner.runTick();
  const c = process.cpuUsage(c0);
  const wallSeconds = (performance.now() - w0) / 1000;
  await runner.close();
  return { cpuSeconds: (c.user + c.system) / 1e6, wallSeconds, counts };
}

interface Brian2Run {
  runSeconds: number;
  cpuSeconds: number;
  simulatedMs: number;
  buildSeconds?: number;
  counts: Record<string, number>;
  brian2: string;
  target: string;
}

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '—');

async function benchCase(name: string, input: Graph | Network, a: Args, brian2: boolean, log: (l: string) => void): Promise<Record<string, unknown>> {
  const spec = brian2GraphSpec(input, { seed: a.seed, dtMs: 0.1, warmupMs: a.warmupMs, durationMs: a.durationMs });
  const sizes = Object.fromEntries(spec.populations.map((p) => [p.id, p.size]));
  const neurons = spec.populations.reduce((n, p) => n + p.size, 0);
  const synapses = spec.projections.reduce((n, p) => n + p.i.length, 0);
  log(`${name}: ${neurons} neurons, ${synapses} synapses, ${spec.sources.length} Poisson sources; ${a.warmupMs} ms warm-up, ${a.durationMs} ms timed`);
  const ours: Record<string, OurRun> = {};
  for (const k of KERNELS) {
    ours[k] = 'modules' in input ? await runNetwork(input, a, k) : runGraph(input, a, k);
    log(`  swta (${k}): ${fmt(ours[k]!.cpuSeconds)} s CPU, ${fmt(ours[k]!.wallSeconds)} s wall`);
  }
  const rate = (counts: Record<string, number>, id: string): number => (counts[id] ?? 0) / sizes[id]! / (a.durationMs / 1000);
  const oursCpuRtf = ours['wasm']!.cpuSeconds / (a.durationMs / 1000);
  const oursRtf = ours['wasm']!.wallSeconds / (a.durationMs / 1000);
  const brian2Runs: Record<string, Brian2Run> = {};
  if (brian2) {
    for (const target of a.targets) {
      const b = await runBrian2<Brian2Run>('scenarios/brian2/nmda.py', spec, { env: { SWTA_BRIAN2_TARGET: target }, timeoutMs: 3_600_000 });
      brian2Runs[target] = b;
      const bio = b.simulatedMs / 1000;
      log(`  Brian2 ${b.brian2} (${target}): cpu rtf ${fmt(b.cpuSeconds / bio)}, rtf ${fmt(b.runSeconds / bio)}${b.buildSeconds === undefined ? '' : `, build ${fmt(b.buildSeconds, 1)} s`}`);
    }
  }
  log(`  ours (wasm): cpu rtf ${fmt(oursCpuRtf)}, rtf ${fmt(oursRtf)}`);
  const rows = spec.populations.map((p) => {
    const oursHz = rate(ours['wasm']!.counts, p.id);
    const brian2Hz: Record<string, number> = {};
    let within: boolean | null = null;
    for (const [target, b] of Object.entries(brian2Runs)) {
      brian2Hz[target] = rate(b.counts, p.id);
      const ok = Math.abs(oursHz - brian2Hz[target]!) <= Math.max(ABS_TOLERANCE_HZ, REL_TOLERANCE * Math.max(oursHz, brian2Hz[target]!));
      within = (within ?? true) && ok;
    }
    log(`    ${p.id.padEnd(22)} ours ${fmt(oursHz, 2).padStart(7)} Hz  ${Object.entries(brian2Hz).map(([t, hz]) => `${t} ${fmt(hz, 2).padStart(7)} Hz`).join('  ')}${within === false ? '  (differs)' : ''}`);
    return { population: p.id, size: p.size, oursHz, brian2Hz, within };
  });
  const sameModel = Object.keys(brian2Runs).length > 0 ? rows.every((r) => r.within) : null;
  const ratios = Object.fromEntries(Object.entries(brian2Runs).map(([t, b]) => {
    const bio = b.simulatedMs / 1000;
    return [t, { cpuRatio: oursCpuRtf / (b.cpuSeconds / bio), wallRatio: oursRtf / (b.runSeconds / bio) }];
  }));
  for (const [t, r] of Object.entries(ratios)) log(`  ours (wasm) / Brian2 ${t}: CPU ${fmt(r.cpuRatio, 3)}, wall ${fmt(r.wallRatio, 3)}`);
  if (sameModel !== null) log(`  every population's rate within 10 % (or 0.5 Hz): ${sameModel ? 'yes' : 'NO'}`);
  return {
    neurons, synapses,
    ours: Object.fromEntries(KERNELS.map((k) => [k, { cpuSeconds: ours[k]!.cpuSeconds, wallSeconds: ours[k]!.wallSeconds, cpuRtf: ours[k]!.cpuSeconds / (a.durationMs / 1000) }])),
    brian2: Object.fromEntries(Object.entries(brian2Runs).map(([t, b]) => [t, { version: b.brian2, cpuSeconds: b.cpuSeconds, runSeconds: b.runSeconds, simulatedMs: b.simulatedMs, cpuRtf: b.cpuSeconds / (b.simulatedMs / 1000), rtf: b.runSeconds / (b.simulatedMs / 1000), buildSeconds: b.buildSeconds ?? null }])),
    ratios, sameModel, rates: rows,
  };
}

async function run({ log, args }: BenchOptions): Promise<Record<string, unknown>> {
  const a = parseArgs(args);
  const brian2 = await brian2Available();
  if (!brian2) log('Brian2 skipped: /usr/bin/python3 cannot import brian2 (apt-get install python3-brian)');
  log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const swta = await benchCase('default sWTA module', swtaCase(), a, brian2, log);
  const wm = await benchCase('working-memory network', wmCase(), a, brian2, log);
  return { durationMs: a.durationMs, warmupMs: a.warmupMs, seed: a.seed, targets: a.targets, swtaModule: swta, workingMemory: wm, loadAverage: loadavg() };
}

export const benchmark: Benchmark = {
  description: 'the default sWTA module and the working-memory network on our engine and on Brian2 (same synapses, parameters and inputs): time and population rates',
  run,
};
