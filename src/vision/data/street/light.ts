/**
 * Procedural street scenes, part 3: lighting a painted scene by day or by night, camera included.
 *
 * Day:   rgb = albedo · sun (brightness 0.85–1.1, ±3 % tint) + N(0, 0.01).
 * Night: rgb = albedo · ambient · cast  (ambient 0.03–0.12; cast sodium-orange, LED-blue or neutral)
 *            + sky glow (dark, warmer at the horizon) + lit windows (20–50 %, warm)
 *            + Σ_lights albedo · colour · I · exp(−d²/2σ_pool²)   (the pool of light a lamp casts)
 *            + Σ_lights colour · G · exp(−d²/2σ_glare²)             (glare around the lamp, on any surface)
 *        then the camera: gamma x^γ (γ 0.75–1.2), Poisson photon noise at K photons per unit
 *        (K 25–100) and Gaussian read noise (σ 0.01–0.03), clipped to [0, 1].
 * Night conditions come from their own stream, so a scene's layout is the same by day and by night.
 */
import { Random } from '../../../random.ts';
import { photonCount } from '../poisson.ts';
import type { PaintedScene } from './paint.ts';
import { STREET, type Rgb, type StreetScene } from './scene.ts';

export function lightDay(s: StreetScene, p: PaintedScene, rng: Random): Float32Array {
  const sun = 0.85 + 0.25 * rng.uniform();
  const tint: Rgb = [1 + 0.03 * (2 * rng.uniform() - 1), 1, 1 + 0.03 * (2 * rng.uniform() - 1)];
  const n = s.height * s.width;
  const rgb = new Float32Array(n * 3);
  for (let q = 0; q < n; q++) {
    for (let c = 0; c < 3; c++) rgb[3 * q + c] = clamp01(p.albedo[3 * q + c]! * sun * tint[c]! + 0.01 * rng.normal());
  }
  return rgb;
}

export function lightNight(s: StreetScene, p: PaintedScene, rng: Random): Float32Array {
  const { height: H, width: W } = s;
  const u = (a: number, b: number): number => a + (b - a) * rng.uniform();
  const ambient = u(0.03, 0.12);
  const castKind = rng.int(3);
  const cast: Rgb = castKind === 0 ? [1.15, 0.95, 0.7] : castKind === 1 ? [0.8, 0.95, 1.2] : [1, 1, 1];
  for (let c = 0; c < 3; c++) cast[c]! *= u(0.93, 1.07);
  const litFrac = u(0.2, 0.5);
  const windowSalt = rng.nextUint32();
  const skyGlow = u(0.02, 0.08);
  const lampI = u(0.6, 1.2);
  const gamma = u(0.75, 1.2);
  const photons = u(25, 100);
  const readSd = u(0.01, 0.03);
  const rgb = new Float32Array(H * W * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const q = y * W + x;
      if (p.labels[q] === STREET.sky) {
        // Night sky: near-black at the top, a warm light-pollution glow towards the horizon.
        const t = Math.min(1, y / Math.max(1, s.horizonY));
        rgb[3 * q] = 0.01 + skyGlow * t * 1.2;
        rgb[3 * q + 1] = 0.012 + skyGlow * t * 0.9;
        rgb[3 * q + 2] = 0.03 + skyGlow * t * 0.6;
        continue;
      }
      for (let c = 0; c < 3; c++) rgb[3 * q + c] = p.albedo[3 * q + c]! * ambient * cast[c]!;
      const wid = p.windowId[q]!;
      if (wid >= 0 && hash01(wid, windowSalt) < litFrac) {
        const k = 0.55 + 0.45 * hash01(wid, windowSalt ^ 0x5bd1e995);
        rgb[3 * q]! += 0.95 * k;
        rgb[3 * q + 1]! += 0.78 * k;
        rgb[3 * q + 2]! += 0.42 * k;
      }
    }
  }
  for (const l of p.lights) {
    const intensity = l.kind === 'lamp' ? lampI : l.kind === 'headlight' ? 1.2 : 0.5;
    const sPool = l.kind === 'lamp' ? Math.max(3, 0.12 * W) : Math.max(2, 6 * l.radius);
    const sGlare = Math.max(1, 2.5 * l.radius);
    const reach = Math.ceil(3 * Math.max(sPool, sGlare));
    // A lamp lights the ground below it, so its pool is centred lower than the lamp head.
    const poolY = l.kind === 'lamp' ? l.y + 0.5 * sPool : l.y;
    for (let y = Math.max(0, Math.floor(l.y - reach)); y < Math.min(H, Math.ceil(l.y + 2 * reach)); y++) {
      for (let x = Math.max(0, Math.floor(l.x - reach)); x < Math.min(W, Math.ceil(l.x + reach)); x++) {
        const q = y * W + x;
        const dPool2 = (x + 0.5 - l.x) ** 2 + (y + 0.5 - poolY) ** 2;
        const dGlare2 = (x + 0.5 - l.x) ** 2 + (y + 0.5 - l.y) ** 2;
        const pool = intensity * Math.exp(-dPool2 / (2 * sPool * sPool));
        const glare = dGlare2 <= l.radius * l.radius ? 2 : intensity * 0.8 * Math.exp(-dGlare2 / (2 * sGlare * sGlare));
        const reflect = p.labels[q] === STREET.sky ? 0 : 1;
        for (let c = 0; c < 3; c++) rgb[3 * q + c]! += reflect * p.albedo[3 * q + c]! * l.colour[c]! * pool + l.colour[c]! * glare;
      }
    }
  }
  for (let i = 0; i < rgb.length; i++) {
    const x = Math.pow(clamp01(rgb[i]!), gamma);
    rgb[i] = clamp01(photonCount(rng, photons * x) / photons + readSd * rng.normal());
  }
  return rgb;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** A uniform number in [0, 1) from an integer key and a salt (for per-window decisions). */
function hash01(key: number, salt: number): number {
  let h = Math.imul(key ^ salt, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

