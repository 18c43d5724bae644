import { describe, expect, it } from 'vitest';
import type { TickSpikes } from '../../../runtime/server/live-spikes.ts';
import type { ModuleInfo, PopulationInfo } from '../../../runtime/server/protocol.ts';
import { FrameBuilder, resolveSubscription } from '../../../runtime/server/subscription.ts';

const pops: PopulationInfo[] = [
  { index: 0, key: 'a/a.pyr0', module: 'a', id: 'a.pyr0', size: 10, cell: 'Pyr', pool: 0 },
  { index: 1, key: 'a/a.pv', module: 'a', id: 'a.pv', size: 4, cell: 'PV', pool: -1 },
  { index: 2, key: 'b/b.pyr0', module: 'b', id: 'b.pyr0', size: 10, cell: 'Pyr', pool: 0 },
];
const modules: ModuleInfo[] = [
  { id: 'a', populations: ['a.pyr0', 'a.pv'], inputs: [] },
  { id: 'b', populations: ['b.pyr0'], inputs: [] },
];
const tick = (t: number, spikes: number[][]): TickSpikes => ({ tick: t, counts: Int32Array.from(spikes.map((s) => s.length)), indices: spikes.map((s) => Int32Array.from(s)) });

describe('resolveSubscription', () => {
  it('defaults to every stream and population; modules and populations narrow it', () => {
    const all = resolveSubscription({ type: 'subscribe' }, pops, modules, 'c1');
    expect(Array.from(all.populations)).toEqual([0, 1, 2]);
    expect([...all.streams]).toEqual(['spikes', 'rates', 'status', 'state', 'camera']);
    expect(Array.from(resolveSubscription({ type: 'subscribe', modules: ['b'] }, pops, modules, 'c1').populations)).toEqual([2]);
    expect(Array.from(resolveSubscription({ type: 'subscribe', populations: ['b/b.pyr0', 'a/a.pyr0'] }, pops, modules, 'c1').populations)).toEqual([0, 2]);
  });

  it('unknown targets and out-of-range subsets are typed errors naming the field', () => {
    expect(() => resolveSubscription({ type: 'subscribe', populations: ['a/a.pyr9'] }, pops, modules, 'c')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TARGET', path: 'populations[0]' }) as Error);
    expect(() => resolveSubscription({ type: 'subscribe', modules: ['c'] }, pops, modules, 'c')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TARGET', path: 'modules[0]' }) as Error);
    expect(() => resolveSubscription({ type: 'subscribe', neurons: { 'a/a.pv': [4] } }, pops, modules, 'c')).toThrow(expect.objectContaining({ code: 'BAD_MESSAGE', path: 'neurons.a/a.pv' }) as Error);
    expect(() => resolveSubscription({ type: 'subscribe', populations: ['a/a.pv'], neurons: { 'a/a.pyr0': [1] } }, pops, modules, 'c')).toThrow(/not among the subscribed/);
  });

  it('subsets: explicit lists, then every ⌈size/maxNeurons⌉-th neuron; equal subscriptions share a key', () => {
    const s = resolveSubscription({ type: 'subscribe', populations: ['a/a.pyr0'], maxNeurons: 4 }, pops, modules, 'c1');
    expect(Array.from(s.neurons)).toEqual([4]); // stride 3: 0, 3, 6, 9
    expect(Array.from(s.masks[0]!)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
    expect(resolveSubscription({ type: 'subscribe', populations: ['a/a.pyr0'], maxNeurons: 4 }, pops, modules, 'c2').key).toBe(s.key);
    const e = resolveSubscription({ type: 'subscribe', neurons: { 'a/a.pyr0': new Int32Array([1, 2]) } }, pops, modules, 'c3');
    expect(Array.from(e.neurons)).toEqual([2, 4, 10]);
    expect(e.key).toBe('unique:c3');
  });
});

describe('FrameBuilder', () => {
  it('one frame per tick with decimation 1: populations with spikes, their counts and indices', () => {
    const b = new FrameBuilder(resolveSubscription({ type: 'subscribe' }, pops, modules, 'c'));
    const f = b.add(tick(7, [[3, 1], [], [9]]))!;
    expect(f).toMatchObject({ tick: 7, span: 1 });
    expect(Array.from(f.populations)).toEqual([0, 2]);
    expect(Array.from(f.counts)).toEqual([2, 1]);
    expect(Array.from(f.indices)).toEqual([3, 1, 9]);
    expect(f.offsets).toBeUndefined();
    const empty = b.add(tick(8, [[], [], []]))!;
    expect(empty.indices.length).toBe(0);
  });

  it('decimation concatenates ticks with per-spike offsets and applies masks', () => {
    const b = new FrameBuilder(resolveSubscription({ type: 'subscribe', decimation: 3, maxNeurons: 5 }, pops, modules, 'c'));
    expect(b.add(tick(10, [[0, 1], [], []]))).toBeNull();
    expect(b.add(tick(11, [[], [2, 3], [4]]))).toBeNull();
    const f = b.add(tick(12, [[2, 4], [], [5]]))!;
    expect(f).toMatchObject({ tick: 10, span: 3 });
    // pyr0 stride 2 keeps 0, 2, 4; pv (size 4 < 5) keeps all; b.pyr0 keeps even indices.
    expect(Array.from(f.populations)).toEqual([0, 1, 2]);
    expect(Array.from(f.counts)).toEqual([3, 2, 1]);
    expect(Array.from(f.indices)).toEqual([0, 2, 4, 2, 3, 4]);
    expect(Array.from(f.offsets!)).toEqual([0, 2, 2, 1, 1, 1]);
  });

  it('frames own their arrays (the next tick does not change a queued frame)', () => {
    const b = new FrameBuilder(resolveSubscription({ type: 'subscribe' }, pops, modules, 'c'));
    const f = b.add(tick(1, [[5], [], []]))!;
    b.add(tick(2, [[6], [], []]));
    expect(Array.from(f.indices)).toEqual([5]);
  });
});
