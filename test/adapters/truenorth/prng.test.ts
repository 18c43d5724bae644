import { describe, expect, it } from 'vitest';
import { Prng8, coreSeed, nextState, seedState } from '../../../adapters/truenorth/prng.ts';

describe('prng: xorshift32, top 8 bits', () => {
  it('one xorshift32 step from state 1, by hand: 1 → 270369', () => {
    // x = 1: x ^= x << 13 → 1 ^ 8192 = 8193; x ^= x >>> 17 → 8193 ^ 0 = 8193;
    // x ^= x << 5 → 8193 ^ 262176 = 270369
    expect(nextState(1)).toBe(270369);
  });

  it('known answers: seed states and first draws (from an independent Python transcription)', () => {
    // python: h = (s + 0x9e3779b9) & M; h ^= h >> 16; h = h * 0x85ebca6b & M; h ^= h >> 13;
    //         h = h * 0xc2b2ae35 & M; h ^= h >> 16; x ^= x << 13 & M; x ^= x >> 17; x ^= x << 5 & M; x >> 24
    expect(seedState(0)).toBe(0x92ca2f0e);
    expect(seedState(1)).toBe(0x96a0f96b);
    expect(seedState(42)).toBe(0x3805ea2c);
    const draws = (seed: number): number[] => {
      const r = new Prng8(seed);
      return Array.from({ length: 12 }, () => r.next());
    };
    expect(draws(0)).toEqual([50, 68, 158, 139, 218, 206, 214, 42, 179, 102, 1, 107]);
    expect(draws(1)).toEqual([184, 211, 31, 82, 7, 85, 75, 212, 175, 248, 45, 100]);
    expect(draws(42)).toEqual([45, 198, 153, 185, 4, 236, 211, 142, 29, 232, 178, 15]);
    expect(draws(0xffffffff)).toEqual([239, 80, 67, 182, 13, 219, 52, 100, 231, 233, 65, 2]);
  });

  it('draws are uniform on 0..255 (chi-square, 256 bins, 256 000 draws, seed 7)', () => {
    const r = new Prng8(7);
    const counts = new Array<number>(256).fill(0);
    const n = 256_000;
    for (let i = 0; i < n; i++) counts[r.next()]!++;
    const e = n / 256;
    const chi2 = counts.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
    // 255 degrees of freedom: mean 255, sd √510 ≈ 22.6; 350 is beyond the 99.99th percentile.
    expect(chi2).toBeLessThan(350);
  });

  it('rejects seeds outside uint32 with a message naming the range', () => {
    expect(() => seedState(-1)).toThrow(/\[0, 4294967295\], got -1/);
    expect(() => seedState(1.5)).toThrow(/got 1.5/);
  });

  it('core 0 of a network uses the network seed itself; other cores differ', () => {
    expect(coreSeed(123, 0)).toBe(123);
    expect(coreSeed(123, 1)).not.toBe(123);
    expect(new Set([0, 1, 2, 3].map((c) => coreSeed(5, c))).size).toBe(4);
  });
});
