import { from, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ModuleSpikeFrame } from '../../runtime/module-core.ts';
import {
  classifyRates, IDLE, MIXED, stateRates, WM_THRESHOLDS, workingMemoryMachine, workingMemoryStates,
  type RateSample, type WmStateEvent,
} from '../../runtime/working-memory-machine.ts';
import type { Network } from '../../src/graph/network.ts';

const LABELS = ['A', 'B'];
const T = WM_THRESHOLDS;
const between = (T.onHz + T.offHz) / 2;

/** A synthetic rate stream: segments of [durationMs, rate A, rate B], one sample every 5 ms. */
function stream(segments: [number, number, number][], everyMs = 5): RateSample[] {
  const out: RateSample[] = [];
  let t = 0;
  for (const [d, a, b] of segments) {
    for (let k = 0; k < d; k += everyMs) {
      t += everyMs;
      out.push({ timeMs: t, rates: [a, b] });
    }
  }
  return out;
}

function run(samples: RateSample[], thresholds = {}): WmStateEvent[] {
  const events: WmStateEvent[] = [];
  workingMemoryStates(from(samples), { labels: LABELS, thresholds }).subscribe((e) => events.push(e));
  return events;
}

describe('classifyRates (hysteresis, thresholds of WM_THRESHOLDS)', () => {
  it('enters a state only above onHz and dominant by the factor', () => {
    expect(classifyRates([3 * T.onHz, 2], IDLE, LABELS, T)).toBe('A');
    expect(classifyRates([T.onHz - 1, 0], IDLE, LABELS, T)).toBe(IDLE);
    expect(classifyRates([2, T.onHz + 5], IDLE, LABELS, T)).toBe('B');
  });
  it('holds the current state between offHz and onHz (hysteresis)', () => {

    expect(classifyRates([between, 0.5], 'A', LABELS, T)).toBe('A');
    expect(classifyRates([between, 0.5], IDLE, LABELS, T)).toBe(IDLE);
    expect(classifyRates([T.offHz - 1, 0.5], 'A', LABELS, T)).toBe(IDLE);
  });
  it('switches to a dominant other state and reports two non-dominant active states as mixed', () => {
    expect(classifyRates([T.onHz + 5, (T.dominance + 0.2) * (T.onHz + 5)], 'A', LABELS, T)).toBe('B');
    expect(classifyRates([2.5 * T.onHz, 3 * T.onHz], 'A', LABELS, T)).toBe(MIXED);
    expect(classifyRates([between, between], MIXED, LABELS, T)).toBe(MIXED);
    expect(classifyRates([T.offHz / 2, between], MIXED, LABELS, T)).toBe(IDLE);
  });
});

describe('workingMemoryStates on synthetic rate streams', () => {
  it('starts idle, enters A after the dwell, and timestamps the onset of the rates', () => {
    const events = run(stream([[100, 1, 1], [300, 120, 1]]));
    expect(events.map((e) => e.state)).toEqual([IDLE, 'A']);
    // The first A sample is at 105 ms; 25 ms of dwell make the machine change at 130 ms.
    expect(events[1]!.since).toBe(105);
    expect(events[1]!.transition).toEqual({ from: IDLE, to: 'A', atMs: 105, detectedAtMs: 130 });
  });

  it('ignores blips shorter than the dwell', () => {
    const events = run(stream([[100, 1, 1], [15, 120, 1], [100, 1, 1]]));
    expect(events.map((e) => e.state)).toEqual([IDLE]);
  });

  it('holds A while its rate sags between offHz and onHz, and falls back to idle below offHz', () => {
    const events = run(stream([[50, 1, 1], [200, 120, 1], [500, 25, 1], [200, 5, 1]]));
    expect(events.map((e) => e.state)).toEqual([IDLE, 'A', IDLE]);
    expect(events[2]!.transition!.atMs).toBe(755);
  });

  it('switches A → B through a short overlap without reporting mixed', () => {
    const events = run(stream([[50, 1, 1], [300, 140, 0], [60, 130, 150], [300, 0, 140]]));
    expect(events.map((e) => e.state)).toEqual([IDLE, 'A', 'B']);
    expect(events[2]!.transition).toMatchObject({ from: 'A', to: 'B', atMs: 415 });
  });

  it('reports a lasting both-up state as mixed', () => {
    const events = run(stream([[50, 1, 1], [300, 140, 0], [400, 130, 140]]));
    expect(events.map((e) => e.state)).toEqual([IDLE, 'A', MIXED]);
    expect(events[2]!.transition!.detectedAtMs - events[2]!.transition!.atMs).toBe(WM_THRESHOLDS.mixedDwellMs);
  });

  it('takes thresholds as options', () => {
    const events = run(stream([[50, 1, 1], [300, 30, 1]]), { onHz: 25, offHz: 10 });
    expect(events.map((e) => e.state)).toEqual([IDLE, 'A']);
  });

  it('rejects reserved or duplicate labels and thresholds without hysteresis', () => {
    expect(() => workingMemoryMachine({ labels: ['A', 'idle'] })).toThrow(/reserved/);
    expect(() => workingMemoryMachine({ labels: ['A', 'A'] })).toThrow(/distinct/);
    expect(() => workingMemoryMachine({ labels: LABELS, thresholds: { onHz: 20, offHz: 30 } })).toThrow(/offHz < onHz/);
  });
});

describe('stateRates', () => {
  /** Two modules of one population each (sizes 10 and 30), as plain data. */
  const network: Network = {
    modules: [
      { id: 'm0', graph: { populations: [{ id: 'p', size: 10, cell: 'Pyr' }, { id: 'q', size: 5, cell: 'PV' }], projections: [], stimuli: [], probes: [] } },
      { id: 'm1', graph: { populations: [{ id: 'p', size: 30, cell: 'Pyr' }], projections: [], stimuli: [], probes: [] } },
    ],
    links: [],
  };
  const frame = (module: string, tick: number, counts: number[]): ModuleSpikeFrame => ({
    module, tick, populations: module === 'm0' ? ['p', 'q'] : ['p'], counts: Int32Array.from(counts), indices: [],
  });

  it('pools a group over modules, over a window, whatever the module order within a tick', () => {
    const spikes = new Subject<ModuleSpikeFrame>();
    const samples: RateSample[] = [];
    stateRates(spikes, { network, groups: [[{ module: 'm0', population: 'p' }, { module: 'm1', population: 'p' }], [{ module: 'm0', population: 'q' }]], windowMs: 4, everyMs: 2 }).subscribe((s) => samples.push(s));
    for (let t = 0; t < 6; t++) {
      // 4 spikes per tick in the pooled 40 cells (100 Hz), 1 in q's 5 cells (200 Hz); order alternates.
      const fs = [frame('m0', t, [1, 1]), frame('m1', t, [3])];
      for (const f of t % 2 ? fs.reverse() : fs) spikes.next(f);
    }
    expect(samples.map((s) => s.timeMs)).toEqual([2, 4, 6]);
    for (const s of samples) {
      expect(s.rates[0]).toBeCloseTo(100, 9);
      expect(s.rates[1]).toBeCloseTo(200, 9);
    }
  });

  it('names a group member that is not in the network', () => {
    expect(() => stateRates(new Subject(), { network, groups: [[{ module: 'm1', population: 'q' }]] })).toThrow(/'m1'.'q'/);
  });
});
