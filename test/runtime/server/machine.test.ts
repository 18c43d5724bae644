import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { stateLabel, workingMemoryMachineFactory, type MachineEvent } from '../../../runtime/server/machine.ts';
import { demoNetwork } from '../../../runtime/server/demo-network.ts';
import type { ModuleSpikeFrame } from '../../../runtime/module-core.ts';

/** Frames of both demo modules in which pool `k` fires at `hz` (every other population silent). */
function frames(net: ReturnType<typeof demoNetwork>, tick: number, k: number | null, hz: number): ModuleSpikeFrame[] {
  return net.network.modules.map((m) => {
    const pops = m.graph.populations;
    const counts = new Int32Array(pops.length);
    pops.forEach((p, i) => {
      if (k !== null && p.id === net.ids[m.id]?.pools[k]) counts[i] = Math.round((p.size * hz) / 1000);
    });
    return { module: m.id, tick, populations: pops.map((p) => p.id), counts, indices: pops.map((p) => new Int32Array(p.size)) };
  });
}

describe('workingMemoryMachineFactory (the working-memory machine behind the server)', () => {
  const net = demoNetwork();
  const context = (spikes$: Subject<ModuleSpikeFrame>) => ({
    network: net.network,
    spikes$,
    statePools: net.statePools,
  });

  it('declares idle, one state per pool and mixed, with the edges the controls drive', () => {
    const { spec } = workingMemoryMachineFactory()(context(new Subject()));
    expect(spec).toMatchObject({ states: ['idle', 'A', 'B', 'mixed'], initial: 'idle', provisional: false });
    expect(spec.transitions).toContainEqual({ from: 'idle', to: 'A', input: 'cue 0' });
    expect(spec.transitions).toContainEqual({ from: 'A', to: 'B', input: 'cue 1' });
    expect(spec.transitions).toContainEqual({ from: 'B', to: 'idle', input: 'reset' });
    expect(stateLabel(2)).toBe('C');
  });

  it('reports idle, then the state of the pool that holds an up-state, then idle again', () => {
    const spikes$ = new Subject<ModuleSpikeFrame>();
    const events: MachineEvent[] = [];
    workingMemoryMachineFactory()(context(spikes$)).events$.subscribe((e) => events.push(e));
    let t = 0;
    const feed = (k: number | null, hz: number, ticks: number): void => {
      for (let i = 0; i < ticks; i++, t++) for (const f of frames(net, t, k, hz)) spikes$.next(f);
    };
    feed(null, 0, 100);
    feed(1, 200, 200);
    feed(null, 0, 200);
    expect(events.map((e) => e.state)).toEqual(['idle', 'B', 'idle']);
    expect(events[1]!.transition).toMatchObject({ from: 'idle', to: 'B' });
    expect(events[1]!.since).toBe(events[1]!.transition!.atMs);
    expect(events[1]!.transition!.detectedAtMs).toBeGreaterThan(events[1]!.since);
  });
});
