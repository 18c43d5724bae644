import { describe, expect, it } from 'vitest';
import { loadRateFit } from '../../../src/calibration/rate-fit-artifact.ts';
import { steadyState } from '../../../src/rate/ltu.ts';
import { Random } from '../../../src/random.ts';
import { swtaFilter } from '../../../src/vision/filter/index.ts';
import { circuitRates, filterCheckImages, filterOutputs } from '../../../scenarios/swta/filter-vs-circuit.ts';
import { pearson } from '../../../src/stats.ts';

const artifact = loadRateFit();
const FITTED_MAX_INPUT_HZ = artifact.inputRangeHz.max;

describe('sWTA image filter', () => {
  it('keeps shape and [0, 1] range, and is deterministic', () => {
    const f = swtaFilter(artifact);
    const rng = new Random(1);
    for (const shape of [{ n: 2, height: 28, width: 28, channels: 1 }, { n: 1, height: 16, width: 20, channels: 3 }]) {
      const img = Float32Array.from({ length: shape.n * shape.height * shape.width * shape.channels }, () => rng.uniform());
      const a = f(img, shape);
      expect(a.length).toBe(img.length);
      for (const v of a) expect(v >= 0 && v <= 1).toBe(true);
      expect(f(img, shape)).toEqual(a);
    }
  });

  it('is the rate sWTA: a 3×3 image with a 3×3 window equals the closed-form steady state of its 9 pools', () => {
    const f = swtaFilter(artifact, { windowPx: 3 });
    const img = new Float32Array([0.1, 0.3, 0.2, 0.4, 0.9, 0.5, 0.2, 0.6, 0.3]);
    const out = f(img, { n: 1, height: 3, width: 3, channels: 1 });
    const rates = steadyState(artifact.params, Array.from(img, (p) => FITTED_MAX_INPUT_HZ * p));
    const p = artifact.params;
    const xRef = (FITTED_MAX_INPUT_HZ - p.thresholdHz) / (1 - p.alpha + p.beta);
    // The centre pixel's window is the whole image.
    expect(out[4]).toBeCloseTo(Math.min(1, rates[4]! / xRef), 5);
  });

  it('amplifies the strongest pixel of a neighbourhood and suppresses the weaker ones', () => {
    const f = swtaFilter(artifact);
    const img = new Float32Array([0.5, 0.5, 0.5, 0.5, 0.9, 0.5, 0.5, 0.5, 0.5]);
    const out = f(img, { n: 1, height: 3, width: 3, channels: 1 });
    expect(out[4]! / out[0]!).toBeGreaterThan(0.9 / 0.5);
  });

  it('VIP context raises and LAMP5 drive lowers the output', () => {
    const img = new Float32Array([0.3, 0.6, 0.8, 0.4]);
    const shape = { n: 1, height: 2, width: 2, channels: 1 };
    const sum = (a: Float32Array) => a.reduce((x, y) => x + y, 0);
    const base = sum(swtaFilter(artifact)(img, shape));
    expect(sum(swtaFilter(artifact, { vipHz: 20 })(img, shape))).toBeGreaterThan(base);
    expect(sum(swtaFilter(artifact, { lamp5Hz: 20 })(img, shape))).toBeLessThan(base);
  });

  it('rejects an even window and a mismatched shape', () => {
    expect(() => swtaFilter(artifact, { windowPx: 4 })).toThrow(/odd integer/);
    expect(() => swtaFilter(artifact)(new Float32Array(5), { n: 1, height: 2, width: 2, channels: 1 })).toThrow(/do not match shape/);
  });

  // The circuit's output is a time average, and it needs a long window. Near-equal inputs make the
  // NMDA-rich pools take turns (episodes of 200–400 ms, adaptation-driven), so a 700 ms window holds
  // two or three episodes, and which pool happened to win dominates the count. On 16 random 2×2
  // images, two single seeds correlate at r 0.80 with 700 ms windows and at r 0.95 with 2700 ms
  // windows (mean over the pairs of seeds 7–10; seeds 7–12 at 700 ms: 0.71). After a 300 ms settle
  // (the onset burst lasts ~100 ms), one 2700 ms window per image is the measurement
  // (scenarios/swta/filter-vs-circuit.ts; `swta run filter-vs-circuit` reports these figures).
  //
  // The rate-fit artifact is measured the same way (scenarios/swta/rate-fit.ts), and it includes
  // two-pool conditions with a strong loser, where both pools stay on. With it the filter scores
  // r 0.94–0.98 against single seeds 7–10 (8 or 16 images); a fit on 700 ms windows without those
  // conditions gave 0.85–0.91 (its losers turned off below 0.89 of the winner's drive).
  it('the filter is the circuit: on 2×2 images the spiking module (4 pools × 80 Pyr, seed 7, 2.7 s windows) correlates with the filter (r ≥ 0.9)', () => {
    const images = filterCheckImages(8);
    const r = pearson(filterOutputs(artifact, images), circuitRates(images, 7));
    console.log(`filter vs spiking module: r = ${r.toFixed(3)}`);
    expect(r).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
