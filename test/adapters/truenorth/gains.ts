import type { GainsByClass } from '../../../src/calibration/ltu-network.ts';

/**
 * Class gains for tests that need a gain-matched network but must not move when the committed
 * calibration (data/calibration/gain-matching.json) is regenerated: a copy of one fit, rounded.
 */
export const TEST_GAINS: GainsByClass = {
  Pyr: { gains: [7.327e-05, 0.000233, 8.434e-05, 9.174e-05, 7.526e-05], biasHz: 2.334 },
  PV: { gains: [5.474e-05, 9.993e-10, 7.058e-05, 0.0003706, 0], biasHz: -0.3094 },
  SST: { gains: [8.603e-05, 0.0001, 0.0001, 5.992e-11, 0], biasHz: 6.411 },
  VIP: { gains: [0.0001249, 0.0001, 9.421e-05, 0.0001743, 0], biasHz: 4.335 },
  LAMP5: { gains: [7.303e-05, 0.0001, 4.479e-05, 3.87e-06, 0], biasHz: 1.634 },
};
