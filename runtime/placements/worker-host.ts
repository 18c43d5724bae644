import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ActorNetwork } from '../actor-network.ts';
import { Channel } from '../channel.ts';
import { loadAdapter } from '../adapter.ts';
import { TickBarrier } from '../barrier.ts';
import { ModuleFailedError, reasonOf } from '../errors.ts';
import { ModuleCore, type LinkFrame } from '../module-core.ts';
import { planNetwork } from '../plan.ts';
import { CTRL, SLOT_COUNT, SLOT_HEADER, SLOT_TICK } from '../shared-layout.ts';
import type { WorkerCommand, WorkerFailure, WorkerInit, WorkerReady } from './worker-protocol.ts';
import { pinThreadToCpu, setThreadPriority } from '../thread-priority.ts';

/**
 * A worker thread of the worker placement: it compiles its share of the modules from the plain
 * network and seed, wires them as actors exactly like the one-thread placement (ActorNetwork),
 * and bridges the links that cross threads through the shared buffer. Per released tick t:
 *
 *   1. apply the commands queued for tick t (port, read synchronously when CTRL.COMMANDS moved);
 *   2. deliver each cross-thread inbound frame of t − 1 from its slot (parity (t − 1) & 1);
 *   3. run tick t on the local actors (emit t − 1, lockstep, step);
 *   4. write each cross-thread outbound frame of t into its slot (parity t & 1), and every local
 *      module's spikes of t into its region;
 *   5. arrive at the barrier.
 * Slots are read in step 2 and written in step 4 of the same tick with different parities, so a
 * worker one step ahead never overwrites a frame that a slower one is still reading.
 */
const init = workerData as WorkerInit;
const words = new Int32Array(init.shared);
const layout = init.layout;
const barrier = new TickBarrier(words, init.workers);
const plan = planNetwork(init.network, init.seed, { maxSpikesPerNeuronPerTick: init.maxSpikesPerNeuronPerTick });
const compile = await loadAdapter(init.adapter);
const local = plan.modules.filter((m) => init.workerOf[m.index] === init.workerIndex);
const cores = local.map((m) => new ModuleCore(m, compile(m.graph, m.seed)));

/** A cross-thread inbound link: its channel and a frame view on each of its two slots. */
interface Inbound {
  subject: Channel<LinkFrame>;
  slots: [number, number];
  frames: [LinkFrame, LinkFrame];
}
const slotView = (slot: number, capacity: number): Int32Array => new Int32Array(init.shared, (slot + SLOT_HEADER) * 4, capacity);
const inbound = new Map<string, Inbound>();
for (const m of local) {
  for (const l of m.inbound) {
    if (init.workerOf[l.from] === init.workerIndex) continue;
    const s0 = layout.linkSlots[l.index]!;
    const s1 = s0 + layout.linkStride[l.index]!;
    inbound.set(l.id, {
      subject: new Channel<LinkFrame>(),
      slots: [s0, s1],
      frames: [{ link: l.id, tick: 0, count: 0, indices: slotView(s0, l.capacity) }, { link: l.id, tick: 0, count: 0, indices: slotView(s1, l.capacity) }],
    });
  }
}
const inboundList = [...inbound.values()];
/** Cross-thread outbound links of local modules: core, position in its outbound list, slots. */
const outbound = cores.flatMap((core) =>
  core.plan.outbound.flatMap((l, k) => (init.workerOf[l.to] === init.workerIndex ? [] : [{ core, k, slot0: layout.linkSlots[l.index]!, stride: layout.linkStride[l.index]! }])),
);

const network = new ActorNetwork({ plan, cores, remote: (l) => inbound.get(l.id)!.subject });
let overflow: ModuleFailedError | null = null;
const regionOf = new Map(local.map((m) => [m.id, layout.modules[m.index]!]));
network.spikes$.subscribe((f) => {
  const region = regionOf.get(f.module)!;
  words[region.tick] = f.tick;
  for (let p = 0; p < f.counts.length; p++) {
    const count = f.counts[p]!;
    if (count > region.capacities[p]!) {
      overflow ??= new ModuleFailedError(f.module, f.tick, `population '${f.populations[p]}' spiked ${count} times in one tick, more than the shared buffer holds (${region.capacities[p]}); raise maxSpikesPerNeuronPerTick`);
      continue;
    }
    words[region.counts + p] = count;
    const src = f.indices[p]!;
    const at = region.indices[p]!;
    for (let i = 0; i < count; i++) words[at + i] = src[i]!;
  }
});

function apply(cmd: WorkerCommand, tick: number): void {
  if (cmd.atTick !== tick) throw new Error(`a command for tick ${cmd.atTick} arrived at tick ${tick}`);
  switch (cmd.type) {
    case 'setRate':
      network.send({ type: 'setRate', stimulus: cmd.stimulus, rateHz: cmd.rateHz }, cmd.module);
      return;
    case 'inject':
      network.send({ type: 'inject', source: cmd.source, indices: cmd.indices }, cmd.module);
      return;
    case 'pause':
    case 'resume':
      network.send({ type: cmd.type });
  }
}

function report(e: unknown, tick: number): void {
  const failure: WorkerFailure = e instanceof ModuleFailedError
    ? { type: 'failed', module: e.module, tick: e.tick, reason: e.reason }
    : { type: 'failed', module: local.map((m) => m.id).join(', '), tick, reason: reasonOf(e) };
  init.port.postMessage(failure);
  Atomics.store(words, CTRL.FAILED, 1);
}

network.send({ type: 'start' });
if (init.cpu !== null) {
  const pinError = pinThreadToCpu(init.cpu);
  if (pinError) throw new Error(`cannot pin to CPU ${init.cpu} (placement.cpus): ${pinError}`);
}
parentPort!.postMessage({ type: 'ready', priority: setThreadPriority(init.threadPriority) } satisfies WorkerReady);

let failed = false;
/** CTRL.COMMANDS when this worker last read its port. */
let commandsSeen = 0;
// The worker that arrives last wakes the main thread and sleeps; the others poll (barrier.ts).
let spinMs = 0;
for (let t = 0; barrier.awaitRelease(t, spinMs); t++) {
  // After a failure keep arriving, so the main thread never waits on this worker.
  if (!failed) {
    try {
      const commands = Atomics.load(words, CTRL.COMMANDS);
      if (commands !== commandsSeen) {
        commandsSeen = commands;
        for (let msg = receiveMessageOnPort(init.port); msg; msg = receiveMessageOnPort(init.port)) apply(msg.message as WorkerCommand, t);
      }
      const parity = (t - 1) & 1;
      for (let i = 0; i < inboundList.length; i++) {
        const inb = inboundList[i]!;
        const slot = inb.slots[parity]!;
        const frame = inb.frames[parity]!;
        frame.tick = words[slot + SLOT_TICK]!;
        frame.count = words[slot + SLOT_COUNT]!;
        inb.subject.next(frame);
      }
      network.runTick(t);
      if (overflow) throw overflow;
      for (let i = 0; i < outbound.length; i++) {
        const o = outbound[i]!;
        const frame = o.core.produced(t)[o.k]!;
        const slot = o.slot0 + (t & 1) * o.stride;
        words[slot + SLOT_TICK] = frame.tick;
        words[slot + SLOT_COUNT] = frame.count;
        const src = frame.indices;
        for (let i = 0, at = slot + SLOT_HEADER; i < frame.count; i++) words[at + i] = src[i]!;
      }
    } catch (e) {
      failed = true;
      report(e, t);
    }
  }
  spinMs = barrier.arrive() ? 0 : init.spinWaitMs;
}
network.stop();
init.port.close();
