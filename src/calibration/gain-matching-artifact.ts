import { artifactPath, readArtifact } from './artifact-files.ts';
import type { TransferCondition } from './class-gain-fit.ts';
import type { GainMatchResult } from './gain-matching.ts';
import type { ClassGains, ClassKey } from './ltu-network.ts';
import { gainMatchFingerprint, populationTransferFingerprint, rateFitFingerprint, StaleCalibrationError } from './fingerprint.ts';

/**
 * The two artifacts of the TrueNorth gain matching (docs/reference/architecture.md, calibration chain), both written by
 * `swta run gain-matching --save`:
 *
 *   data/calibration/population-transfer.json   what was measured: every population's rate on the
 *     conductance module over a set of conditions (version 1)
 *       { version: 1, model: 'population-transfer', seed, module, settleMs, windowMs, date,
 *         conditions: [{ sourcesHz: {id: Hz}, populationsHz: {id: Hz} }] }
 *   data/calibration/gain-matching.json          what was fitted: per cell class, the gain of each
 *     axon-type group and the bias of the LTU the TrueNorth mapping realizes (version 1)
 *       { version: 1, model: 'tn-gain-matching', classes: {Pyr: {gains: [g0..g4], biasHz}, …} (gain keys: ltu-network.ts),
 *         populations: {id: {r2, rmseHz, ltu, tnVsLtu}}, rateFit: {...}, source: {...} }
 *
 * The TrueNorth compiler reads gain-matching.json; nothing in it is typed in by hand.
 */
export interface PopulationTransferArtifact {
  version: 1;
  model: 'population-transfer';
  seed: number;
  module: Record<string, unknown>;
  settleMs: number;
  windowMs: number;
  date: string;
  /** What the curves were measured from (src/calibration/fingerprint.ts). */
  fingerprint: string;
  conditions: TransferCondition[];
}

export interface GainMatchArtifact {
  version: 1;
  model: 'tn-gain-matching';
  classes: Partial<Record<ClassKey, ClassGains>>;
  /** How well each population of the calibration module matched (see GainMatchResult). */
  populations: GainMatchResult['populations'];
  rateFit: GainMatchResult['rateFit'];
  /** Of the rate fit and the transfer curves it was fitted from, and its seed (src/calibration/fingerprint.ts). */
  fingerprint: string;
  source: { scenario: 'gain-matching'; seed: number; rateFitSeed: number; rateFitDate: string; transferDate: string; date: string };
}

export const GAIN_MATCH_COMMAND = 'npx swta run gain-matching --save';

export const POPULATION_TRANSFER_PATH = artifactPath(new URL('../../data/calibration/population-transfer.json', import.meta.url));
export const GAIN_MATCH_PATH = artifactPath(new URL('../../data/calibration/gain-matching.json', import.meta.url));

function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readArtifact(path));
  } catch (e) {
    throw new Error(`cannot read the ${what} artifact ${path}: ${(e as Error).message} (regenerate it with: ${GAIN_MATCH_COMMAND})`);
  }
}

/** Load and check the transfer curves; `allowStale` skips the fingerprint check (the gain matching decides to re-measure). */
export function loadPopulationTransfer(path: string = POPULATION_TRANSFER_PATH, options: { allowStale?: boolean } = {}): PopulationTransferArtifact {
  const a = readJson(path, 'population-transfer') as Partial<PopulationTransferArtifact>;
  if (a.version !== 1 || a.model !== 'population-transfer' || !Array.isArray(a.conditions)) {
    throw new Error(`${path} is not a version-1 'population-transfer' artifact`);
  }
  a.conditions.forEach((c, i) => {
    for (const k of ['sourcesHz', 'populationsHz'] as const) {
      const m = c?.[k];
      if (typeof m !== 'object' || m === null || Object.values(m).some((v) => !Number.isFinite(v))) {
        throw new Error(`${path}: conditions[${i}].${k} must map ids to finite rates (Hz)`);
      }
    }
  });
  if (!options.allowStale) {
    const now = populationTransferFingerprint(a.seed ?? NaN);
    if (a.fingerprint !== now) throw new StaleCalibrationError(path, a.fingerprint, now, GAIN_MATCH_COMMAND);
  }
  return a as PopulationTransferArtifact;
}

/** Load and check the gain matching; `allowStale` skips the fingerprint check. */
export function loadGainMatch(path: string = GAIN_MATCH_PATH, options: { allowStale?: boolean } = {}): GainMatchArtifact {
  const a = readJson(path, 'gain-matching') as Partial<GainMatchArtifact>;
  if (a.version !== 1 || a.model !== 'tn-gain-matching' || typeof a.classes !== 'object' || a.classes === null) {
    throw new Error(`${path} is not a version-1 'tn-gain-matching' artifact`);
  }
  for (const [cls, g] of Object.entries(a.classes)) {
    if (!Array.isArray(g?.gains) || g.gains.length !== 5 || g.gains.some((x) => !(Number.isFinite(x) && x >= 0)) || !Number.isFinite(g.biasHz)) {
      throw new Error(`${path}: classes.${cls} must be { gains: [5 numbers ≥ 0], biasHz: number }`);
    }
    const lim = g.limiter;
    if (lim !== undefined && !(Number.isFinite(lim.gain) && lim.gain >= 0 && Number.isFinite(lim.kinkHz))) {
      throw new Error(`${path}: classes.${cls}.limiter must be { gain: number ≥ 0, kinkHz: number }`);
    }
    if (g.footHz !== undefined && !(Number.isFinite(g.footHz) && g.footHz >= 0)) throw new Error(`${path}: classes.${cls}.footHz must be a number ≥ 0 (Hz)`);
  }
  if (!options.allowStale) {
    const seed = a.source?.seed ?? NaN;
    const now = gainMatchFingerprint({ rateFit: rateFitFingerprint(a.source?.rateFitSeed ?? NaN), transfer: populationTransferFingerprint(seed), seed });
    if (a.fingerprint !== now) throw new StaleCalibrationError(path, a.fingerprint, now, GAIN_MATCH_COMMAND);
  }
  return a as GainMatchArtifact;
}
