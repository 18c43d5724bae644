/**
 * Procedural street scenes, part 2: rasterising a layout into daylight albedo (reflectance, RGB in
 * [0, 1]), exact per-pixel labels, window ids and the light sources that night rendering switches on.
 * Painter's algorithm: background, then trees, poles, and cars and persons far to near; a pixel
 * belongs to a shape when its centre lies inside it.
 */
import { Random } from '../../../random.ts';
import { depthAt, STREET, type Rgb, type StreetScene } from './scene.ts';

export interface LightSource {
  x: number;
  y: number;
  /** Radius of the bright core in pixels. */
  radius: number;
  colour: Rgb;
  kind: 'lamp' | 'headlight' | 'taillight';
}

export interface PaintedScene {
  /** height × width × 3 reflectance in [0, 1]. */
  albedo: Float32Array;
  /** height × width class ids (STREET). */
  labels: Uint8Array;
  /** height × width: id of the window a pixel lies in (−1: none), so night can light whole windows. */
  windowId: Int32Array;
  /** Street lamps and car lights, switched on by night rendering. */
  lights: LightSource[];
}

export function paintScene(s: StreetScene): PaintedScene {
  const { height: H, width: W } = s;
  const albedo = new Float32Array(H * W * 3);
  const labels = new Uint8Array(H * W);
  const windowId = new Int32Array(H * W).fill(-1);
  const lights: LightSource[] = [];
  const set = (x: number, y: number, label: number, c: Rgb): void => {
    const p = y * W + x;
    labels[p] = label;
    windowId[p] = -1;
    albedo[3 * p] = c[0];
    albedo[3 * p + 1] = c[1];
    albedo[3 * p + 2] = c[2];
  };
  // Pixel-centre rasterisation of an axis-aligned box; at least one column/row so thin poles never vanish.
  const box = (x0: number, y0: number, x1: number, y1: number, label: number, c: Rgb): void => {
    let xa = Math.ceil(x0 - 0.5);
    let xb = Math.ceil(x1 - 0.5);
    let ya = Math.ceil(y0 - 0.5);
    let yb = Math.ceil(y1 - 0.5);
    if (xb <= xa) xb = (xa = Math.round((x0 + x1) / 2 - 0.5)) + 1;
    if (yb <= ya) yb = (ya = Math.round((y0 + y1) / 2 - 0.5)) + 1;
    for (let y = Math.max(0, ya); y < Math.min(H, yb); y++) for (let x = Math.max(0, xa); x < Math.min(W, xb); x++) set(x, y, label, c);
  };
  const disc = (cx: number, cy: number, r: number, label: number, c: Rgb): void => {
    for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(H - 1, Math.ceil(cy + r)); y++)
      for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(W - 1, Math.ceil(cx + r)); x++)
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= Math.max(r * r, 0.25)) set(x, y, label, c);
  };

  // Background: sky and skyline above the horizon; road, sidewalks and sides below it.
  const buildingAt = new Int32Array(W).fill(-1);
  s.buildings.forEach((b, i) => {
    for (let x = b.x0; x < b.x1; x++) buildingAt[x] = i;
  });
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const bi = buildingAt[x]!;
      const b = bi >= 0 ? s.buildings[bi]! : undefined;
      if (y < s.horizonY) {
        if (b && y >= b.top) facade(x, y, bi);
        else set(x, y, STREET.sky, mix(s.colours.skyTop, s.colours.skyHorizon, y / s.horizonY));
        continue;
      }
      const t = depthAt(s, y);
      const dx = x + 0.5 - s.vanishX;
      if (Math.abs(dx) <= t * s.roadHalf) {
        // Dashed centre line: dashes equally spaced in 1/t (perspective), so they shrink towards the horizon.
        const line = Math.abs(dx) < Math.max(0.4, t * W * 0.01) && (2 / t) % 1 < 0.5;
        set(x, y, STREET.road, line ? [0.85, 0.85, 0.8] : s.colours.road);
      } else if (Math.abs(dx) <= t * (s.roadHalf + s.sidewalk)) {
        set(x, y, STREET.sidewalk, s.colours.sidewalk);
      } else if ((dx < 0 ? s.leftSide : s.rightSide) === 'vegetation' || !b) {
        set(x, y, STREET.vegetation, s.colours.grass);
      } else {
        facade(x, y, bi);
      }
    }
  }
  function facade(x: number, y: number, bi: number): void {
    const b = s.buildings[bi]!;
    const col = Math.floor((x - b.x0) / b.pitchX);
    const row = Math.floor((y - b.top) / b.pitchY);
    const inWindow = (x - b.x0) % b.pitchX >= 1 && (x - b.x0) % b.pitchX <= b.winW && (y - b.top) % b.pitchY >= 1 && (y - b.top) % b.pitchY <= b.winH;
    set(x, y, STREET.building, inWindow ? b.window : b.colour);
    if (inWindow) windowId[y * W + x] = (bi * 4096 + row * 64 + col) | 0;
  }

  for (const t of s.trees) {
    box(t.x - t.trunkW / 2, t.baseY - t.trunkH, t.x + t.trunkW / 2, t.baseY, STREET.vegetation, [0.3, 0.22, 0.15]);
    disc(t.x, t.baseY - t.trunkH - t.radius * 0.6, t.radius, STREET.vegetation, t.colour);
  }
  for (const p of s.poles) {
    const top = p.baseY - p.h;
    box(p.x - p.w / 2, top, p.x + p.w / 2, p.baseY, STREET.pole, s.colours.pole);
    if (p.lamp) {
      const arm = p.h * 0.18;
      const x1 = p.x + p.armDir * arm;
      box(Math.min(p.x, x1), top, Math.max(p.x, x1), top + Math.max(1, p.w * 0.8), STREET.pole, s.colours.pole);
      lights.push({ x: x1, y: top + p.w, radius: Math.max(0.8, p.w * 1.2), colour: [1, 0.82, 0.5], kind: 'lamp' });
    }
  }
  // Cars and persons interleaved far to near.
  const objects = [...s.cars.map((c) => ({ y: c.baseY, car: c })), ...s.persons.map((p) => ({ y: p.baseY, person: p }))].sort((a, b) => a.y - b.y);
  for (const o of objects) {
    if ('car' in o && o.car) {
      const { cx, baseY: by, w, h, colour } = o.car;
      box(cx - 0.5 * w, by - 0.62 * h, cx + 0.5 * w, by - 0.14 * h, STREET.car, colour);
      box(cx - 0.38 * w, by - h, cx + 0.38 * w, by - 0.62 * h, STREET.car, colour);
      box(cx - 0.32 * w, by - 0.94 * h, cx + 0.32 * w, by - 0.64 * h, STREET.car, [0.12, 0.14, 0.18]);
      box(cx - 0.46 * w, by - 0.18 * h, cx - 0.26 * w, by, STREET.car, [0.05, 0.05, 0.05]);
      box(cx + 0.26 * w, by - 0.18 * h, cx + 0.46 * w, by, STREET.car, [0.05, 0.05, 0.05]);
      const front = o.car.facing === 'front';
      for (const side of [-1, 1]) {
        lights.push({
          x: cx + side * 0.36 * w,
          y: by - 0.4 * h,
          radius: Math.max(0.6, 0.07 * w),
          colour: front ? [1, 0.95, 0.8] : [0.9, 0.1, 0.05],
          kind: front ? 'headlight' : 'taillight',
        });
      }
    } else if ('person' in o && o.person) {
      const { cx, baseY: by, h, shirt, trousers, skin } = o.person;
      const w = 0.28 * h;
      box(cx - 0.45 * w, by - 0.48 * h, cx - 0.05 * w, by, STREET.person, trousers);
      box(cx + 0.05 * w, by - 0.48 * h, cx + 0.45 * w, by, STREET.person, trousers);
      box(cx - 0.5 * w, by - 0.84 * h, cx + 0.5 * w, by - 0.46 * h, STREET.person, shirt);
      disc(cx, by - 0.91 * h, 0.09 * h, STREET.person, skin);
    }
  }
  // Surface texture: ±6 % multiplicative grain, from the scene's own stream.
  const rng = new Random(s.textureSeed);
  for (let p = 0; p < H * W; p++) {
    const g = 1 + 0.06 * rng.normal();
    for (let c = 0; c < 3; c++) albedo[3 * p + c] = Math.min(1, Math.max(0, albedo[3 * p + c]! * g));
  }
  return { albedo, labels, windowId, lights };
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}
