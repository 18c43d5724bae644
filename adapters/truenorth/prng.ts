/**
 * The 8-bit pseudo-random source of one emulated TrueNorth core.
 *
 *   x ← x ^ (x << 13);  x ← x ^ (x >>> 17);  x ← x ^ (x << 5)      (xorshift32, Marsaglia 2003)
 *   rho = x >>> 24                                                  (one 8-bit draw, 0..255)
 *
 * State: one uint32, never 0 (xorshift32's only fixed point); period 2^32 − 1. Each draw advances the
 * state once and keeps the top 8 bits, which are the best mixed bits of xorshift32 (the low bits of
 * the first draws after a small state are nearly constant).
 *
 * Real TrueNorth has one PRNG per core whose 8-bit outputs drive stochastic synapses, leak and
 * threshold (pytruenorth: `PRNG uint8`). Its circuit (reportedly an LFSR) and its seeding are not in
 * any source we have, so our streams are deterministic and reproducible but NOT bit-identical to the
 * chip's: a TrueNorth model that uses stochastic modes gives statistically equivalent, not equal,
 * spikes here. Deterministic modes are unaffected.
 *
 * Seeding: state = fmix32(seed + 0x9e3779b9) (murmur3's finalizer, a bijection on uint32), with the
 * single seed that maps to 0 remapped to state 1. Every 32-bit seed thus gives a well-mixed start.
 */

/** Width of one draw: rho ∈ [0, PRN_MAX]. */
export const PRN_BITS = 8;
export const PRN_MAX = (1 << PRN_BITS) - 1; // 255

/** Anything that yields 8-bit draws; lets tests script the draws of the scalar neuron. */
export interface ByteSource {
  /** Next draw, an integer in [0, 255]. */
  next(): number;
}

/** Largest accepted seed (seeds are uint32). */
export const SEED_MAX = 0xffffffff;

/** Initial xorshift32 state for a seed (uint32; see the header for the mixing). */
export function seedState(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) {
    throw new RangeError(`PRNG seed must be an integer in [0, ${SEED_MAX}], got ${seed}`);
  }
  let h = (seed + 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  return h === 0 ? 1 : h;
}

/** One xorshift32 step (uint32 in, uint32 out). Core.step inlines this same arithmetic. */
export function nextState(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

/**
 * The seed of core `coreIndex` in a network seeded with `networkSeed`. Core 0 gets the network seed
 * itself, so a one-core network and a lone Core with the same seed draw the same numbers.
 */
export function coreSeed(networkSeed: number, coreIndex: number): number {
  return (networkSeed + Math.imul(coreIndex, 0x9e3779b1)) >>> 0;
}

/** A seeded 8-bit generator as an object: used by the scalar neuron and by tests. */
export class Prng8 implements ByteSource {
  /** xorshift32 state, uint32, never 0. */
  state: number;

  constructor(seed: number) {
    this.state = seedState(seed);
  }

  next(): number {
    this.state = nextState(this.state);
    return this.state >>> 24;
  }
}
