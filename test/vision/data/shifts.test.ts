import { describe, expect, it } from 'vitest';
import { corrupt, CORRUPTION_NAMES } from '../../../src/vision/data/corruptions.ts';
import { loadMnist } from '../../../src/vision/data/mnist.ts';
import { toMnistM } from '../../../src/vision/data/mnist-m.ts';
import { colourTexture } from '../../../src/vision/data/textures.ts';
import { Random } from '../../../src/random.ts';
import { range } from '../helpers.ts';

const digits = loadMnist({ split: 'test', limit: 20 });

function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

describe('MNIST-M-like domain', () => {
  it('blends digits over colour textures: RGB, in [0, 1], labels kept, deterministic', () => {
    const m = toMnistM(digits, 5);
    expect([m.n, m.height, m.width, m.channels]).toEqual([20, 28, 28, 3]);
    expect(m.labels).toEqual(digits.labels);
    const [min, max] = range(m);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(toMnistM(digits, 5).images).toEqual(m.images);
    expect(toMnistM(digits, 6).images).not.toEqual(m.images);
  });

  it('is |texture − digit| per channel (Ganin & Lempitsky): the stroke inverts the texture', () => {
    const m = toMnistM(digits, 1);
    const tex = colourTexture(new Random(Random.derive(1, 'mnist-m:0')), 28, 28);
    for (let p = 0; p < 784; p++) {
      for (let c = 0; c < 3; c++) expect(m.images[3 * p + c]).toBeCloseTo(Math.abs(tex[3 * p + c]! - digits.images[p]!), 6);
    }
  });

  it('refuses RGB input', () => {
    expect(() => toMnistM(toMnistM(digits, 1), 1)).toThrow(/expects grey digit images/);
  });
});

describe('MNIST-C-like corruptions', () => {
  it.each(CORRUPTION_NAMES)('%s keeps shape, labels and the [0, 1] range, and changes the images', (name) => {
    const c = corrupt(digits, name, { severity: 3, seed: 1 });
    expect([c.n, c.height, c.width, c.channels, c.images.length]).toEqual([digits.n, 28, 28, 1, digits.images.length]);
    expect(c.labels).toEqual(digits.labels);
    const [min, max] = range(c);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(meanAbsDiff(c.images, digits.images)).toBeGreaterThan(0.005);
    expect(corrupt(digits, name, { severity: 3, seed: 1 }).images).toEqual(c.images);
  });

  it('gets stronger with severity', () => {
    for (const name of ['gaussian_noise', 'impulse_noise', 'contrast', 'dark', 'bright', 'blur'] as const) {
      const d1 = meanAbsDiff(corrupt(digits, name, { severity: 1, seed: 2 }).images, digits.images);
      const d5 = meanAbsDiff(corrupt(digits, name, { severity: 5, seed: 2 }).images, digits.images);
      expect(d5, name).toBeGreaterThan(d1);
    }
  });

  it('works on RGB images and rejects unknown names and severities', () => {
    const rgb = corrupt(toMnistM(digits, 1), 'fog', { seed: 1 });
    expect(rgb.channels).toBe(3);
    expect(() => corrupt(digits, 'snow', { seed: 1 })).toThrow(/unknown corruption 'snow'; known: gaussian_noise/);
    expect(() => corrupt(digits, 'blur', { seed: 1, severity: 6 })).toThrow(/severity must be an integer 1–5, got 6/);
  });
});
