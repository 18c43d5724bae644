import { L23_CELL_TYPES } from '../celltypes/l23.ts';
import { swtaModule } from '../motifs/swta-module.ts';
import { CALIBRATION_MODULE, populationTransferConditions, RATE_FIT_MEASUREMENT, rateFitConditions, TRANSFER_MEASUREMENT } from './conditions.ts';

/**
 * What a calibration artifact was fitted from, as one short string: a hash of the calibration
 * module's whole graph (every population, projection, conductance, kinetics, STP and background),
 * the cell-type parameters, the conditions and the measurement windows, and the seed. Each
 * artifact stores the fingerprint it was made from; its loader computes the code's fingerprint
 * now and refuses a file made from anything else, naming the command that regenerates it. So a
 * changed cell type, pathway or module default can never run on a stale calibration.
 *
 * The hash is FNV-1a over canonical JSON (object keys sorted), in two 32-bit lanes with different
 * offsets: 64 bits, enough to tell versions apart (it is not a security hash).
 */
export function fingerprint(value: unknown): string {
  const text = canonicalJson(value);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** JSON with object keys in sorted order, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The model the calibrations measure: the calibration module's graph and the cell types it uses. */
function calibrationModel(): unknown {
  return { graph: swtaModule({ ...CALIBRATION_MODULE, prefix: 'm' }).graph, cellTypes: Object.fromEntries(Object.entries(L23_CELL_TYPES).map(([k, t]) => [k, t.params])) };
}

/** The fingerprint of data/calibration/rate-fit.json made with `seed` from today's code. */
export function rateFitFingerprint(seed: number): string {
  return fingerprint({ artifact: 'rate-fit', model: calibrationModel(), conditions: rateFitConditions(), measurement: RATE_FIT_MEASUREMENT, seed });
}

/** The fingerprint of data/calibration/population-transfer.json made with `seed` from today's code. */
export function populationTransferFingerprint(seed: number): string {
  return fingerprint({ artifact: 'population-transfer', model: calibrationModel(), conditions: populationTransferConditions(), measurement: TRANSFER_MEASUREMENT, seed });
}

/** The fingerprint of data/calibration/gain-matching.json: its inputs' fingerprints and its seed. */
export function gainMatchFingerprint(inputs: { rateFit: string; transfer: string; seed: number }): string {
  return fingerprint({ artifact: 'gain-matching', ...inputs });
}

/** A calibration artifact made from other parameters or conditions than the code's now. */
export class StaleCalibrationError extends Error {
  constructor(path: string, stored: string | undefined, now: string, command: string) {
    super(
      `${path} is stale: it was made from ${stored === undefined ? 'unrecorded inputs (no fingerprint)' : `inputs with fingerprint ${stored}`}, ` +
        `but today's cell types, module defaults and conditions give ${now}; run \`${command}\` to regenerate it`,
    );
    this.name = 'StaleCalibrationError';
  }
}
