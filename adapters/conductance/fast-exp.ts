/**
 * e^x for the neuron update, about 3× cheaper than Math.exp in V8 (which costs ≈ 35 ns a call on
 * the 2.5 GHz Xeon we run on, and the AdEx step needs two per neuron: the spike exponential and
 * the NMDA Mg²⁺ block).
 *
 * Table-driven reduction after Tang (ACM TOMS 15(2), 1989), with N = 256:
 *   x = (256·m + j)·ln2/256 + r,   |r| ≤ ln2/512,   e^x = 2^m · 2^(j/256) · e^r
 *   e^r − 1 ≈ r + r²/2 + r³/6 + r⁴/24    (truncation < r⁵/120 ≈ 4e-17 relative)
 * ln2/256 is split into a 32-bit-exact high part and a low part, so k·ln2hi is exact and r
 * carries no cancellation error. The result is T_j + T_j·p, then scaled by 2^m from a table
 * (exact: no overflow or underflow inside the fast range).
 *
 * Accuracy (test/adapters/conductance/fast-exp.test.ts): over [−708, 709] it differs from
 * Math.exp by at most 2 ulp (relative 4.5e-16); both are within about 1 ulp of e^x. Outside
 * that range (subnormal results, overflow, ±Infinity, NaN) it returns Math.exp(x) itself.
 *
 * The JS kernels (the reference integrateAdex, the generated ones, STP and NMDA gating) call this
 * one function, and the WebAssembly kernels compute the same operations on copies of the same
 * tables (wasm-lanes.ts), so all of them stay bit-identical to each other.
 */

const N = 256;
/** 2^(j/256), j = 0…255. (Exported for the WebAssembly kernels, which copy it: never write to it.) */
export const TWO_J_N = new Float64Array(N);
for (let j = 0; j < N; j++) TWO_J_N[j] = Math.pow(2, j / N);
/** 2^m for m = −1022…1023, at index m + 1022: every scale a result in the fast range needs. */
export const TWO_M = new Float64Array(2046);
for (let m = -1022; m <= 1023; m++) TWO_M[m + 1022] = Math.pow(2, m);

export const N_OVER_LN2 = N / Math.LN2;
/** ln2/256 split: the high part has 32 significant bits (fdlibm's ln2_hi), so k·hi is exact for |k| < 2^21. */
export const LN2_HI_N = 6.93147180369123816490e-1 / N;
export const LN2_LO_N = 1.90821492927058770002e-10 / N;
/** Adding and subtracting 1.5·2^52 rounds a double of magnitude < 2^51 to the nearest integer (ties to even). */
export const ROUND = 6755399441055744;

/** The Taylor coefficients 1/3! and 1/4! of e^r − 1 (as doubles). */
export const C3 = 1 / 6;
export const C4 = 1 / 24;

/** The fast path's domain: results are normal doubles, and |k| = |round(x·256/ln2)| < 2^21. */
export const FAST_EXP_MIN = -708;
export const FAST_EXP_MAX = 709;

/** e^x, within 2 ulp of Math.exp; see the header for the method and accuracy. */
export function fastExp(x: number): number {
  // NaN and both infinities fail this test too.
  if (!(x > FAST_EXP_MIN && x < FAST_EXP_MAX)) return Math.exp(x);
  const kf = x * N_OVER_LN2 + ROUND - ROUND;
  const r = x - kf * LN2_HI_N - kf * LN2_LO_N;
  const p = r * (1 + r * (0.5 + r * (C3 + r * C4)));
  const k = kf | 0;
  const t = TWO_J_N[k & (N - 1)]!;
  // k >> 8 floors (arithmetic shift), so k = 256·(k >> 8) + (k & 255) for negative k too.
  return (t + t * p) * TWO_M[(k >> 8) + 1022]!;
}
