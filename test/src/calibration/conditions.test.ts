import { describe, expect, it } from 'vitest';
import { CALIBRATION_MODULE, populationTransferConditions, rateFitConditions } from '../../../src/calibration/conditions.ts';
import { loadPopulationTransfer } from '../../../src/calibration/gain-matching-artifact.ts';
import { loadRateFit } from '../../../src/calibration/rate-fit-artifact.ts';
import { SWTA_DEFAULTS, swtaModule } from '../../../src/motifs/swta-module.ts';

describe('the calibration conditions (one list for the rate fit and the gain matching)', () => {
  it('the rate fit has as many conditions as the committed rate-fit artifact has samples', () => {
    expect(rateFitConditions()).toHaveLength(loadRateFit().samples);
  });

  it('the gain matching\'s conditions are the committed population-transfer measurement\'s, in order', () => {
    const { graph, ids } = swtaModule({ ...CALIBRATION_MODULE, prefix: 'm' });
    const backgroundsHz = Object.fromEntries(graph.stimuli.flatMap((s) => (s.kind === 'poisson' && ids.backgrounds.includes(s.id) ? [[s.id, s.rateHz]] : [])));
    const expected = populationTransferConditions().map((c) => ({
      [ids.vipDrive]: c.vipHz ?? 0,
      [ids.lamp5Drive]: c.lamp5Hz ?? 0,
      ...Object.fromEntries(ids.inputs.map((id, k) => [id, c.inputsHz[k]!])),
      ...backgroundsHz,
    }));
    expect(loadPopulationTransfer().conditions.map((c) => c.sourcesHz)).toEqual(expected);
  });

  it('both committed measurements are of the calibration module (2 pools × 80 Pyr, defaults)', () => {
    const moduleNow = JSON.parse(JSON.stringify({ ...CALIBRATION_MODULE, ...SWTA_DEFAULTS })) as unknown;
    expect(loadPopulationTransfer().module).toEqual(moduleNow);
    expect(loadRateFit().source.module).toEqual(moduleNow);
  });

  it('both share the same leading conditions', () => {
    const shared = populationTransferConditions().slice(0, 28);
    expect(rateFitConditions().slice(0, 28)).toEqual(shared);
  });
});
