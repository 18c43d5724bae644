/**
 * Cores and networks: spikes go through the crossbar to exactly the connected neurons with their
 * axon type's weight, and through destinations with exactly their delay.
 */
import { describe, expect, it } from 'vitest';
import { Core } from '../../../adapters/truenorth/core.ts';
import { TrueNorthError } from '../../../adapters/truenorth/errors.ts';
import { Network } from '../../../adapters/truenorth/network.ts';
import { neuron } from './helpers.ts';

/** A relay: fires on any single input of type 0 (weight +1, alpha 1, reset to 0). */
const relay = neuron({ s0: 1, alpha: 1, gamma: 0, VR: 0 });

/** Runs `ticks` ticks; returns, per tick, the sorted global ids that fired. */
function raster(net: Network, ticks: number): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < ticks; t++) {
    const n = net.step();
    out.push(Array.from(net.fired.subarray(0, n)));
  }
  return out;
}

describe('core crossbar', () => {
  it('an axon reaches exactly its row’s neurons, with each neuron’s weight for the axon’s type', () => {
    const core = new Core({ seed: 1 });
    // axon 5 has type 2 and connects to neurons 2, 7, 40, 200; neurons 2..255 weigh type 2 as j − 100
    core.setAxonType(5, 2);
    for (const j of [2, 7, 40, 200]) core.connect(5, j);
    for (const j of [2, 7, 40, 100, 200]) {
      const w = j - 100;
      core.setNeuron(j, neuron({ sigma2: w < 0 ? -1 : 1, s2: Math.abs(w), alpha: 1000, beta: 1000 }));
    }
    core.deliver(5, 0);
    core.step(0);
    const v = Array.from(core.v);
    expect(v[2]).toBe(-98);
    expect(v[7]).toBe(-93);
    expect(v[40]).toBe(-60);
    expect(v[200]).toBe(100);
    expect(v[100]).toBe(0); // configured but not connected to axon 5
    expect(v.filter((x) => x !== 0)).toHaveLength(4);
    expect(core.synapticEvents).toBe(4);
  });

  it('several active axons add up; a spike is consumed by its tick only', () => {
    const core = new Core({ seed: 1 });
    core.setNeuron(0, neuron({ s0: 3, sigma1: -1, s1: 1, alpha: 1000, beta: 1000 }));
    core.setAxonType(10, 0);
    core.setAxonType(11, 0);
    core.setAxonType(200, 1);
    for (const a of [10, 11, 200]) core.connect(a, 0);
    core.deliver(10, 0);
    core.deliver(11, 0);
    core.deliver(200, 0);
    core.deliver(200, 1);
    core.step(0); // 3 + 3 − 1 = 5
    expect(core.v[0]).toBe(5);
    core.step(1); // − 1
    expect(core.v[0]).toBe(4);
    core.step(2); // nothing left
    expect(core.v[0]).toBe(4);
    core.disconnect(11, 0);
    core.deliver(11, 3);
    core.step(3);
    expect(core.v[0]).toBe(4);
  });

  it('reset() restores V0, the PRNG and an empty schedule', () => {
    const core = new Core({ seed: 4 });
    core.setNeuron(0, neuron({ V: 7, sigma_lambda: 1, lambda: 100, c_lambda: 1, alpha: 1000 }));
    core.connect(0, 0);
    const run = (): number[] => Array.from({ length: 20 }, (_, t) => (core.step(t), core.v[0]!));
    const first = run();
    core.deliver(0, 20);
    core.reset();
    expect(run()).toEqual(first);
  });
});

describe('network routing and delays', () => {
  it('a spike from tick t with delay d is integrated at tick t + d, for d = 1, 7, 15', () => {
    const net = new Network({ coreCount: 3, seed: 1 });
    // core 0 neuron 0 relays an injected spike; it targets core 1 axon 9 (delay 7).
    // core 1 neuron 3 (axon 9 → neuron 3) relays to core 2 axon 0 (delay 15);
    // core 2 neuron 1 relays to core 0 axon 200 with delay 1, where nothing listens.
    net.cores[0]!.setNeuron(0, relay);
    net.cores[0]!.connect(4, 0);
    net.cores[0]!.setDestination(0, { core: 1, axon: 9, delayTicks: 7 });
    net.cores[1]!.setNeuron(3, relay);
    net.cores[1]!.connect(9, 3);
    net.cores[1]!.setDestination(3, { core: 2, axon: 0, delayTicks: 15 });
    net.cores[2]!.setNeuron(1, relay);
    net.cores[2]!.connect(0, 1);
    net.cores[2]!.setDestination(1, { core: 0, axon: 200, delayTicks: 1 });
    net.inject(0, 4, 2); // axon 4 of core 0 spikes at tick 2
    const r = raster(net, 30);
    // core 0 neuron 0 fires at 2; core 1 neuron 3 (id 256 + 3) at 2 + 7 = 9;
    // core 2 neuron 1 (id 512 + 1) at 9 + 15 = 24; nothing else.
    const fired = r.flatMap((ids, t) => ids.map((id) => [t, id]));
    expect(fired).toEqual([
      [2, 0],
      [9, 259],
      [24, 513],
    ]);
  });

  it('a core feeding itself with delay 1 oscillates every tick; with delay 3 every 3 ticks', () => {
    for (const d of [1, 3]) {
      const net = new Network({ coreCount: 1, seed: 1 });
      const core = net.cores[0]!;
      core.setNeuron(0, relay);
      core.connect(0, 0);
      core.setDestination(0, { core: 0, axon: 0, delayTicks: d });
      net.inject(0, 0);
      const times = raster(net, 10).flatMap((ids, t) => (ids.length > 0 ? [t] : []));
      expect(times).toEqual(d === 1 ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [0, 3, 6, 9]);
    }
  });

  it('spikes meeting at one axon in one tick merge into one (the schedule is a bitset)', () => {
    const net = new Network({ coreCount: 2, seed: 1 });
    const src = net.cores[0]!;
    for (const j of [0, 1]) {
      src.setNeuron(j, relay);
      src.connect(0, j);
      src.setDestination(j, { core: 1, axon: 5, delayTicks: 2 });
    }
    const dst = net.cores[1]!;
    dst.setNeuron(0, neuron({ s0: 1, alpha: 100 }));
    dst.connect(5, 0);
    net.inject(0, 0);
    net.run(3); // both fire at 0, arrive at 2 as one spike
    expect(dst.v[0]).toBe(1);
  });

  it('fan-in across cores, the same tick: all sources integrate together (E/I sum)', () => {
    const net = new Network({ coreCount: 3, seed: 1 });
    const target = net.cores[2]!;
    target.setNeuron(0, neuron({ s0: 10, sigma1: -1, s1: 4, alpha: 1000, beta: 1000 }));
    target.setAxonType(1, 1);
    target.connect(0, 0);
    target.connect(1, 0);
    for (const [c, axon] of [[0, 0], [1, 1]] as const) {
      net.cores[c]!.setNeuron(0, relay);
      net.cores[c]!.connect(0, 0);
      net.cores[c]!.setDestination(0, { core: 2, axon, delayTicks: 4 });
      net.inject(c, 0, 1);
    }
    net.run(6); // sources fire at 1, the target integrates +10 − 4 at 5
    expect(target.v[0]).toBe(6);
  });

  it('reset() replays the same raster (same seed, same spikes), stochastic neurons included', () => {
    const net = new Network({ coreCount: 2, seed: 99 });
    for (let c = 0; c < 2; c++) {
      const core = net.cores[c]!;
      for (let j = 0; j < 8; j++) {
        core.setNeuron(j, neuron({ sigma_lambda: 1, lambda: 40, c_lambda: 1, s0: 3, b0: 1, TM: 3, alpha: 2, gamma: 1 }));
        core.connect(j, (j + 1) % 8);
        core.setDestination(j, { core: 1 - c, axon: j, delayTicks: 1 + j });
      }
    }
    const a = raster(net, 200);
    net.reset();
    expect(raster(net, 200)).toEqual(a);
    expect(a.flat().length).toBeGreaterThan(50);
  });

  it('out-of-range wiring fails with TN_CONFIG_INVALID naming the field and the range', () => {
    const net = new Network({ coreCount: 2, seed: 1 });
    const core = net.cores[0]!;
    expect(() => core.setDestination(0, { core: 1, axon: 0, delayTicks: 16 })).toThrow(/delayTicks: must be an integer in \[1, 15\] ticks, got 16/);
    expect(() => core.setDestination(0, { core: 1, axon: 0, delayTicks: 0 })).toThrow(TrueNorthError);
    expect(() => core.connect(256, 0)).toThrow(/axon: must be an integer in \[0, 255\], got 256/);
    expect(() => net.inject(2, 0)).toThrow(/core: must be a core index in \[0, 1\], got 2/);
    expect(() => net.inject(0, 0, 16)).toThrow(/delayTicks: must be an integer in \[0, 15\], got 16/);
    core.setNeuron(0, relay);
    core.connect(0, 0);
    core.setDestination(0, { core: 5, axon: 0, delayTicks: 1 });
    net.inject(0, 0);
    try {
      net.step();
      expect.fail('expected a TrueNorthError');
    } catch (e) {
      expect(e).toBeInstanceOf(TrueNorthError);
      expect((e as TrueNorthError).code).toBe('TN_CONFIG_INVALID');
      expect((e as Error).message).toMatch(/core 0 neuron 0 destination\.core: is 5, but the network has 2 cores/);
    }
  });

  it('setNeuron validates IBM ranges (TN_PARAMS_INVALID)', () => {
    const core = new Core({ seed: 1 });
    try {
      core.setNeuron(3, neuron({ alpha: 300000, s0: 256 }));
      expect.fail('expected a TrueNorthError');
    } catch (e) {
      expect((e as TrueNorthError).code).toBe('TN_PARAMS_INVALID');
      expect((e as Error).message).toMatch(/core neuron 3 s0: must be an integer in \[0, 255\], got 256/);
      expect((e as Error).message).toMatch(/core neuron 3 alpha: must be an integer in \[0, 262143\], got 300000/);
    }
  });
});
