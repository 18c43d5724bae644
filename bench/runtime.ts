import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ModuleLink, Network } from '../src/graph/network.ts';
import type { Engine, ProbeData, SpikeFrame, SpikeInput } from '../src/engine.ts';
import type { Graph } from '../src/graph/types.ts';
import { createRunner } from '../runtime/create-runner.ts';
import type { NetworkRunner, Placement, RunnerOptions } from '../runtime/runner.ts';
import type { Benchmark, BenchOptions } from './types.ts';

/**
 * The runtime's own cost: on one network, the actor + channel layer against the plain
 * loop runner, and 2 worker threads against 1.
 *
 *   npm run bench -- runtime [--json] [--modules 4] [--pyr 160] [--ticks 200] [--repeats 15] [--seed 1]
 *
 * The network: `modules` conductance modules (Pyr + PV/4, Poisson background, E ⇄ I, recurrent
 * E → E; Pyr ≈ 18 Hz, PV ≈ 30 Hz) on a ring with sparse links both ways (fixedProbability 0.02),
 * so every module has two inbound and two outbound links.
 *
 * actorOverhead = (cost of the actor + channel layer per tick) / (loop runner's time per tick).
 *   The layer costs tens of microseconds per tick against about a millisecond of integration, far
 *   below the ±15 % that other programs on a shared 2-core machine add to a direct comparison. So
 *   the layer is timed on its own: both runners are run on the same network with every engine
 *   replaced by a replay of that network's recorded spikes (this file doubles as that adapter),
 *   so the layer moves exactly the traffic of the real run while the engines cost next to
 *   nothing; the median over paired blocks of the per-tick difference (CPU time) is divided by
 *   the loop runner's CPU time per tick on the conductance engines. The direct paired ratio on
 *   the conductance engines is reported beside it (directActorRatio), noise and all.
 * workerSpeedup = t(1 worker) / t(2 workers), wall time per tick, median of paired blocks; both
 *   pay the same barrier per tick. Compile time and worker start-up are excluded; a warm-up block
 *   runs first on every runner.
 * Runners built from the same network and seed produce identical spikes, so two runners stepped
 * block by block do the same work; each repeat runs one block on each runner of a pair back to
 * back, alternating which goes first.
 */
export function benchModule(name: string, pyr: number): Graph {
  const pv = Math.max(8, Math.round(pyr / 4));
  return {
    name,
    populations: [
      { id: 'E', size: pyr, cell: 'Pyr', vInitMv: { fromMv: -70, toMv: -55 } },
      { id: 'I', size: pv, cell: 'PV' },
    ],
    projections: [
      { id: 'bg->E', pre: 'bg', post: 'E', connect: { rule: 'fixedInDegree', k: 10 }, components: [{ receptor: 'AMPA', gNs: 2 }], delayMs: 0.5 },
      { id: 'bg->I', pre: 'bg', post: 'I', connect: { rule: 'fixedInDegree', k: 10 }, components: [{ receptor: 'AMPA', gNs: 1 }], delayMs: 0.5 },
      { id: 'E->E', pre: 'E', post: 'E', connect: { rule: 'fixedProbability', p: 0.1 }, components: [{ receptor: 'AMPA', gNs: 0.2 }, { receptor: 'NMDA', gNs: 0.05 }], delayMs: 1.5 },
      { id: 'E->I', pre: 'E', post: 'I', connect: { rule: 'fixedProbability', p: 0.3 }, components: [{ receptor: 'AMPA', gNs: 0.8 }], delayMs: 1 },
      { id: 'I->E', pre: 'I', post: 'E', connect: { rule: 'fixedProbability', p: 0.4 }, components: [{ receptor: 'GABA_A', gNs: 1.5 }], delayMs: 1 },
      { id: 'I->I', pre: 'I', post: 'I', connect: { rule: 'fixedProbability', p: 0.3 }, components: [{ receptor: 'GABA_A', gNs: 1 }], delayMs: 1 },
      { id: 'in->E', pre: 'in', post: 'E', connect: { rule: 'fixedInDegree', k: 10 }, components: [{ receptor: 'AMPA', gNs: 0.5 }], delayMs: 0.5 },
    ],
    stimuli: [
      { kind: 'poisson', id: 'bg', size: 100, rateHz: 20 },
      { kind: 'spikes', id: 'in', size: pyr },
    ],
    probes: [],
  };
}

export function benchNetwork(modules: number, pyr: number): Network {
  const ids = Array.from({ length: modules }, (_, i) => `m${i}`);
  const links: ModuleLink[] = [];
  ids.forEach((id, i) => {
    const next = ids[(i + 1) % modules]!;
    if (next === id) return;
    links.push({ id: `${id}->${next}`, from: { module: id, population: 'E' }, to: { module: next, source: 'in' }, rule: 'fixedProbability', p: 0.02 });
    if (modules > 2 || i === 0) links.push({ id: `${next}->${id}`, from: { module: next, population: 'E' }, to: { module: id, source: 'in' }, rule: 'fixedProbability', p: 0.02 });
  });
  return { name: `bench-ring-${modules}`, modules: ids.map((id) => ({ id, graph: benchModule(id, pyr) })), links };
}

/** One module's recorded spikes: per tick and population, a count and the indices. */
interface Recording {
  ticks: number;
  populations: string[];
  /** counts[t × P + p]; the indices of (t, p) start at offsets[t × P + p]. */
  counts: Int32Array;
  offsets: Int32Array;
  indices: Int32Array;
}

/** Recordings by module graph name, for the replay engines compiled below (same thread only). */
const recordings = new Map<string, Recording>();

/**
 * A replay engine: returns the recorded frames of its module, tick after tick (cycling), into its
 * own reused buffers like a real engine, and reads the inbound spikes it is given. It keeps the
 * Engine contract's shape and costs next to nothing, which leaves the runtime layer to be timed.
 */
class ReplayEngine implements Engine {
  readonly backend = 'replay';
  readonly graph: Graph;
  private ticks = 0;
  private readonly rec: Recording;
  private readonly frame: SpikeFrame;
  /** Inbound spikes seen, so that reading them cannot be optimized away. */
  inbound = 0;

  constructor(graph: Graph, rec: Recording) {
    this.graph = graph;
    this.rec = rec;
    this.frame = { tick: -1, populations: rec.populations, counts: new Int32Array(rec.populations.length), indices: graph.populations.map((p) => new Int32Array(p.size * 10)) };
  }

  get tick(): number {
    return this.ticks;
  }

  step(inbound?: readonly SpikeInput[]): SpikeFrame {
    if (inbound) for (let k = 0; k < inbound.length; k++) this.inbound += inbound[k]!.count ?? inbound[k]!.indices.length;
    const P = this.rec.populations.length;
    const row = (this.ticks % this.rec.ticks) * P;
    for (let p = 0; p < P; p++) {
      const count = this.rec.counts[row + p]!;
      const dst = this.frame.indices[p]!;
      for (let i = 0, at = this.rec.offsets[row + p]!; i < count; i++) dst[i] = this.rec.indices[at + i]!;
      this.frame.counts[p] = count;
    }
    (this.frame as { tick: number }).tick = this.ticks++;
    return this.frame;
  }

  run(ticks: number): void {
    for (let t = 0; t < ticks; t++) this.step();
  }

  reset(): void {
    this.ticks = 0;
  }

  setRate(): void {}

  probe(probeId: string): ProbeData {
    throw new Error(`the replay engine records no probe ('${probeId}')`);
  }
}

/** The replay adapter's compile (see `REPLAY_ADAPTER`): the module must have been recorded. */
export function compile(graph: Graph): Engine {
  const rec = recordings.get(graph.name ?? '');
  if (!rec) throw new Error(`no recording for module graph '${graph.name}'; call record() first, on this thread`);
  return new ReplayEngine(graph, rec);
}

/** This file, used as an adapter: replays recorded spikes (in-thread placements only). */
const REPLAY_ADAPTER = { href: import.meta.url };

/** Run the network on the conductance engines with the loop runner and record every module. */
async function record(network: Network, seed: number, ticks: number): Promise<void> {
  const runner = await createRunner(network, { seed, placement: { kind: 'loop' } });
  const data = new Map(network.modules.map((m) => [m.id, { counts: [] as number[], indices: [] as number[] }]));
  runner.spikes$.subscribe((f) => {
    const d = data.get(f.module)!;
    for (let p = 0; p < f.counts.length; p++) {
      d.counts.push(f.counts[p]!);
      for (let i = 0; i < f.counts[p]!; i++) d.indices.push(f.indices[p]![i]!);
    }
  });
  runner.start();
  for (let t = 0; t < ticks; t++) runner.runTick();
  await runner.close();
  for (const m of network.modules) {
    const d = data.get(m.id)!;
    const offsets = new Int32Array(d.counts.length + 1);
    for (let k = 0; k < d.counts.length; k++) offsets[k + 1] = offsets[k]! + d.counts[k]!;
    recordings.set(m.graph.name!, { ticks, populations: m.graph.populations.map((p) => p.id), counts: Int32Array.from(d.counts), offsets, indices: Int32Array.from(d.indices) });
  }
}

interface Args {
  modules: number;
  pyr: number;
  ticks: number;
  repeats: number;
  seed: number;
}

function parseArgs(args: string[]): Args {
  const a: Args = { modules: 4, pyr: 160, ticks: 200, repeats: 15, seed: 1 };
  for (let i = 0; i < args.length; i += 2) {
    const key = args[i]!.replace(/^--/, '');
    const value = Number(args[i + 1]);
    if (!(key in a)) throw new Error(`unknown option '${args[i]}'; expected --modules, --pyr, --ticks, --repeats or --seed`);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${key} needs a positive integer, got '${args[i + 1]}'`);
    a[key as keyof Args] = value;
  }
  if (a.modules < 4) throw new Error(`--modules must be ≥ 4 (the worker figure is defined on ≥ 4 modules), got ${a.modules}`);
  return a;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A started runner that counts the spikes it produced (to check that a pair does the same work). */
async function counted(network: Network, options: RunnerOptions): Promise<{ runner: NetworkRunner; spikes: () => number }> {
  const runner = await createRunner(network, options);
  let n = 0;
  runner.spikes$.subscribe((f) => {
    for (let p = 0; p < f.counts.length; p++) n += f.counts[p]!;
  });
  runner.start();
  return { runner, spikes: () => n };
}

/**
 * Microseconds per tick of one block: CPU time of this process for runners on this thread (other
 * programs on a shared machine then barely count), wall time for worker placements (the point of
 * workers is the wall time; their CPU time adds up over threads).
 */
function block(runner: NetworkRunner, ticks: number, clock: 'cpu' | 'wall', cpuOut?: number[]): number {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  for (let t = 0; t < ticks; t++) runner.runTick();
  const wallUs = ((performance.now() - w0) * 1000) / ticks;
  const c = process.cpuUsage(c0);
  const cpuUs = (c.user + c.system) / ticks;
  cpuOut?.push(cpuUs);
  return clock === 'wall' ? wallUs : cpuUs;
}

interface Pair {
  /** Median µs per tick of each runner. */
  aUs: number;
  bUs: number;
  /** Median over repeats of t(a) / t(b). */
  ratio: number;
  ratios: number[];
  /** Median over repeats of t(a) − t(b), µs per tick. */
  diffUs: number;
  /** Median CPU µs per tick of the whole process (every thread) in each runner's blocks. */
  aCpuUs: number;
  bCpuUs: number;
  sameSpikes: boolean;
}

interface PairOptions {
  ticks: number;
  repeats: number;
  clock: 'cpu' | 'wall';
  adapter?: RunnerOptions['adapter'];
}

async function comparePair(network: Network, seed: number, pa: Placement, pb: Placement, o: PairOptions): Promise<Pair> {
  const A = await counted(network, { seed, placement: pa, ...(o.adapter ? { adapter: o.adapter } : {}) });
  const B = await counted(network, { seed, placement: pb, ...(o.adapter ? { adapter: o.adapter } : {}) });
  try {
    block(A.runner, o.ticks, o.clock);
    block(B.runner, o.ticks, o.clock);
    const ta: number[] = [];
    const tb: number[] = [];
    const ca: number[] = [];
    const cb: number[] = [];
    for (let r = 0; r < o.repeats; r++) {
      // Alternate which goes first, so neither always gets the warmer cache or the quieter moment.
      if (r % 2 === 0) {
        ta.push(block(A.runner, o.ticks, o.clock, ca));
        tb.push(block(B.runner, o.ticks, o.clock, cb));
      } else {
        tb.push(block(B.runner, o.ticks, o.clock, cb));
        ta.push(block(A.runner, o.ticks, o.clock, ca));
      }
    }
    const ratios = ta.map((x, i) => x / tb[i]!);
    return { aUs: median(ta), bUs: median(tb), ratio: median(ratios), ratios, diffUs: median(ta.map((x, i) => x - tb[i]!)), aCpuUs: median(ca), bCpuUs: median(cb), sameSpikes: A.spikes() === B.spikes() };
  } finally {
    await A.runner.close();
    await B.runner.close();
  }
}

const fmt = (x: number, d = 3): string => x.toFixed(d);

export const benchmark: Benchmark = {
  description: 'actor + channel overhead against the loop runner, and the speed-up of 2 worker threads over 1',
  async run({ log, args }: BenchOptions) {
    const a = parseArgs(args);
    const network = benchNetwork(a.modules, a.pyr);
    const neurons = network.modules.reduce((n, m) => n + m.graph.populations.reduce((k, p) => k + p.size, 0), 0);
    log(`network: ${a.modules} conductance modules on a ring (${neurons} neurons, ${network.links.length} links), seed ${a.seed}`);
    log(`blocks of ${a.ticks} ticks, ${a.repeats} paired repeats; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

    const direct = await comparePair(network, a.seed, { kind: 'actors' }, { kind: 'loop' }, { ticks: a.ticks, repeats: a.repeats, clock: 'cpu' });
    log(`loop runner:   ${fmt(direct.bUs, 1)} µs CPU/tick (rtf ${fmt(direct.bUs / 1000)})`);
    log(`actors:        ${fmt(direct.aUs, 1)} µs CPU/tick (rtf ${fmt(direct.aUs / 1000)}), same spikes as the loop: ${direct.sameSpikes ? 'yes' : 'NO'}`);
    log(`direct paired ratio actors/loop: ${fmt(direct.ratio)} (${direct.ratios.map((x) => fmt(x)).join(', ')}): shared-machine noise`);

    const replayTicks = 1000;
    await record(network, a.seed, replayTicks);
    const layer = await comparePair(network, a.seed, { kind: 'actors' }, { kind: 'loop' }, { ticks: replayTicks, repeats: 2 * a.repeats + 1, clock: 'cpu', adapter: REPLAY_ADAPTER });
    const actorOverhead = layer.diffUs / direct.bUs;
    log(`replayed traffic: loop ${fmt(layer.bUs, 2)} µs/tick, actors ${fmt(layer.aUs, 2)} µs/tick: the actor + channel layer costs ${fmt(layer.diffUs, 2)} µs per tick (${a.modules} modules, ${network.links.length} links)`);
    log(`actorOverhead: ${fmt(100 * actorOverhead, 2)} % of the loop runner's ${fmt(direct.bUs, 1)} µs/tick; target < 5 %`);

    const workers = await comparePair(network, a.seed, { kind: 'workers', workers: 1 }, { kind: 'workers', workers: 2 }, { ticks: a.ticks, repeats: a.repeats, clock: 'wall' });
    const workerSpeedup = workers.ratio;
    log(`1 worker:      ${fmt(workers.aUs, 1)} µs wall/tick (rtf ${fmt(workers.aUs / 1000)})`);
    log(`2 workers:     ${fmt(workers.bUs, 1)} µs wall/tick (rtf ${fmt(workers.bUs / 1000)}), same spikes: ${workers.sameSpikes ? 'yes' : 'NO'}`);
    log(`workerSpeedup: ${fmt(workerSpeedup, 2)}× (paired ratios ${workers.ratios.map((x) => fmt(x)).join(', ')}); load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    // CPU of every thread over wall time: how many cores the 2-worker run actually had at once.
    // Other programs on the machine set this, not the placement; a speed-up needs it near 2.
    const coresObtained = workers.bCpuUs / workers.bUs;
    log(`CPU of all threads: 1 worker ${fmt(workers.aCpuUs, 1)} µs/tick, 2 workers ${fmt(workers.bCpuUs, 1)} µs/tick (${fmt(workers.bCpuUs - workers.aCpuUs, 1)} µs/tick more to coordinate); cores the 2-worker run obtained: ${fmt(coresObtained, 2)}`);

    return {
      actorOverhead,
      workerSpeedup,
      layerUsPerTick: layer.diffUs,
      loopUsPerTick: direct.bUs,
      actorsUsPerTick: direct.aUs,
      directActorRatio: direct.ratio,
      oneWorkerUsPerTick: workers.aUs,
      twoWorkersUsPerTick: workers.bUs,
      oneWorkerCpuUsPerTick: workers.aCpuUs,
      twoWorkersCpuUsPerTick: workers.bCpuUs,
      coresObtained,
      directActorRatios: direct.ratios,
      workerRatios: workers.ratios,
      identicalSpikes: direct.sameSpikes && layer.sameSpikes && workers.sameSpikes,
      network: { modules: a.modules, neurons, links: network.links.length },
      ticks: a.ticks,
      repeats: a.repeats,
      seed: a.seed,
      loadAverage: loadavg(),
    };
  },
};
