import type { TransferCondition } from '../../src/calibration/class-gain-fit.ts';
import { SWTA_DEFAULTS } from '../../src/motifs/swta-module.ts';
import { LOSER_INPUT_HZ, SELECTION_RATIOS, WINNER_INPUTS_HZ } from '../swta/common.ts';
import { LAMP5_LEVELS_HZ, VIP_LEVELS_HZ } from '../swta/gain-modulation.ts';
import type { Condition, ModuleRunner } from '../swta/module-runner.ts';

/**
 * The conditions of the population transfer curves: those of the rate fit (scenarios/swta/rate-fit.ts:
 * input–output curves alone and against a loser, under VIP and LAMP5 drive, the clear-winner ends of
 * the selection curve), plus each pool alone at the loser's input, and each context drive with no
 * input: the VIP and LAMP5 transfer curves on their own. Pools at low input (below ~8 Hz) are left
 * out, as in the rate fit: there a pool jumps from rest to a sustained rate (ignition), which a
 * monostable LTU does not have.
 */
export function transferConditions(): Condition[] {
  const out: Condition[] = [];
  for (const x of WINNER_INPUTS_HZ) out.push({ inputsHz: [x, 0] });
  for (const v of VIP_LEVELS_HZ) for (const x of WINNER_INPUTS_HZ) out.push({ inputsHz: [x, LOSER_INPUT_HZ], vipHz: v });
  for (const l of LAMP5_LEVELS_HZ.slice(1)) for (const x of WINNER_INPUTS_HZ) out.push({ inputsHz: [x, LOSER_INPUT_HZ], lamp5Hz: l });
  for (const ratio of SELECTION_RATIOS.filter((x) => x <= 0.67 || x >= 1.5)) out.push({ inputsHz: [(24 * ratio) / (1 + ratio), 24 / (1 + ratio)] });
  out.push({ inputsHz: [LOSER_INPUT_HZ, 0] }, { inputsHz: [0, LOSER_INPUT_HZ] });
  for (const v of [...VIP_LEVELS_HZ.slice(1), 2 * VIP_LEVELS_HZ.at(-1)!]) out.push({ inputsHz: [0, 0], vipHz: v });
  for (const l of [LAMP5_LEVELS_HZ[1]! / 2, ...LAMP5_LEVELS_HZ.slice(1)]) out.push({ inputsHz: [0, 0], lamp5Hz: l });
  return out;
}

/** Every population's rate under one condition, as a transfer sample keyed by graph ids. */
export function measureCondition(r: ModuleRunner, c: Condition): TransferCondition {
  const ids = r.module.ids;
  const m = r.measure(c);
  const sourcesHz: Record<string, number> = { [ids.vipDrive]: c.vipHz ?? 0, [ids.lamp5Drive]: c.lamp5Hz ?? 0 };
  ids.inputs.forEach((id, k) => {
    sourcesHz[id] = c.inputsHz[k]!;
  });
  if (ids.background) sourcesHz[ids.background] = SWTA_DEFAULTS.background.rateHz;
  const populationsHz: Record<string, number> = { [ids.pv]: m.pv, [ids.sst]: m.sst, [ids.vip]: m.vip, [ids.lamp5]: m.lamp5 };
  ids.pools.forEach((id, k) => {
    populationsHz[id] = m.pools[k]!;
  });
  return { sourcesHz, populationsHz };
}
