import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from '../../../src/vision/data/idx.ts';
import { loadIdxDataset } from '../../../src/vision/data/idx-dataset.ts';
import { put, tempDir } from '../helpers.ts';

describe('IDX reader', () => {
  it('round-trips every element type, plain and gzipped', () => {
    const cases = [
      new Uint8Array([0, 1, 255, 7, 8, 9]),
      new Int8Array([-128, 0, 127, 1, 2, 3]),
      new Int16Array([-300, 0, 300, 1, 2, 3]),
      new Int32Array([-70000, 0, 70000, 1, 2, 3]),
      new Float32Array([0.5, -1.25, 3, 1, 2, 3]),
      new Float64Array([0.1, -1e10, 3, 1, 2, 3]),
    ];
    for (const data of cases) {
      const bytes = encodeIdx([2, 3], data);
      for (const b of [bytes, gzipSync(bytes)]) {
        const a = parseIdx(b, 'case');
        expect(a.dims).toEqual([2, 3]);
        expect(Array.from(a.data)).toEqual(Array.from(data));
        expect(a.data.constructor).toBe(data.constructor);
      }
    }
  });

  it('names the file and the problem when malformed', () => {
    const good = encodeIdx([2, 2], new Uint8Array(4));
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1]), 'x.idx')).toThrow(/x\.idx: not an IDX file: magic starts with 0x01 0x00/);
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'x.idx')).toThrow(/x\.idx: truncated: dimensions \[2, 2\] of u8 need 16 bytes, file has 15/);
    expect(() => parseIdx(new Uint8Array([...good, 0]), 'x.idx')).toThrow(/1 unexpected trailing bytes/);
    expect(() => parseIdx(new Uint8Array([0, 0, 0x42, 1, 0, 0, 0, 1, 0]), 'x.idx')).toThrow(/unknown IDX element type 0x42/);
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 'x.gz')).toThrow(/x\.gz: looks gzipped but does not decompress/);
  });
});

describe('IDX dataset', () => {
  const dir = tempDir();
  const pixels = new Uint8Array(3 * 4 * 5).map((_, i) => (i * 37) % 256);
  const images = put(join(dir, 'tiny-images-idx3-ubyte.gz'), gzipSync(encodeIdx([3, 4, 5], pixels)));
  const labels = put(join(dir, 'tiny-labels-idx1-ubyte'), encodeIdx([3], new Uint8Array([2, 0, 1])));

  it('loads gzipped images and plain labels into [0, 1]', () => {
    const ds = loadIdxDataset({ images, labels });
    expect([ds.n, ds.height, ds.width, ds.channels, ds.numClasses, ds.task]).toEqual([3, 4, 5, 1, 3, 'classify']);
    expect(Array.from(ds.labels)).toEqual([2, 0, 1]);
    expect(ds.images[7]).toBeCloseTo(pixels[7]! / 255, 6);
  });

  it('rejects a label count that does not match the images', () => {
    const bad = put(join(dir, 'bad-labels'), encodeIdx([2], new Uint8Array([0, 1])));
    expect(() => loadIdxDataset({ images, labels: bad })).toThrow(/bad-labels: holds 2 labels but .*tiny-images-idx3-ubyte\.gz holds 3 images/);
  });

  it('rejects images of the wrong rank', () => {
    const flat = put(join(dir, 'flat'), encodeIdx([12], new Uint8Array(12)));
    expect(() => loadIdxDataset({ images: flat, labels })).toThrow(/flat: image IDX must have 3 dimensions/);
  });
});
