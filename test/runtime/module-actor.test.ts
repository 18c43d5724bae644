import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { Network } from '../../src/graph/network.ts';
import { ModuleFailedError } from '../../runtime/errors.ts';
import { moduleActorLogic } from '../../runtime/module-actor.ts';
import { ModuleCore, type LinkFrame, type ModuleSpikeFrame } from '../../runtime/module-core.ts';
import { planNetwork } from '../../runtime/plan.ts';
import { compile, fakeGraph } from './fake-adapter.ts';

/** Module 'a' with a self-link a.P → a.in, on the fake engine (options as in fake-adapter.ts). */
function setup(options: { failAtTick?: number } = {}) {
  const network: Network = {
    modules: [{ id: 'a', graph: fakeGraph('a', 4) }],
    links: [{ id: 'self', from: { module: 'a', population: 'P' }, to: { module: 'a', source: 'in' }, rule: 'oneToOne' }],
  };
  const plan = planNetwork(network, 3);
  const core = new ModuleCore(plan.modules[0]!, compile(plan.modules[0]!.graph, { seed: 3, pSpontaneous: 0.5, failModule: 'a', failAtTick: options.failAtTick ?? -1 }));
  const link = new Subject<LinkFrame>();
  const sent: { tick: number; indices: number[] }[] = [];
  link.subscribe((f) => sent.push({ tick: f.tick, indices: [...f.indices.subarray(0, f.count)] }));
  const spikes = new Subject<ModuleSpikeFrame>();
  const raster: number[][] = [];
  spikes.subscribe((f) => raster.push([...f.indices[0]!.subarray(0, f.counts[0])]));
  const actor = createActor(moduleActorLogic(), { input: { core, outlets: [link], spikes } });
  actor.start();
  return { actor, core, sent, raster };
}

describe('module actor', () => {
  it('walks the lifecycle idle → running ⇄ paused → stopped, ignoring events that do not apply', () => {
    const { actor } = setup();
    const phases: string[] = [];
    actor.subscribe((s) => phases.push(s.phase));
    expect(actor.getSnapshot()).toEqual({ module: 'a', phase: 'idle', tick: 0, status: 'active', output: undefined, error: undefined });
    actor.send({ type: 'resume' });
    actor.send({ type: 'start' });
    actor.send({ type: 'pause' });
    actor.send({ type: 'pause' });
    actor.send({ type: 'resume' });
    actor.send({ type: 'stop' });
    expect(phases).toEqual(['idle', 'running', 'paused', 'paused', 'running', 'stopped']);
    expect(actor.getSnapshot()).toMatchObject({ status: 'done', output: { ticks: 0 } });
  });

  it('per tick: emit sends the frames of t − 1 (empty at t = 0), step runs t with the frames of t − 1', () => {
    const { actor, sent, raster } = setup();
    actor.send({ type: 'start' });
    for (let t = 0; t < 4; t++) {
      actor.send({ type: 'emit', tick: t });
      // What the link carried at this tick is exactly what the module produced at t − 1.
      expect(sent[t]!.tick).toBe(t - 1);
      expect(sent[t]!.indices).toEqual(t === 0 ? [] : raster[t - 1]);
      const frame: LinkFrame = { link: 'self', tick: t - 1, count: sent[t]!.indices.length, indices: Int32Array.from(sent[t]!.indices) };
      actor.send({ type: 'step', tick: t, inputs: [frame] });
      expect(actor.getSnapshot().tick).toBe(t + 1);
    }
    // The fake engine echoes port spikes: every neuron that spiked at t − 1 spikes again at t.
    for (let t = 1; t < 4; t++) for (const i of raster[t - 1]!) expect(raster[t]).toContain(i);
  });

  it('keeps only small state in the snapshot; typed arrays stay in the core', () => {
    const { actor } = setup();
    actor.send({ type: 'start' });
    actor.send({ type: 'emit', tick: 0 });
    actor.send({ type: 'step', tick: 0, inputs: [{ link: 'self', tick: -1, count: 0, indices: new Int32Array(0) }] });
    expect(Object.keys(actor.getSnapshot()).sort()).toEqual(['error', 'module', 'output', 'phase', 'status', 'tick']);
    expect(JSON.parse(JSON.stringify(actor.getSnapshot()))).toEqual({ module: 'a', phase: 'running', tick: 1, status: 'active' });
  });

  it('fails, with the reason, when its engine throws', () => {
    const { actor } = setup({ failAtTick: 1 });
    const errors: unknown[] = [];
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.send({ type: 'start' });
    for (let t = 0; t < 2; t++) {
      actor.send({ type: 'emit', tick: t });
      actor.send({ type: 'step', tick: t, inputs: [{ link: 'self', tick: t - 1, count: 0, indices: new Int32Array(0) }] });
    }
    const s = actor.getSnapshot();
    expect(s).toMatchObject({ phase: 'failed', tick: 1, status: 'error' });
    expect(s.error).toBeInstanceOf(ModuleFailedError);
    expect(s.error).toMatchObject({ module: 'a', tick: 1, code: 'MODULE_FAILED', reason: "fake engine of 'a' told to fail at tick 1" });
    expect(errors).toEqual([s.error]);
  });

  it('fails when the tick protocol is broken: a step while paused, a frame from the wrong tick', () => {
    const paused = setup().actor;
    paused.subscribe({ error: () => undefined });
    paused.send({ type: 'start' });
    paused.send({ type: 'pause' });
    paused.send({ type: 'step', tick: 0, inputs: [] });
    expect(paused.getSnapshot().error?.message).toBe("module 'a' failed at tick 0: asked to run tick 0 while paused");

    const late = setup().actor;
    late.subscribe({ error: () => undefined });
    late.send({ type: 'start' });
    late.send({ type: 'step', tick: 0, inputs: [{ link: 'self', tick: -2, count: 0, indices: new Int32Array(0) }] });
    expect(late.getSnapshot().error?.reason).toBe("inbound link 'self' delivered from tick -2 at tick 0; expected tick -1 (lockstep broken)");
  });

  it('applies setRate and inject through its engine and core; bad ones fail the module', () => {
    const { actor, raster } = setup();
    actor.subscribe({ error: () => undefined });
    actor.send({ type: 'start' });
    actor.send({ type: 'inject', source: 'in', indices: [0, 1, 2, 3] });
    actor.send({ type: 'step', tick: 0, inputs: [{ link: 'self', tick: -1, count: 0, indices: new Int32Array(0) }] });
    expect(raster[0]).toEqual([0, 1, 2, 3]);
    actor.send({ type: 'setRate', stimulus: 'bg', rateHz: 3 });
    expect(actor.getSnapshot().phase).toBe('running');
    actor.send({ type: 'setRate', stimulus: 'nope', rateHz: 3 });
    expect(actor.getSnapshot()).toMatchObject({ phase: 'failed', error: { reason: "no Poisson source 'nope'" } });
  });
});
