import type { Hertz } from '../units.ts';
import { termCoefficient, unitBias, type AxonGroup, type ClassGains, type LtuUnit } from './ltu-network.ts';

/**
 * Integer TrueNorth parameters that realize one LTU unit (ltu-network.ts) as a population of
 * TrueNorth neurons (docs/reference/swta-and-truenorth.md §5.5). A neuron with linear reset (gamma 1), a
 * deterministic leak lambda and a floor at 0 (kappa 1, beta 0) fires, per tick,
 *
 *   r_out = clip((Σ_G s^G ν_G + lambda) / alpha, 0, 1)        ν_G = mean active type-G axons per tick
 *
 * With k_QP synapses from each presynaptic population Q at r_Q Hz, ν_G = Σ_{Q∈G} k_QP r_Q / 1000, so
 * in Hz:  r_P = Σ_Q (s^{G(Q)} k_QP / alpha) r_Q + 1000 lambda / alpha.
 * A unit's coefficient c_QP (Hz/Hz) and bias b (Hz) are therefore realized by
 *
 *   s^G k_QP / alpha ≈ |c_QP|,   1000 lambda / alpha ≈ b,
 *
 * with one weight s^G per axon type (the chip's 4 axon types) and a fan-in k per projection. The
 * search: for each alpha on a grid, each group's s^G ∈ [1, 255] and its k's minimizing the drive
 * error at the reference rate, lambda = round(b·alpha/1000) ∈ [−255, 255]; the per-projection
 * fan-in cap is raised (16, 24, 32, 48, 64) until some alpha is within `toleranceHz`, and of those the
 * one with the fewest synapses wins (fewer axons per core; more synapses only where precision needs them).
 *
 * Register ranges are the chip's (adapters/truenorth/neuron-params.ts, repeated here because the
 * model layer does not import adapters): weights and leak 9-bit signed, alpha uint18.
 */
export const TN_WEIGHT_MAX = 255;
export const TN_LEAK_MAX = 255;
export const TN_ALPHA_MAX = 262143;
/** Per-projection fan-in caps tried in turn, fewest synapses first. */
const FAN_IN_STEPS = [16, 24, 32, 48];
/** Ticks per second: 1 tick = 1 ms. */
const TICKS_PER_S = 1000;

export interface RealizationOptions {
  /** Presynaptic rate (Hz) at which coefficient errors are weighed. Default 10 Hz. */
  refRateHz?: Hertz;
  /** Largest fan-in of one projection (synapses per neuron). Default 64. */
  maxFanIn?: number;
  /** Largest total fan-in of a neuron (must leave room on a 256-axon core). Default 160. */
  maxTotalFanIn?: number;
  /** Drive error (Hz at the reference rate) accepted in exchange for fewer synapses. Default max(0.05 Hz, 0.2 % of the drive). */
  toleranceHz?: number;
}

/** What each projection onto the population becomes. */
export interface RealizedTerm {
  projection: string;
  pre: string;
  group: AxonGroup;
  /** Synapses per postsynaptic neuron. */
  fanIn: number;
  /** Signed weight s^G of the axon type. */
  weight: number;
  /** Target and realized coefficient (Hz of post per Hz of pre). */
  coefficient: number;
  realized: number;
}

export interface Realization {
  unit: string;
  alpha: number;
  /** Signed leak sigma_lambda·lambda. */
  lambda: number;
  /** Signed weight per axon type (0 where unused). */
  weights: [number, number, number, number];
  terms: RealizedTerm[];
  biasHz: number;
  realizedBiasHz: number;
  /** sqrt(Σ ((c̃ − c)·r_ref)² + (b̃ − b)²): the drive error at the reference rate (Hz). */
  errorHz: number;
  totalFanIn: number;
}

export interface TermLimits {
  /** Most synapses a projection can give one neuron (e.g. the presynaptic population size). */
  maxFanIn: number;
  /** A fan-in the connection rule fixes (oneToOne, pairs); the weight then carries the coefficient. */
  fixedFanIn?: number;
}

export function realizeUnit(unit: LtuUnit, gains: ClassGains, limits: (projection: string) => TermLimits, options: RealizationOptions = {}): Realization {
  const ref = options.refRateHz ?? 10;
  const maxK = options.maxFanIn ?? 64;
  const capTotal = options.maxTotalFanIn ?? 160;
  const coef = unit.terms.map((t) => termCoefficient(t, gains));
  const lim = unit.terms.map((t) => limits(t.projection));
  const groups = ([0, 1, 2, 3] as const).map((g) => unit.terms.map((t, i) => (t.group === g ? i : -1)).filter((i) => i >= 0));
  const b = unitBias(unit, gains);

  interface Candidate { alpha: number; lambda: number; s: number[]; k: number[]; err2: number; total: number }
  // All alphas on the grid for one per-projection fan-in cap; candidates over the total cap are dropped.
  const search = (capK: number): Candidate[] => {
    const out: Candidate[] = [];
    for (let e = 4; e <= 17; e += 0.125) {
      const alpha = Math.round(2 ** e);
      if (alpha > TN_ALPHA_MAX) break;
      const lambda = Math.max(-TN_LEAK_MAX, Math.min(TN_LEAK_MAX, Math.round((b * alpha) / TICKS_PER_S)));
      let err2 = ((TICKS_PER_S * lambda) / alpha - b) ** 2;
      const s = [0, 0, 0, 0];
      const k = new Array<number>(unit.terms.length).fill(0);
      for (let g = 0; g < 4; g++) {
        const idx = groups[g]!;
        if (idx.length === 0) continue;
        let gBest = { e2: Infinity, s: 1, k: [] as number[] };
        for (let sg = 1; sg <= TN_WEIGHT_MAX; sg++) {
          let e2 = 0;
          const ks: number[] = [];
          for (const i of idx) {
            const c = Math.abs(coef[i]!);
            const kmax = Math.min(lim[i]!.maxFanIn, capK);
            const ki = lim[i]!.fixedFanIn ?? Math.max(0, Math.min(kmax, Math.round((c * alpha) / sg)));
            ks.push(ki);
            e2 += (((sg * ki) / alpha - c) * ref) ** 2;
          }
          if (e2 < gBest.e2 - 1e-12) gBest = { e2, s: sg, k: ks };
        }
        s[g] = gBest.s;
        idx.forEach((i, n) => {
          k[i] = gBest.k[n]!;
        });
        err2 += gBest.e2;
      }
      const total = k.reduce((a, x) => a + x, 0);
      if (total <= capTotal) out.push({ alpha, lambda, s, k, err2, total });
    }
    return out;
  };
  // Fewest synapses that realize the unit within tolerance: raise the per-projection cap step by
  // step; if no cap reaches the tolerance, the smallest error found.
  const scale = coef.reduce((a, c) => a + Math.abs(c) * ref, Math.abs(b));
  const tol = options.toleranceHz ?? Math.max(0.05, 0.002 * scale);
  let chosen: Candidate | null = null;
  let best: Candidate | null = null;
  for (const capK of [...FAN_IN_STEPS.filter((x) => x < maxK), maxK]) {
    const cands = search(capK);
    for (const c of cands) if (!best || c.err2 < best.err2) best = c;
    const ok = cands.filter((c) => Math.sqrt(c.err2) <= tol);
    if (ok.length > 0) {
      chosen = ok.reduce((a, c) => (c.total < a.total || (c.total === a.total && c.err2 < a.err2) ? c : a));
      break;
    }
  }
  chosen ??= best;
  if (!chosen) throw new RangeError(`population '${unit.id}': no threshold alpha ≤ ${TN_ALPHA_MAX} realizes its coefficients within a total fan-in of ${capTotal}`);
  const final = chosen;

  const weights: [number, number, number, number] = [0, 0, 0, 0];
  const terms: RealizedTerm[] = unit.terms.map((t, i) => {
    const w = t.sign * final.s[t.group]!;
    weights[t.group] = w;
    return {
      projection: t.projection,
      pre: t.pre,
      group: t.group,
      fanIn: final.k[i]!,
      weight: w,
      coefficient: coef[i]!,
      realized: (w * final.k[i]!) / final.alpha,
    };
  });
  return {
    unit: unit.id,
    alpha: final.alpha,
    lambda: final.lambda,
    weights,
    terms,
    biasHz: b,
    realizedBiasHz: (TICKS_PER_S * final.lambda) / final.alpha,
    errorHz: Math.sqrt(final.err2),
    totalFanIn: final.total,
  };
}
