/**
 * Photos from disk (PNG, JPEG, WebP, GIF, BMP, AVIF — whatever Skia decodes) through @napi-rs/canvas,
 * as RGB floats in [0, 1]. Alpha is composited over black. Label maps use png.ts instead (exact ids).
 */
import { readFile } from 'node:fs/promises';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { DataFormatError } from './errors.ts';

export interface RgbImage {
  width: number;
  height: number;
  /** height × width × 3, in [0, 1]. */
  rgb: Float32Array;
}

/** File extensions that decodeImageFile is used for. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.avif']);

export async function decodeImageFile(file: string): Promise<RgbImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new DataFormatError(file, `cannot read image (${e instanceof Error ? e.message : String(e)})`);
  }
  return decodeImageBytes(bytes, file);
}

export async function decodeImageBytes(bytes: Uint8Array, name = '<image bytes>'): Promise<RgbImage> {
  let img: Awaited<ReturnType<typeof loadImage>>;
  try {
    img = await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new DataFormatError(name, `not a decodable image (${e instanceof Error ? e.message : String(e)})`);
  }
  const { width, height } = img;
  if (!width || !height) throw new DataFormatError(name, 'image decodes to 0×0 pixels');
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const rgb = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    // getImageData un-premultiplies; composite over black by scaling with alpha.
    const a = rgba[4 * p + 3]! / 255;
    rgb[3 * p] = (rgba[4 * p]! / 255) * a;
    rgb[3 * p + 1] = (rgba[4 * p + 1]! / 255) * a;
    rgb[3 * p + 2] = (rgba[4 * p + 2]! / 255) * a;
  }
  return { width, height, rgb };
}
