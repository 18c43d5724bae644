import { describe, expect, it } from 'vitest';
import { createRunner } from '../../../runtime/create-runner.ts';
import { demoNetwork } from '../../../runtime/server/demo-network.ts';
import { LIVE_DEFAULTS } from '../../../runtime/server/live-sim.ts';
import { validateNetwork } from '../../../src/graph/network.ts';

/**
 * The demo network on the loop runner, with a phase clock: `phase(ms)` runs ms ticks and returns
 * the mean rate (Hz) of pool 0 and pool 1 over both modules; `drive(input, hz)` sets an input of
 * both modules ('pool0', 'pool1' or 'reset').
 */
async function demoRun(seed: number, couplingP?: number) {
  const { network, ids, resets } = demoNetwork(couplingP === undefined ? {} : { couplingP });
  const runner = await createRunner(network, { seed, placement: { kind: 'loop' } });
  const counts = [0, 0];
  runner.spikes$.subscribe((f) => f.populations.forEach((p, i) => {
    for (const k of [0, 1]) if (p === ids[f.module]!.pools[k]) counts[k]! += f.counts[i]!;
  }));
  runner.start();
  const phase = (ms: number): number[] => {
    counts.fill(0);
    for (let t = 0; t < ms; t++) runner.runTick();
    return counts.map((c) => c / (2 * 80) / (ms / 1000));
  };
  const drive = (input: 'pool0' | 'pool1' | 'reset', hz: number): void => {
    for (const m of ['a', 'b']) runner.setRate(m, input === 'reset' ? resets[m]! : ids[m]!.inputs[input === 'pool0' ? 0 : 1]!, hz);
  };
  return { phase, drive, close: () => runner.close() };
}

/** Mean rate (Hz) of pool k, over both modules, in each phase of a cue → hold → reset script. */
async function script(couplingP: number, cycles = 1): Promise<Record<string, number[]>> {
  const run = await demoRun(2, couplingP);
  const out: Record<string, number[]> = {};
  const phase = (name: string, ms: number): void => void (out[name] = run.phase(ms));
  for (let c = 0; c < cycles; c++) {
    const key = (name: string): string => (c === 0 ? name : `${name}${c}`);
    phase(key('rest'), 300);
    run.drive('pool0', 40);
    phase(key('cue'), 300);
    run.drive('pool0', 0);
    phase(key('settle'), 200);
    phase(key('hold'), 800 + 300 * c);
    run.drive('reset', 150);
    phase(key('reset'), 200);
    run.drive('reset', 0);
    phase(key('after'), 500);
  }
  await run.close();
  return out;
}

describe('demo network (two coupled sWTA modules)', () => {
  it('is a valid network: 2 modules, one link per pool and direction', () => {
    const { network } = demoNetwork();
    expect(validateNetwork(network).modules.map((m) => m.id)).toEqual(['a', 'b']);
    expect(network.links.map((l) => l.id)).toEqual(['b.pyr0->a', 'b.pyr1->a', 'a.pyr0->b', 'a.pyr1->b']);
  });

  it('a cue ignites a pool pair that the coupling holds after the cue; the reset input quenches it, cycle after cycle; uncoupled, it decays', async () => {
    const coupled = await script(0.2, 3);
    for (const c of ['', '1', '2']) {
      expect(coupled[`rest${c}`]![0]).toBeLessThan(5);
      expect(coupled[`cue${c}`]![0]).toBeGreaterThan(100);
      expect(coupled[`hold${c}`]![0]).toBeGreaterThan(60); // persists ≥ 1 s after the cue
      expect(coupled[`hold${c}`]![1]).toBeLessThan(5); // the other pool stays suppressed
      expect(coupled[`after${c}`]![0]).toBeLessThan(5);
    }
    const control = await script(0);
    expect(control.cue![0]).toBeGreaterThan(50);
    expect(control.hold![0]).toBeLessThan(5);
  });

  it('a cue onto a held state switches it once the reset pulse has cleared it first, as the server cue does (without clearing, some runs end mixed)', async () => {
    for (const [seed, holdMs] of [[1, 700], [1, 1500], [2, 1500], [3, 1100]] as const) {
      const { phase, drive, close } = await demoRun(seed);
      phase(200);
      drive('pool0', 40);
      phase(300);
      drive('pool0', 0);
      expect(phase(holdMs)[0]).toBeGreaterThan(60);
      // The server's cue of pool 1: the reset pulse, then the cue.
      drive('reset', LIVE_DEFAULTS.reset.rateHz);
      phase(LIVE_DEFAULTS.reset.durationMs);
      drive('reset', 0);
      drive('pool1', LIVE_DEFAULTS.cue.rateHz);
      phase(LIVE_DEFAULTS.cue.durationMs);
      drive('pool1', 0);
      phase(200);
      const [a, b] = phase(300);
      expect(b, `seed ${seed}, hold ${holdMs} ms: pool 1 holds`).toBeGreaterThan(60);
      expect(a, `seed ${seed}, hold ${holdMs} ms: pool 0 released`).toBeLessThan(5);
      await close();
    }
  });

  it('the server reset quenches a pool even in its cue onset burst (the reset lands 10–300 ms into the cue)', async () => {
    for (const [seed, atMs] of [[1, 80], [3, 80], [2, 10], [1, 300]] as const) {
      const { phase, drive, close } = await demoRun(seed);
      phase(200);
      drive('pool1', LIVE_DEFAULTS.cue.rateHz);
      phase(atMs);
      drive('pool1', 0);
      drive('reset', LIVE_DEFAULTS.reset.rateHz);
      phase(LIVE_DEFAULTS.reset.durationMs);
      drive('reset', 0);
      phase(200);
      const rates = phase(500);
      expect(Math.max(...rates), `seed ${seed}, reset ${atMs} ms into the cue: idle`).toBeLessThan(5);
      await close();
    }
  });
});
