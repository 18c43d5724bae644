import { describe, expect, it } from 'vitest';
import { SimulatedClock, systemClock } from '../../runtime/clock.ts';

describe('SimulatedClock', () => {
  it('fires due timers in time order, then creation order, as time passes them', () => {
    const clock = new SimulatedClock();
    const log: string[] = [];
    clock.setTimeout(() => log.push(`b@${clock.now()}`), 5);
    clock.setTimeout(() => log.push(`a@${clock.now()}`), 2);
    clock.setTimeout(() => log.push(`c@${clock.now()}`), 5);
    const cancelled = clock.setTimeout(() => log.push('never'), 3);
    clock.clearTimeout(cancelled);
    clock.increment(4);
    expect(log).toEqual(['a@2']);
    expect(clock.now()).toBe(4);
    clock.increment(10);
    expect(log).toEqual(['a@2', 'b@5', 'c@5']);
    expect(clock.now()).toBe(14);
    expect(clock.pending).toBe(0);
  });

  it('fires timers scheduled by timers, and lets a callback move time on without going back', () => {
    const clock = new SimulatedClock();
    const log: number[] = [];
    const tick = (): void => {
      log.push(clock.now());
      clock.increment(0.5); // the work of a tick takes simulated time
      if (log.length < 4) clock.setTimeout(tick, 1);
    };
    clock.setTimeout(tick, 0);
    clock.set(100);
    expect(log).toEqual([0, 1.5, 3, 4.5]);
    expect(clock.now()).toBe(100);
    clock.set(50);
    expect(clock.now()).toBe(100);
  });
});

describe('systemClock', () => {
  it('runs a 0-ms timeout as an immediate, and cancels both kinds', async () => {
    const log: string[] = [];
    systemClock.clearTimeout(systemClock.setTimeout(() => log.push('cancelled 0'), 0));
    systemClock.clearTimeout(systemClock.setTimeout(() => log.push('cancelled 1'), 1));
    await new Promise<void>((resolve) => systemClock.setTimeout(() => resolve(), 0));
    await new Promise<void>((resolve) => systemClock.setTimeout(() => resolve(), 2));
    expect(log).toEqual([]);
    expect(systemClock.now()).toBeGreaterThan(0);
  });
});
