import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../src/graph/network.ts';
import { ActorNetwork } from '../../runtime/actor-network.ts';
import { ModuleFailedError } from '../../runtime/errors.ts';
import { ModuleCore, type LinkFrame } from '../../runtime/module-core.ts';
import { planNetwork } from '../../runtime/plan.ts';
import { compile, fakeGraph } from './fake-adapter.ts';

/**
 * Modules on the fake engine with no spontaneous spikes: a neuron spikes exactly when its index
 * arrives on the module's port, so a raster shows where and when each link delivered.
 */
function build(network: Network, local?: string[]): { net: ActorNetwork; raster: string[]; remote: Map<string, Subject<LinkFrame>> } {
  const plan = planNetwork(network, 1);
  const cores = plan.modules.filter((m) => !local || local.includes(m.id)).map((m) => new ModuleCore(m, compile(m.graph, { pSpontaneous: 0 })));
  const remote = new Map<string, Subject<LinkFrame>>();
  const net = new ActorNetwork({ plan, cores, remote: (l) => remote.get(l.id) ?? remote.set(l.id, new Subject<LinkFrame>()).get(l.id)! });
  const raster: string[] = [];
  net.spikes$.subscribe((f) => {
    for (let i = 0; i < f.counts[0]!; i++) raster.push(`${f.module}@${f.tick}:${f.indices[0]![i]}`);
  });
  net.send({ type: 'start' });
  return { net, raster, remote };
}

const link = (id: string, from: string, to: string): Network['links'][number] => ({ id, from: { module: from, population: 'P' }, to: { module: to, source: 'in' }, rule: 'oneToOne' });

describe('ActorNetwork', () => {
  it('every link delays by exactly one tick; a two-module loop and a self-link run without deadlock', () => {
    const network: Network = {
      modules: [{ id: 'a', graph: fakeGraph('a', 4) }, { id: 'b', graph: fakeGraph('b', 4) }, { id: 'c', graph: fakeGraph('c', 4) }],
      links: [link('a->b', 'a', 'b'), link('b->a', 'b', 'a'), link('c->c', 'c', 'c')],
    };
    const { net, raster } = build(network);
    net.send({ type: 'inject', source: 'in', indices: [1] }, 'a');
    net.send({ type: 'inject', source: 'in', indices: [3] }, 'c');
    for (let t = 0; t < 4; t++) net.runTick(t);
    expect(raster.sort()).toEqual(['a@0:1', 'a@2:1', 'b@1:1', 'b@3:1', 'c@0:3', 'c@1:3', 'c@2:3', 'c@3:3'].sort());
  });

  it('carries one frame per link per tick: at tick t, the presynaptic spikes of t − 1', () => {
    const network: Network = { modules: [{ id: 'a', graph: fakeGraph('a', 4) }, { id: 'b', graph: fakeGraph('b', 4) }], links: [link('a->b', 'a', 'b')] };
    const { net } = build(network);
    const frames: string[] = [];
    net.link$('a->b').subscribe((f) => frames.push(`${f.tick}:[${[...f.indices.subarray(0, f.count)]}]`));
    net.send({ type: 'inject', source: 'in', indices: [0, 2] }, 'a');
    for (let t = 0; t < 3; t++) net.runTick(t);
    expect(frames).toEqual(['-1:[]', '0:[0,2]', '1:[]']);
    expect(() => net.link$('b->a')).toThrow(/no channel for link 'b->a' on this thread; links: a->b/);
  });

  it('a missing inbound frame is an error naming the module and tick, never a silent wait', () => {
    const network: Network = { modules: [{ id: 'a', graph: fakeGraph('a', 4) }, { id: 'b', graph: fakeGraph('b', 4) }], links: [link('a->b', 'a', 'b')] };
    // Only b runs here; nobody delivers a's frames.
    const { net } = build(network, ['b']);
    expect(() => net.runTick(0)).toThrow(ModuleFailedError);
    expect(() => net.runTick(1)).toThrow("module 'b' failed at tick 0: did not complete tick 0 (phase running, 0 ticks done): an inbound frame of tick -1 never arrived");
  });

  it('a channel that runs ahead fails the module through lockstep, naming the link', () => {
    const network: Network = { modules: [{ id: 'a', graph: fakeGraph('a', 4) }, { id: 'b', graph: fakeGraph('b', 4) }], links: [link('a->b', 'a', 'b')] };
    const { net, remote: channels } = build(network, ['b']);
    const remote = channels.get('a->b')!;
    const frame = (tick: number): LinkFrame => ({ link: 'a->b', tick, count: 0, indices: new Int32Array(4) });
    remote.next(frame(-1));
    net.runTick(0);
    remote.next(frame(0));
    remote.next(frame(1));
    expect(() => net.runTick(1)).toThrow(/module 'b' failed at tick 0: lockstep: 'link 'a->b'' ran 2 values ahead while 'clock' has sent none/);
  });

  it('stop() stops every actor', () => {
    const { net } = build({ modules: [{ id: 'a', graph: fakeGraph('a', 4) }], links: [] });
    net.runTick(0);
    net.stop();
    expect(net.actors.get('a')!.getSnapshot()).toMatchObject({ phase: 'stopped', status: 'done', output: { ticks: 1 } });
  });
});
