/**
 * The rate reduction of the sWTA module: linear-threshold units with shared inhibition
 * (Rutishauser & Douglas 2009; docs/reference/swta-and-truenorth.md §4), with the two context terms of our
 * circuit:
 *
 *   u_i = s·I_i − T                          input rate I_i (Hz per fibre) → drive (Hz)
 *   τ dx_i/dt = −x_i + [u_i + α x_i − β_eff Σ_j x_j]₊ / (1 + γ_L L)
 *   β_eff = β / (1 + γ_V V)                  VIP drive V (Hz) disinhibits: less effective inhibition
 *                                             LAMP5 drive L (Hz) normalizes: divisive gain
 *
 * Shared inhibition is folded into one loop gain β = β₁β₂ (the inhibitory unit is linear and fast
 * here, as in the closed form of §4.2). For α < 1 the steady state is closed-form (sparsemax-like):
 * the active set is the k largest drives for the largest k with u_(k) > θ_k,
 *   θ_k = β_eff Σ_{i≤k} u_(i) / (1 − α' + k β_eff),   x_i = [u_i − θ]₊ / (1 − α'),
 * where the divisive term enters as α' = α/(1+γ_L L), u' = u/(1+γ_L L), β' = β_eff/(1+γ_L L).
 */
export interface RateParams {
  /** s: output Hz per input Hz at the unit's drive (input scale). */
  inputScale: number;
  /** α: recurrent self-excitation (dimensionless loop gain). */
  alpha: number;
  /** β = β₁β₂: shared-inhibition loop gain. */
  beta: number;
  /** T: threshold (Hz of drive). */
  thresholdHz: number;
  /** γ_V: per Hz of VIP drive, reduction of the inhibition (β_eff = β/(1+γ_V V)). */
  vipGainPerHz: number;
  /** γ_L: per Hz of LAMP5 drive, divisive normalization (1/(1+γ_L L)). */
  lamp5GainPerHz: number;
}

export interface Context {
  vipHz?: number;
  lamp5Hz?: number;
}

/** The loop gains in context, with the divisive term folded in: α', β' and the divisor 1 + γ_L L. */
export interface EffectiveGains {
  alpha: number;
  beta: number;
  div: number;
}

export function effectiveGains(p: RateParams, c: Context = {}): EffectiveGains {
  const div = 1 + p.lamp5GainPerHz * (c.lamp5Hz ?? 0);
  const betaEff = p.beta / (1 + p.vipGainPerHz * (c.vipHz ?? 0));
  return { alpha: p.alpha / div, beta: betaEff / div, div };
}

/**
 * θ of the closed-form active set: the largest k with u_(k) > θ_k, where
 * θ_k = β' Σ_{i≤k} u_(i) / (1 − α' + k β'). `sortedDrives` holds `count` drives sorted descending
 * (the divisive term already applied); allocation-free, so it runs per pixel in the image filter.
 */
export function activeSetThreshold(sortedDrives: ArrayLike<number>, count: number, g: EffectiveGains): number {
  let theta = 0;
  let sum = 0;
  for (let k = 1; k <= count; k++) {
    const uk = sortedDrives[k - 1]!;
    const s = sum + uk;
    const th = (g.beta * s) / (1 - g.alpha + k * g.beta);
    if (!(uk > th)) break;
    sum = s;
    theta = th;
  }
  return theta;
}

/** A pool's steady-state rate (Hz) for drive u above the active set's threshold θ: [u − θ]₊ / (1 − α'). */
export function activeRate(drive: number, theta: number, g: EffectiveGains): number {
  return Math.max(0, drive - theta) / (1 - g.alpha);
}

/** Closed-form steady state (α' < 1). Returns rates x_i (Hz). */
export function steadyState(p: RateParams, inputsHz: readonly number[], c: Context = {}): number[] {
  const g = effectiveGains(p, c);
  if (!(g.alpha < 1)) throw new RangeError(`closed form needs effective α < 1, got ${g.alpha}; use simulateRates for α ≥ 1`);
  const u = inputsHz.map((x) => (p.inputScale * x - p.thresholdHz) / g.div);
  const theta = activeSetThreshold([...u].sort((a, b) => b - a), u.length, g);
  return u.map((ui) => activeRate(ui, theta, g));
}

/** Steady-state rate (Hz) of a lone pool (no competitor) driven at `inputHz`, no context: [s·I − T]₊ / (1 − α + β). */
export function loneRateHz(p: RateParams, inputHz: number): number {
  return Math.max(0, p.inputScale * inputHz - p.thresholdHz) / (1 - p.alpha + p.beta);
}

/**
 * Euler integration of the dynamics from `x0` (zeros by default) for `durationMs`; returns the
 * final rates. Valid for any α (for α ≥ 1 the state depends on its history: multistability).
 */
export function simulateRates(
  p: RateParams,
  inputsHz: readonly number[],
  options: Context & { tauMs?: number; dtMs?: number; durationMs?: number; x0?: readonly number[]; maxRateHz?: number } = {},
): number[] {
  const tau = options.tauMs ?? 10;
  const dt = options.dtMs ?? 0.5;
  const steps = Math.round((options.durationMs ?? 500) / dt);
  const maxRate = options.maxRateHz ?? 1000;
  const div = 1 + p.lamp5GainPerHz * (options.lamp5Hz ?? 0);
  const betaEff = p.beta / (1 + p.vipGainPerHz * (options.vipHz ?? 0));
  const n = inputsHz.length;
  const x = Float64Array.from(options.x0 ?? new Array<number>(n).fill(0));
  const drive = Float64Array.from(inputsHz, (r) => p.inputScale * r - p.thresholdHz);
  for (let s = 0; s < steps; s++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += x[i]!;
    for (let i = 0; i < n; i++) {
      const target = Math.min(maxRate, Math.max(0, drive[i]! + p.alpha * x[i]! - betaEff * total) / div);
      x[i] = x[i]! + (dt / tau) * (target - x[i]!);
    }
  }
  return Array.from(x);
}

/** Gain of a lone winner, dx/dI = s / (1 − α + β) (§4.2), in context. */
export function winnerGain(p: RateParams, c: Context = {}): number {
  const { alpha, beta, div } = effectiveGains(p, c);
  return p.inputScale / div / (1 - alpha + beta);
}
