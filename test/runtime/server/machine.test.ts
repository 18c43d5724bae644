import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { provisionalMachine, RateThresholdMachine, type MachineEvent } from '../../../runtime/server/machine.ts';

describe('RateThresholdMachine (provisional)', () => {
  it('declares two states and their edges, marked provisional', () => {
    const m = new RateThresholdMachine();
    expect(m.spec).toMatchObject({ states: ['rest', 'hold'], initial: 'rest', provisional: true });
    expect(m.spec.transitions).toEqual([{ from: 'rest', to: 'hold', input: 'cue' }, { from: 'hold', to: 'rest', input: 'reset' }]);
  });

  it('switches after dwellTicks ticks of evidence, with hysteresis between the thresholds', () => {
    const m = new RateThresholdMachine({ onHz: 40, offHz: 10, dwellTicks: 5 });
    const events: MachineEvent[] = [];
    m.events$.subscribe((e) => events.push(e));
    let t = 0;
    const feed = (hz: number[], ticks: number): void => {
      for (let i = 0; i < ticks; i++) m.observe(t++, hz);
    };
    feed([50, 0], 4); // not long enough
    feed([0, 0], 1);
    feed([0, 50], 5); // ticks 5…9
    expect(events.at(-1)).toEqual({ state: 'hold', since: 5, transition: { from: 'rest', to: 'hold', input: 'cue' } });
    feed([20, 20], 100); // between thresholds: holds
    expect(events).toHaveLength(2);
    feed([5, 5], 5);
    expect(events.at(-1)).toMatchObject({ state: 'rest', transition: { from: 'hold', to: 'rest', input: 'reset' } });
  });

  it('provisionalMachine observes the pool rates it is given and stops on dispose', () => {
    const poolHz$ = new Subject<{ tick: number; hz: Float32Array }>();
    const source = provisionalMachine({ poolHz$ });
    const states: string[] = [];
    source.events$.subscribe((e) => states.push(e.state));
    for (let t = 0; t < 60; t++) poolHz$.next({ tick: t, hz: Float32Array.of(100, 0) });
    expect(states).toEqual(['rest', 'hold']);
    source.dispose();
    for (let t = 60; t < 200; t++) poolHz$.next({ tick: t, hz: Float32Array.of(0, 0) });
    expect(states).toEqual(['rest', 'hold']);
  });
});
