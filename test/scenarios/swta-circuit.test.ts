/**
 * The sWTA module as a V1 L2/3 circuit: its spontaneous state, how the interneurons follow the
 * pyramidal cells, the evoked ceiling, soft competition and signal restoration. Fixed seeds; tolerances stated per test.
 */
import { describe, expect, it } from 'vitest';
import { CELL_CLASSES } from '../../src/celltypes/l23.ts';
import { DRIVES_HZ, LOW_DRIVES_HZ, MAX_EVOKED_PYR_HZ, scenario as drive, type DriveRow } from '../../scenarios/swta/drive.ts';
import { RESTORATION, scenario as restoration } from '../../scenarios/swta/restoration.ts';
import { spontaneousState, SPONTANEOUS_TARGETS, SUBTHRESHOLD_TARGETS } from '../../scenarios/swta/spontaneous.ts';
import { monotonicViolations, SUPPRESSION, sweepSeed, type SeedSweep } from '../../scenarios/swta/suppression.ts';
import { mean, meanCi } from '../../src/stats.ts';

describe('sWTA circuit: the spontaneous state under the balanced background (seed 3, 4 s)', () => {
  const st = spontaneousState(3);

  it('every class fires inside its awake-V1 spontaneous range (docs/reference/celltypes.md §d2), PV > SST > Pyr', () => {
    for (const c of CELL_CLASSES) {
      expect(st[c].rateHz, c).toBeGreaterThanOrEqual(SPONTANEOUS_TARGETS[c].minHz);
      expect(st[c].rateHz, c).toBeLessThanOrEqual(SPONTANEOUS_TARGETS[c].maxHz);
    }
    expect(st.PV.rateHz).toBeGreaterThan(st.SST.rateHz);
    expect(st.SST.rateHz).toBeGreaterThan(st.Pyr.rateHz);
  });

  // LAMP5 is left out: its fast 150-pA adaptation (§a2) pulls V ~10 mV down for 20–40 ms after each
  // spike, so its V statistics (8.1 mV below V_T, s.d. 4.0 mV) are dominated by those troughs.
  it('Pyr, PV, SST and VIP sit 2–8 mV below V_T with V fluctuations of 2–4 mV s.d.', () => {
    const t = SUBTHRESHOLD_TARGETS;
    for (const c of ['Pyr', 'PV', 'SST', 'VIP'] as const) {
      expect(st[c].belowVtMv, c).toBeGreaterThanOrEqual(t.belowVtMinMv);
      expect(st[c].belowVtMv, c).toBeLessThanOrEqual(t.belowVtMaxMv);
      expect(st[c].vSdMv, c).toBeGreaterThanOrEqual(t.sdMinMv);
      expect(st[c].vSdMv, c).toBeLessThanOrEqual(t.sdMaxMv);
    }
  });
});

describe('sWTA circuit: rates per class as one pool is driven (seed 3)', async () => {
  const { result } = await drive.run({ seed: 3 });
  const rows = result.rows as DriveRow[];

  it('PV fires above Pyr at every drive, spontaneous included (PV follows Pyr)', () => {
    expect(rows.map((r) => r.inputHz)).toEqual([...DRIVES_HZ]);
    for (const r of rows) expect(r.pvHz, `drive ${r.inputHz} Hz`).toBeGreaterThan(r.pyrHz);
    // and it rises with the pool: strictly from each drive to the next
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.pvHz).toBeGreaterThan(rows[i - 1]!.pvHz);
  });

  it('SST stays below PV at low drive (up to the loser input)', () => {
    for (const x of LOW_DRIVES_HZ) {
      const r = rows.find((q) => q.inputHz === x)!;
      expect(r.sstHz, `drive ${x} Hz`).toBeLessThan(r.pvHz);
    }
  });

  it(`the winner at the strongest standard drive fires at most ${MAX_EVOKED_PYR_HZ} Hz`, () => {
    expect(result.winnerCompetingHz as number).toBeLessThanOrEqual(MAX_EVOKED_PYR_HZ);
    expect(result.winnerCompetingHz as number).toBeGreaterThan(0);
  });
});

describe('sWTA circuit: soft competition over input ratios 1.1–2.5 (10 seeds from 3)', () => {
  // Measured from the sweeps alone (no calibration artifact): the module's own rate fit (swta run
  // rate-fit: α 0.49, β 0.26, T 3.4 Hz) predicts silencing at an input ratio of 2.32; the circuit's
  // loser is not silenced within the sweep.
  const seeds = Array.from({ length: SUPPRESSION.seeds }, (_, i) => 3 + i);
  const sweeps = seeds.map((s) => sweepSeed(s));
  const avg = (f: (s: SeedSweep) => number): number => mean(sweeps.map(f));
  const spontaneousHz = avg((s) => s.spontaneousHz);
  const isolatedHz = avg((s) => s.isolatedHz);
  const share = (s: SeedSweep, i: number): number => s.winnerHz[i]! / (s.winnerHz[i]! + s.loserHz[i]!);

  it('at every ratio the seed-mean loser keeps ≥ 10 % of its isolated rate and fires above its spontaneous rate', () => {
    SUPPRESSION.ratios.forEach((ratio, i) => {
      const loserHz = avg((s) => s.loserHz[i]!);
      expect(loserHz / isolatedHz, `ratio ${ratio}`).toBeGreaterThanOrEqual(SUPPRESSION.silencedFraction);
      expect(loserHz, `ratio ${ratio}`).toBeGreaterThan(spontaneousHz);
    });
  });

  it('the mean selection curve rises with the ratio: no step falls beyond the seed noise (paired 95 % t interval)', () => {
    const shares = SUPPRESSION.ratios.map((_, i) => avg((s) => share(s, i)));
    expect(shares.at(-1)! - shares[0]!).toBeGreaterThan(0.2);
    for (const i of monotonicViolations(shares)) {
      expect(meanCi(sweeps.map((s) => share(s, i) - share(s, i - 1))).high, `step to ratio ${SUPPRESSION.ratios[i]}`).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('sWTA circuit: signal restoration over 20 seeds from 1', async () => {
  const { result } = await restoration.run({ seed: 1 });

  it('the output is closer to the clean profile than the input: paired Fisher-z Δr, 95 % CI above 0', () => {
    expect(result.seeds).toBe(RESTORATION.seeds);
    const dz = result.fisherZDelta as { mean: number; low: number; high: number };
    expect(dz.low).toBeGreaterThan(0);
  });
});
