/**
 * Segmentation datasets laid out like Cityscapes: a folder tree of images and a parallel tree of
 * label PNGs. Also reads Dark Zurich and ACDC (night), which use the same convention:
 * ```
 * Cityscapes   leftImg8bit/<split>/<city>/<name>_leftImg8bit.png    gtFine/<split>/<city>/<name>_gtFine_labelTrainIds.png (or _labelIds)
 * Dark Zurich  rgb_anon/<split>/night/<seq>/<name>_rgb_anon.png      gt/<split>/night/<seq>/<name>_gt_labelTrainIds.png
 * ACDC         rgb_anon/night/<split>/<seq>/<name>_rgb_anon.png      gt/night/<split>/<seq>/<name>_gt_labelTrainIds.png
 * generic      images/<any>/<name>.png|jpg                           labels/<any>/<name>.png
 * ```
 * Images and labels are paired by relative path and name (with the suffixes above removed), else by
 * name alone. `*_labelIds` files are mapped to the 19 train ids; other ids become IGNORE_LABEL (255).
 * With `classes: 'street'` the 19 classes are folded onto the 8 classes of the procedural scenes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { DataFormatError } from './errors.ts';
import { decodeImageFile, IMAGE_EXTENSIONS } from './image-decode.ts';
import { decodePng } from './png.ts';
import { convertChannels, resizeImages, resizeLabels, type InputShape } from './resize.ts';
import { STREET, STREET_CLASSES } from './street/scene.ts';
import { checkDataset, clampToUnit, IGNORE_LABEL, type ImageDataset } from './types.ts';

export const CITYSCAPES_CLASSES: readonly string[] = [
  'road', 'sidewalk', 'building', 'wall', 'fence', 'pole', 'traffic light', 'traffic sign', 'vegetation', 'terrain',
  'sky', 'person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle',
];

/** Cityscapes labelId (0–33) → trainId (0–18, 255 = ignored), from the Cityscapes label table. */
const LABEL_TO_TRAIN: readonly number[] = [
  255, 255, 255, 255, 255, 255, 255, 0, 1, 255, 255, 2, 3, 4, 255, 255, 255, 5, 255, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 255, 255, 16, 17, 18,
];

/**
 * trainId → street class (our choice): wall → building; traffic light and sign → pole (they hang on
 * poles); terrain → vegetation; rider → person; truck and bus → car; fence, train, motorcycle,
 * bicycle → ignored (no street class fits).
 */
const TRAIN_TO_STREET: readonly number[] = [
  STREET.road, STREET.sidewalk, STREET.building, STREET.building, 255, STREET.pole, STREET.pole, STREET.pole, STREET.vegetation,
  STREET.vegetation, STREET.sky, STREET.person, STREET.person, STREET.car, STREET.car, STREET.car, 255, 255, 255,
];

const IMAGE_SUFFIXES = ['_leftImg8bit', '_rgb_anon', '_rgb_ref_anon'];
const LABEL_SUFFIXES = ['_gtFine_labelTrainIds', '_gt_labelTrainIds', '_labelTrainIds', '_gtFine_labelIds', '_gt_labelIds', '_labelIds'];
/** Files in label trees that are not id maps. */
const NOT_LABELS = /_color\.png$|_instanceIds\.png$|_invGray\.png$|_labelColor\.png$/i;

export interface SegmentationFolderOptions extends InputShape {
  /** Root of the image tree. */
  images: string;
  /** Root of the label tree. */
  labels: string;
  /** 'cityscapes' (19 train ids, default) or 'street' (8 procedural-scene classes). */
  classes?: 'cityscapes' | 'street';
  limit?: number;
}

/** The image and label roots inside a dataset folder, recognising the layouts above. */
export function findSegmentationRoots(root: string, split?: string): { images: string; labels: string } {
  const candidates: [string, string][] = [
    ['leftImg8bit', 'gtFine'],
    ['rgb_anon', 'gt'],
    ['images', 'labels'],
  ];
  for (const [img, lab] of candidates) {
    if (existsSync(join(root, img)) && existsSync(join(root, lab))) {
      const i = split && existsSync(join(root, img, split)) ? join(root, img, split) : join(root, img);
      const l = split && existsSync(join(root, lab, split)) ? join(root, lab, split) : join(root, lab);
      return { images: i, labels: l };
    }
  }
  throw new DataFormatError(root, 'not a segmentation dataset folder: expected leftImg8bit/ + gtFine/ (Cityscapes), rgb_anon/ + gt/ (Dark Zurich, ACDC) or images/ + labels/');
}

export async function loadSegmentationFolder(opts: SegmentationFolderOptions): Promise<ImageDataset> {
  const imageFiles = walk(opts.images).filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()));
  const labelFiles = walk(opts.labels).filter((f) => extname(f).toLowerCase() === '.png' && !NOT_LABELS.test(f));
  if (imageFiles.length === 0) throw new DataFormatError(opts.images, 'no image files found');
  // Prefer train ids over label ids when both exist for one image.
  const byKey = new Map<string, string>();
  const byName = new Map<string, string[]>();
  for (const f of labelFiles.sort((a, b) => rank(a) - rank(b))) {
    const key = keyOf(f, opts.labels, LABEL_SUFFIXES);
    if (!byKey.has(key)) byKey.set(key, f);
    const name = basename(key);
    byName.set(name, [...(byName.get(name) ?? []), f]);
  }
  const pairs: { image: string; label: string }[] = [];
  const missing: string[] = [];
  for (const img of imageFiles.sort()) {
    const key = keyOf(img, opts.images, IMAGE_SUFFIXES);
    const label = byKey.get(key) ?? (byName.get(basename(key))?.length === 1 ? byName.get(basename(key))![0] : undefined);
    if (label) pairs.push({ image: img, label });
    else missing.push(img);
  }
  if (missing.length > 0) {
    throw new DataFormatError(opts.labels, `${missing.length} of ${imageFiles.length} images have no label PNG (first: ${missing[0]}); expected e.g. <name>_gtFine_labelTrainIds.png beside the same relative path`);
  }
  const chosen = opts.limit === undefined ? pairs : pairs.slice(0, opts.limit);
  const classes = opts.classes ?? 'cityscapes';
  const { height: H, width: W, channels: C } = opts;
  const images = new Float32Array(chosen.length * H * W * C);
  const labels = new Uint8Array(chosen.length * H * W);
  for (let i = 0; i < chosen.length; i++) {
    const { image, label } = chosen[i]!;
    const img = await decodeImageFile(image);
    const ids = readLabelPng(label);
    if (ids.width !== img.width || ids.height !== img.height) {
      throw new DataFormatError(label, `label map is ${ids.width}×${ids.height} but its image ${image} is ${img.width}×${img.height}`);
    }
    const resized = resizeImages(img.rgb, 1, img.height, img.width, 3, H, W);
    images.set(convertChannels(resized, H * W, 3, C), i * H * W * C);
    const mapped = mapIds(ids.data, /labelIds\.png$/i.test(label) && !/TrainIds/i.test(label), classes);
    labels.set(resizeLabels(mapped, 1, ids.height, ids.width, H, W), i * H * W);
  }
  clampToUnit(images);
  return checkDataset({
    images,
    labels,
    n: chosen.length,
    height: H,
    width: W,
    channels: C,
    task: 'segment',
    numClasses: classes === 'street' ? STREET_CLASSES.length : CITYSCAPES_CLASSES.length,
    classNames: classes === 'street' ? STREET_CLASSES : CITYSCAPES_CLASSES,
    source: opts.images,
  });
}

/** A single-channel id map from a label PNG: grey or palette (indices), or RGB with R = G = B. */
export function readLabelPng(file: string): { width: number; height: number; data: Uint8Array } {
  const png = decodePng(readFileSync(file), file);
  if (png.bitDepth !== 8) throw new DataFormatError(file, 'label PNG must be 8-bit (ids 0–255)');
  const px = png.width * png.height;
  if (png.channels === 1) return { width: png.width, height: png.height, data: png.data as Uint8Array };
  if (png.channels === 2) throw new DataFormatError(file, 'label PNG has grey+alpha; expected a single-channel id map');
  const out = new Uint8Array(px);
  for (let p = 0; p < px; p++) {
    const r = png.data[p * png.channels]!;
    if (png.data[p * png.channels + 1] !== r || png.data[p * png.channels + 2] !== r) {
      throw new DataFormatError(file, `label PNG is a colour image (pixel ${p % png.width},${Math.floor(p / png.width)} has R≠G≠B); use the *_labelTrainIds.png or *_labelIds.png files, not *_color.png`);
    }
    out[p] = r;
  }
  return { width: png.width, height: png.height, data: out };
}

function mapIds(ids: Uint8Array, fromLabelIds: boolean, classes: 'cityscapes' | 'street'): Uint8Array {
  const out = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    let v = ids[i]!;
    if (fromLabelIds) v = LABEL_TO_TRAIN[v] ?? IGNORE_LABEL;
    else if (v >= CITYSCAPES_CLASSES.length) v = IGNORE_LABEL;
    if (classes === 'street' && v !== IGNORE_LABEL) v = TRAIN_TO_STREET[v] ?? IGNORE_LABEL;
    out[i] = v;
  }
  return out;
}

function rank(file: string): number {
  return /TrainIds/i.test(file) ? 0 : /labelIds/i.test(file) ? 1 : 2;
}

/** Relative path without extension and known suffixes: the pairing key. */
function keyOf(file: string, root: string, suffixes: readonly string[]): string {
  let stem = basename(file, extname(file));
  for (const s of suffixes) if (stem.endsWith(s)) stem = stem.slice(0, -s.length);
  return join(relative(root, dirname(file)), stem);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) throw new DataFormatError(dir, 'folder does not exist');
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}
