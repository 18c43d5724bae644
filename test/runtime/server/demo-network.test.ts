import { describe, expect, it } from 'vitest';
import { createRunner } from '../../../runtime/create-runner.ts';
import { demoNetwork } from '../../../runtime/server/demo-network.ts';
import { LIVE_DEFAULTS } from '../../../runtime/server/live-sim.ts';
import { validateNetwork } from '../../../src/graph/network.ts';

/** Mean rate (Hz) of pool k, over both modules, in each phase of a cue → hold → reset script. */
async function script(couplingP: number, cycles = 1): Promise<Record<string, number[]>> {
  const { network, ids, resets } = demoNetwork({ couplingP });
  const runner = await createRunner(network, { seed: 2, placement: { kind: 'loop' } });
  const counts = [0, 0];
  runner.spikes$.subscribe((f) => {
    f.populations.forEach((p, i) => {
      for (const k of [0, 1]) if (p === ids[f.module]!.pools[k]) counts[k] += f.counts[i]!;
    });
  });
  runner.start();
  const out: Record<string, number[]> = {};
  const phase = (name: string, ms: number): void => {
    counts.fill(0);
    for (let t = 0; t < ms; t++) runner.runTick();
    out[name] = counts.map((c) => c / (2 * 80) / (ms / 1000));
  };
  const both = (f: (m: string) => void): void => ['a', 'b'].forEach(f);
  for (let c = 0; c < cycles; c++) {
    const key = (name: string): string => (c === 0 ? name : `${name}${c}`);
    phase(key('rest'), 300);
    both((m) => runner.setRate(m, ids[m]!.inputs[0]!, 40));
    phase(key('cue'), 300);
    both((m) => runner.setRate(m, ids[m]!.inputs[0]!, 0));
    phase(key('settle'), 200);
    phase(key('hold'), 800 + 300 * c);
    both((m) => runner.setRate(m, resets[m]!, 150));
    phase(key('reset'), 200);
    both((m) => runner.setRate(m, resets[m]!, 0));
    phase(key('after'), 500);
  }
  await runner.close();
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
    const { network, ids, resets } = demoNetwork();
    for (const [seed, holdMs] of [[1, 700], [1, 1500], [2, 1500], [3, 1100]] as const) {
      const runner = await createRunner(network, { seed, placement: { kind: 'loop' } });
      const counts = [0, 0];
      runner.spikes$.subscribe((f) => f.populations.forEach((p, i) => {
        for (const k of [0, 1]) if (p === ids[f.module]!.pools[k]) counts[k] += f.counts[i]!;
      }));
      runner.start();
      const phase = (ms: number): number[] => {
        counts.fill(0);
        for (let t = 0; t < ms; t++) runner.runTick();
        return counts.map((c) => c / (2 * 80) / (ms / 1000));
      };
      const drive = (input: (m: string) => string, hz: number): void => ['a', 'b'].forEach((m) => runner.setRate(m, input(m), hz));
      phase(200);
      drive((m) => ids[m]!.inputs[0]!, 40);
      phase(300);
      drive((m) => ids[m]!.inputs[0]!, 0);
      expect(phase(holdMs)[0]).toBeGreaterThan(60);
      // The server's cue of pool 1: the reset pulse, then the cue.
      drive((m) => resets[m]!, LIVE_DEFAULTS.reset.rateHz);
      phase(LIVE_DEFAULTS.reset.durationMs);
      drive((m) => resets[m]!, 0);
      drive((m) => ids[m]!.inputs[1]!, LIVE_DEFAULTS.cue.rateHz);
      phase(LIVE_DEFAULTS.cue.durationMs);
      drive((m) => ids[m]!.inputs[1]!, 0);
      phase(200);
      const [a, b] = phase(300);
      expect(b, `seed ${seed}, hold ${holdMs} ms: pool 1 holds`).toBeGreaterThan(60);
      expect(a, `seed ${seed}, hold ${holdMs} ms: pool 0 released`).toBeLessThan(5);
      await runner.close();
    }
  });

  it('the server reset quenches a pool even in its cue onset burst (the reset lands 10–300 ms into the cue)', async () => {
    const { network, ids, resets } = demoNetwork();
    for (const [seed, atMs] of [[1, 80], [3, 80], [2, 10], [1, 300]] as const) {
      const runner = await createRunner(network, { seed, placement: { kind: 'loop' } });
      const counts = [0, 0];
      runner.spikes$.subscribe((f) => f.populations.forEach((p, i) => {
        for (const k of [0, 1]) if (p === ids[f.module]!.pools[k]) counts[k] += f.counts[i]!;
      }));
      runner.start();
      const phase = (ms: number): number[] => {
        counts.fill(0);
        for (let t = 0; t < ms; t++) runner.runTick();
        return counts.map((c) => c / (2 * 80) / (ms / 1000));
      };
      const drive = (input: (m: string) => string, hz: number): void => ['a', 'b'].forEach((m) => runner.setRate(m, input(m), hz));
      phase(200);
      drive((m) => ids[m]!.inputs[1]!, LIVE_DEFAULTS.cue.rateHz);
      phase(atMs);
      drive((m) => ids[m]!.inputs[1]!, 0);
      drive((m) => resets[m]!, LIVE_DEFAULTS.reset.rateHz);
      phase(LIVE_DEFAULTS.reset.durationMs);
      drive((m) => resets[m]!, 0);
      phase(200);
      const rates = phase(500);
      expect(Math.max(...rates), `seed ${seed}, reset ${atMs} ms into the cue: idle`).toBeLessThan(5);
      await runner.close();
    }
  });
});

