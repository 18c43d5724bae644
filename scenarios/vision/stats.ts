import type { MeanSd } from '../../src/stats.ts';

export { meanSd, type MeanSd } from '../../src/stats.ts';

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
