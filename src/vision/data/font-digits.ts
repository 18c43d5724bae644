/**
 * Font digits: a SynDigits-like domain (Ganin & Lempitsky 2015) rendered from Debian fonts.
 *
 * Each image: a random font, size, rotation, stroke width and position jitter, drawn white on black
 * at 4× resolution and area-downsampled to the output size, so strokes are anti-aliased like MNIST's.
 * With `colour`, foreground and background are random colours of at least a minimum contrast
 * (the SynDigits look) and the image is RGB.
 *
 * Image i depends only on (seed, i) and the installed font list: its own random stream is derived
 * from both, so a range of images can be rendered without the ones before it.
 */
import { createCanvas } from '@napi-rs/canvas';
import { Random } from '../../random.ts';
import { digitFonts, type DigitFont } from './fonts.ts';
import { resizeImages } from './resize.ts';
import { checkDataset, clampToUnit, DIGIT_CLASSES, type ImageDataset } from './types.ts';

export interface FontDigitOptions {
  n: number;
  seed: number;
  /** Output size (square); default 28. */
  size?: number;
  /** RGB with random colours; default false (grey, white on black like MNIST). */
  colour?: boolean;
  /** Index of the first image (to render a later range of the same stream); default 0. */
  offset?: number;
  /** Font folders; default the Debian font package folders. */
  fontDirs?: readonly string[];
}

/** Per-image draw parameters, exposed for tests and for documentation of the ranges. */
export interface FontDigitParams {
  label: number;
  font: DigitFont;
  /** Ink height of the glyph as a fraction of the image side. */
  heightFrac: number;
  rotationRad: number;
  /** Stroke width as a fraction of the image side (thickens the glyph). */
  strokeFrac: number;
  /** Centre offset as a fraction of the image side. */
  dx: number;
  dy: number;
  fg: [number, number, number];
  bg: [number, number, number];
}

const SUPERSAMPLE = 4;

export function fontDigitParams(seed: number, index: number, fonts: readonly DigitFont[], colour: boolean): FontDigitParams {
  const rng = new Random(Random.derive(seed, `font-digit:${index}`));
  const label = rng.int(10);
  const font = fonts[rng.int(fonts.length)]!;
  const heightFrac = 0.55 + 0.2 * rng.uniform();
  const rotationRad = ((rng.uniform() * 2 - 1) * 15 * Math.PI) / 180;
  const strokeFrac = 0.05 * rng.uniform();
  const dx = (rng.uniform() * 2 - 1) * 0.08;
  const dy = (rng.uniform() * 2 - 1) * 0.08;
  let fg: [number, number, number] = [1, 1, 1];
  let bg: [number, number, number] = [0, 0, 0];
  if (colour) {
    // Draw colours until foreground and background differ in luma by at least 0.3.
    do {
      fg = [rng.uniform(), rng.uniform(), rng.uniform()];
      bg = [rng.uniform(), rng.uniform(), rng.uniform()];
    } while (Math.abs(luma(fg) - luma(bg)) < 0.3);
  }
  return { label, font, heightFrac, rotationRad, strokeFrac, dx, dy, fg, bg };
}

/** Renders n font digits; deterministic in (seed, offset, n, size, colour, installed fonts). */
export function renderFontDigits(opts: FontDigitOptions): ImageDataset {
  const size = opts.size ?? 28;
  const colour = opts.colour ?? false;
  const offset = opts.offset ?? 0;
  const fonts = digitFonts(opts.fontDirs);
  const big = size * SUPERSAMPLE;
  const canvas = createCanvas(big, big);
  const ctx = canvas.getContext('2d');
  const channels = colour ? 3 : 1;
  const images = new Float32Array(opts.n * size * size * channels);
  const labels = new Uint8Array(opts.n);
  const mask = new Float32Array(big * big);
  for (let i = 0; i < opts.n; i++) {
    const p = fontDigitParams(opts.seed, offset + i, fonts, colour);
    labels[i] = p.label;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, big, big);
    const text = DIGIT_CLASSES[p.label]!;
    // Size by ink, not by em: fonts differ a lot in digit height (old-style numerals, display faces).
    // Measure at 100 px, then scale so the ink is heightFrac of the side (and at most 0.9 of it wide).
    ctx.font = `100px "${p.font.family}"`;
    const ref = ctx.measureText(text);
    const refH = Math.max(1, ref.actualBoundingBoxAscent + ref.actualBoundingBoxDescent);
    const refW = Math.max(1, ref.actualBoundingBoxLeft + ref.actualBoundingBoxRight);
    const px = Math.max(4, Math.round(100 * Math.min((p.heightFrac * big) / refH, (0.9 * big) / refW)));
    ctx.font = `${px}px "${p.font.family}"`;
    const m = ctx.measureText(text);
    // Centre the ink box (not the advance box) so every font's digit sits in the middle before jitter.
    // Drawn at (ox, oy) the ink spans [ox − left, ox + right] × [oy − ascent, oy + descent].
    const ox = (m.actualBoundingBoxLeft - m.actualBoundingBoxRight) / 2;
    const oy = (m.actualBoundingBoxAscent - m.actualBoundingBoxDescent) / 2;
    ctx.translate(big / 2 + p.dx * big, big / 2 + p.dy * big);
    ctx.rotate(p.rotationRad);
    ctx.fillStyle = '#fff';
    ctx.strokeStyle = '#fff';
    ctx.lineJoin = 'round';
    ctx.fillText(text, ox, oy);
    if (p.strokeFrac > 0.005) {
      ctx.lineWidth = p.strokeFrac * big;
      ctx.strokeText(text, ox, oy);
    }
    const rgba = ctx.getImageData(0, 0, big, big).data;
    for (let q = 0; q < big * big; q++) mask[q] = rgba[4 * q]! / 255;
    const small = resizeImages(mask, 1, big, big, 1, size, size);
    const base = i * size * size * channels;
    if (!colour) {
      images.set(small, base);
    } else {
      for (let q = 0; q < size * size; q++) {
        const a = small[q]!;
        for (let c = 0; c < 3; c++) images[base + 3 * q + c] = a * p.fg[c]! + (1 - a) * p.bg[c]!;
      }
    }
  }
  clampToUnit(images);
  return checkDataset({
    images,
    labels,
    n: opts.n,
    height: size,
    width: size,
    channels,
    task: 'classify',
    numClasses: 10,
    classNames: DIGIT_CLASSES,
    source: `fonts${colour ? '-colour' : ''}:seed${opts.seed}`,
  });
}

function luma(c: readonly [number, number, number]): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}
