/**
 * A folder of images per class (the torchvision ImageFolder layout):
 * ```
 * root/<class name>/<any name>.png|jpg|…
 * ```
 * Classes are the sub-folder names in sorted order; label = index in that order. Every image is
 * resized to the requested shape. Files with other extensions are skipped; an empty class folder is an error.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DataFormatError } from './errors.ts';
import { decodeImageFile, IMAGE_EXTENSIONS } from './image-decode.ts';
import { convertChannels, resizeImages, type InputShape } from './resize.ts';
import { checkDataset, clampToUnit, type ImageDataset } from './types.ts';

export interface ImageFolderOptions extends InputShape {
  /** Keep at most this many images per class (first in sorted file order). */
  limitPerClass?: number;
}

export async function loadImageFolder(root: string, opts: ImageFolderOptions): Promise<ImageDataset> {
  let entries: string[];
  try {
    entries = readdirSync(root).sort();
  } catch (e) {
    throw new DataFormatError(root, `cannot list folder (${e instanceof Error ? e.message : String(e)})`);
  }
  const classNames = entries.filter((e) => statSync(join(root, e)).isDirectory());
  if (classNames.length === 0) throw new DataFormatError(root, 'no class sub-folders; expected root/<class>/<image files>');
  const files: { file: string; label: number }[] = [];
  classNames.forEach((cls, label) => {
    let imgs = readdirSync(join(root, cls))
      .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort();
    if (imgs.length === 0) throw new DataFormatError(join(root, cls), `class folder '${cls}' holds no images (${[...IMAGE_EXTENSIONS].join(', ')})`);
    if (opts.limitPerClass !== undefined) imgs = imgs.slice(0, opts.limitPerClass);
    for (const f of imgs) files.push({ file: join(root, cls, f), label });
  });
  const size = opts.height * opts.width * opts.channels;
  const images = new Float32Array(files.length * size);
  const labels = new Int32Array(files.length);
  for (let i = 0; i < files.length; i++) {
    const { file, label } = files[i]!;
    const img = await decodeImageFile(file);
    const resized = resizeImages(img.rgb, 1, img.height, img.width, 3, opts.height, opts.width);
    images.set(convertChannels(resized, opts.height * opts.width, 3, opts.channels), i * size);
    labels[i] = label;
  }
  clampToUnit(images);
  return checkDataset({
    images,
    labels,
    n: files.length,
    height: opts.height,
    width: opts.width,
    channels: opts.channels,
    task: 'classify',
    numClasses: classNames.length,
    classNames,
    source: root,
  });
}
