import { describe, expect, it } from 'vitest';
import { RESTORATION, fisherZDelta, restorationStats, scenario, type RestorationTrial } from '../../scenarios/swta/restoration.ts';
import { meanCi, pearson } from '../../src/stats.ts';

/** A trial carrying only what restorationStats reads. */
function trial(rIn: number, rOut: number, peakIn: number, peakOut: number): RestorationTrial {
  return { seed: 0, centre: 3, clean: [], input: [], output: [], inputCorrelation: rIn, outputCorrelation: rOut, fisherZDelta: fisherZDelta(rIn, rOut), inputPeakErrorPools: peakIn, outputPeakErrorPools: peakOut };
}

describe('sWTA signal restoration: the measuring code', () => {
  it('paired Fisher-z statistic of a hand example: 3 seeds, mean 0.1831, 95 % CI [−0.3275, 0.6938] (t, 2 df) includes 0', () => {
    // Δz = atanh(0.6) − atanh(0.5), atanh(0.8) − atanh(0.6), 0 (scipy: mean 0.18310, sd 0.20556).
    const st = restorationStats([trial(0.5, 0.6, 1, 0), trial(0.6, 0.8, 2, 1), trial(0.7, 0.7, 0, 0)]);
    expect(st.seeds).toBe(3);
    expect(st.fisherZDelta.mean).toBeCloseTo(0.18310204811135164, 12);
    expect(st.fisherZDelta.low).toBeCloseTo(-0.32754724052228434, 9);
    expect(st.fisherZDelta.high).toBeCloseTo(0.6937513367449877, 9);
    expect(st.ciIncludesZero).toBe(true);
    expect(st.inputPeakErrorPools.mean).toBe(1);
    expect(st.outputPeakErrorPools.mean).toBeCloseTo(1 / 3, 12);
    expect(st.peakErrorChange.mean).toBeCloseTo(-2 / 3, 12);
  });

  it('a perfect output correlation stays finite', () => {
    expect(Number.isFinite(fisherZDelta(0.5, 1))).toBe(true);
  });

  it('the quick run (4 seeds from 1) returns per-seed trials whose statistic it recomputes', async () => {
    const { result, table } = await scenario.run({ seed: 1, quick: true });
    const trials = result.trials as RestorationTrial[];
    expect(result.seeds).toBe(RESTORATION.quickSeeds);
    expect(trials.map((t) => t.seed)).toEqual([1, 2, 3, 4]);
    for (const t of trials) {
      expect(t.output).toHaveLength(RESTORATION.pools);
      expect(t.inputCorrelation).toBeCloseTo(pearson(t.input, t.clean), 12);
      expect(t.fisherZDelta).toBeCloseTo(Math.atanh(t.outputCorrelation) - Math.atanh(t.inputCorrelation), 12);
      expect(Number.isInteger(t.outputPeakErrorPools) && t.outputPeakErrorPools >= 0 && t.outputPeakErrorPools < RESTORATION.pools).toBe(true);
    }
    const ci = meanCi(trials.map((t) => t.fisherZDelta));
    const dz = result.fisherZDelta as typeof ci;
    expect(dz.low).toBeCloseTo(ci.low, 12);
    expect(dz.high).toBeCloseTo(ci.high, 12);
    expect(result.ciIncludesZero).toBe(ci.low <= 0 && 0 <= ci.high);
    expect(table.some((l) => l.includes('CI'))).toBe(true);
  });
});
