/**
 * A minimal PNG codec for label maps, where every value must come out exactly as stored: a general
 * image decoder may colour-manage, premultiply or expand a palette, and a label id is not a colour.
 *
 * Decodes non-interlaced PNGs of bit depth 1–8 (and 16, kept at full precision) in every colour
 * type; a palette image returns its indices (the label ids). Encodes 8-bit grey, RGB or RGBA.
 * Photos go through @napi-rs/canvas instead (image-decode.ts), which also reads JPEG and WebP.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { DataFormatError } from './errors.ts';

export interface PngRaster {
  width: number;
  height: number;
  /** Samples per pixel as stored: 1 grey or palette index, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** 8 or 16 (depths 1, 2, 4 are unpacked to one byte per sample). */
  bitDepth: 8 | 16;
  /** True for palette images: `data` holds indices. */
  indexed: boolean;
  /** height × width × channels samples, row-major. */
  data: Uint8Array | Uint16Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function decodePng(bytes: Uint8Array, name = '<png bytes>'): PngRaster {
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== SIGNATURE[i]) throw new DataFormatError(name, 'not a PNG file (bad signature)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colourType = -1;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos, false);
    const type = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!, bytes[pos + 6]!, bytes[pos + 7]!);
    if (pos + 12 + len > bytes.length) throw new DataFormatError(name, `truncated PNG: chunk ${type} needs ${len} bytes`);
    const body = bytes.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(pos + 8, false);
      height = view.getUint32(pos + 12, false);
      depth = bytes[pos + 16]!;
      colourType = bytes[pos + 17]!;
      if (bytes[pos + 20] !== 0) throw new DataFormatError(name, 'interlaced (Adam7) PNGs are not supported; re-save without interlacing');
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      break;
    }
    pos += 12 + len;
  }
  const channels = CHANNELS[colourType];
  if (width === 0 || height === 0 || channels === undefined) throw new DataFormatError(name, 'PNG has no valid IHDR chunk');
  if (![1, 2, 4, 8, 16].includes(depth)) throw new DataFormatError(name, `unsupported PNG bit depth ${depth}`);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (e) {
    throw new DataFormatError(name, `corrupt PNG image data (${e instanceof Error ? e.message : String(e)})`);
  }
  const bitsPerPixel = depth * channels;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3); // bytes per complete pixel, for the filters
  if (raw.length < height * (stride + 1)) throw new DataFormatError(name, `truncated PNG image data: ${raw.length} bytes for ${height} rows of ${stride + 1}`);
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : undefined;
    unfilter(filter, src, out, prev, bpp, name, y);
  }
  const samples = width * height * channels;
  if (depth === 16) {
    const data = new Uint16Array(samples);
    for (let i = 0; i < samples; i++) data[i] = (rows[2 * i]! << 8) | rows[2 * i + 1]!;
    return { width, height, channels, bitDepth: 16, indexed: colourType === 3, data };
  }
  const data = new Uint8Array(samples);
  if (depth === 8) {
    data.set(rows.subarray(0, samples));
  } else {
    const perByte = 8 / depth;
    const mask = (1 << depth) - 1;
    const rowSamples = width * channels;
    for (let y = 0; y < height; y++) {
      for (let s = 0; s < rowSamples; s++) {
        const byte = rows[y * stride + Math.floor(s / perByte)]!;
        const shift = 8 - depth * ((s % perByte) + 1);
        let v = (byte >> shift) & mask;
        // Grey at low depth is scaled to 0–255 as the PNG spec says; palette indices stay indices.
        if (colourType !== 3) v = Math.round((v * 255) / mask);
        data[y * rowSamples + s] = v;
      }
    }
  }
  return { width, height, channels, bitDepth: 8, indexed: colourType === 3, data };
}

function unfilter(filter: number, src: Uint8Array, out: Uint8Array, prev: Uint8Array | undefined, bpp: number, name: string, row: number): void {
  const n = src.length;
  switch (filter) {
    case 0:
      out.set(src);
      return;
    case 1:
      for (let i = 0; i < n; i++) out[i] = (src[i]! + (i >= bpp ? out[i - bpp]! : 0)) & 0xff;
      return;
    case 2:
      for (let i = 0; i < n; i++) out[i] = (src[i]! + (prev ? prev[i]! : 0)) & 0xff;
      return;
    case 3:
      for (let i = 0; i < n; i++) out[i] = (src[i]! + (((i >= bpp ? out[i - bpp]! : 0) + (prev ? prev[i]! : 0)) >> 1)) & 0xff;
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? out[i - bpp]! : 0;
        const b = prev ? prev[i]! : 0;
        const c = i >= bpp && prev ? prev[i - bpp]! : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        out[i] = (src[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
      return;
    default:
      throw new DataFormatError(name, `corrupt PNG: unknown filter type ${filter} on row ${row}`);
  }
}

/** Encodes 8-bit samples (1 grey, 3 RGB, 4 RGBA channels) as a PNG (filter 0, zlib default level). */
export function encodePng(data: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Uint8Array {
  if (data.length !== width * height * channels) {
    throw new RangeError(`encodePng: ${data.length} samples for ${width}×${height}×${channels} = ${width * height * channels}`);
  }
  const colourType = channels === 1 ? 0 : channels === 3 ? 2 : 6;
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width, false);
  hv.setUint32(4, height, false);
  ihdr[8] = 8;
  ihdr[9] = colourType;
  return Buffer.concat([Buffer.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}
