import { describe, expect, it } from 'vitest';
import { SimulatedClock, type TimeSource } from '../../runtime/clock.ts';
import { createRunner } from '../../runtime/create-runner.ts';
import { Pacer, type ClockStatus, type DeadlineMiss, type PacedRunner } from '../../runtime/pacer.ts';
import type { RunnerPhase } from '../../runtime/runner.ts';
import { FAKE_ADAPTER_HREF, fakeGraph } from './fake-adapter.ts';

/** A runner whose tick k "takes" costMs(k) of simulated wall time; hooks run inside the tick. */
class FakeRunner implements PacedRunner {
  tick = 0;
  phase: RunnerPhase = 'idle';
  readonly calls: string[] = [];
  constructor(
    private readonly clock: SimulatedClock,
    private readonly costMs: (k: number) => number,
    private readonly during: (k: number) => void = () => undefined,
  ) {}
  start(): void {
    this.calls.push('start');
    this.phase = 'running';
  }
  runTick(): void {
    if (this.phase !== 'running') throw new Error(`runTick while ${this.phase}`);
    this.clock.increment(this.costMs(this.tick));
    this.during(this.tick);
    this.tick++;
  }
  pause(): void {
    this.calls.push(`pause@${this.tick}`);
    this.phase = 'paused';
  }
  resume(): void {
    this.calls.push(`resume@${this.tick}`);
    this.phase = 'running';
  }
}

/** Let virtual time pass until the run settles (timers fire in order inside set()). */
async function settle(clock: SimulatedClock, run: Promise<ClockStatus>, horizonMs = 10_000): Promise<ClockStatus> {
  clock.increment(horizonMs);
  return run;
}

describe('Pacer', () => {
  it('fast: runs the ticks back to back and reports the achieved real-time factor', async () => {
    const clock = new SimulatedClock();
    const runner = new FakeRunner(clock, () => 0.25);
    const pacer = new Pacer(runner, { clock, pacing: { mode: 'fast' } });
    const s = await settle(clock, pacer.run(400));
    expect(s).toMatchObject({ phase: 'idle', tick: 400, simulatedMs: 400, wallMs: 100, realTimeFactor: 0.25, busyFactor: 0.25, deadlineMisses: 0 });
    expect(s.targetRealTimeFactor).toBeNaN();
    expect(runner.calls).toEqual(['start']);
  });

  it('real time: each tick waits for its slot, so the run takes its simulated time × timeScale', async () => {
    const clock = new SimulatedClock();
    const runner = new FakeRunner(clock, () => 0.25);
    const pacer = new Pacer(runner, { clock, pacing: { mode: 'realtime', timeScale: 2 } });
    const s = await settle(clock, pacer.run(100));
    // Tick 99 starts at 198 ms and ends at 198.25 ms.
    expect(s).toMatchObject({ tick: 100, simulatedMs: 100, wallMs: 198.25, targetRealTimeFactor: 2, busyFactor: 0.25, deadlineMisses: 0, maxLagMs: 0 });
    expect(s.realTimeFactor).toBeCloseTo(1.9825, 10);
  });

  it('real time: a late timer does not make ticks late when the clock can sleep (short waits slept on the thread)', async () => {
    // Timers as coarse as Node's: at least 1 ms, rounded up, and a millisecond late.
    const run = async (canSleep: boolean): Promise<{ s: ClockStatus; sleeps: number }> => {
      const clock = new SimulatedClock();
      let sleeps = 0;
      const source: TimeSource = {
        now: () => clock.now(),
        setTimeout: (fn, ms) => clock.setTimeout(fn, ms > 0 ? Math.ceil(ms) + 1 : 0),
        clearTimeout: (h) => clock.clearTimeout(h),
        ...(canSleep ? { sleep: (ms: number) => void (sleeps++, clock.increment(ms)) } : {}),
      };
      const s = await settle(clock, new Pacer(new FakeRunner(clock, () => 0.25), { clock: source, pacing: { mode: 'realtime', timeScale: 1, slackMs: 0 } }).run(50));
      return { s, sleeps };
    };
    const precise = await run(true);
    // Every tick starts at its slot: tick 49 starts at 49 ms and ends at 49.25 ms.
    expect(precise.s).toMatchObject({ tick: 50, wallMs: 49.25, deadlineMisses: 0, maxLagMs: 0 });
    expect(precise.sleeps).toBe(49);
    // On the timer alone the same run misses: each tick after a sleep starts a millisecond or more late.
    expect((await run(false)).s.deadlineMisses).toBeGreaterThan(0);
  });

  it('real time: counts every tick that ends after its slot + slack, catches up without skipping, reports the lag', async () => {
    // Ticks 10–19 cost 1.5 ms in 1-ms slots: tick 10 + j ends 0.5 (j + 1) ms late (5 ms at tick 19);
    // ticks from 20 on cost 0.25 ms and gain 0.75 ms each: tick 20 + j is 4.25 − 0.75 j ms late.
    const cost = (k: number): number => (k >= 10 && k < 20 ? 1.5 : 0.25);
    const strict = async (slackMs: number): Promise<ClockStatus> => {
      const clock = new SimulatedClock();
      return settle(clock, new Pacer(new FakeRunner(clock, cost), { clock, pacing: { mode: 'realtime', timeScale: 1, slackMs } }).run(60));
    };
    const s0 = await strict(0);
    // Late: ticks 10–19 and 20–25 (tick 26 ends 0.25 ms early).
    expect(s0).toMatchObject({ tick: 60, deadlineMisses: 16, maxLagMs: 5, lagMs: 0 });
    // Slack 2 ms: ticks 14–19 (2.5 … 5 ms) and 20–22 (4.25, 3.5, 2.75 ms).
    expect((await strict(2)).deadlineMisses).toBe(9);
    // The same misses one by one on deadlineMisses$, with how late and when (clock time).
    const clock = new SimulatedClock();
    const pacer = new Pacer(new FakeRunner(clock, cost), { clock, pacing: { mode: 'realtime', timeScale: 1, slackMs: 2 } });
    const misses: DeadlineMiss[] = [];
    pacer.deadlineMisses$.subscribe((m) => misses.push(m));
    await settle(clock, pacer.run(60));
    expect(misses.map((m) => m.tick)).toEqual([14, 15, 16, 17, 18, 19, 20, 21, 22]);
    expect(misses.map((m) => m.lateMs)).toEqual([2.5, 3, 3.5, 4, 4.5, 5, 4.25, 3.5, 2.75]);
    for (const m of misses) expect(m.atMs).toBe(m.tick + 1 + m.lateMs);
    // Default slack 5 ms: the worst tick is exactly 5 ms late, which is not a miss.
    expect((await strict(5)).deadlineMisses).toBe(0);
  });

  it('publishes status every statusEveryTicks ticks and at each phase change', async () => {
    const clock = new SimulatedClock();
    const pacer = new Pacer(new FakeRunner(clock, () => 0.5), { clock, statusEveryTicks: 10 });
    const seen: [string, number][] = [];
    pacer.status$.subscribe((s) => seen.push([s.phase, s.tick]));
    await settle(clock, pacer.run(25));
    expect(seen).toEqual([['idle', 0], ['running', 0], ['running', 10], ['running', 20], ['idle', 25]]);
    expect(pacer.status.recentRealTimeFactor).toBe(0.5);
  });

  it('pause takes effect after the current tick, pauses the modules, and the pause is neither wall time nor lag', async () => {
    const clock = new SimulatedClock();
    let pacer!: Pacer;
    const runner = new FakeRunner(clock, () => 0.5, (k) => {
      if (k === 29) pacer.pause(); // e.g. a spike subscriber reacting within tick 29
    });
    pacer = new Pacer(runner, { clock, pacing: { mode: 'realtime', timeScale: 1, slackMs: 0 } });
    const run = pacer.run(60);
    clock.increment(40);
    expect(pacer.status).toMatchObject({ phase: 'paused', tick: 30, wallMs: 29.5 });
    clock.increment(500);
    expect(pacer.status.tick).toBe(30);
    pacer.resume();
    const s = await settle(clock, run);
    // Two stretches of 29.5 ms each: ticks 0–29, then 30–59 on a schedule anchored at resume().
    expect(s).toMatchObject({ phase: 'idle', tick: 60, wallMs: 59, deadlineMisses: 0 });
    expect(runner.calls).toEqual(['start', 'pause@30', 'resume@30']);
  });

  it('stop ends the run after the current tick; a later run continues from there', async () => {
    const clock = new SimulatedClock();
    let pacer!: Pacer;
    const runner = new FakeRunner(clock, () => 1, (k) => {
      if (k === 9) pacer.stop();
    });
    pacer = new Pacer(runner, { clock });
    expect(await settle(clock, pacer.run())).toMatchObject({ phase: 'stopped', tick: 10 });
    expect(await settle(clock, pacer.run(5))).toMatchObject({ phase: 'idle', tick: 15, simulatedMs: 15 });
  });

  it('a failing tick rejects the run with its error and leaves the reason in the status', async () => {
    const clock = new SimulatedClock();
    const runner = new FakeRunner(clock, () => 0.1, (k) => {
      if (k === 5) throw new Error("module 'm1' failed at tick 5: boom");
    });
    const pacer = new Pacer(runner, { clock });
    const run = pacer.run(20);
    clock.increment(1);
    await expect(run).rejects.toThrow(/boom/);
    expect(pacer.status).toMatchObject({ phase: 'failed', tick: 5, error: "module 'm1' failed at tick 5: boom" });
    expect(() => pacer.run(1)).toThrow(/the clock failed/);
  });

  it('rejects bad options and a second concurrent run', () => {
    const clock = new SimulatedClock();
    const runner = new FakeRunner(clock, () => 1);
    expect(() => new Pacer(runner, { clock, pacing: { mode: 'realtime', timeScale: 0 } })).toThrow(/timeScale must be a finite number > 0 \(1 = real time\), got 0/);
    expect(() => new Pacer(runner, { clock, pacing: { mode: 'realtime', slackMs: -1 } })).toThrow(/slackMs must be ≥ 0/);
    const pacer = new Pacer(runner, { clock });
    void pacer.run(10);
    expect(() => pacer.run(10)).toThrow(/already running/);
  });
});

describe('Pacer driving a network runner', () => {
  it('runs every module tick by tick and reports them (fast, system clock; no time is asserted)', async () => {
    const runner = await createRunner(
      { modules: [{ id: 'a', graph: fakeGraph('a') }, { id: 'b', graph: fakeGraph('b') }], links: [{ id: 'a->b', from: { module: 'a', population: 'P' }, to: { module: 'b', source: 'in' }, rule: 'oneToOne' }] },
      { seed: 1, adapter: { href: FAKE_ADAPTER_HREF }, placement: { kind: 'actors' } },
    );
    const ticks: Record<string, number[]> = { a: [], b: [] };
    runner.spikes$.subscribe((f) => ticks[f.module]!.push(f.tick));
    const pacer = new Pacer(runner, { statusEveryTicks: 50 });
    const statuses: ClockStatus[] = [];
    pacer.status$.subscribe((s) => statuses.push(s));
    const final = await pacer.run(120);
    expect(final).toMatchObject({ phase: 'idle', tick: 120, simulatedMs: 120, deadlineMisses: 0 });
    expect(final.realTimeFactor).toBeGreaterThan(0);
    expect(ticks.a).toEqual(Array.from({ length: 120 }, (_, t) => t));
    expect(ticks.b).toEqual(ticks.a);
    expect(statuses.map((s) => s.tick)).toEqual([0, 0, 50, 100, 120]);
    await runner.close();
  });
});
