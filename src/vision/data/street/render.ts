/**
 * Procedural street scenes with per-pixel labels: the day domain (training) and the night domain
 * (testing) of the nighttime-segmentation experiment.
 *
 * Scene (seed, i) has one layout; `time` only changes the light. Different seeds give disjoint
 * scene streams, so "night versions of unseen scenes" are `{ time: 'night', seed: testSeed }` with
 * testSeed ≠ the training seed — and `{ time: 'day', seed: testSeed }` are the same unseen scenes
 * by day, for a paired day/night comparison.
 */
import { Random } from '../../../random.ts';
import { checkDataset, type ImageDataset } from '../types.ts';
import { lightDay, lightNight } from './light.ts';
import { paintScene } from './paint.ts';
import { generateScene, STREET_CLASSES } from './scene.ts';

export interface StreetOptions {
  n: number;
  seed: number;
  time: 'day' | 'night';
  /** Default 64 × 64. */
  height?: number;
  width?: number;
  /** Index of the first scene; default 0. */
  offset?: number;
}

/** One scene: RGB in [0, 1] (height × width × 3) and class ids (height × width). */
export function renderStreetScene(seed: number, index: number, time: 'day' | 'night', height = 64, width = 64): { rgb: Float32Array; labels: Uint8Array } {
  const scene = generateScene(seed, index, height, width);
  const painted = paintScene(scene);
  const rng = new Random(Random.derive(seed, `street-${time}:${index}`));
  const rgb = time === 'day' ? lightDay(scene, painted, rng) : lightNight(scene, painted, rng);
  return { rgb, labels: painted.labels };
}

export function renderStreetScenes(opts: StreetOptions): ImageDataset {
  const height = opts.height ?? 64;
  const width = opts.width ?? 64;
  const offset = opts.offset ?? 0;
  const px = height * width;
  const images = new Float32Array(opts.n * px * 3);
  const labels = new Uint8Array(opts.n * px);
  for (let i = 0; i < opts.n; i++) {
    const s = renderStreetScene(opts.seed, offset + i, opts.time, height, width);
    images.set(s.rgb, i * px * 3);
    labels.set(s.labels, i * px);
  }
  return checkDataset({
    images,
    labels,
    n: opts.n,
    height,
    width,
    channels: 3,
    task: 'segment',
    numClasses: STREET_CLASSES.length,
    classNames: STREET_CLASSES,
    source: `street-${opts.time}:seed${opts.seed}`,
  });
}
