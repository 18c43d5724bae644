/**
 * Procedural street scenes, part 1: the layout, as plain data drawn from a seeded stream.
 *
 * A one-point-perspective street: horizon at `horizonY`, the road a wedge from the vanishing point
 * `(vanishX, horizonY)` to the bottom edge, a sidewalk wedge on each side, facades (or a park) beyond
 * them, a skyline of buildings above the horizon, and objects placed at depth t ∈ (0, 1] (t = 1 at
 * the bottom edge, 0 at the horizon): every object's size scales with t, as under perspective.
 */
import { Random } from '../../../random.ts';

/** Class ids of street scenes; index = label. A subset of the Cityscapes classes (see cityscapes.ts). */
export const STREET_CLASSES: readonly string[] = ['road', 'sidewalk', 'building', 'sky', 'vegetation', 'car', 'person', 'pole'];
export const STREET = { road: 0, sidewalk: 1, building: 2, sky: 3, vegetation: 4, car: 5, person: 6, pole: 7 } as const;

export type Rgb = [number, number, number];

export interface Building {
  x0: number;
  x1: number;
  /** Top edge (row) of the facade above the horizon. */
  top: number;
  colour: Rgb;
  window: Rgb;
  /** Window grid pitch and window size in pixels. */
  pitchX: number;
  pitchY: number;
  winW: number;
  winH: number;
}

export interface Car {
  cx: number;
  /** Row of the bottom of the wheels. */
  baseY: number;
  w: number;
  h: number;
  colour: Rgb;
  /** Front faces the camera (headlights at night) or back (tail lights). */
  facing: 'front' | 'back';
}

export interface Person {
  cx: number;
  baseY: number;
  h: number;
  shirt: Rgb;
  trousers: Rgb;
  skin: Rgb;
}

export interface Pole {
  x: number;
  baseY: number;
  h: number;
  w: number;
  /** Street lamp: an arm towards the road with a lamp at its end (a light source at night). */
  lamp: boolean;
  /** Arm direction: +1 right, −1 left. */
  armDir: 1 | -1;
}

export interface Tree {
  x: number;
  baseY: number;
  trunkH: number;
  trunkW: number;
  radius: number;
  colour: Rgb;
}

export interface StreetScene {
  height: number;
  width: number;
  horizonY: number;
  vanishX: number;
  /** Half-width of the road at the bottom edge, pixels. */
  roadHalf: number;
  /** Sidewalk width at the bottom edge, pixels. */
  sidewalk: number;
  /** What lies beyond each sidewalk below the horizon. */
  leftSide: 'building' | 'vegetation';
  rightSide: 'building' | 'vegetation';
  buildings: Building[];
  trees: Tree[];
  poles: Pole[];
  cars: Car[];
  persons: Person[];
  colours: { road: Rgb; sidewalk: Rgb; skyTop: Rgb; skyHorizon: Rgb; grass: Rgb; pole: Rgb };
  /** Seed for per-pixel texture noise. */
  textureSeed: number;
}

/** Row at depth t (0 horizon, 1 bottom edge). */
export function rowAt(s: StreetScene, t: number): number {
  return s.horizonY + t * (s.height - s.horizonY);
}

/** Depth of a row below the horizon. */
export function depthAt(s: StreetScene, y: number): number {
  return (y + 0.5 - s.horizonY) / (s.height - s.horizonY);
}

/** The layout of scene `index` of the stream `seed`, for an image of height × width pixels. */
export function generateScene(seed: number, index: number, height: number, width: number): StreetScene {
  const rng = new Random(Random.derive(seed, `street:${index}`));
  const u = (a: number, b: number): number => a + (b - a) * rng.uniform();
  const grey = (a: number, b: number): Rgb => {
    const v = u(a, b);
    return [v, v * u(0.95, 1.05), v * u(0.95, 1.08)];
  };
  const horizonY = Math.round(height * u(0.36, 0.5));
  const vanishX = width * u(0.38, 0.62);
  const roadHalf = width * u(0.32, 0.55);
  const sidewalk = width * u(0.12, 0.25);
  const s: StreetScene = {
    height,
    width,
    horizonY,
    vanishX,
    roadHalf,
    sidewalk,
    leftSide: rng.uniform() < 0.75 ? 'building' : 'vegetation',
    rightSide: rng.uniform() < 0.75 ? 'building' : 'vegetation',
    buildings: [],
    trees: [],
    poles: [],
    cars: [],
    persons: [],
    colours: {
      road: grey(0.25, 0.4),
      sidewalk: [u(0.5, 0.7), u(0.45, 0.62), u(0.42, 0.6)],
      skyTop: [u(0.25, 0.45), u(0.45, 0.65), u(0.8, 0.98)],
      skyHorizon: [u(0.7, 0.85), u(0.78, 0.9), u(0.88, 1)],
      grass: [u(0.15, 0.3), u(0.4, 0.6), u(0.1, 0.25)],
      pole: grey(0.2, 0.45),
    },
    textureSeed: rng.nextUint32(),
  };
  // Skyline: buildings side by side with occasional gaps of sky.
  for (let x = 0; x < width; ) {
    const bw = Math.max(3, Math.round(width * u(0.08, 0.25)));
    if (rng.uniform() < 0.85) {
      const palette: Rgb[] = [[0.62, 0.35, 0.28], [0.75, 0.7, 0.6], [0.55, 0.55, 0.58], [0.8, 0.78, 0.72], [0.45, 0.4, 0.38]];
      const base = palette[rng.int(palette.length)]!;
      const k = u(0.85, 1.15);
      const pitchX = Math.max(3, Math.round(u(0.04, 0.07) * width));
      const pitchY = Math.max(3, Math.round(u(0.05, 0.09) * height));
      s.buildings.push({
        x0: x,
        x1: Math.min(width, x + bw),
        top: Math.round(horizonY - height * u(0.12, 0.42)),
        colour: [base[0] * k, base[1] * k, base[2] * k],
        window: [u(0.15, 0.3), u(0.2, 0.35), u(0.3, 0.45)],
        pitchX,
        pitchY,
        winW: Math.max(1, Math.round(pitchX * u(0.4, 0.6))),
        winH: Math.max(1, Math.round(pitchY * u(0.4, 0.6))),
      });
    }
    x += bw;
  }
  const side = (): -1 | 1 => (rng.uniform() < 0.5 ? -1 : 1);
  // Trees on the sidewalk's outer edge (or in the park).
  for (let i = rng.int(4); i > 0; i--) {
    const t = u(0.2, 0.9);
    const dir = side();
    s.trees.push({
      x: vanishX + dir * t * (roadHalf + sidewalk * u(0.6, 1.2)),
      baseY: rowAt(s, t),
      trunkH: t * height * u(0.2, 0.35),
      trunkW: Math.max(1, t * width * 0.02),
      radius: t * width * u(0.07, 0.14),
      colour: [u(0.1, 0.25), u(0.35, 0.55), u(0.08, 0.2)],
    });
  }
  // Poles, many of them street lamps, on the sidewalk near the kerb.
  for (let i = 1 + rng.int(3); i > 0; i--) {
    const t = u(0.2, 0.95);
    const dir = side();
    s.poles.push({
      x: vanishX + dir * t * (roadHalf + sidewalk * u(0.1, 0.4)),
      baseY: rowAt(s, t),
      h: t * height * u(0.75, 1.0),
      w: Math.max(1, t * width * 0.015),
      lamp: rng.uniform() < 0.7,
      armDir: dir > 0 ? -1 : 1,
    });
  }
  // Cars on the road, in lanes; the left half drives towards the camera (front visible).
  for (let i = rng.int(4); i > 0; i--) {
    const t = u(0.15, 0.85);
    const lane = u(-0.7, 0.7);
    const w = t * width * u(0.28, 0.38);
    s.cars.push({
      cx: vanishX + lane * t * roadHalf,
      baseY: rowAt(s, t),
      w,
      h: w * u(0.5, 0.65),
      colour: [u(0.05, 0.9), u(0.05, 0.9), u(0.05, 0.9)],
      facing: lane < 0 ? 'front' : 'back',
    });
  }
  // Persons on the sidewalks.
  for (let i = rng.int(4); i > 0; i--) {
    const t = u(0.2, 0.95);
    const dir = side();
    s.persons.push({
      cx: vanishX + dir * t * (roadHalf + sidewalk * u(0.2, 0.8)),
      baseY: rowAt(s, t),
      h: t * height * u(0.3, 0.42),
      shirt: [u(0, 1), u(0, 1), u(0, 1)],
      trousers: [u(0, 0.5), u(0, 0.5), u(0, 0.6)],
      skin: [u(0.45, 0.95), u(0.3, 0.75), u(0.2, 0.6)],
    });
  }
  // Far objects first, so near ones are drawn over them.
  s.cars.sort((a, b) => a.baseY - b.baseY);
  s.persons.sort((a, b) => a.baseY - b.baseY);
  return s;
}
