import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYR } from '../../../src/celltypes/l23.ts';
import { canonicalJson, fingerprint, rateFitFingerprint, StaleCalibrationError } from '../../../src/calibration/fingerprint.ts';
import { GAIN_MATCH_PATH, loadGainMatch, loadPopulationTransfer, POPULATION_TRANSFER_PATH } from '../../../src/calibration/gain-matching-artifact.ts';
import { loadRateFit, RATE_FIT_PATH } from '../../../src/calibration/rate-fit-artifact.ts';

/** A copy of a committed artifact with one field changed, in a temporary folder. */
function tampered(path: string, change: (a: Record<string, unknown>) => void): string {
  const a = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  change(a);
  const out = join(mkdtempSync(join(tmpdir(), 'swta-calibration-')), 'artifact.json');
  writeFileSync(out, JSON.stringify(a));
  return out;
}

describe('calibration artifacts check themselves', () => {
  it('the committed artifacts are of today\'s cell types, module defaults and conditions', () => {
    expect(() => loadRateFit()).not.toThrow();
    expect(() => loadPopulationTransfer()).not.toThrow();
    expect(() => loadGainMatch()).not.toThrow();
  });

  it('an artifact made from other inputs is refused, naming the command that regenerates it', () => {
    const rf = tampered(RATE_FIT_PATH, (a) => (a.fingerprint = '0000000000000000'));
    expect(() => loadRateFit(rf)).toThrow(StaleCalibrationError);
    expect(() => loadRateFit(rf)).toThrow(/stale.*run `npx swta run rate-fit --save`/);
    expect(() => loadRateFit(rf, { allowStale: true })).not.toThrow();
    expect(() => loadPopulationTransfer(tampered(POPULATION_TRANSFER_PATH, (a) => (a.seed = 4)))).toThrow(/run `npx swta run gain-matching --save`/);
    expect(() => loadGainMatch(tampered(GAIN_MATCH_PATH, (a) => delete a.fingerprint))).toThrow(/no fingerprint/);
  });

  it('changing one cell-type parameter makes the committed rate fit stale', () => {
    const before = rateFitFingerprint(3);
    const b = PYR.params.bPa;
    PYR.params.bPa = b + 1;
    try {
      expect(rateFitFingerprint(3)).not.toBe(before);
      expect(() => loadRateFit()).toThrow(StaleCalibrationError);
    } finally {
      PYR.params.bPa = b;
    }
    expect(rateFitFingerprint(3)).toBe(before);
    expect(rateFitFingerprint(4)).not.toBe(before);
  });

  it('the fingerprint is of the value, not of its key order', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe('{"a":[1,{"c":3,"d":2}],"b":1}');
    expect(fingerprint({ x: 1, y: 2 })).toBe(fingerprint({ y: 2, x: 1 }));
    expect(fingerprint({ x: 1 })).not.toBe(fingerprint({ x: 2 }));
    expect(fingerprint('')).toMatch(/^[0-9a-f]{16}$/);
  });
});
