import { artifactPath, readArtifact } from './artifact-files.ts';
import type { RateFit } from '../rate/fit.ts';
import { rateFitFingerprint, StaleCalibrationError } from './fingerprint.ts';

/**
 * The first link of the calibration chain (docs/reference/architecture.md): rate parameters fitted on the conductance
 * sWTA module by `swta run rate-fit --save`. The TrueNorth gain matching and the image filter read
 * this file; they never take rate parameters typed in by hand.
 *
 * Shape (version 1):
 *   { version: 1, model: 'ltu-swta', params: RateParams, r2, rmseHz, samples, fingerprint,
 *     inputRangeHz: { min, max },
 *     source: { scenario: 'rate-fit', seed, module: {...options}, measurement: { settleMs, windowMs }, date } }
 *
 * `fingerprint` (src/calibration/fingerprint.ts) names what the fit was made from; the loader
 * refuses a file whose fingerprint differs from today's code's. `inputRangeHz` is the range of
 * input rates per fibre the fit's conditions covered: the image filter maps pixels into it.
 */
export interface RateFitArtifact extends RateFit {
  version: 1;
  model: 'ltu-swta';
  fingerprint: string;
  inputRangeHz: { min: number; max: number };
  source: { scenario: 'rate-fit'; seed: number; module: Record<string, unknown>; measurement?: { settleMs: number; windowMs: number }; date: string };
}

export const RATE_FIT_COMMAND = 'npx swta run rate-fit --save';

export const RATE_FIT_PATH = artifactPath(new URL('../../data/calibration/rate-fit.json', import.meta.url));

/** Load and check the rate fit; `allowStale` skips the fingerprint check (for reports about the file itself). */
export function loadRateFit(path: string = RATE_FIT_PATH, options: { allowStale?: boolean } = {}): RateFitArtifact {
  let data: unknown;
  try {
    data = JSON.parse(readArtifact(path));
  } catch (e) {
    throw new Error(`cannot read the rate-fit artifact ${path}: ${(e as Error).message} (regenerate it with: ${RATE_FIT_COMMAND})`);
  }
  const a = data as Partial<RateFitArtifact>;
  if (a.version !== 1 || a.model !== 'ltu-swta' || typeof a.params !== 'object' || a.params === null) {
    throw new Error(`${path} is not a version-1 'ltu-swta' rate-fit artifact`);
  }
  for (const k of ['inputScale', 'alpha', 'beta', 'thresholdHz', 'vipGainPerHz', 'lamp5GainPerHz'] as const) {
    if (!Number.isFinite(a.params[k])) throw new Error(`${path}: params.${k} must be a finite number, got ${a.params[k]}`);
  }
  const range = a.inputRangeHz;
  if (!(range && Number.isFinite(range.min) && Number.isFinite(range.max) && range.max > range.min)) {
    throw new Error(`${path}: inputRangeHz must be { min, max } with max > min (regenerate it with: ${RATE_FIT_COMMAND})`);
  }
  if (!options.allowStale) {
    const now = rateFitFingerprint(a.source?.seed ?? NaN);
    if (a.fingerprint !== now) throw new StaleCalibrationError(path, a.fingerprint, now, RATE_FIT_COMMAND);
  }
  return a as RateFitArtifact;
}
