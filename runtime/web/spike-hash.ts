import { ADAPTERS } from '../../adapters/registry.ts';
import type { AdapterRef } from '../adapter.ts';
import { createRunner } from '../create-runner.ts';
import { LIVE_DEFAULTS, LiveSimulation } from '../server/live-sim.ts';
import type { SpikeHashRequest, SpikeHashResult } from './messages.ts';

/** The check's stimulus: pool 0 of every module driven from tick `from` as the live cue drives it (LIVE_DEFAULTS.cue). */
export const HASH_CUE = { from: 50, ticks: LIVE_DEFAULTS.cue.durationMs, rateHz: LIVE_DEFAULTS.cue.rateHz } as const;

/**
 * One seeded run of the live demo network (the network and inputs of a LiveSimulation, as the
 * live server builds them, on the 'actors' placement), pool 0 cued for a while, hashed: FNV-1a
 * over every spike's (tick, population, neuron), one chain per module, the chains combined in
 * module order. Node and the browser run this same code, so equal hashes mean equal spikes
 * (runtime/web/sim-worker.ts, test/e2e/web.test.ts).
 */
export async function spikeHash(request: SpikeHashRequest): Promise<SpikeHashResult> {
  const live = new LiveSimulation();
  const demo = live.demo;
  const layout = { modules: live.modules };
  await live.close();
  const entry = ADAPTERS[request.backend];
  const adapter: AdapterRef = { href: entry.href, ...(request.kernel === undefined ? {} : { options: { kernel: request.kernel } }) };
  const runner = await createRunner(demo.network, { seed: request.seed, adapter, placement: { kind: 'actors' } });
  const moduleIds = demo.network.modules.map((m) => m.id);
  const chains = new Uint32Array(moduleIds.length).fill(FNV_OFFSET);
  let spikes = 0;
  runner.spikes$.subscribe((f) => {
    const m = moduleIds.indexOf(f.module);
    let h = fnv(chains[m]!, f.tick);
    for (let p = 0; p < f.counts.length; p++) {
      const c = f.counts[p]!;
      const idx = f.indices[p]!;
      for (let i = 0; i < c; i++) h = fnv(fnv(h, p), idx[i]!);
      spikes += c;
    }
    chains[m] = h;
  });
  const cue = (on: boolean): void => {
    for (const m of layout.modules) {
      for (const input of m.inputs) if (input.role === 'pool' && input.pool === 0) runner.setRate(m.id, input.id, input.rateHz + (on ? HASH_CUE.rateHz : 0));
    }
  };
  try {
    runner.start();
    for (let t = 0; t < request.ticks; t++) {
      if (t === HASH_CUE.from) cue(true);
      if (t === HASH_CUE.from + HASH_CUE.ticks) cue(false);
      runner.runTick();
    }
  } finally {
    await runner.close();
  }
  let h = FNV_OFFSET;
  for (const c of chains) h = fnv(h, c);
  return { hash: h.toString(16).padStart(8, '0') + Array.from(chains, (c) => c.toString(16).padStart(8, '0')).join(''), spikes, ticks: request.ticks };
}

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a over the four bytes of a 32-bit word. */
function fnv(h: number, word: number): number {
  let x = h;
  for (let b = 0; b < 4; b++) {
    x ^= (word >>> (8 * b)) & 0xff;
    x = Math.imul(x, 0x01000193) >>> 0;
  }
  return x;
}
