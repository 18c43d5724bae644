import { describe, expect, it } from 'vitest';
import { runOurCoba } from '../../scenarios/coba/network.ts';
import { runBrian2 } from '../../scenarios/brian2/run.ts';

/**
 * The COBA benchmark network simulates the same model in both simulators —
 * the full 4000 neurons, for 500 ms, mean rates within 15 %. Brian2 runs with the numpy target
 * (no compiler needed, quickest to start). No timing assertions: the benchmark measures speed.
 * Brian2 must be installed (`apt-get install python3-brian`): this test fails, it never skips.
 *
 * The two simulators draw different random networks, and one network's rate depends on its draw:
 * over seeds 1–8 (500 ms) single networks ranged 18.6–23.1 Hz here and 19.7–24.1 Hz in Brian2,
 * so one seed against one seed could differ by 20 % with identical models. Both sides therefore
 * average four networks (seeds 1–4); the model comparison is then what the 15 % bounds.
 */

const DURATION_MS = 500;
const SEEDS = [1, 2, 3, 4];
const RATE_TOLERANCE = 0.15;

describe('COBA network: our engine against Brian2', () => {
  it(`mean rates within ${RATE_TOLERANCE * 100} % over ${DURATION_MS} ms`, async () => {
    const brian = await runBrian2<{ rateHz: number; perSeed: { seed: number; rateHz: number }[] }>('scenarios/brian2/coba.py', {}, {
      args: ['--device', 'numpy', '--duration-ms', String(DURATION_MS), '--seeds', SEEDS.join(','), '--warmup-ms', '0.1'],
      timeoutMs: 280_000,
    });
    const ourRates = SEEDS.map((seed) => runOurCoba({ durationMs: DURATION_MS, repeats: 1, seed, warmupMs: 0 }).rateHz);
    const ours = ourRates.reduce((a, b) => a + b, 0) / ourRates.length;
    const list = (xs: readonly number[]): string => xs.map((x) => x.toFixed(2)).join(', ');
    const where = `mean over seeds ${SEEDS.join(',')}: ours ${ours.toFixed(2)} Hz (${list(ourRates)}), ` +
      `Brian2 ${brian.rateHz.toFixed(2)} Hz (${list(brian.perSeed.map((r) => r.rateHz))})`;
    // A silent or saturated network would agree trivially; Vogels–Abbott COBA with this drive fires at about 20–25 Hz.
    expect(brian.rateHz, where).toBeGreaterThan(5);
    expect(brian.rateHz, where).toBeLessThan(100);
    expect(Math.abs(ours - brian.rateHz) / brian.rateHz, where).toBeLessThanOrEqual(RATE_TOLERANCE);
  }, 300_000);
});
