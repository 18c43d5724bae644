import type { Engine, ProbeData, SpikeFrame } from '../src/engine.ts';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ActorNetwork } from '../runtime/actor-network.ts';
import { Channel } from '../runtime/channel.ts';
import { adapterRef } from '../adapters/registry.ts';
import { loadAdapter } from '../runtime/adapter.ts';
import { createRunner } from '../runtime/create-runner.ts';
import { ModuleCore, type LinkFrame } from '../runtime/module-core.ts';
import { planNetwork, type NetworkPlan } from '../runtime/plan.ts';
import { assignModules } from '../runtime/placements/assign.ts';
import { sessionNetwork, WM_INPUTS } from '../scenarios/working-memory/session.ts';

/**
 * Heap allocated per tick on each layer of the tick path, on the real-time check's network
 * (scenarios/working-memory/realtime-check.ts: wm0, wm1, trans; seed 1, state A cued):
 *
 *   engines       ModuleCore.step of every module in plan order (engines + core, no actors)
 *   actors        the one-thread actor placement's runTick (actors, lockstep channels, engines)
 *   worker share  what each worker thread of the 2-worker placement runs per tick: an
 *                 ActorNetwork over its modules plus the bridge of worker-host.ts (cross-thread
 *                 frames delivered on Channels from slot buffers, outbound frames copied into
 *                 them), both shares on this thread; the Atomics barrier allocates nothing
 *   workers main  the main thread of the worker placement: runTick (barrier, spike frames
 *                 published from the shared buffer) with a spikes$ subscriber
 *
 * Run with a young generation large enough that no scavenge falls inside a measured block, so
 * the heap's growth over the block is what the block allocated (scavenges are counted; a block
 * with one is reported as such):
 *
 *   npm run bench -- tick-allocation [--ticks 2000]
 *   (= node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 --import tsx bench/tick-allocation.ts [--ticks 2000] [--json])
 */

declare const gc: (() => void) | undefined;

let scavenges = 0;
new PerformanceObserver((list) => {
  scavenges += list.getEntries().length;
}).observe({ entryTypes: ['gc'] });

/** Bytes allocated per tick by `tick`, over `ticks` ticks after a warm-up. */
async function measure(label: string, ticks: number, tick: (t: number) => void, start: number): Promise<number> {
  for (let t = 0; t < 1000; t++) tick(start + t);
  let t0 = start + 1000;
  const perTick: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 50));
    const s0 = scavenges;
    const h0 = process.memoryUsage().heapUsed;
    for (let t = 0; t < ticks; t++) tick(t0 + t);
    const h1 = process.memoryUsage().heapUsed;
    t0 += ticks;
    await new Promise((r) => setTimeout(r, 50));
    if (scavenges !== s0) {
      log(`  ${label}: block ${rep} had ${scavenges - s0} GC(s), not counted`);
      continue;
    }
    perTick.push((h1 - h0) / ticks);
  }
  const median = perTick.sort((a, b) => a - b)[Math.floor(perTick.length / 2)] ?? NaN;
  log(`${label.padEnd(28)} ${median.toFixed(0).padStart(7)} B/tick  (blocks: ${perTick.map((b) => b.toFixed(0)).join(', ')})`);
  bytesPerTick[label] = median;
  return median;
}

/** Compiled modules with state A's cue on, so the measured ticks run in the busy up-state. */
async function cores(plan: NetworkPlan, cue: readonly { module: string; source: string }[]): Promise<ModuleCore[]> {
  const compile = await loadAdapter(adapterRef('conductance'));
  const out = plan.modules.map((m) => new ModuleCore(m, compile(m.graph, m.seed)));
  for (const c of cue) out.find((m) => m.plan.id === c.module)!.engine.setRate(c.source, WM_INPUTS.cue.rateHz);
  return out;
}

/**
 * An engine that costs next to nothing and allocates nothing: every tick, the first few neurons of
 * every population spike. Stands in for the conductance engines to time the runtime layer alone.
 */
export function nullEngine(plan: NetworkPlan, m: number): Engine {
  const mod = plan.modules[m]!;
  const frame = { tick: -1, populations: mod.populations, counts: new Int32Array(mod.populationSizes.map((n) => Math.min(n, 4))), indices: mod.populationSizes.map((n) => Int32Array.from({ length: Math.min(n, 4) }, (_, i) => i)) };
  let ticks = 0;
  return {
    backend: 'null',
    graph: mod.graph,
    get tick() {
      return ticks;
    },
    step(): SpikeFrame {
      frame.tick = ticks++;
      return frame;
    },
    run(n: number): void {
      ticks += n;
    },
    reset(): void {
      ticks = 0;
    },
    setRate(): void {},
    probe(): ProbeData {
      throw new Error('the null engine records nothing');
    },
  };
}

/** Two ActorNetworks, one per worker share, bridged like worker-host.ts bridges threads. */
function workerShares(plan: NetworkPlan, all: ModuleCore[]): (t: number) => void {
  const workerOf = assignModules(plan, { workers: 2 });
  const slots = new Map<string, { subject: Channel<LinkFrame>; frames: [LinkFrame, LinkFrame] }>();
  for (const l of plan.links) {
    if (workerOf[l.from] === workerOf[l.to]) continue;
    const frame = (tick: number): LinkFrame => ({ link: l.id, tick, count: 0, indices: new Int32Array(l.capacity) });
    slots.set(l.id, { subject: new Channel<LinkFrame>(), frames: [frame(-2), frame(-1)] });
  }
  const shares = [0, 1].map((w) => {
    const local = all.filter((c) => workerOf[c.plan.index] === w);
    const network = new ActorNetwork({ plan, cores: local, remote: (l) => slots.get(l.id)!.subject });
    network.spikes$.subscribe(() => {});
    network.send({ type: 'start' });
    const inbound = [...slots.entries()].filter(([id]) => local.some((c) => c.plan.inbound.some((l) => l.id === id))).map(([, s]) => s);
    const outbound = local.flatMap((core) => core.plan.outbound.flatMap((l, k) => (slots.has(l.id) ? [{ core, k, slot: slots.get(l.id)! }] : [])));
    return { network, inbound, outbound };
  });
  return (t) => {
    for (const s of shares) {
      for (let i = 0; i < s.inbound.length; i++) s.inbound[i]!.subject.next(s.inbound[i]!.frames[(t - 1) & 1]!);
      s.network.runTick(t);
    }
    for (const s of shares) {
      for (let i = 0; i < s.outbound.length; i++) {
        const o = s.outbound[i]!;
        const src = o.core.produced(t)[o.k]!;
        const dst = o.slot.frames[t & 1]!;
        dst.tick = src.tick;
        dst.count = src.count;
        for (let j = 0; j < src.count; j++) dst.indices[j] = src.indices[j]!;
      }
    }
  };
}

/** Median bytes per tick by layer, filled by measure(). */
const bytesPerTick: Record<string, number> = {};
let log = (line: string): void => console.log(line);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { ticks: { type: 'string', default: '2000' }, json: { type: 'boolean', default: false } } });
  const ticks = Number(values.ticks);
  if (values.json) log = (line) => console.error(line);
  if (typeof gc !== 'function') log('(run with --expose-gc for clean blocks)');
  const { network, ids } = sessionNetwork({ network: { control: false } });
  const plan = planNetwork(network, 1, {});

  const loopCores = await cores(plan, ids.cues[0]!);
  const inbound = loopCores.map((c) => c.plan.inbound.map((l) => ({ core: loopCores[l.from]!, k: loopCores[l.from]!.plan.outbound.indexOf(l) })));
  const frames: LinkFrame[][] = loopCores.map((c) => new Array<LinkFrame>(c.plan.inbound.length));
  await measure('engines', ticks, (t) => {
    for (let m = 0; m < loopCores.length; m++) {
      const c = loopCores[m]!;
      const fr = frames[m]!;
      for (let k = 0; k < fr.length; k++) fr[k] = inbound[m]![k]!.core.produced(t - 1)[inbound[m]![k]!.k]!;
      c.step(t, fr);
    }
  }, 0);

  const actorCores = await cores(plan, ids.cues[0]!);
  const actors = new ActorNetwork({ plan, cores: actorCores });
  actors.spikes$.subscribe(() => {});
  actors.send({ type: 'start' });
  await measure('actors', ticks, (t) => actors.runTick(t), 0);

  await measure('worker share', ticks, workerShares(plan, await cores(plan, ids.cues[0]!)), 0);

  // The runtime layer alone: the same paths on engines that allocate nothing.
  const nullCores = (): ModuleCore[] => plan.modules.map((m, i) => new ModuleCore(m, nullEngine(plan, i)));
  const nullActors = new ActorNetwork({ plan, cores: nullCores() });
  nullActors.spikes$.subscribe(() => {});
  nullActors.send({ type: 'start' });
  await measure('actors (null engines)', ticks, (t) => nullActors.runTick(t), 0);
  await measure('worker share (null engines)', ticks, workerShares(plan, nullCores()), 0);

  const runner = await createRunner(network, { seed: 1, placement: { kind: 'workers', workers: 2 } });
  runner.spikes$.subscribe((f) => void f.counts[0]);
  runner.start();
  for (const c of ids.cues[0]!) runner.setRate(c.module, c.source, WM_INPUTS.cue.rateHz);
  await measure('workers main', ticks, () => runner.runTick(), 0);
  await runner.close();
  if (values.json) console.log(JSON.stringify({ ticks, bytesPerTick }));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
