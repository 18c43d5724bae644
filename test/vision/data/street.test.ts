import { describe, expect, it } from 'vitest';
import { renderStreetScenes } from '../../../src/vision/data/street/render.ts';
import { STREET, STREET_CLASSES } from '../../../src/vision/data/street/scene.ts';
import { range } from '../helpers.ts';

const N = 12;
const day = renderStreetScenes({ n: N, seed: 7, time: 'day' });
const night = renderStreetScenes({ n: N, seed: 7, time: 'night' });

function meanLuma(images: Float32Array): number {
  let s = 0;
  for (let p = 0; p < images.length / 3; p++) s += 0.299 * images[3 * p]! + 0.587 * images[3 * p + 1]! + 0.114 * images[3 * p + 2]!;
  return (3 * s) / images.length;
}

describe('procedural street scenes', () => {
  it('renders RGB images in [0, 1] with one valid label per pixel', () => {
    expect([day.n, day.height, day.width, day.channels, day.task, day.numClasses]).toEqual([N, 64, 64, 3, 'segment', STREET_CLASSES.length]);
    expect(day.labels.length).toBe(N * 64 * 64);
    const [min, max] = range(day);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(Math.max(...day.labels)).toBeLessThan(STREET_CLASSES.length);
  });

  it('every scene has road, sidewalk and sky, and the set covers every class', () => {
    const seen = new Set<number>();
    for (let i = 0; i < N; i++) {
      const l = new Set(day.labels.subarray(i * 4096, (i + 1) * 4096));
      for (const k of [STREET.road, STREET.sidewalk, STREET.sky]) expect(l.has(k), `scene ${i} class ${STREET_CLASSES[k]}`).toBe(true);
      for (const k of l) seen.add(k);
    }
    expect([...seen].sort()).toEqual(STREET_CLASSES.map((_, i) => i));
  });

  it('night keeps the layout and labels of the same scene but is much darker', () => {
    expect(night.labels).toEqual(day.labels);
    expect(meanLuma(night.images)).toBeLessThan(0.5 * meanLuma(day.images));
  });

  it('is deterministic in the seed; another seed gives unseen scenes', () => {
    expect(renderStreetScenes({ n: 2, seed: 7, time: 'night' }).images).toEqual(night.images.slice(0, 2 * 64 * 64 * 3));
    const other = renderStreetScenes({ n: 2, seed: 8, time: 'day' });
    expect(other.labels).not.toEqual(day.labels.slice(0, 2 * 4096));
  });

  it('renders other sizes', () => {
    const s = renderStreetScenes({ n: 1, seed: 1, time: 'day', height: 32, width: 48 });
    expect([s.height, s.width, s.images.length, s.labels.length]).toEqual([32, 48, 32 * 48 * 3, 32 * 48]);
  });
});
