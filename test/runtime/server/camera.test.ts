import { describe, expect, it } from 'vitest';
import { CameraScheduler, digitPolarity, processFrame, stripRates, toGreySquare } from '../../../runtime/server/camera.ts';
import { loadImageFilter } from '../../../runtime/server/camera-filter.ts';
import type { CameraFrame } from '../../../runtime/server/protocol.ts';
import type { Classifier } from '../../../runtime/server/vit-classifier.ts';

const noModel: Classifier = { info: { available: false, reason: 'test' }, classify: async () => null, dispose: () => {} };

describe('camera image path', () => {
  it('crops the centre square and area-averages it (grey and RGBA)', () => {
    // 4×2 grey: the centre square is columns 1–2.
    const grey = toGreySquare({ width: 4, height: 2, format: 'grey', data: Uint8Array.from([0, 255, 0, 0, 0, 255, 255, 0]) }, 1);
    expect(grey[0]).toBeCloseTo(3 / 4);
    const rgba = toGreySquare({ width: 1, height: 1, format: 'rgba', data: Uint8Array.from([255, 0, 0, 7]) }, 1);
    expect(rgba[0]).toBeCloseTo(0.299);
    // Upsampling (square smaller than the side) picks the nearest pixel.
    expect(Array.from(toGreySquare({ width: 2, height: 2, format: 'grey', data: Uint8Array.from([0, 255, 255, 0]) }, 4)).slice(0, 4)).toEqual([0, 0, 1, 1]);
  });

  it('digit polarity: a bright frame is inverted, then stretched unless flat', () => {
    expect(Array.from(digitPolarity(Float32Array.of(0.9, 0.9, 0.5)))).toEqual([0, 0, 1]);
    expect(Array.from(digitPolarity(Float32Array.of(0.1, 0.3)))).toEqual([0, 1]);
    expect(Array.from(digitPolarity(Float32Array.of(0.2, 0.21)))).toEqual([Math.fround(0.2), Math.fround(0.21)]);
  });

  it('strip rates: mean of each vertical strip × maxRateHz', () => {
    const img = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0); // 4×4, column 0 lit
    expect(Array.from(stripRates(img, 4, 2, 40))).toEqual([20, 0]);
  });

  it('processFrame: 28×28 input and filtered images, no probabilities without a model', async () => {
    const data = new Uint8Array(64 * 48).fill(255);
    for (let y = 10; y < 38; y++) for (let x = 40; x < 44; x++) data[y * 64 + x] = 0; // a dark vertical stroke on white
    const frame: CameraFrame = { type: 'camera', seq: 3, width: 64, height: 48, format: 'grey', data, t: 5 };
    const r = await processFrame(frame, { filter: loadImageFilter(), classifier: noModel, side: 28, pools: 2, maxRateHz: 26 }, performance.now());
    expect(r).toMatchObject({ seq: 3, t: 5, width: 28, height: 28, probabilities: null, prediction: null, model: { available: false } });
    expect(r.input.length).toBe(784);
    expect(r.filtered.length).toBe(784);
    expect(Math.max(...r.input)).toBe(255); // the stroke, bright after polarity
    expect(r.poolRatesHz[0]).toBeLessThan(r.poolRatesHz[1]!); // the stroke is right of centre
    expect(r.latencyMs.total).toBeGreaterThanOrEqual(r.latencyMs.filter);
  });
});

describe('CameraScheduler', () => {
  it('newest wins per client, clients take turns, replaced frames are reported', async () => {
    const seen: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const slow: Classifier = { ...noModel, classify: async () => (await gate, null) };
    const s = new CameraScheduler({ filter: loadImageFilter(), classifier: slow, side: 4, pools: 2, maxRateHz: 10 });
    const frame = (seq: number): CameraFrame => ({ type: 'camera', seq, width: 4, height: 4, format: 'grey', data: new Uint8Array(16) });
    const done = new Promise<void>((resolve) => {
      const deliver = (c: string) => (r: { seq: number }) => {
        seen.push(`${c}${r.seq}`);
        if (seen.length === 3) resolve();
      };
      expect(s.submit('a', frame(1), deliver('a'), () => {})).toBe(false); // taken into work at once
      expect(s.submit('a', frame(2), deliver('a'), () => {})).toBe(false); // waits
      expect(s.submit('a', frame(3), deliver('a'), () => {})).toBe(true); // replaces 2
      expect(s.submit('b', frame(1), deliver('b'), () => {})).toBe(false);
      expect(s.submit('a', frame(4), deliver('a'), () => {})).toBe(true); // replaces 3, goes behind b
    });
    release();
    await done;
    expect(seen).toEqual(['a1', 'b1', 'a4']);
  });
});
