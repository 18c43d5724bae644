import { describe, expect, it } from 'vitest';
import { l23Pathway } from '../../../src/synapses/l23-pathways.ts';
import {
  gatingAfterSpikes, gatingBeforeSpikeRegular, meanConductancePoisson, meanGatingPoisson, NMDA_SPIKE_INCREMENT,
  nmdaFullOccupancyFactor, nmdaMeanCeilingFactor, nmdaSpikeIncrement, saturatingIncrement,
} from '../../../src/synapses/nmda.ts';
import { Random } from '../../../src/random.ts';

const K = { tauRiseMs: 2, tauDecayMs: 100 };

describe('saturating NMDA gating: closed forms against hand-computed values', () => {
  it('α_s = 1 − exp(−α τ_x) = 1 − e^{−1} for Wang 2002 (α = 0.5 /ms, τ_x = 2 ms)', () => {
    expect(NMDA_SPIKE_INCREMENT).toBeCloseTo(0.6321205588285577, 15);
    expect(nmdaSpikeIncrement(0.5, 2)).toBe(NMDA_SPIKE_INCREMENT);
    expect(nmdaSpikeIncrement(1, 2)).toBeCloseTo(1 - Math.exp(-2), 15);
  });

  it('increments: (1 − s⁻)·α_s at f = 1; the transmitter scales with f, so f = 2 binds 1 − e^{−2} and s stays ≤ 1', () => {
    expect(saturatingIncrement(0)).toBe(NMDA_SPIKE_INCREMENT);
    expect(saturatingIncrement(0.5)).toBeCloseTo(0.5 * 0.6321205588285577, 15);
    expect(saturatingIncrement(0, NMDA_SPIKE_INCREMENT, 2)).toBeCloseTo(1 - Math.exp(-2), 15);
    expect(saturatingIncrement(0.3, NMDA_SPIKE_INCREMENT, 0)).toBe(0);
    for (const f of [0.1, 1, 3, 10, 100]) expect(0.9 + saturatingIncrement(0.9, NMDA_SPIKE_INCREMENT, f)).toBeLessThanOrEqual(1);
  });

  it('two spikes 10 ms apart (τ_decay 100 ms): s = 0.632121, then 0.571966·… → 0.842535', () => {
    const [s1, s2] = gatingAfterSpikes([0, 10], 100);
    expect(s1).toBeCloseTo(0.6321205588285577, 14);
    // s⁻ = 0.632121·e^{−0.1} = 0.571966; Δs = 0.428034·0.632121 = 0.270569.
    expect(s2).toBeCloseTo(0.8425352142736553, 14);
  });

  it('regular train at 100 Hz: s just before a spike → α e/(1 − (1 − α)e) = 0.857355', () => {
    expect(gatingBeforeSpikeRegular(100, 100)).toBeCloseTo(0.8573550334295912, 14);
    const train = Array.from({ length: 200 }, (_, i) => i * 10);
    const after = gatingAfterSpikes(train, 100);
    expect(after.at(-1)! * Math.exp(-0.1)).toBeCloseTo(gatingBeforeSpikeRegular(100, 100), 12);
  });

  it('Poisson mean ⟨s⟩ = rα_sτ/(1 + rα_sτ): 0.240, 0.558, 0.760, 0.863 at 5, 20, 50, 100 Hz', () => {
    const expected = [0.24015638520368043, 0.55835092287577, 0.7596502118856961, 0.8634104741437575];
    [5, 20, 50, 100].forEach((r, k) => expect(meanGatingPoisson(r, 100)).toBeCloseTo(expected[k]!, 14));
  });

  it('the Poisson mean is the time average of s along a simulated train (seed 11, 2000 s; ±1 %)', () => {
    const rng = new Random(11);
    for (const r of [5, 20, 50, 100]) {
      const times: number[] = [];
      for (let t = 0; t < 2_000_000;) {
        t += -Math.log(1 - rng.uniform()) * (1000 / r);
        times.push(t);
      }
      const after = gatingAfterSpikes(times, 100);
      // ∫ s dt over each interval: s⁺ τ (1 − e^{−Δ/τ}), exact.
      let area = 0;
      for (let k = 0; k + 1 < times.length; k++) area += after[k]! * 100 * (1 - Math.exp(-(times[k + 1]! - times[k]!) / 100));
      const mean = area / (times.at(-1)! - times[0]!);
      expect(Math.abs(mean / meanGatingPoisson(r, 100) - 1), `${r} Hz: simulated ${mean}`).toBeLessThan(0.01);
    }
  });

  it('mean conductance per synapse (units of ḡ, 2/100 ms): linear 0.54, 2.17, 5.42, 10.83; saturating 0.41, 0.96, 1.30, 1.48', () => {
    const lin = [0.5415553637180205, 2.166221454872082, 5.415553637180205, 10.83110727436041];
    const sat = [0.4114973851798363, 0.9567097063909618, 1.3016271692179098, 1.4794158071029875];
    [5, 20, 50, 100].forEach((r, k) => {
      expect(meanConductancePoisson('linear', r, 1, K)).toBeCloseTo(lin[k]!, 12);
      expect(meanConductancePoisson('saturating', r, 1, K)).toBeCloseTo(sat[k]!, 12);
    });
    // Bounded at any rate: below norm(1 − τr/τd)/α_s = 1.713 on average, and norm/α_s = 1.748 at any instant.
    expect(nmdaMeanCeilingFactor(K)).toBeCloseTo(1.7134559417641086, 12);
    expect(nmdaFullOccupancyFactor(K)).toBeCloseTo(1.7484244303715397, 12);
    for (const r of [1, 10, 100, 1000, 1e5]) expect(meanConductancePoisson('saturating', r, 1, K)).toBeLessThan(nmdaMeanCeilingFactor(K));
    expect(meanConductancePoisson('saturating', 1e7, 1, K)).toBeCloseTo(nmdaMeanCeilingFactor(K), 4);
  });
});

describe('L2/3 pathways: NMDA gating', () => {
  it('Pyr pathways carry saturating NMDA by default; linear on request; other pathways have no NMDA', () => {
    const nmda = (p: ReturnType<typeof l23Pathway>) => p.components.find((c) => c.receptor === 'NMDA');
    expect(nmda(l23Pathway('Pyr', 'Pyr'))?.nmdaModel).toBe('saturating');
    expect(nmda(l23Pathway('Pyr', 'SST', 'strong'))?.nmdaModel).toBe('saturating');
    expect(nmda(l23Pathway('Pyr', 'PV', 'allen', 'linear'))?.nmdaModel).toBe('linear');
    expect(nmda(l23Pathway('PV', 'Pyr'))).toBeUndefined();
    expect(l23Pathway('Pyr', 'Pyr').components.find((c) => c.receptor === 'AMPA')?.nmdaModel).toBeUndefined();
  });
});
