import { meanSd } from '../../src/stats.ts';
import { leastSquaresSlope } from '../celltypes/fi-curve.ts';
import { LOSER_INPUT_HZ, WINNER_INPUTS_HZ } from '../../src/calibration/conditions.ts';
import { ModuleRunner, type Ablation, type Backend } from './module-runner.ts';

/**
 * Shared protocol of the sWTA scenarios. Input strengths are Poisson rates per input fibre (Hz);
 * outputs are mean pool rates (Hz per neuron). A pool "alone" competes with nothing (the other
 * pools get no input); "in competition" the loser's input is held at LOSER_INPUT_HZ. The input
 * levels are the calibration's (src/calibration/conditions.ts).
 */
export const DEFAULT_SEED = 3;
/** Reference input ratio of the suppression measure: inputs differing by 40 % (the measure's range: 20–50 %). */
export const REFERENCE_RATIO = 1.4;
/**
 * The module's stated soft-WTA regime at REFERENCE_RATIO (src/motifs/swta-module.ts, SWTA_DEFAULTS):
 * the loser keeps this fraction of its isolated rate, suppressed but not silenced. Scenario tests
 * and the conformance suite judge every backend against the same range.
 */
export const LOSER_FRACTION_RANGE = { min: 0.05, max: 0.5 } as const;

export interface ProtocolOptions {
  seed?: number;
  ablate?: Ablation;
  poolSize?: number;
  /** Adapter that runs the module (default 'conductance'). */
  backend?: Backend;
}

export function twoPoolRunner(o: ProtocolOptions = {}): ModuleRunner {
  return new ModuleRunner({
    module: { pools: 2, poolSize: o.poolSize ?? 80 },
    seed: o.seed ?? DEFAULT_SEED,
    ...(o.ablate ? { ablate: o.ablate } : {}),
    ...(o.backend ? { backend: o.backend } : {}),
  });
}

export interface IoCurves {
  inputsHz: number[];
  alone: number[];
  winner: number[];
  loser: number[];
}

/** Input–output curves of pool 0 alone and in competition with pool 1 at LOSER_INPUT_HZ. */
export function ioCurves(r: ModuleRunner, context: { vipHz?: number; lamp5Hz?: number } = {}): IoCurves {
  const inputsHz = [...WINNER_INPUTS_HZ];
  const alone = inputsHz.map((x) => r.measure({ inputsHz: [x, 0], ...context }).pools[0]!);
  const comp = inputsHz.map((x) => r.measure({ inputsHz: [x, LOSER_INPUT_HZ], ...context }));
  return { inputsHz, alone, winner: comp.map((c) => c.pools[0]!), loser: comp.map((c) => c.pools[1]!) };
}

/** Δrate_out/Δrate_in: least-squares slope of output vs input (Hz/Hz). */
export function slopeGain(inputsHz: readonly number[], outputsHz: readonly number[]): number {
  return leastSquaresSlope(inputsHz, outputsHz);
}

/**
 * Response gain: the g of r_out ≈ g·r_in fitted through the origin (Σ r_in r_out / Σ r_in²).
 * Used for gain modulation because a modulator may shift the curve as well as tilt it
 * (LAMP5's slow, strongly depressing inhibition does mostly the former); both change the gain
 * in this multiplicative sense.
 */
export function responseGain(inputsHz: readonly number[], outputsHz: readonly number[]): number {
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < inputsHz.length; i++) {
    sxy += inputsHz[i]! * outputsHz[i]!;
    sxx += inputsHz[i]! ** 2;
  }
  return sxy / sxx;
}

/** loser rate in competition at REFERENCE_RATIO / loser rate alone. */
export function loserFraction(r: ModuleRunner): { loserFraction: number; loserAloneHz: number; loserCompetingHz: number; winnerHz: number } {
  const loserAloneHz = r.measure({ inputsHz: [0, LOSER_INPUT_HZ] }).pools[1]!;
  const c = r.measure({ inputsHz: [LOSER_INPUT_HZ * REFERENCE_RATIO, LOSER_INPUT_HZ] });
  return { loserFraction: c.pools[1]! / loserAloneHz, loserAloneHz, loserCompetingHz: c.pools[1]!, winnerHz: c.pools[0]! };
}

export function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

/** Seeds of a multi-seed scenario: `count` consecutive seeds from options.seed (default DEFAULT_SEED). */
export function seedRange(first: number | undefined, count: number): number[] {
  const s0 = first ?? DEFAULT_SEED;
  return Array.from({ length: count }, (_, k) => s0 + k);
}

/** "mean ± sd" of a list. */
export function fmtMeanSd(xs: readonly number[], digits = 2): string {
  const { mean, sd } = meanSd(xs);
  return `${fmt(mean, digits)} ± ${fmt(sd, digits)}`;
}
