import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../../src/graph/network.ts';
import { ModuleFailedError } from '../../../runtime/errors.ts';
import { WorkerRunner } from '../../../runtime/placements/workers.ts';
import { FAKE_ADAPTER_HREF, fakeGraph } from '../fake-adapter.ts';

const link = (id: string, from: string, to: string): Network['links'][number] => ({ id, from: { module: from, population: 'P' }, to: { module: to, source: 'in' }, rule: 'oneToOne' });

function network(): Network {
  return {
    modules: [{ id: 'a', graph: fakeGraph('a', 16) }, { id: 'b', graph: fakeGraph('b', 4) }, { id: 'c', graph: fakeGraph('c', 8) }],
    links: [
      { ...link('a->b', 'a', 'b'), rule: 'fixedProbability', p: 0.2 },
      { ...link('b->a', 'b', 'a'), rule: 'fixedProbability', p: 0.5 },
      link('c->c', 'c', 'c'),
    ],
  };
}

describe('worker placement', () => {
  it('a module that fails in a worker fails the tick on the main thread with its module, tick and reason', async () => {
    const runner = await WorkerRunner.create(network(), {
      seed: 1,
      adapter: { href: FAKE_ADAPTER_HREF, options: { failModule: 'b', failAtTick: 3 } },
      placement: { kind: 'workers', workers: 2 },
    });
    runner.start();
    for (let t = 0; t < 3; t++) runner.runTick();
    let error: unknown;
    try {
      runner.runTick();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModuleFailedError);
    expect(error).toMatchObject({ module: 'b', tick: 3, reason: "fake engine of 'b' told to fail at tick 3" });
    expect(runner.phase).toBe('failed');
    expect(() => runner.runTick()).toThrow(/cannot run a tick while the network is failed/);
    await runner.close();
  });

  it('an adapter that cannot be loaded fails at creation, naming the worker and its modules', async () => {
    await expect(WorkerRunner.create(network(), { seed: 1, adapter: { href: new URL('./no-such-adapter.ts', import.meta.url).href }, placement: { kind: 'workers', workers: 1 } }))
      .rejects.toThrow(/worker 0 \(modules a, b, c\) failed to start: adapter '.*no-such-adapter\.ts' could not be loaded/);
  });

  it('each worker reports the thread priority it asked for and got, on its own thread', async () => {
    const runner = await WorkerRunner.create(network(), { seed: 1, adapter: { href: FAKE_ADAPTER_HREF }, placement: { kind: 'workers', workers: 2 } });
    expect(runner.threadPriorities.map((p) => [p.requested, p.applied])).toEqual([['normal', 'normal'], ['normal', 'normal']]);
    if (process.platform === 'linux') {
      const [a, b] = runner.threadPriorities.map((p) => p.tid);
      expect(a).not.toBe(b);
      expect(a).not.toBe(process.pid);
    }
    await runner.close();
  });

  it.runIf(process.platform === 'linux')('workers pin their threads to placement.cpus in turn; a CPU that cannot be had fails at creation', async () => {
    const runner = await WorkerRunner.create(network(), { seed: 1, adapter: { href: FAKE_ADAPTER_HREF }, placement: { kind: 'workers', workers: 2, cpus: [0] } });
    for (const p of runner.threadPriorities) expect(spawnSync('taskset', ['--pid', '--cpu-list', String(p.tid)], { encoding: 'utf8' }).stdout).toMatch(/current affinity list: 0\n/);
    await runner.close();
    await expect(WorkerRunner.create(network(), { seed: 1, adapter: { href: FAKE_ADAPTER_HREF }, placement: { kind: 'workers', workers: 1, cpus: [4095] } }))
      .rejects.toThrow(/worker 0 \(modules a, b, c\) failed to start: cannot pin to CPU 4095 \(placement.cpus\)/);
    await expect(WorkerRunner.create(network(), { seed: 1, adapter: { href: FAKE_ADAPTER_HREF }, placement: { kind: 'workers', workers: 1, cpus: [-1] } }))
      .rejects.toThrow(/placement.cpus: CPU numbers are integers ≥ 0, got -1/);
  });
});
