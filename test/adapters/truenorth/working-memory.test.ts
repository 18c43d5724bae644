import { describe, expect, it } from 'vitest';
import { compile } from '../../../adapters/truenorth/compile.ts';
import { loadGainMatch } from '../../../src/calibration/gain-matching-artifact.ts';
import { limitedClasses, ltuNetwork, steadyRates, termCoefficient, unitBias, type LtuNetwork } from '../../../src/calibration/ltu-network.ts';
import { projectionEfficacies, stpSteadyFactor, STP_REF_HZ } from '../../../src/calibration/synaptic-efficacy.ts';
import { swtaModule } from '../../../src/motifs/swta-module.ts';
import { WM_DEFAULTS } from '../../../src/motifs/working-memory.ts';
import { Random } from '../../../src/random.ts';
import { runProtocol } from '../../../scenarios/working-memory/protocol.ts';
import { IDLE } from '../../../runtime/working-memory-machine.ts';
import { sessionNetwork } from '../../../scenarios/working-memory/session.ts';
import { adapterRef } from '../../../adapters/registry.ts';

/**
 * The working-memory module on TrueNorth (docs/truenorth-mapping.md §10): the coupling's
 * saturation relays, the background offsets, the open loop (one module, its partner replaced by
 * Poisson trains) in the mean field and on the emulator, and the closed-loop outcome that holds.
 */
const gains = loadGainMatch().classes;
const wm = sessionNetwork({});
const wm0 = wm.network.modules.find((m) => m.id === 'wm0')!.graph;
const ltu: LtuNetwork = ltuNetwork(wm0, { limited: limitedClasses(gains) });
const unit = (id: string) => ltu.units.find((u) => u.id === id)!;
const PORT = 'wm0.x.wm1.pyr0';
const L = `wm0.pyr0.limiter.${PORT}`;
const S = `${L}.min`;

describe('working-memory coupling on TrueNorth: structure', () => {
  it('a depressing port gets L = [r − θ]₊ and S = min(r, θ) with θ = 1000/(U·τ_rec) = 20 Hz; the pool hears S at the resting efficacy', () => {
    const stp = WM_DEFAULTS.coupling.stp as { U: number; tauRecMs: number; tauFacilMs: number };
    expect(unit(L).kinkHz).toBeCloseTo(1000 / (stp.U * stp.tauRecMs), 9);
    expect(unit(S).floorAlphas).toBeGreaterThan(0);
    expect(unit(S).size).toBe(WM_DEFAULTS.poolSize);
    const term = unit('wm0.pyr0').terms.find((t) => t.pre === S)!;
    const frozen = projectionEfficacies(wm0).find((e) => e.projection === `${PORT}->wm0.pyr0`)!.efficacy;
    expect(term.efficacy / frozen).toBeCloseTo(1 / stpSteadyFactor(stp, STP_REF_HZ), 9);
    // The port itself no longer drives the pool directly.
    expect(unit('wm0.pyr0').terms.some((t) => t.pre === PORT)).toBe(false);
  });

  it('facilitating and STP-free ports get no saturation relay (T output; state input of the T cells)', () => {
    expect(ltu.units.some((u) => u.id.includes('.limiter.wm0.x.trans.'))).toBe(false);
    const trans = ltuNetwork(wm.network.modules.find((m) => m.id === 'trans')!.graph, { limited: limitedClasses(gains) });
    expect(trans.units.some((u) => u.relay)).toBe(false);
  });

  it('a background other than the class default shifts the bias by g0·Δe·r (WM pools: excitation 0.6 instead of 0.75 nS)', () => {
    const pyr = gains.Pyr!;
    const bgE = projectionEfficacies(wm0).find((e) => e.projection === 'wm0.pyr0.bgE->wm0.pyr0')!;
    // Efficacy is linear in g: the class default's is bgE · 0.75/0.6 (SWTA_DEFAULTS Pyr excitation).
    const expected = pyr.biasHz + pyr.gains[0] * 1000 * (bgE.efficacy - (bgE.efficacy * 0.75) / 0.6);
    expect(unitBias(unit('wm0.pyr0'), pyr)).toBeCloseTo(expected, 9);
    expect(unitBias(unit('wm0.pyr0'), pyr)).toBeLessThan(pyr.biasHz);
  });

  it('the calibration module (class defaults, no ports) is unchanged: no offsets, no saturation relays', () => {
    const cal = ltuNetwork(swtaModule({ pools: 2, poolSize: 80 }).graph, { limited: limitedClasses(gains) });
    expect(cal.units.every((u) => u.backgroundOffset === undefined && u.kinkHz === undefined && u.floorAlphas === undefined)).toBe(true);
  });
});

describe('working-memory open loop (pool 0 of wm0 against a Poisson partner at r Hz)', () => {
  const meanField = (r: number): number => steadyRates(ltu, gains, { [PORT]: r })[ltu.units.findIndex((u) => u.id === 'wm0.pyr0')]!;

  it('mean field: two stable states — below the diagonal at 5 Hz, above it at 20 Hz, flat at 20–50 Hz from 40 Hz on', () => {
    expect(meanField(0)).toBeLessThan(1);
    expect(meanField(5)).toBeLessThan(5);
    expect(meanField(20)).toBeGreaterThan(20);
    const up = [40, 60, 80].map(meanField);
    for (const r of up) {
      expect(r).toBeGreaterThan(20);
      expect(r).toBeLessThan(50);
      expect(Math.abs(r - up[0]!)).toBeLessThan(0.5);
    }
    // The coupling's coefficient on its own: term × S at 80 Hz = the ceiling, whatever the rate.
    const term = unit('wm0.pyr0').terms.find((t) => t.pre === S)!;
    expect(termCoefficient(term, gains.Pyr!)).toBeGreaterThan(1);
  });

  it('TrueNorth (seed 1, 1 s after 500 ms): the pool is bounded at 20–50 Hz for a partner at 30 and 60 Hz, within 5 Hz of each other; the other pool silent', () => {
    const rates = (partnerHz: number): { pyr0: number; pyr1: number } => {
      const eng = compile(wm0, { seed: 1 });
      const rng = new Random(11);
      const idx = new Int32Array(WM_DEFAULTS.poolSize);
      const count = { pyr0: 0, pyr1: 0 };
      for (let t = 0; t < 1500; t++) {
        let c = 0;
        for (let i = 0; i < idx.length; i++) if (rng.uniform() < partnerHz / 1000) idx[c++] = i;
        const f = eng.step([{ source: PORT, indices: idx, count: c }]);
        if (t < 500) continue;
        count.pyr0 += f.counts[f.populations.indexOf('wm0.pyr0')]!;
        count.pyr1 += f.counts[f.populations.indexOf('wm0.pyr1')]!;
      }
      return { pyr0: count.pyr0 / WM_DEFAULTS.poolSize, pyr1: count.pyr1 / WM_DEFAULTS.poolSize };
    };
    const at30 = rates(30);
    const at60 = rates(60);
    for (const r of [at30, at60]) {
      expect(r.pyr0).toBeGreaterThan(20);
      expect(r.pyr0).toBeLessThan(50);
      expect(r.pyr1).toBeLessThan(1);
    }
    expect(Math.abs(at60.pyr0 - at30.pyr0)).toBeLessThan(5);
  }, 60_000);
});

describe('working-memory protocol on TrueNorth (seeds 1–2): what holds', () => {
  it('no runaway to the tick ceiling, no state from "go" alone, the control decays within 200 ms', async () => {
    for (const seed of [1, 2]) {
      const r = await runProtocol({ seed, adapter: adapterRef('truenorth') });
      const peak = Math.max(...r.record.samples.flatMap((s) => s.rates));
      expect(peak).toBeLessThan(200);
      for (const t of r.trials.filter((x) => x.name.startsWith(`${IDLE} `))) expect(t.ok).toBe(true);
      expect(r.controlDecayMs).not.toBeNull();
      expect(r.controlDecayMs!).toBeLessThanOrEqual(200);
    }
  }, 120_000);
});
