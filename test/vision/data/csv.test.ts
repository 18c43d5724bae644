import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsvDataset, parseCsvDataset } from '../../../src/vision/data/csv.ts';
import { put, tempDir } from '../helpers.ts';

describe('CSV loader', () => {
  const dir = tempDir();

  it('reads label + pixels with a header, scaling [0, 255] to [0, 1] and inferring a square grey shape', () => {
    const file = put(join(dir, 'digits.csv'), 'label,p0,p1,p2,p3\n3,0,255,51,102\n1,255,0,0,0\n');
    const ds = loadCsvDataset(file);
    expect([ds.n, ds.height, ds.width, ds.channels, ds.numClasses]).toEqual([2, 2, 2, 1, 4]);
    expect(Array.from(ds.labels)).toEqual([3, 1]);
    expect(Array.from(ds.images.subarray(0, 4))).toEqual([0, 1, 0.2, 0.4].map((v) => Math.fround(v)));
  });

  it('infers square RGB and keeps values already in [0, 1]', () => {
    const row = Array.from({ length: 12 }, (_, i) => (i / 12).toFixed(3)).join(',');
    const ds = parseCsvDataset(`0,${row}\n`, 'rgb.csv');
    expect([ds.height, ds.width, ds.channels]).toEqual([2, 2, 3]);
    expect(ds.images[11]).toBeCloseTo(11 / 12, 3);
  });

  it('names the file, line and column of a bad value', () => {
    expect(() => parseCsvDataset('1,0,0,0,0\n2,0,x,0,0\n', 'bad.csv')).toThrow(/bad\.csv: line 2, column 3: pixel 'x' is not a non-negative number/);
    expect(() => parseCsvDataset('1,0,0,0,0\n2,0,0\n', 'short.csv')).toThrow(/short\.csv: line 2 has 3 columns, expected 5/);
    expect(() => parseCsvDataset('-1,0,0,0,0\n', 'neg.csv')).toThrow(/neg\.csv: line 1, column 1: label '-1'/);
    expect(() => parseCsvDataset('0,1,2,3,4,5\n', 'odd.csv')).toThrow(/odd\.csv: rows have 5 pixels, which is neither a square grey image/);
    expect(() => parseCsvDataset('label\n', 'empty.csv')).toThrow(/empty\.csv: no data rows/);
  });

  it('accepts an explicit shape and rejects one that does not fit', () => {
    const ds = parseCsvDataset('0,1,1,1,1,1,1\n', 'wide.csv', { height: 2, width: 3, channels: 1 });
    expect([ds.height, ds.width]).toEqual([2, 3]);
    expect(() => parseCsvDataset('0,1,1,1,1,1,1\n', 'wide.csv', { height: 2, width: 2 })).toThrow(/given shape 2×2×1 needs 4/);
  });
});
