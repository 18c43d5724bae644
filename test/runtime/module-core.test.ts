import { describe, expect, it } from 'vitest';
import type { Engine, SpikeFrame } from '../../src/engine.ts';
import type { Network } from '../../src/graph/network.ts';
import { ModuleCore, type LinkFrame } from '../../runtime/module-core.ts';
import { planNetwork } from '../../runtime/plan.ts';
import { compile, fakeGraph } from './fake-adapter.ts';

const network: Network = {
  modules: [{ id: 'a', graph: fakeGraph('a', 4) }, { id: 'b', graph: fakeGraph('b', 6) }],
  links: [
    { id: 'a->b', from: { module: 'a', population: 'P' }, to: { module: 'b', source: 'in' }, rule: 'pairs', pre: [0, 0, 3], post: [5, 1, 2] },
    { id: 'b->a', from: { module: 'b', population: 'P' }, to: { module: 'a', source: 'in' }, rule: 'pairs', pre: [5], post: [0] },
  ],
};
const plan = planNetwork(network, 1, { maxSpikesPerNeuronPerTick: 1 });
const frame = (link: string, tick: number, indices: number[]): LinkFrame => ({ link, tick, count: indices.length, indices: Int32Array.from([...indices, 99]) });

describe('ModuleCore', () => {
  it('before the first step its outbound frames are the empty frames of tick −1', () => {
    const core = new ModuleCore(plan.modules[0]!, compile(plan.modules[0]!.graph, { pSpontaneous: 0 }));
    expect(core.produced(-1)).toMatchObject([{ link: 'a->b', tick: -1, count: 0 }]);
  });

  it('maps inbound presynaptic spikes through the link onto port indices, and copies its own spikes out', () => {
    const b = new ModuleCore(plan.modules[1]!, compile(plan.modules[1]!.graph, { pSpontaneous: 0 }));
    // a's neurons 3 and 0 spiked in the tick before (t − 1 = −1 for the first step).
    const spikes = b.step(0, [frame('a->b', -1, [3, 0])]);
    // Port indices 2 (from 3), then 5 and 1 (from 0); the fake engine echoes them in index order.
    expect([...spikes.indices[0]!.subarray(0, spikes.counts[0])]).toEqual([1, 2, 5]);
    expect(spikes).toMatchObject({ module: 'b', tick: 0 });
    expect(b.produced(0)).toMatchObject([{ link: 'b->a', tick: 0, count: 3 }]);
    expect([...b.produced(0)[0]!.indices.subarray(0, 3)]).toEqual([1, 2, 5]);
    // The frames of tick 0 live in the other buffer than those of tick −1 and tick 1.
    expect(b.produced(0)[0]).not.toBe(b.produced(-1)[0]);
    expect(b.produced(1)[0]).toBe(b.produced(-1)[0]);
  });

  it('queues injected spikes for the next step only', () => {
    const a = new ModuleCore(plan.modules[0]!, compile(plan.modules[0]!.graph, { pSpontaneous: 0 }));
    a.inject('in', [2]);
    a.inject('in', [1, 2]);
    const s0 = a.step(0, [frame('b->a', -1, [])]);
    expect([...s0.indices[0]!.subarray(0, s0.counts[0])]).toEqual([1, 2]);
    const s1 = a.step(1, [frame('b->a', 0, [])]);
    expect(s1.counts[0]).toBe(0);
    expect(() => a.inject('bg', [0])).toThrow(/module 'a' has no 'spikes' source 'bg'; its sources: in/);
    expect(() => a.inject('in', [4])).toThrow(/spike index 4 is outside \[0, 4\) of source 'in' of module 'a'/);
  });

  it('refuses a broken protocol: wrong tick, wrong link, wrong number of frames, an engine out of step', () => {
    const a = new ModuleCore(plan.modules[0]!, compile(plan.modules[0]!.graph, { pSpontaneous: 0 }));
    expect(() => a.step(0, [])).toThrow(/got 0 inbound frames for 1 inbound links/);
    expect(() => a.step(0, [frame('b->a', 0, [])])).toThrow(/inbound link 'b->a' delivered from tick 0 at tick 0; expected tick -1 \(lockstep broken\)/);
    expect(() => a.step(0, [frame('a->b', -1, [])])).toThrow(/inbound link 'b->a' delivered a frame of link 'a->b' from tick -1/);
    expect(() => a.step(3, [frame('b->a', 2, [])])).toThrow(/its engine is at tick 0 but was asked to run tick 3/);
  });

  it('a population that spikes more than the link buffer holds is an error naming both, never a silent drop', () => {
    const pops = ['P'];
    const f: SpikeFrame = { tick: 0, populations: pops, counts: Int32Array.of(5), indices: [Int32Array.of(0, 0, 1, 2, 3)] };
    const engine = { graph: plan.modules[0]!.graph, backend: 'stub', tick: 0, step: () => f } as unknown as Engine;
    const a = new ModuleCore(plan.modules[0]!, engine);
    expect(() => a.step(0, [frame('b->a', -1, [])])).toThrow(/population 'P' spiked 5 times in one tick, more than link 'a->b' holds \(4\); raise maxSpikesPerNeuronPerTick/);
  });
});
