/**
 * IDX files (the MNIST container, LeCun et al. 1998), plain or gzipped.
 *
 * ```
 * bytes 0–1   0x00 0x00
 * byte  2     element type: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64
 * byte  3     number of dimensions d
 * 4 … 4d+3    d sizes, uint32 big-endian
 * then        the elements, big-endian, row-major
 * ```
 * A gzipped file is recognised by its gzip magic (1f 8b), not by its name.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataFormatError } from './errors.ts';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  /** Sizes of each dimension, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The elements in native typed-array form (u8 for MNIST). */
  data: IdxData;
  /** The IDX element type name. */
  type: 'u8' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64';
}

const TYPES = {
  0x08: { type: 'u8', bytes: 1 },
  0x09: { type: 'i8', bytes: 1 },
  0x0b: { type: 'i16', bytes: 2 },
  0x0c: { type: 'i32', bytes: 4 },
  0x0d: { type: 'f32', bytes: 4 },
  0x0e: { type: 'f64', bytes: 8 },
} as const;

/** Reads an IDX file (optionally gzipped) from disk. */
export function readIdxFile(file: string): IdxArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new DataFormatError(file, `cannot read IDX file (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseIdx(bytes, file);
}

/** Parses IDX bytes (optionally gzipped). `name` is used in error messages. */
export function parseIdx(input: Uint8Array, name = '<idx bytes>'): IdxArray {
  let bytes = input;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DataFormatError(name, `looks gzipped but does not decompress (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (bytes.length < 4) throw new DataFormatError(name, `too short for an IDX header (${bytes.length} bytes, need at least 4)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(name, `not an IDX file: magic starts with 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}, expected 0x00 0x00`);
  }
  const typeCode = bytes[2]!;
  const t = TYPES[typeCode as keyof typeof TYPES];
  if (!t) throw new DataFormatError(name, `unknown IDX element type 0x${hex(typeCode)} (known: 08 u8, 09 i8, 0B i16, 0C i32, 0D f32, 0E f64)`);
  const ndims = bytes[3]!;
  const headerBytes = 4 + 4 * ndims;
  if (ndims === 0) throw new DataFormatError(name, 'IDX header declares 0 dimensions');
  if (bytes.length < headerBytes) throw new DataFormatError(name, `truncated header: ${ndims} dimensions need ${headerBytes} bytes, file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * t.bytes;
  if (bytes.length < expected) {
    throw new DataFormatError(name, `truncated: dimensions [${dims.join(', ')}] of ${t.type} need ${expected} bytes, file has ${bytes.length}`);
  }
  if (bytes.length > expected) {
    throw new DataFormatError(name, `${bytes.length - expected} unexpected trailing bytes after [${dims.join(', ')}] ${t.type} elements`);
  }
  return { dims, data: readElements(view, headerBytes, count, t.type), type: t.type };
}

function readElements(view: DataView, offset: number, count: number, type: IdxArray['type']): IdxData {
  switch (type) {
    case 'u8':
      // Copy so the result does not pin a larger (possibly pooled) buffer.
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'i8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'i16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'i32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'f32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'f64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Encodes an array as IDX bytes (big-endian); used to write fixtures and exports. */
export function encodeIdx(dims: readonly number[], data: IdxData): Uint8Array {
  const type = data instanceof Uint8Array ? 0x08 : data instanceof Int8Array ? 0x09 : data instanceof Int16Array ? 0x0b : data instanceof Int32Array ? 0x0c : data instanceof Float32Array ? 0x0d : 0x0e;
  const bytesPer = TYPES[type].bytes;
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`encodeIdx: dims [${dims.join(', ')}] hold ${count} elements, data has ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + count * bytesPer);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const o = 4 + 4 * dims.length;
  for (let i = 0; i < count; i++) {
    const v = data[i]!;
    if (type === 0x08) view.setUint8(o + i, v);
    else if (type === 0x09) view.setInt8(o + i, v);
    else if (type === 0x0b) view.setInt16(o + 2 * i, v, false);
    else if (type === 0x0c) view.setInt32(o + 4 * i, v, false);
    else if (type === 0x0d) view.setFloat32(o + 4 * i, v, false);
    else view.setFloat64(o + 8 * i, v, false);
  }
  return out;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}
