import { describe, expect, it } from 'vitest';
import type { Network } from '../../src/graph/network.ts';
import { createRunner } from '../../runtime/create-runner.ts';
import type { NetworkRunner, Placement } from '../../runtime/runner.ts';
import { ringNetwork } from './fixtures.ts';

/** Per module, every spike as (tick, population, neuron), in the order the module produced them. */
type Raster = Record<string, number[]>;

async function raster(
  network: Network,
  placement: Placement,
  ticks: number,
  script?: (r: NetworkRunner, t: number) => void,
  react?: (r: NetworkRunner, module: string, tick: number) => void,
): Promise<Raster> {
  const runner = await createRunner(network, { seed: 11, placement });
  const out: Raster = Object.fromEntries(network.modules.map((m) => [m.id, []]));
  runner.spikes$.subscribe((f) => {
    react?.(runner, f.module, f.tick);
    const r = out[f.module]!;
    for (let p = 0; p < f.counts.length; p++) for (let i = 0; i < f.counts[p]!; i++) r.push(f.tick, p, f.indices[p]![i]!);
  });
  runner.start();
  try {
    for (let t = 0; t < ticks; t++) {
      script?.(runner, t);
      runner.runTick();
    }
  } finally {
    await runner.close();
  }
  return out;
}

const PLACEMENTS: Placement[] = [
  { kind: 'actors' },
  { kind: 'workers', workers: 2 },
  { kind: 'workers', workers: 3 },
  // Workers that poll between ticks (barrier.ts) must not change what they compute.
  { kind: 'workers', workers: 2, spinWaitMs: 2 },
];

describe('placements', () => {
  it('actors on one thread, actors on workers and the plain loop give identical spikes for one seed (3 modules, recurrent links)', async () => {
    const network = ringNetwork(3);
    const reference = await raster(network, { kind: 'loop' }, 300);
    for (const m of Object.values(reference)) expect(m.length / 3).toBeGreaterThan(100);
    for (const placement of PLACEMENTS) {
      expect({ placement, raster: await raster(network, placement, 300) }).toEqual({ placement, raster: reference });
    }
    // The links carry something: without them the modules spike differently.
    const unlinked = await raster({ ...network, links: [] }, { kind: 'loop' }, 300);
    expect(unlinked.m0).not.toEqual(reference.m0);
  });

  it('commands between ticks take effect at the next tick in every placement', async () => {
    const network = ringNetwork(3);
    const script = (r: NetworkRunner, t: number): void => {
      if (t === 50) r.setRate('m1', 'bg', 0);
      if (t === 80) r.inject('m2', 'in', [0, 1, 2, 3, 4, 5]);
      if (t === 120) r.setRate('m1', 'bg', 80);
    };
    const reference = await raster(network, { kind: 'loop' }, 160, script);
    const plain = await raster(network, { kind: 'loop' }, 160);
    // m1 loses its background during ticks 50–119 (its linked input from m0 and m2 remains) and
    // gets it back, doubled, from 120 on.
    const spikesOfM1 = (r: Raster, from: number, to: number): number => r.m1!.filter((x, k) => k % 3 === 0 && x >= from && x < to).length;
    expect(spikesOfM1(reference, 0, 50)).toBe(spikesOfM1(plain, 0, 50));
    expect(spikesOfM1(reference, 60, 120)).toBeLessThan(0.75 * spikesOfM1(plain, 60, 120));
    expect(spikesOfM1(reference, 125, 160)).toBeGreaterThan(spikesOfM1(plain, 125, 160));
    // The injected spikes reach m2's Pyr cells 0–5 (port delay 0.5 ms) within tick 80 or 81.
    expect(reference.m2).not.toEqual(plain.m2);
    for (const placement of [{ kind: 'actors' }, { kind: 'workers', workers: 2 }] as Placement[]) {
      expect(await raster(network, placement, 160, script)).toEqual(reference);
    }
  });

  it('commands from a spike subscriber in the middle of a tick also wait for the next tick', async () => {
    const network = ringNetwork(3);
    // Whatever order the modules finish tick 40 in, m1 and m2 get these at tick 41, never at 40.
    const react = (r: NetworkRunner, module: string, tick: number): void => {
      if (tick !== 40) return;
      if (module === 'm0') r.inject('m1', 'in', [3, 4, 5]);
      if (module === 'm2') r.setRate('m2', 'bg', 0);
    };
    const reference = await raster(network, { kind: 'loop' }, 80, undefined, react);
    expect(reference).not.toEqual(await raster(network, { kind: 'loop' }, 80));
    for (const placement of [{ kind: 'actors' }, { kind: 'workers', workers: 3 }] as Placement[]) {
      expect(await raster(network, placement, 80, undefined, react)).toEqual(reference);
    }
  });

  it('rejects bad commands at once, naming what exists', async () => {
    const runner = await createRunner(ringNetwork(3), { seed: 1, placement: { kind: 'loop' } });
    expect(() => runner.runTick()).toThrow(/cannot run a tick while the network is idle; call start\(\) first/);
    expect(() => runner.setRate('m7', 'bg', 1)).toThrow(/unknown module 'm7'; modules: m0, m1, m2/);
    expect(() => runner.setRate('m0', 'in', 1)).toThrow(/'in' is not a Poisson source of module 'm0'; its Poisson sources: bg/);
    expect(() => runner.setRate('m0', 'bg', -1)).toThrow(/rate must be a finite number ≥ 0 Hz, got -1/);
    expect(() => runner.inject('m0', 'bg', [0])).toThrow(/'bg' is not a 'spikes' source of module 'm0'; its spike sources: in/);
    expect(() => runner.inject('m0', 'in', [30])).toThrow(/index 30 is outside \[0, 30\)/);
    await runner.close();
    await expect(createRunner(ringNetwork(3), { seed: 1, placement: { kind: 'gpu' } as unknown as Placement })).rejects.toThrow(/unknown placement "gpu"/);
  });
});
