/**
 * The conditions of the calibration chain (docs/reference/architecture.md): the one list of inputs
 * under which the two-pool conductance sWTA module is measured, for the rate fit
 * (`swta run rate-fit`) and for the TrueNorth gain matching (`swta run gain-matching`). Rates are
 * Poisson rates per input fibre (Hz); pool 0 is the winner unless a condition says otherwise. The
 * sWTA scenarios measure at the same input levels (amplification, gain modulation, the selection
 * curve of swta-suppression), so the calibration covers the range they report.
 */

/** The module every condition is measured on: two pools of 80 Pyr, the sWTA module's defaults otherwise. */
export const CALIBRATION_MODULE = { pools: 2, poolSize: 80 } as const;

/**
 * How the rate fit measures each condition: a 300 ms settle (the onset burst lasts ~100 ms), then a
 * 2700 ms window. With near-equal inputs the NMDA-rich pools take turns in adaptation-driven
 * episodes of 200–400 ms; a 700 ms window holds two or three of them and counts which pool
 * happened to win (seed-to-seed r 0.80 on the filter check's images, 0.95 with 2700 ms).
 */
export const RATE_FIT_MEASUREMENT = { settleMs: 300, windowMs: 2700 } as const;

/** How the gain matching measures every population's transfer curves on the conductance module. */
export const TRANSFER_MEASUREMENT = { settleMs: 300, windowMs: 2000 } as const;

/** One condition: input rate per pool and the context drive rates (Hz per fibre; absent = 0). */
export interface CalibrationCondition {
  inputsHz: number[];
  vipHz?: number;
  lamp5Hz?: number;
}

/** The loser's input "in competition". */
export const LOSER_INPUT_HZ = 10;
/** Winner inputs of the input–output curves: all above the loser's, so the winner is known. */
export const WINNER_INPUTS_HZ = [14, 18, 22, 26] as const;
/** Two-pool conditions whose loser gets ≥ 12 Hz: both pools stay on (the rate fit and the filter check use them). */
export const STRONG_LOSER_INPUTS_HZ: readonly (readonly [number, number])[] = [[22, 12], [26, 16], [18, 14], [20, 16], [24, 18], [26, 24]];
/** Context drive levels (Hz per fibre), increasing, the first without context. */
export const VIP_LEVELS_HZ = [0, 5, 10] as const;
export const LAMP5_LEVELS_HZ = [0, 8, 16] as const;
/**
 * Input ratios (pool 0 / pool 1) of the selection curve, at a mean input of SELECTION_MEAN_INPUT_HZ;
 * the same as the swta-suppression scenario's (a test checks they agree).
 */
export const SELECTION_RATIOS = [0.5, 0.67, 0.8, 0.9, 1, 1.11, 1.25, 1.5, 2] as const;
export const SELECTION_MEAN_INPUT_HZ = 12;

/**
 * The conditions both calibrations share, in this order:
 *   - the winner alone (the other pool without input): the input–output curve of one pool;
 *   - the winner against a loser at LOSER_INPUT_HZ, at every VIP level (the first is no context):
 *     the competing input–output curve and its disinhibition;
 *   - the same under each non-zero LAMP5 level: divisive normalization;
 *   - the clear-winner ends of the selection curve (ratios ≤ 0.67 or ≥ 1.5): the competition's
 *     threshold. Near-tie ratios are left out: there the module is close to multistable and its
 *     two pools alternate or co-activate, which no single steady state of a rate model represents
 *     (the swta-hysteresis scenario measures that regime instead).
 * Pools at low input (below ~8 Hz) stay out: there a pool jumps from rest to a sustained rate
 * (ignition), which a monostable linear-threshold unit does not have.
 */
function sharedConditions(): CalibrationCondition[] {
  const out: CalibrationCondition[] = [];
  for (const x of WINNER_INPUTS_HZ) out.push({ inputsHz: [x, 0] });
  for (const v of VIP_LEVELS_HZ) for (const x of WINNER_INPUTS_HZ) out.push({ inputsHz: [x, LOSER_INPUT_HZ], vipHz: v });
  for (const l of LAMP5_LEVELS_HZ.slice(1)) for (const x of WINNER_INPUTS_HZ) out.push({ inputsHz: [x, LOSER_INPUT_HZ], lamp5Hz: l });
  const total = 2 * SELECTION_MEAN_INPUT_HZ;
  for (const ratio of SELECTION_RATIOS.filter((x) => x <= 0.67 || x >= 1.5)) out.push({ inputsHz: [(total * ratio) / (1 + ratio), total / (1 + ratio)] });
  return out;
}

/**
 * The rate fit's conditions: the shared ones, then two-pool conditions with a strong loser
 * (STRONG_LOSER_INPUTS_HZ), where both pools stay on — the regime that fixes the competition's
 * threshold and that the image filter lives in (its neighbourhoods rarely hold one bright pixel
 * among dark ones). 34 conditions (data/calibration/rate-fit.json: samples).
 */
export function rateFitConditions(): CalibrationCondition[] {
  return [...sharedConditions(), ...STRONG_LOSER_INPUTS_HZ.map((inputsHz) => ({ inputsHz: [...inputsHz] }))];
}

/**
 * The gain matching's conditions (every population's rate is fitted, not only the pools'): the
 * shared ones, then each pool alone at the loser's input, then each context drive with no input
 * (VIP at its non-zero levels and twice the highest, LAMP5 at half the lowest non-zero level and
 * its non-zero levels): the VIP and LAMP5 transfer curves on their own; last, the spontaneous
 * state (no input, no context: the background alone). 37 conditions
 * (data/calibration/population-transfer.json: conditions, in this order).
 */
export function populationTransferConditions(): CalibrationCondition[] {
  const out = sharedConditions();
  out.push({ inputsHz: [LOSER_INPUT_HZ, 0] }, { inputsHz: [0, LOSER_INPUT_HZ] });
  for (const v of [...VIP_LEVELS_HZ.slice(1), 2 * VIP_LEVELS_HZ.at(-1)!]) out.push({ inputsHz: [0, 0], vipHz: v });
  for (const l of [LAMP5_LEVELS_HZ[1]! / 2, ...LAMP5_LEVELS_HZ.slice(1)]) out.push({ inputsHz: [0, 0], lamp5Hz: l });
  out.push({ inputsHz: [0, 0] });
  return out;
}
