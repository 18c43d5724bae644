/**
 * Procedural colour textures, standing in for the BSDS500 photo patches of MNIST-M: fractal value
 * noise (2–4 octaves) coloured by a random 3-colour palette, optionally modulated by oriented stripes.
 * Deterministic in the given random stream; no files.
 */
import type { Random } from '../../random.ts';

/** Fills `out` (h × w × 3, in [0, 1]) with one texture drawn from `rng`. */
export function colourTexture(rng: Random, h: number, w: number, out: Float32Array = new Float32Array(h * w * 3)): Float32Array {
  const octaves = 2 + rng.int(3);
  const baseCell = 4 + rng.uniform() * 10; // pixels per lattice cell at the coarsest octave
  const noise = new Float32Array(h * w);
  let amp = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    addValueNoise(rng, h, w, baseCell / 2 ** o, amp, noise);
    total += amp;
    amp *= 0.5;
  }
  const stripes = rng.uniform() < 0.4;
  const theta = rng.uniform() * Math.PI;
  const freq = 0.1 + rng.uniform() * 0.4; // cycles per pixel / 2π scale below
  const phase = rng.uniform() * 2 * Math.PI;
  const palette = [0, 1, 2].map(() => [rng.uniform(), rng.uniform(), rng.uniform()] as const);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let t = noise[y * w + x]! / total;
      if (stripes) t = 0.6 * t + 0.4 * (0.5 + 0.5 * Math.sin(freq * (x * Math.cos(theta) + y * Math.sin(theta)) * 2 + phase));
      // Piecewise-linear palette: t in [0, 0.5] blends colours 0→1, [0.5, 1] blends 1→2.
      const a = t < 0.5 ? palette[0]! : palette[1]!;
      const b = t < 0.5 ? palette[1]! : palette[2]!;
      const u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
      const p = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) out[p + c] = Math.min(1, Math.max(0, a[c]! + (b[c]! - a[c]!) * u));
    }
  }
  return out;
}

/** Adds amp × smooth value noise with the given cell size (pixels) to `acc` (h × w). */
export function addValueNoise(rng: Random, h: number, w: number, cell: number, amp: number, acc: Float32Array): void {
  const gw = Math.ceil(w / cell) + 2;
  const gh = Math.ceil(h / cell) + 2;
  const lattice = new Float32Array(gw * gh);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.uniform();
  for (let y = 0; y < h; y++) {
    const fy = y / cell;
    const iy = Math.floor(fy);
    const ty = smooth(fy - iy);
    for (let x = 0; x < w; x++) {
      const fx = x / cell;
      const ix = Math.floor(fx);
      const tx = smooth(fx - ix);
      const v00 = lattice[iy * gw + ix]!;
      const v01 = lattice[iy * gw + ix + 1]!;
      const v10 = lattice[(iy + 1) * gw + ix]!;
      const v11 = lattice[(iy + 1) * gw + ix + 1]!;
      const top = v00 + (v01 - v00) * tx;
      const bottom = v10 + (v11 - v10) * tx;
      acc[y * w + x]! += amp * (top + (bottom - top) * ty);
    }
  }
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}
