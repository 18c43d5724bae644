/**
 * An MNIST-M-like domain: each grey digit blended over a colour texture the way MNIST-M was made
 * (Ganin & Lempitsky 2015): out_c = |texture_c − digit|, so the stroke inverts the background colour.
 * Textures are procedural (textures.ts) instead of BSDS500 photo patches. Texture i depends only on
 * (seed, i), so the same digits with the same seed give the same images.
 */
import { Random } from '../../random.ts';
import { colourTexture } from './textures.ts';
import { checkDataset, type ImageDataset } from './types.ts';

export function toMnistM(digits: ImageDataset, seed: number): ImageDataset {
  if (digits.channels !== 1 || digits.task !== 'classify') {
    throw new Error(`toMnistM: expects grey digit images (1 channel, classification), got '${digits.source}' with ${digits.channels} channels, task ${digits.task}`);
  }
  const { n, height: h, width: w } = digits;
  const images = new Float32Array(n * h * w * 3);
  const tex = new Float32Array(h * w * 3);
  for (let i = 0; i < n; i++) {
    colourTexture(new Random(Random.derive(seed, `mnist-m:${i}`)), h, w, tex);
    const src = i * h * w;
    const dst = i * h * w * 3;
    for (let p = 0; p < h * w; p++) {
      const d = digits.images[src + p]!;
      for (let c = 0; c < 3; c++) images[dst + 3 * p + c] = Math.abs(tex[3 * p + c]! - d);
    }
  }
  return checkDataset({ ...digits, images, channels: 3, source: `mnist-m(${digits.source}, seed ${seed})` });
}
