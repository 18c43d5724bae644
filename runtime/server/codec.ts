/**
 * MessagePack framing of the live protocol (PROTOCOL.md §2), shared by the server, the viewer and
 * test clients. Plain maps (no msgpackr records, so any MessagePack library can read the frames);
 * typed arrays as ext 0x74 — one type byte, then the elements' bytes in little-endian order — so an
 * Int32Array leaves as an Int32Array and arrives as one.
 *
 * No Node import: the viewer bundles this file (msgpackr's browser build).
 */
import { Packr, Unpackr } from 'msgpackr';
import { parseClientMessage, parseServerMessage, ProtocolError, type ClientMessage, type ServerMessage } from './protocol.ts';

const OPTIONS = { useRecords: false, moreTypes: true, mapsAsObjects: true, structuredClone: false } as const;
const packr = new Packr(OPTIONS);
const unpackr = new Unpackr({ ...OPTIONS, int64AsType: 'number' });

/**
 * One message → one frame. The result owns its bytes (a compact copy): msgpackr packs into a
 * shared scratch buffer, and a queued frame must neither keep that buffer alive nor count less
 * than it holds.
 */
export function encodeMessage(message: ServerMessage | ClientMessage): Uint8Array {
  return Uint8Array.prototype.slice.call(packr.pack(message));
}

/** One frame → the decoded value, unchecked; throws ProtocolError('DECODE_FAILED'). */
export function decodeFrame(frame: Uint8Array): unknown {
  if (frame.length === 0) throw new ProtocolError('DECODE_FAILED', 'empty frame: a frame holds one MessagePack map');
  let value: unknown;
  try {
    value = unpackr.unpack(frame);
  } catch (e) {
    throw new ProtocolError('DECODE_FAILED', `frame of ${frame.length} bytes is not valid MessagePack: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return value;
}

/** Decode and validate a client frame; throws ProtocolError. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  return parseClientMessage(normalizeBytes(decodeFrame(frame)));
}

/** Decode and validate a server frame; throws ProtocolError. */
export function decodeServerMessage(frame: Uint8Array): ServerMessage {
  return parseServerMessage(normalizeBytes(decodeFrame(frame)));
}

/**
 * MessagePack 'bin' decodes to a Node Buffer in Node and to a Uint8Array in browsers; both are
 * Uint8Arrays, which is all the protocol promises for byte fields. Top-level fields only: no
 * message nests bytes deeper.
 */
function normalizeBytes(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const rec = value as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    const v = rec[k];
    if (v instanceof Uint8Array && v.constructor !== Uint8Array) rec[k] = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  return value;
}
