import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decodeClientMessage, decodeFrame, decodeServerMessage, encodeMessage } from '../../../runtime/server/codec.ts';
import { ProtocolError } from '../../../runtime/server/protocol.ts';
import { sampleServerMessages } from './samples.ts';

describe('codec', () => {
  it('round-trips every server message, typed arrays staying typed arrays', () => {
    for (const m of sampleServerMessages()) {
      const back = decodeServerMessage(encodeMessage(m));
      expect(back).toEqual(m);
      for (const [k, v] of Object.entries(m)) if (ArrayBuffer.isView(v)) expect((back as unknown as Record<string, unknown>)[k]!.constructor).toBe(v.constructor);
    }
  });

  it('encodes a typed array as ext 0x74: type byte, then little-endian elements (PROTOCOL.md §2)', () => {
    const frame = encodeMessage({ type: 'rates', tick: 0, windowMs: 1, populations: new Uint16Array(0), hz: new Float32Array(0) });
    expect(Buffer.from(frame).includes(Buffer.from([0xc7, 0x01, 0x74, 0x04]))).toBe(true); // empty Uint16Array
    const spikes = encodeMessage({ type: 'spikes', tick: 0, span: 1, populations: new Uint16Array([0]), counts: new Uint32Array([2]), indices: new Int32Array([1, 2]), dropped: 0 });
    expect(Buffer.from(spikes).includes(Buffer.from([0xc7, 0x09, 0x74, 0x05, 1, 0, 0, 0, 2, 0, 0, 0]))).toBe(true);
  });

  it('each frame owns compact bytes (not a view of msgpackr\'s scratch buffer)', () => {
    const a = encodeMessage({ type: 'bye', reason: 'a' });
    const b = encodeMessage({ type: 'bye', reason: 'b' });
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(a.length);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('decodes client frames written by a plain msgpackr (bin for bytes) and validates them', () => {
    const plain = new Packr({ useRecords: false });
    const m = decodeClientMessage(plain.pack({ type: 'camera', seq: 1, width: 2, height: 1, format: 'grey', data: Buffer.from([1, 2]) }));
    expect(m).toEqual({ type: 'camera', seq: 1, width: 2, height: 1, format: 'grey', data: new Uint8Array([1, 2]) });
    expect((m as { data: Uint8Array }).data.constructor).toBe(Uint8Array);
  });

  it('turns garbage into DECODE_FAILED and bad content into BAD_MESSAGE', () => {
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ProtocolError);
        return (e as ProtocolError).code;
      }
      return 'none';
    };
    expect(code(() => decodeFrame(new Uint8Array(0)))).toBe('DECODE_FAILED');
    expect(code(() => decodeFrame(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff])))).toBe('DECODE_FAILED');
    expect(code(() => decodeFrame(new Uint8Array([0xc7, 3, 0x74, 8, 1, 2])))).toBe('DECODE_FAILED'); // Float64Array of 2 bytes
    expect(code(() => decodeClientMessage(new Uint8Array([0xc1])))).toBe('BAD_MESSAGE'); // msgpackr's "never used" marker
    expect(code(() => decodeClientMessage(new Uint8Array([0x93, 1, 2, 3])))).toBe('BAD_MESSAGE');
    const plain = new Packr({ useRecords: false, moreTypes: true });
    expect(code(() => decodeClientMessage(plain.pack({ type: 'hello', protocol: 1, when: new Date(0) })))).toBe('BAD_MESSAGE');
    expect(code(() => decodeClientMessage(plain.pack({ type: 'subscribe', neurons: new Set([1]) })))).toBe('BAD_MESSAGE');
    expect(code(() => decodeClientMessage(plain.pack({ type: 'ping', t: 10n ** 30n })))).toBe('BAD_MESSAGE');
  });

  it('maps a __proto__ key to a harmless field (no prototype pollution)', () => {
    const bytes = new Uint8Array([0x82, 0xa4, ...Buffer.from('type'), 0xa4, ...Buffer.from('ping'), 0xa9, ...Buffer.from('__proto__'), 0x81, 0xa1, 0x78, 0x01]);
    expect(() => decodeClientMessage(bytes)).toThrow(ProtocolError);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
