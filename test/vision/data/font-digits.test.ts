import { describe, expect, it } from 'vitest';
import { findFontFiles } from '../../../src/vision/data/fonts.ts';
import { renderFontDigits } from '../../../src/vision/data/font-digits.ts';
import { range, tempDir } from '../helpers.ts';

describe('font digits (SynDigits-like)', () => {
  it('finds the Debian fonts, without symbol fonts', () => {
    const files = findFontFiles();
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => /D050000L|StandardSymbols/.test(f))).toBe(false);
  });

  it('renders 28×28 grey digits in [0, 1] with ink on a black background', () => {
    const ds = renderFontDigits({ n: 50, seed: 3 });
    expect([ds.n, ds.height, ds.width, ds.channels, ds.numClasses]).toEqual([50, 28, 28, 1, 10]);
    const [min, max] = range(ds);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    for (let i = 0; i < ds.n; i++) {
      const img = ds.images.subarray(i * 784, (i + 1) * 784);
      const ink = img.reduce((a, v) => a + v, 0);
      expect(ink).toBeGreaterThan(15); // every image has a visible digit…
      expect(img[0]).toBeLessThan(0.05); // …and a dark corner
    }
  });

  it('is deterministic in the seed, differs across seeds, and renders ranges independently', () => {
    const a = renderFontDigits({ n: 8, seed: 11 });
    const b = renderFontDigits({ n: 8, seed: 11 });
    const c = renderFontDigits({ n: 8, seed: 12 });
    expect(b.images).toEqual(a.images);
    expect(b.labels).toEqual(a.labels);
    expect(c.images).not.toEqual(a.images);
    const tail = renderFontDigits({ n: 3, seed: 11, offset: 5 });
    expect(tail.images).toEqual(a.images.slice(5 * 784, 8 * 784));
  });

  it('renders coloured RGB digits on request', () => {
    const ds = renderFontDigits({ n: 4, seed: 1, colour: true, size: 32 });
    expect([ds.height, ds.width, ds.channels]).toEqual([32, 32, 3]);
  });

  it('fails clearly when no font is installed', () => {
    expect(() => renderFontDigits({ n: 1, seed: 1, fontDirs: [tempDir()] })).toThrow(/no \.ttf\/\.otf fonts found in .*; install the Debian font packages/);
  });
});
