import { describe, expect, it } from 'vitest';
import { compile } from '../../../adapters/conductance/index.ts';
import { saturationFactor, type SaturationState } from '../../../adapters/conductance/kernel.ts';
import type { Graph, SynapseComponent } from '../../../src/graph/types.ts';
import { Random } from '../../../src/random.ts';
import {
  meanConductancePoisson, meanGatingPoisson, NMDA_SPIKE_INCREMENT, nmdaFullOccupancyFactor, nmdaMeanCeilingFactor, type NmdaModel,
} from '../../../src/synapses/nmda.ts';
import { biexpPeakNorm } from '../../../src/synapses/receptors.ts';
import { stpTrainAmplitudes, type StpParams } from '../../../src/synapses/stp.ts';

const LIF = { cPf: 200, gLNs: 10, eLMv: -60, deltaTMv: 0, vTMv: -50, vRMv: -60, vPeakMv: -50, tRefMs: 5, aNs: 0, bPa: 0, tauWMs: 100 };
const K = { tauRiseMs: 2, tauDecayMs: 100 };
const NORM = biexpPeakNorm(K);

function nmda(model: NmdaModel, gNs = 1): SynapseComponent {
  return { receptor: 'NMDA', gNs, tauRiseMs: K.tauRiseMs, tauDecayMs: K.tauDecayMs, nmdaModel: model };
}

/** One passive post cell fed by `source` through one NMDA projection with a 1 ms delay (10 steps, so through the ring). */
function graph(source: Graph['stimuli'][number], component: SynapseComponent, stp?: StpParams): Graph {
  return {
    populations: [{ id: 'n', size: 1, cell: 'custom', params: LIF }],
    stimuli: [source],
    projections: [{ id: 'syn', pre: 'in', post: 'n', connect: { rule: 'all' }, components: [component], delayMs: 1, ...(stp ? { stp } : {}) }],
    probes: [{ id: 'g', target: 'n', kind: 'g', receptor: 'NMDA' }],
  };
}

function gSamples(g: Graph, ticks: number, kernel: 'fused' | 'reference' = 'fused'): Float64Array {
  const e = compile(g, { kernel });
  e.run(ticks);
  const d = e.probe('g');
  if (d.kind !== 'g') throw new Error('expected a g probe');
  return Float64Array.from(d.samples);
}

/** ḡ·norm·(e^{−t/τd} − e^{−t/τr}) of an arrival `stepsSince` steps ago (0 before it). */
const kernelAt = (stepsSince: number): number => (stepsSince < 0 ? 0 : NORM * (Math.exp((-stepsSince * 0.1) / K.tauDecayMs) - Math.exp((-stepsSince * 0.1) / K.tauRiseMs)));

describe('saturating NMDA in the conductance engine', () => {
  const spikes = (timesMs: number[]): Graph['stimuli'][number] => ({ kind: 'spikes', id: 'in', size: 1, timesMs, indices: timesMs.map(() => 0) });

  it('an isolated spike gives exactly the linear channel\'s conductance (peak ḡ): low rates are unchanged', () => {
    const lin = gSamples(graph(spikes([5]), nmda('linear', 1.5)), 300);
    const sat = gSamples(graph(spikes([5]), nmda('saturating', 1.5)), 300);
    expect(Array.from(sat)).toEqual(Array.from(lin));
    expect(Math.max(...sat)).toBeCloseTo(1.5, 2);
  });

  it('a second spike 10 ms later adds (1 − s⁻) = 0.428034 of a resting response; the sum is exact between spikes (1e-12)', () => {
    const g = gSamples(graph(spikes([0, 10]), nmda('saturating')), 200);
    // Spikes at steps 0 and 100 arrive at steps 10 and 110; the sample of tick k is after step 10k + 9.
    const second = 1 - NMDA_SPIKE_INCREMENT * Math.exp(-10 / 100);
    expect(second).toBeCloseTo(0.4280336656621199, 14);
    for (const tick of [0, 5, 10, 11, 12, 30, 150, 199]) {
      const n = tick * 10 + 9;
      expect(g[tick]).toBeCloseTo(kernelAt(n - 10) + second * kernelAt(n - 110), 12);
    }
  });

  it('with STP the release factor f scales the transmitter: Δs = (1 − s⁻)(1 − (1 − α_s)^f) (facilitating U 0.1, τ_f 500 ms)', () => {
    const stp: StpParams = { U: 0.1, tauRecMs: 200, tauFacilMs: 500 };
    const g = gSamples(graph(spikes([0, 10]), nmda('saturating'), stp), 40);
    const f = stpTrainAmplitudes(stp, [0, 10])[1]!;
    expect(f).toBeGreaterThan(1);
    const sBefore = NMDA_SPIKE_INCREMENT * Math.exp(-10 / 100);
    const second = ((1 - sBefore) * (1 - Math.pow(1 - NMDA_SPIKE_INCREMENT, f))) / NMDA_SPIKE_INCREMENT;
    for (const tick of [12, 20, 39]) {
      const n = tick * 10 + 9;
      expect(g[tick]).toBeCloseTo(kernelAt(n - 10) + second * kernelAt(n - 110), 12);
    }
  });

  it('the kernel\'s gating is the closed form: the time average of s at Poisson rate r is rα_sτ/(1 + rα_sτ) (seed 5, 5000 s; ±1 %)', () => {
    const rng = new Random(5);
    for (const r of [5, 20, 50, 100]) {
      const st: SaturationState = { invTauDecayMs: 1 / 100, alphaS: NMDA_SPIKE_INCREMENT, logUnbound: Math.log1p(-NMDA_SPIKE_INCREMENT), s: new Float64Array(1), lastMs: new Float64Array(1).fill(-Infinity) };
      let t = 0;
      let area = 0;
      let first = NaN;
      while (t < 5_000_000) {
        const next = t - Math.log(1 - rng.uniform()) * (1000 / r);
        if (first === first) area += st.s[0]! * 100 * (1 - Math.exp(-(next - t) / 100));
        saturationFactor(st, 0, next, 1);
        if (first !== first) first = next;
        t = next;
      }
      expect(Math.abs(area / (t - first) / meanGatingPoisson(r, 100) - 1), `${r} Hz`).toBeLessThan(0.01);
    }
  });

  it('mean g per synapse at 5, 20, 50, 100 Hz Poisson matches the closed forms (200 synapses, 20 s, seed 1; ±3 %), saturating below full occupancy', () => {
    const n = 200;
    const settleTicks = 1000;
    for (const r of [5, 20, 50, 100]) {
      for (const model of ['linear', 'saturating'] as const) {
        const g = gSamples(graph({ kind: 'poisson', id: 'in', size: n, rateHz: r }, nmda(model)), settleTicks + 20_000);
        let sum = 0;
        for (let k = settleTicks; k < g.length; k++) sum += g[k]!;
        const perSynapse = sum / (g.length - settleTicks) / n;
        const expected = meanConductancePoisson(model, r, 1, K);
        expect(Math.abs(perSynapse / expected - 1), `${model} at ${r} Hz: ${perSynapse} ḡ per synapse, closed form ${expected}`).toBeLessThan(0.03);
        if (model === 'saturating') expect(perSynapse).toBeLessThan(nmdaMeanCeilingFactor(K));
      }
    }
  });

  it('one synapse driven at 500 Hz stays below full occupancy ḡ·norm/α_s at every sample; the linear one is 30× higher', () => {
    const train = Array.from({ length: 500 }, (_, i) => i * 2);
    const sat = gSamples(graph(spikes(train), nmda('saturating')), 1000);
    const lin = gSamples(graph(spikes(train), nmda('linear')), 1000);
    const ceiling = nmdaFullOccupancyFactor(K);
    expect(Math.max(...sat)).toBeLessThan(ceiling);
    expect(Math.max(...sat)).toBeGreaterThan(0.9 * ceiling);
    expect(Math.max(...lin)).toBeGreaterThan(30 * ceiling);
  });

  it('fused and reference kernels agree bit for bit; reset() restores the gating', () => {
    const g = graph({ kind: 'poisson', id: 'in', size: 20, rateHz: 80 }, nmda('saturating'), { U: 0.3, tauRecMs: 300, tauFacilMs: 50 });
    const fused = gSamples(g, 500, 'fused');
    expect(Array.from(gSamples(g, 500, 'reference'))).toEqual(Array.from(fused));
    const e = compile(g);
    e.run(500);
    e.reset();
    e.run(500);
    const d = e.probe('g');
    if (d.kind !== 'g') throw new Error('expected a g probe');
    expect(Array.from(d.samples)).toEqual(Array.from(fused));
  });
});
