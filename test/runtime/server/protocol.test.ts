import { describe, expect, it } from 'vitest';
import {
  CLIENT_SCHEMAS, ERROR_CODES, parseClientMessage, parseServerMessage, PROTOCOL_VERSION, ProtocolError, SERVER_SCHEMAS,
  type ClientMessage, type ServerMessage,
} from '../../../runtime/server/protocol.ts';
import { sampleServerMessages } from './samples.ts';

function rejects(value: unknown, code: string, path?: string): ProtocolError {
  try {
    parseClientMessage(value);
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    const pe = e as ProtocolError;
    expect(pe.code).toBe(code);
    if (path !== undefined) expect(pe.path).toBe(path);
    return pe;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

describe('client messages', () => {
  const valid: ClientMessage[] = [
    { type: 'hello', protocol: PROTOCOL_VERSION },
    { type: 'hello', protocol: 1, client: 'test' },
    { type: 'subscribe' },
    { type: 'subscribe', id: 3, streams: ['spikes', 'state'], populations: ['a/a.pyr0'], neurons: { 'a/a.pyr0': new Int32Array([0, 5]) }, maxNeurons: 10, decimation: 16 },
    { type: 'subscribe', modules: ['a'], neurons: { 'a/a.pv': [1, 2, 3] }, streams: [] },
    { type: 'control', action: 'start', backend: 'conductance', seed: 4 },
    { type: 'control', id: 1, action: 'pause' },
    { type: 'control', action: 'resume' },
    { type: 'control', action: 'stop' },
    { type: 'control', action: 'speed', timeScale: 2 },
    { type: 'control', action: 'stimulus', module: 'a', input: 'a.in0', rateHz: 20 },
    { type: 'control', action: 'cue', pool: 1 },
    { type: 'control', action: 'cue', pool: 0, durationMs: 300, rateHz: 40 },
    { type: 'control', action: 'reset' },
    { type: 'camera', seq: 0, width: 2, height: 3, format: 'grey', data: new Uint8Array(6) },
    { type: 'camera', seq: 7, width: 2, height: 1, format: 'rgba', data: new Uint8Array(8), t: 123.5 },
    { type: 'ping', id: 9, t: 1 },
  ];
  it.each(valid.map((m) => [m.type, m] as const))('accepts a valid %s', (_, m) => {
    expect(parseClientMessage(m)).toBe(m);
  });

  it('rejects non-maps, missing or unknown types', () => {
    for (const v of [null, 3, 'hello', [1], new Int32Array(2), new Map([['type', 'hello']])]) rejects(v, 'BAD_MESSAGE');
    rejects({ protocol: 1 }, 'BAD_MESSAGE', 'type');
    rejects({ type: 7 }, 'BAD_MESSAGE', 'type');
    const e = rejects({ type: 'helo', id: 4 }, 'UNKNOWN_TYPE', 'type');
    expect(e.message).toMatch(/unknown client message type "helo"; expected one of hello, subscribe, control, camera, ping/);
    expect(e.id).toBe(4);
  });

  it('names the offending field, the expected and the actual value', () => {
    expect(rejects({ type: 'hello' }, 'BAD_MESSAGE', 'protocol').message).toBe('hello.protocol: missing required field');
    expect(rejects({ type: 'hello', protocol: 1.5 }, 'BAD_MESSAGE', 'protocol').message).toMatch(/expected an integer, got number 1.5/);
    expect(rejects({ type: 'hello', protocol: 1, extra: true }, 'BAD_MESSAGE', 'extra').message).toMatch(/unknown field; expected 'type', 'protocol', 'client'/);
    expect(rejects({ type: 'subscribe', streams: ['spikes', 'video'] }, 'BAD_MESSAGE', 'streams[1]').message).toMatch(/expected one of 'spikes', 'rates', 'status', 'state', 'camera', got "video"/);
    rejects({ type: 'subscribe', decimation: 0 }, 'BAD_MESSAGE', 'decimation');
    rejects({ type: 'subscribe', decimation: 1001 }, 'BAD_MESSAGE', 'decimation');
    rejects({ type: 'subscribe', neurons: { x: new Float32Array(2) } }, 'BAD_MESSAGE', 'neurons.x');
    rejects({ type: 'subscribe', neurons: { x: [1, -1] } }, 'BAD_MESSAGE', 'neurons.x');
    rejects({ type: 'subscribe', neurons: new Map() }, 'BAD_MESSAGE', 'neurons');
  });

  it('checks control fields per action, and reports a bad action as such', () => {
    expect(rejects({ type: 'control', action: 'jump', height: 3 }, 'BAD_MESSAGE', 'action').message).toMatch(/expected one of 'start', 'pause'.*got "jump"/);
    rejects({ type: 'control', action: 'speed' }, 'BAD_MESSAGE', 'timeScale');
    rejects({ type: 'control', action: 'speed', timeScale: 0 }, 'BAD_MESSAGE', 'timeScale');
    rejects({ type: 'control', action: 'speed', timeScale: Infinity }, 'BAD_MESSAGE', 'timeScale');
    rejects({ type: 'control', action: 'speed', timeScale: NaN }, 'BAD_MESSAGE', 'timeScale');
    rejects({ type: 'control', action: 'pause', timeScale: 1 }, 'BAD_MESSAGE', 'timeScale');
    rejects({ type: 'control', action: 'stimulus', module: 'a', input: 'a.in0', rateHz: -1 }, 'BAD_MESSAGE', 'rateHz');
    rejects({ type: 'control', action: 'start', backend: 'loihi' }, 'BAD_MESSAGE', 'backend');
    rejects({ type: 'control', action: 'cue', pool: -1 }, 'BAD_MESSAGE', 'pool');
    rejects({ type: 'control', action: 'reset', id: -3 }, 'BAD_MESSAGE', 'id');
  });

  it('checks camera frames: sizes, format and data length', () => {
    rejects({ type: 'camera', seq: 0, width: 641, height: 1, format: 'grey', data: new Uint8Array(641) }, 'BAD_MESSAGE', 'width');
    rejects({ type: 'camera', seq: 0, width: 2, height: 2, format: 'bgr', data: new Uint8Array(4) }, 'BAD_MESSAGE', 'format');
    rejects({ type: 'camera', seq: 0, width: 2, height: 2, format: 'grey', data: new Int8Array(4) }, 'BAD_MESSAGE', 'data');
    expect(rejects({ type: 'camera', seq: 0, width: 2, height: 2, format: 'rgba', data: new Uint8Array(4) }, 'BAD_MESSAGE', 'data').message).toBe('camera.data: rgba 2×2 needs 16 bytes, got 4');
  });

  it('a schema exists for every client type', () => {
    expect(Object.keys(CLIENT_SCHEMAS).sort()).toEqual(['camera', 'control', 'hello', 'ping', 'subscribe']);
  });
});

describe('server messages', () => {
  it('accepts a sample of every type', () => {
    const samples = sampleServerMessages();
    expect(new Set(samples.map((m) => m.type))).toEqual(new Set(Object.keys(SERVER_SCHEMAS)));
    for (const m of samples) expect(parseServerMessage(m)).toBe(m);
  });

  it('checks that spike counts, indices and offsets agree', () => {
    const base = { type: 'spikes', tick: 5, span: 1, populations: new Uint16Array([0, 2]), counts: new Uint32Array([1, 2]), indices: new Int32Array([4, 1, 3]), dropped: 0 };
    expect(parseServerMessage(base)).toBe(base);
    const bad = (m: object, path: string): void => {
      expect(() => parseServerMessage({ ...base, ...m })).toThrow(expect.objectContaining({ code: 'BAD_MESSAGE', path }) as Error);
    };
    bad({ indices: new Int32Array([4, 1]) }, 'indices');
    bad({ counts: new Uint32Array([3]) }, 'counts');
    bad({ span: 2 }, 'offsets');
    bad({ offsets: new Uint16Array([0, 0, 0]) }, 'offsets');
    expect(parseServerMessage({ ...base, span: 2, offsets: new Uint16Array([0, 1, 1]) })).toBeTruthy();
  });

  it('status figures may be NaN before the first tick; other numbers must be finite', () => {
    const status = sampleServerMessages().find((m) => m.type === 'status')! as ServerMessage & { realTimeFactor: number };
    expect(() => parseServerMessage({ ...status, realTimeFactor: NaN })).not.toThrow();
    expect(() => parseServerMessage({ ...status, lagMs: NaN })).toThrow(/lagMs/);
  });

  it('error codes are the documented ones', () => {
    expect(ERROR_CODES).toEqual(['DECODE_FAILED', 'TEXT_FRAME', 'BAD_MESSAGE', 'UNKNOWN_TYPE', 'PROTOCOL_VERSION', 'NOT_READY', 'BAD_STATE', 'UNKNOWN_TARGET', 'UNSUPPORTED', 'MODULE_FAILED', 'INTERNAL']);
  });
});
