import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSegmentationRoots, loadSegmentationFolder } from '../../../src/vision/data/cityscapes.ts';
import { encodePng } from '../../../src/vision/data/png.ts';
import { loadImageFolder } from '../../../src/vision/data/image-folder.ts';
import { IGNORE_LABEL } from '../../../src/vision/data/types.ts';
import { put, solidPng, tempDir } from '../helpers.ts';

describe('folder of images per class', () => {
  const root = tempDir();
  put(join(root, 'cat', 'a.png'), solidPng(6, 6, [255, 255, 255]));
  put(join(root, 'cat', 'b.png'), solidPng(8, 4, [255, 255, 255]));
  put(join(root, 'ant', 'z.png'), solidPng(5, 5, [0, 0, 0]));
  put(join(root, 'ant', 'notes.txt'), 'not an image');

  it('labels by sorted folder name and resizes every image to the requested shape', async () => {
    const ds = await loadImageFolder(root, { height: 4, width: 4, channels: 1 });
    expect(ds.classNames).toEqual(['ant', 'cat']);
    expect(Array.from(ds.labels)).toEqual([0, 1, 1]);
    expect([ds.n, ds.height, ds.width, ds.channels]).toEqual([3, 4, 4, 1]);
    expect(ds.images[0]).toBeCloseTo(0, 5);
    expect(ds.images[16]).toBeCloseTo(1, 2);
  });

  it('fails clearly on an empty class folder or no class folders', async () => {
    const empty = tempDir();
    put(join(empty, 'only', 'readme.md'), '#');
    await expect(loadImageFolder(empty, { height: 4, width: 4, channels: 1 })).rejects.toThrow(/class folder 'only' holds no images/);
    const flat = tempDir();
    put(join(flat, 'x.png'), solidPng(2, 2, [0, 0, 0]));
    await expect(loadImageFolder(flat, { height: 4, width: 4, channels: 1 })).rejects.toThrow(/no class sub-folders/);
  });

  it('names a file that is not an image', async () => {
    const bad = tempDir();
    put(join(bad, 'c', 'broken.png'), 'definitely not a png');
    await expect(loadImageFolder(bad, { height: 4, width: 4, channels: 1 })).rejects.toThrow(/broken\.png: not a decodable image/);
  });
});

describe('Cityscapes-style segmentation folders', () => {
  // A 4×4 image whose label map (Cityscapes labelIds) is: top row sky (23), bottom rows road (7),
  // the rest car (26), with one void pixel (0).
  const ids = new Uint8Array([23, 23, 23, 23, 26, 26, 26, 0, 7, 7, 7, 7, 7, 7, 7, 7]);
  const root = tempDir();
  put(join(root, 'leftImg8bit', 'val', 'zurich', 'z_000001_leftImg8bit.png'), solidPng(4, 4, [100, 120, 140]));
  put(join(root, 'gtFine', 'val', 'zurich', 'z_000001_gtFine_labelIds.png'), encodePng(ids, 4, 4, 1));
  put(join(root, 'gtFine', 'val', 'zurich', 'z_000001_gtFine_color.png'), solidPng(4, 4, [1, 2, 3]));

  it('pairs images with labels, maps labelIds to train ids and ignores void', async () => {
    const roots = findSegmentationRoots(root, 'val');
    const ds = await loadSegmentationFolder({ ...roots, height: 4, width: 4, channels: 3 });
    expect([ds.n, ds.task, ds.numClasses]).toEqual([1, 'segment', 19]);
    // sky 23 → 10, car 26 → 13, road 7 → 0, void → 255
    expect(Array.from(ds.labels)).toEqual([10, 10, 10, 10, 13, 13, 13, IGNORE_LABEL, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ds.images[0]).toBeCloseTo(100 / 255, 2);
  });

  it('folds onto the street classes when asked', async () => {
    const ds = await loadSegmentationFolder({ ...findSegmentationRoots(root), height: 2, width: 2, channels: 3, classes: 'street' });
    // street ids: road 0, sky 3, car 5 (nearest-neighbour 2×2 samples rows 1 and 3, columns 1 and 3)
    expect(Array.from(ds.labels)).toEqual([5, IGNORE_LABEL, 0, 0]);
  });

  it('reads the Dark Zurich / ACDC layout with train-id labels', async () => {
    const dz = tempDir();
    put(join(dz, 'rgb_anon', 'val', 'night', 'GOPR0356', 'GOPR0356_frame_000321_rgb_anon.png'), solidPng(2, 2, [5, 5, 5]));
    put(join(dz, 'gt', 'val', 'night', 'GOPR0356', 'GOPR0356_frame_000321_gt_labelTrainIds.png'), encodePng(new Uint8Array([0, 1, 10, 255]), 2, 2, 1));
    const ds = await loadSegmentationFolder({ ...findSegmentationRoots(dz, 'val'), height: 2, width: 2, channels: 1 });
    expect(Array.from(ds.labels)).toEqual([0, 1, 10, 255]);
  });

  it('names images without labels, size mismatches and colour label maps', async () => {
    const r = tempDir();
    put(join(r, 'images', 'a.png'), solidPng(2, 2, [0, 0, 0]));
    put(join(r, 'images', 'b.png'), solidPng(2, 2, [0, 0, 0]));
    put(join(r, 'labels', 'a.png'), encodePng(new Uint8Array(4), 2, 2, 1));
    await expect(loadSegmentationFolder({ ...findSegmentationRoots(r), height: 2, width: 2, channels: 3 })).rejects.toThrow(/1 of 2 images have no label PNG \(first: .*b\.png\)/);
    put(join(r, 'labels', 'b.png'), encodePng(new Uint8Array(9), 3, 3, 1));
    await expect(loadSegmentationFolder({ ...findSegmentationRoots(r), height: 2, width: 2, channels: 3 })).rejects.toThrow(/b\.png: label map is 3×3 but its image .* is 2×2/);
    put(join(r, 'labels', 'b.png'), solidPng(2, 2, [10, 20, 30]));
    await expect(loadSegmentationFolder({ ...findSegmentationRoots(r), height: 2, width: 2, channels: 3 })).rejects.toThrow(/label PNG is a colour image/);
    expect(() => findSegmentationRoots(tempDir())).toThrow(/not a segmentation dataset folder/);
  });
});
