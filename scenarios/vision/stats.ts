/** Mean and sample standard deviation (n − 1; 0 for a single value) of a list of numbers. */
export interface MeanSd {
  mean: number;
  sd: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  if (values.length === 0) return { mean: NaN, sd: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return { mean, sd: 0 };
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (values.length - 1)) };
}

/**
 * How a filtered-minus-baseline difference compares with the seed spread: 'better' or 'worse' when
 * |Δ mean| exceeds sd_baseline + sd_filtered (a conservative reading of "larger than the seed
 * spread"), else 'within spread'.
 */
export type Verdict = 'better' | 'worse' | 'within spread';

export function verdict(baseline: MeanSd, filtered: MeanSd): Verdict {
  const d = filtered.mean - baseline.mean;
  const spread = baseline.sd + filtered.sd;
  if (Math.abs(d) <= spread || !Number.isFinite(d)) return 'within spread';
  return d > 0 ? 'better' : 'worse';
}
