import { deflateSync, crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng } from '../../../src/vision/data/png.ts';

/** A hand-built PNG: palette (colour type 3) or grey (0) at the given bit depth, one filter byte 0 per row. */
function rawPng(width: number, height: number, depth: number, colourType: number, rows: number[][], palette?: number[]): Uint8Array {
  const chunk = (type: string, body: Uint8Array): Buffer => {
    const b = Buffer.alloc(12 + body.length);
    b.writeUInt32BE(body.length, 0);
    b.write(type, 4, 'latin1');
    b.set(body, 8);
    b.writeUInt32BE(crc32(b.subarray(4, 8 + body.length)), 8 + body.length);
    return b;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  const raw = Buffer.concat(rows.map((r) => Buffer.from([0, ...r])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(palette ? [chunk('PLTE', Buffer.from(palette))] : []),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('PNG codec for label maps', () => {
  it('round-trips 8-bit grey, RGB and RGBA exactly', () => {
    for (const channels of [1, 3, 4] as const) {
      const data = new Uint8Array(5 * 3 * channels).map((_, i) => (i * 29) % 256);
      const png = decodePng(encodePng(data, 5, 3, channels), 't.png');
      expect([png.width, png.height, png.channels, png.bitDepth]).toEqual([5, 3, channels, 8]);
      expect(Array.from(png.data)).toEqual(Array.from(data));
    }
  });

  it('returns palette indices, not colours, and unpacks sub-byte depths', () => {
    // 4-bit palette, 3 pixels per row: indices 1, 2, 15 → bytes 0x12, 0xF0
    const png = decodePng(rawPng(3, 1, 4, 3, [[0x12, 0xf0]], new Array(16 * 3).fill(9)), 'pal.png');
    expect(png.indexed).toBe(true);
    expect(Array.from(png.data)).toEqual([1, 2, 15]);
    // 1-bit grey is scaled to 0/255 as the PNG spec says.
    expect(Array.from(decodePng(rawPng(4, 1, 1, 0, [[0b10100000]]), 'bw.png').data)).toEqual([255, 0, 255, 0]);
  });

  it('undoes every row filter', () => {
    // Same 2×2 grey image written with filters 1 (Sub), 2 (Up), 3 (Average), 4 (Paeth) on row 2.
    const base = [10, 20];
    for (const [filter, row2] of [[1, [30, 10]], [2, [20, 20]], [3, [25, 15]], [4, [20, 10]]] as const) {
      // Decoded row 2 must be [30, 40] for every filter; the stored bytes are what each filter produces.
      const chunkRows = Buffer.concat([Buffer.from([0, ...base]), Buffer.from([filter, ...row2])]);
      const png = rawPng(2, 2, 8, 0, []);
      // Replace the (empty) IDAT with our filtered rows.
      const rebuilt = rawPngWithRaw(png, chunkRows);
      expect(Array.from(decodePng(rebuilt, `f${filter}.png`).data)).toEqual([10, 20, 30, 40]);
    }
  });

  it('rejects non-PNG bytes and interlaced files by name', () => {
    expect(() => decodePng(new Uint8Array(16), 'x.png')).toThrow(/x\.png: not a PNG file/);
    const interlaced = rawPng(1, 1, 8, 0, [[0]]);
    interlaced[8 + 8 + 12] = 1; // IHDR interlace byte
    expect(() => decodePng(interlaced, 'i.png')).toThrow(/i\.png: interlaced \(Adam7\) PNGs are not supported/);
  });
});

/** Rebuilds `png` with `raw` (already filtered rows) as its only IDAT. */
function rawPngWithRaw(png: Uint8Array, raw: Buffer): Uint8Array {
  const ihdrEnd = 8 + 25;
  const idat = Buffer.alloc(12 + deflateSync(raw).length);
  const body = deflateSync(raw);
  idat.writeUInt32BE(body.length, 0);
  idat.write('IDAT', 4, 'latin1');
  idat.set(body, 8);
  idat.writeUInt32BE(crc32(idat.subarray(4, 8 + body.length)), 8 + body.length);
  const iend = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
  return Buffer.concat([png.subarray(0, ihdrEnd), idat, iend]);
}
