/**
 * The sWTA module as a V1 L2/3 circuit: its spontaneous state, how the interneurons follow the
 * pyramidal cells, the evoked ceiling, soft competition and signal restoration. Fixed seeds; tolerances stated per test.
 */
import { describe, expect, it } from 'vitest';
import { CELL_CLASSES } from '../../src/celltypes/l23.ts';
import { DRIVES_HZ, LOW_DRIVES_HZ, MAX_EVOKED_PYR_HZ, scenario as drive, type DriveRow } from '../../scenarios/swta/drive.ts';
import { RESTORATION, scenario as restoration } from '../../scenarios/swta/restoration.ts';
import { spontaneousState, SPONTANEOUS_TARGETS, SUBTHRESHOLD_TARGETS } from '../../scenarios/swta/spontaneous.ts';
import { scenario as suppression, SUPPRESSION, type SuppressionAnalysis } from '../../scenarios/swta/suppression.ts';

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

describe('sWTA circuit: soft competition over input ratios 1.1–2.5 (10 seeds from 3)', async () => {
  const { result } = await suppression.run({ seed: 3 });
  const curve = result.curve as SuppressionAnalysis['curve'];
  const criteria = result.criteria as SuppressionAnalysis['criteria'];
  const spontaneous = (result.spontaneousHz as { mean: number }).mean;

  it('below the rate fit\'s silencing ratio the loser stays above its spontaneous rate and keeps ≥ 10 % of its isolated rate; the selection curve rises', () => {
    expect(criteria.loserAliveBelowPrediction.pass).toBe(true);
    expect(criteria.selectionMonotonic.pass).toBe(true);
  });

  // The fit of this module (swta run rate-fit: α 0.49, β 0.26, T 3.4 Hz) predicts silencing at an
  // input ratio of 2.32; the circuit's loser is not silenced within the sweep, whatever the
  // committed calibration says.
  it('at every input ratio 1.1–2.5 the seed-mean loser keeps ≥ 10 % of its isolated rate and fires above its spontaneous rate', () => {
    expect(curve.map((c) => c.ratio)).toEqual([...SUPPRESSION.ratios]);
    for (const c of curve) {
      expect(c.loserFraction.mean, `ratio ${c.ratio}`).toBeGreaterThanOrEqual(0.1);
      expect(c.loserHz.mean, `ratio ${c.ratio}`).toBeGreaterThan(spontaneous);
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
