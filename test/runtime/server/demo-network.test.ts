import { describe, expect, it } from 'vitest';
import { createRunner } from '../../../runtime/create-runner.ts';
import { DEMO_MODULES, demoNetwork, type DemoNetworkOptions } from '../../../runtime/server/demo-network.ts';
import { LIVE_DEFAULTS } from '../../../runtime/server/live-sim.ts';
import { validateNetwork } from '../../../src/graph/network.ts';

/**
 * The demo network on the loop runner, with a phase clock: `phase(ms)` runs ms ticks and returns
 * the mean rate (Hz) of pool 0 and pool 1 over both coupled modules; `drive(input, hz)` sets an
 * input of both ('pool0', 'pool1' or 'reset'). Inputs are the server's (LIVE_DEFAULTS: the motif's pulses).
 */
async function demoRun(seed: number, options: DemoNetworkOptions = {}) {
  const { network, ids, resets } = demoNetwork(options);
  const runner = await createRunner(network, { seed, placement: { kind: 'loop' } });
  const counts = [0, 0];
  runner.spikes$.subscribe((f) => f.populations.forEach((p, i) => {
    for (const k of [0, 1]) if (p === ids[f.module]?.pools[k]) counts[k]! += f.counts[i]!;
  }));
  runner.start();
  const phase = (ms: number): number[] => {
    counts.fill(0);
    for (let t = 0; t < ms; t++) runner.runTick();
    return counts.map((c) => c / (2 * 80) / (ms / 1000));
  };
  const drive = (input: 'pool0' | 'pool1' | 'reset', hz: number): void => {
    for (const m of DEMO_MODULES) runner.setRate(m, input === 'reset' ? resets[m]! : ids[m]!.inputs[input === 'pool0' ? 0 : 1]!, hz);
  };
  const pulse = (input: 'pool0' | 'pool1' | 'reset'): void => {
    const p = input === 'reset' ? LIVE_DEFAULTS.reset : LIVE_DEFAULTS.cue;
    drive(input, p.rateHz);
    phase(p.durationMs);
    drive(input, 0);
  };
  return { phase, drive, pulse, close: () => runner.close() };
}

describe('demo network (the working-memory motif, modules a and b)', () => {
  it('is the motif without its control: coupled modules a and b and the transition module, one link per pool and direction between a and b', () => {
    const { network, statePools } = demoNetwork();
    expect(validateNetwork(network).modules.map((m) => m.id)).toEqual(['a', 'b', 'trans']);
    expect(network.links.filter((l) => l.to.module !== 'trans' && l.from.module !== 'trans').map((l) => l.id)).toEqual(['a.pyr0->b', 'a.pyr1->b', 'b.pyr0->a', 'b.pyr1->a']);
    expect(statePools).toEqual([[{ module: 'a', population: 'a.pyr0' }, { module: 'b', population: 'b.pyr0' }], [{ module: 'a', population: 'a.pyr1' }, { module: 'b', population: 'b.pyr1' }]]);
  });

  it('is spontaneous before a cue, holds a cued pool pair at 20–50 Hz with the other pool below spontaneous-level 2 Hz, and the reset returns it to idle, twice; uncoupled, it decays', async () => {
    const run = await demoRun(2);
    for (let c = 0; c < 2; c++) {
      const rest = run.phase(500);
      expect(Math.max(...rest), `cycle ${c}: spontaneous`).toBeLessThan(3);
      run.pulse('pool0');
      run.phase(300);
      const [held, other] = run.phase(1000);
      expect(held, `cycle ${c}: held`).toBeGreaterThan(20);
      expect(held, `cycle ${c}: held`).toBeLessThan(50);
      expect(other, `cycle ${c}: the other pool`).toBeLessThan(2);
      run.pulse('reset');
      run.phase(200);
      expect(Math.max(...run.phase(500)), `cycle ${c}: after the reset`).toBeLessThan(3);
    }
    await run.close();
    const control = await demoRun(2, { motif: { coupling: { nmdaGNs: 0 } } });
    control.phase(500);
    control.pulse('pool0');
    control.phase(300);
    expect(control.phase(700)[0]).toBeLessThan(3);
    await control.close();
  });

  it('a cue onto a held state switches it once the reset pulse has cleared it and the network settled, as the server cue does', async () => {
    for (const seed of [1, 3]) {
      const run = await demoRun(seed);
      run.phase(300);
      run.pulse('pool0');
      expect(run.phase(800)[0], `seed ${seed}: pool 0 holds`).toBeGreaterThan(20);
      run.pulse('reset');
      run.phase(LIVE_DEFAULTS.reset.settleMs);
      run.pulse('pool1');
      run.phase(300);
      const [a, b] = run.phase(500);
      expect(b, `seed ${seed}: pool 1 holds`).toBeGreaterThan(20);
      expect(a, `seed ${seed}: pool 0 released`).toBeLessThan(3);
      await run.close();
    }
  });

  // A reset that lands inside a cue's onset (pools at 50–70 Hz, their NMDA still rising) does not
  // always hold: in 3 of 8 (seed, time) cases tried, a pool re-ignited within 0.5 s after it. So
  // the server's reset is pinned here on a cue that has ended, where it holds.
  it('the server reset right after a cue returns the network to idle', async () => {
    for (const seed of [2, 3, 4]) {
      const run = await demoRun(seed);
      run.phase(300);
      run.pulse('pool1');
      run.pulse('reset');
      run.phase(200);
      expect(Math.max(...run.phase(500)), `seed ${seed}: idle after the reset`).toBeLessThan(3);
      await run.close();
    }
  });
});
