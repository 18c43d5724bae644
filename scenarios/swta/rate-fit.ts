import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CALIBRATION_MODULE, RATE_FIT_MEASUREMENT, rateFitConditions } from '../../src/calibration/conditions.ts';
import { rateFitFingerprint } from '../../src/calibration/fingerprint.ts';
import { RATE_FIT_PATH, type RateFitArtifact } from '../../src/calibration/rate-fit-artifact.ts';
import { SWTA_DEFAULTS } from '../../src/motifs/swta-module.ts';
import { fitRateModel, type TransferSample } from '../../src/rate/fit.ts';
import { steadyState } from '../../src/rate/ltu.ts';
import { lineChart } from '../plot/svg.ts';
import type { Scenario } from '../types.ts';
import { DEFAULT_SEED, fmt } from './common.ts';
import { ModuleRunner, parseBackend } from './module-runner.ts';

export { RATE_FIT_MEASUREMENT };

/** The transfer samples the fit uses: the pool rates under every rate-fit condition (src/calibration/conditions.ts). */
export function measureTransferSamples(r: ModuleRunner): TransferSample[] {
  return rateFitConditions().map(({ inputsHz, vipHz = 0, lamp5Hz = 0 }) => {
    const m = r.measure({ inputsHz, vipHz, lamp5Hz });
    return { inputsHz, outputsHz: m.pools, vipHz, lamp5Hz };
  });
}

/** The range of input rates per fibre the fit's conditions covered (the image filter maps pixels into it). */
function inputRange(samples: readonly TransferSample[]): { min: number; max: number } {
  const xs = samples.flatMap((s) => s.inputsHz);
  return { min: Math.min(...xs), max: Math.max(...xs) };
}

export const scenario: Scenario = {
  description: 'fit the linear-threshold sWTA rate model to transfer curves of the conductance module (calibration artifact)',
  async run(options) {
    const seed = options.seed ?? DEFAULT_SEED;
    const backend = parseBackend(options.backend);
    if (backend !== 'conductance' && options.save) throw new Error(`rate-fit --save writes the conductance module's calibration; drop --save to fit the ${backend} module`);
    const r = new ModuleRunner({ module: CALIBRATION_MODULE, seed, backend, ...RATE_FIT_MEASUREMENT });
    const samples = measureTransferSamples(r);
    const fit = fitRateModel(samples);
    const artifact: RateFitArtifact = {
      version: 1,
      model: 'ltu-swta',
      params: fit.params,
      r2: fit.r2,
      rmseHz: fit.rmseHz,
      samples: fit.samples,
      fingerprint: rateFitFingerprint(seed),
      inputRangeHz: inputRange(samples),
      source: { scenario: 'rate-fit', seed, module: { ...CALIBRATION_MODULE, ...SWTA_DEFAULTS }, measurement: RATE_FIT_MEASUREMENT, date: new Date().toISOString() },
    };
    if (options.save) {
      await mkdir(dirname(RATE_FIT_PATH), { recursive: true });
      await writeFile(RATE_FIT_PATH, JSON.stringify(artifact, null, 2) + '\n');
      options.log?.(`saved ${RATE_FIT_PATH}`);
    }
    const p = fit.params;
    const table = [
      `fit over ${fit.samples} conditions (${fit.samples * 2} pool rates): r2 ${fmt(fit.r2, 3)}, rmse ${fmt(fit.rmseHz)} Hz`,
      `s ${fmt(p.inputScale, 3)}  α ${fmt(p.alpha, 3)}  β ${fmt(p.beta, 3)}  T ${fmt(p.thresholdHz)} Hz  γ_V ${fmt(p.vipGainPerHz, 4)}/Hz  γ_L ${fmt(p.lamp5GainPerHz, 4)}/Hz`,
      'inputs Hz   VIP  LAMP5   measured Hz   model Hz',
      ...samples.map((s) => {
        const y = steadyState(p, s.inputsHz, s);
        return `${s.inputsHz.map((x) => fmt(x, 1)).join('/').padEnd(11)} ${String(s.vipHz ?? 0).padStart(4)} ${String(s.lamp5Hz ?? 0).padStart(5)}   ${s.outputsHz.map((x) => fmt(x, 1)).join('/').padEnd(12)}  ${y.map((x) => fmt(x, 1)).join('/')}`;
      }),
    ];
    const measured = samples.flatMap((s) => s.outputsHz);
    const model = samples.flatMap((s) => steadyState(p, s.inputsHz, s));
    return {
      result: { r2: fit.r2, rmseHz: fit.rmseHz, params: fit.params, samples: fit.samples },
      table,
      svg: lineChart(
        [
          { label: 'model = measured', points: [[0, 0], [Math.max(...measured), Math.max(...measured)]], dashed: true },
          { label: 'conditions', points: measured.map((m, i) => [m, model[i]!] as const).sort((a, b) => a[0] - b[0]) },
        ],
        { title: `Rate fit: model vs measured pool rates (r2 ${fmt(fit.r2, 3)})`, xLabel: 'measured (Hz)', yLabel: 'LTU model (Hz)' },
      ),
    };
  },
};
