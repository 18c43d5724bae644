import type { Random } from '../../random.ts';

/**
 * A photon count with mean `mean`: Poisson by Knuth's method (multiply uniforms until below
 * e^−mean) up to a mean of 30, above it the normal approximation mean + √mean·z, floored at 0 and
 * not rounded (a continuous count; round it where an integer is needed).
 */
export function photonCount(rng: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, mean + Math.sqrt(mean) * rng.normal());
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng.uniform();
  } while (p > l);
  return k - 1;
}
