import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RateFit } from '../rate/fit.ts';

/**
 * The first link of the calibration chain (docs/reference/architecture.md): rate parameters fitted on the conductance
 * sWTA module by `swta run rate-fit --save`. The TrueNorth gain matching and the image filter read
 * this file; they never take rate parameters typed in by hand.
 *
 * Shape (version 1):
 *   { version: 1, model: 'ltu-swta', params: RateParams, r2, rmseHz, samples,
 *     source: { scenario: 'rate-fit', seed, module: {...options}, measurement: { settleMs, windowMs }, date } }
 */
export interface RateFitArtifact extends RateFit {
  version: 1;
  model: 'ltu-swta';
  source: { scenario: 'rate-fit'; seed: number; module: Record<string, unknown>; measurement?: { settleMs: number; windowMs: number }; date: string };
}

export const RATE_FIT_PATH = fileURLToPath(new URL('../../data/calibration/rate-fit.json', import.meta.url));

export function loadRateFit(path: string = RATE_FIT_PATH): RateFitArtifact {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the rate-fit artifact ${path}: ${(e as Error).message} (regenerate it with: npx swta run rate-fit --save)`);
  }
  const a = data as Partial<RateFitArtifact>;
  if (a.version !== 1 || a.model !== 'ltu-swta' || typeof a.params !== 'object' || a.params === null) {
    throw new Error(`${path} is not a version-1 'ltu-swta' rate-fit artifact`);
  }
  for (const k of ['inputScale', 'alpha', 'beta', 'thresholdHz', 'vipGainPerHz', 'lamp5GainPerHz'] as const) {
    if (!Number.isFinite(a.params[k])) throw new Error(`${path}: params.${k} must be a finite number, got ${a.params[k]}`);
  }
  return a as RateFitArtifact;
}
