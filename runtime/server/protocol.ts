// The wire's backends are the live ones (a batch backend cannot drive a live run).
import { LIVE_BACKENDS as BACKENDS, type LiveBackend as Backend } from '../../adapters/backends.ts';

export { BACKENDS, type Backend };
/**
 * The live wire protocol, version 1 (PROTOCOL.md is the full description; this file is its
 * executable form). Every frame is one MessagePack map with a string `type`; typed arrays travel
 * as typed arrays (MessagePack ext 0x74). Each message type has a TypeScript interface and a
 * schema; parseClientMessage / parseServerMessage check a decoded value against it and throw a
 * ProtocolError with a stable code, which the server sends back as an 'error' message.
 *
 * No Node import: the viewer bundles this file.
 */
import {
  arr, bool, checkFields, describeValue, int, isPlainObject, lit, nullable, num, obj, opt, rec, SchemaError, str, typed,
  type Field, type Fields,
} from './schema.ts';

export const PROTOCOL_VERSION = 1;
/** Path of the WebSocket endpoint on the server. */
export const WS_PATH = '/ws';

/** Stable error codes (PROTOCOL.md §3.2, the error message). */
export const ERROR_CODES = [
  'DECODE_FAILED', 'TEXT_FRAME', 'BAD_MESSAGE', 'UNKNOWN_TYPE', 'PROTOCOL_VERSION', 'NOT_READY', 'BAD_STATE',
  'UNKNOWN_TARGET', 'UNSUPPORTED', 'MODULE_FAILED', 'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A message broke the protocol; `code` is stable and `path` names the offending field. */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly path: string | undefined;
  /** The `id` of the offending client message, when it had one. */
  readonly id: number | undefined;
  constructor(code: ErrorCode, message: string, options: { path?: string; id?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProtocolError';
    this.code = code;
    this.path = options.path;
    this.id = options.id;
  }
}

export const STREAMS = ['spikes', 'rates', 'status', 'state', 'camera'] as const;
export type Stream = (typeof STREAMS)[number];
export const CAMERA_FORMATS = ['grey', 'rgba'] as const;
export type CameraFormat = (typeof CAMERA_FORMATS)[number];

/** Largest camera frame the server accepts, pixels. */
export const CAMERA_MAX_WIDTH = 640;
export const CAMERA_MAX_HEIGHT = 480;
/** Largest decimation (ticks per spike frame). */
export const MAX_DECIMATION = 1000;

// ---------------------------------------------------------------- client → server

export interface Hello {
  type: 'hello';
  protocol: number;
  /** Free text naming the client, for logs. */
  client?: string;
}

export interface Subscribe {
  type: 'subscribe';
  id?: number;
  /** Default: every stream. An empty list unsubscribes from everything. */
  streams?: Stream[];
  /** Population keys 'module/population'; default: every population of `modules`, or all. */
  populations?: string[];
  modules?: string[];
  /** Explicit neuron subsets per population key (population-local indices). */
  neurons?: Record<string, Int32Array | number[]>;
  /** Keep at most this many neurons per population, evenly spaced (every ⌈size/maxNeurons⌉-th). */
  maxNeurons?: number;
  /** Ticks per spike frame (1 = one frame per tick). */
  decimation?: number;
}

export type ControlAction =
  | { action: 'start'; backend?: Backend; seed?: number }
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'stop' }
  | { action: 'speed'; timeScale: number }
  | { action: 'stimulus'; module: string; input: string; rateHz: number }
  | { action: 'cue'; pool: number; durationMs?: number; rateHz?: number }
  | { action: 'reset' };

export type Control = { type: 'control'; id?: number } & ControlAction;

export interface CameraFrame {
  type: 'camera';
  seq: number;
  width: number;
  height: number;
  format: CameraFormat;
  /** Row-major pixels: width·height bytes (grey) or width·height·4 (RGBA). */
  data: Uint8Array;
  /** Client clock (ms), echoed in the result for round-trip latency. */
  t?: number;
  /** Let this frame drive the pool inputs (default true). */
  drive?: boolean;
}

export interface Ping {
  type: 'ping';
  id?: number;
  t?: number;
}

export type ClientMessage = Hello | Subscribe | Control | CameraFrame | Ping;

// ---------------------------------------------------------------- server → client

export interface PopulationInfo {
  /** Position in Welcome.populations: what spike and rate frames carry. */
  index: number;
  /** 'module/population', what subscribe names. */
  key: string;
  module: string;
  id: string;
  size: number;
  cell: string;
  /** The pool index for the competing pyramidal pools of an sWTA module, else -1. */
  pool: number;
}

export interface InputInfo {
  /** A Poisson source of the module: what control 'stimulus' names. */
  id: string;
  role: 'pool' | 'vip' | 'lamp5' | 'reset' | 'background' | 'other';
  /** Pool index for role 'pool', else -1. */
  pool: number;
  rateHz: number;
}

export interface ModuleInfo {
  id: string;
  populations: string[];
  inputs: InputInfo[];
}

export interface LinkInfo {
  id: string;
  from: string;
  to: string;
  rule: string;
}

export interface MachineSpec {
  states: string[];
  initial: string;
  transitions: { from: string; to: string; input: string }[];
  /** True when the state comes from a stand-in observer rather than the working-memory machine (PROTOCOL.md §5.4). */
  provisional: boolean;
  description: string;
}

export type ModelInfo =
  | { available: true; name: string; classes: string[]; preprocess: string }
  | { available: false; reason: string };

export interface Welcome {
  type: 'welcome';
  protocol: number;
  server: string;
  session: string;
  backend: Backend;
  backends: { id: string; available: boolean; reason: string }[];
  seed: number;
  tickMs: number;
  modules: ModuleInfo[];
  links: LinkInfo[];
  populations: PopulationInfo[];
  machine: MachineSpec;
  cues: { pools: number; durationMs: number; rateHz: number };
  streams: { ratesEveryTicks: number; rateWindowMs: number; statusEveryTicks: number };
  limits: { maxPayloadBytes: number; spikeQueueFrames: number; maxDecimation: number; cameraMaxWidth: number; cameraMaxHeight: number };
  camera: { model: ModelInfo; filter: string; inputWidth: number; inputHeight: number; drivesModule: string; maxRateHz: number };
}

export interface Subscribed {
  type: 'subscribed';
  id?: number;
  streams: Stream[];
  populations: Uint16Array;
  decimation: number;
  /** Neurons kept per subscribed population (after subsets). */
  neurons: Uint32Array;
}

export interface SpikesMessage {
  type: 'spikes';
  /** First tick the frame covers; it covers ticks [tick, tick + span). */
  tick: number;
  span: number;
  /** Population indices (Welcome.populations), one entry per population with spikes. */
  populations: Uint16Array;
  /** Spikes per entry of `populations`. */
  counts: Uint32Array;
  /** Population-local neuron indices, concatenated in `populations` order. */
  indices: Int32Array;
  /** Only when span > 1: the tick offset (0 … span−1) of each spike in `indices`. */
  offsets?: Uint16Array;
  /** Spike frames dropped for this client so far (drop-oldest). */
  dropped: number;
}

export interface RatesMessage {
  type: 'rates';
  tick: number;
  windowMs: number;
  populations: Uint16Array;
  /** Mean rate per neuron (Hz) over the window, parallel to `populations`. */
  hz: Float32Array;
}

export interface StatusMessage {
  type: 'status';
  phase: 'idle' | 'running' | 'paused' | 'stopped' | 'failed';
  backend: Backend;
  tick: number;
  simulatedMs: number;
  wallMs: number;
  timeScale: number;
  realTimeFactor: number;
  recentRealTimeFactor: number;
  busyFactor: number;
  deadlineMisses: number;
  lagMs: number;
  maxLagMs: number;
  error?: string;
  /** This client's counters: frames dropped (spikes), superseded (rates, status, camera results), camera frames skipped. */
  drops: { spikes: number; superseded: number; camera: number };
  /** This client's queue right now: frames and bytes waiting. */
  queued: { frames: number; bytes: number };
}

export interface StateMessage {
  type: 'state';
  state: string;
  /** Simulated ms at which the state was entered (the rates first proposed it). */
  since: number;
  /** The change that led here: proposed at `atMs`, accepted (dwell met) at `detectedAtMs`; null initially. */
  transition: { from: string; to: string; atMs: number; detectedAtMs: number } | null;
  provisional: boolean;
}

export interface CameraResult {
  type: 'camera';
  seq: number;
  t?: number;
  width: number;
  height: number;
  /** The resized grey image the filter saw, and the filter's output, both width·height bytes. */
  input: Uint8Array;
  filtered: Uint8Array;
  filter: string;
  model: ModelInfo;
  /** Class probabilities (model available) or null; never invented. */
  probabilities: Float32Array | null;
  prediction: number | null;
  /** Input rate given to each pool of the driven module from this frame (Hz). */
  poolRatesHz: Float32Array;
  latencyMs: { resize: number; filter: number; vit: number; total: number };
  /** Camera frames of this client replaced by a newer one before processing (newest wins). */
  dropped: number;
}

export interface Ack {
  type: 'ack';
  id?: number;
  action: string;
}

export interface Pong {
  type: 'pong';
  id?: number;
  t?: number;
  serverTimeMs: number;
}

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  message: string;
  id?: number;
  path?: string;
}

export interface Bye {
  type: 'bye';
  reason: string;
}

export type ServerMessage =
  | Welcome | Subscribed | SpikesMessage | RatesMessage | StatusMessage | StateMessage | CameraResult | Ack | Pong | ErrorMessage | Bye;

// ---------------------------------------------------------------- schemas

const id = opt(int(0, 2 ** 32 - 1));
const key = str(200);
const neuronList: Field = { kind: 'either', of: [typed('Int32Array', 1 << 20), arr(int(0, 2 ** 31 - 1), 1 << 16)], describe: 'an Int32Array or an array of integers' };

export const CONTROL_FIELDS: Readonly<Record<ControlAction['action'], Fields>> = {
  start: { backend: opt(str(32, BACKENDS)), seed: opt(int(0, 2 ** 31 - 1)) },
  pause: {},
  resume: {},
  stop: {},
  speed: { timeScale: num(0.1, 100) },
  stimulus: { module: key, input: key, rateHz: num(0, 1000) },
  cue: { pool: int(0, 1023), durationMs: opt(num(1, 10_000)), rateHz: opt(num(0, 1000)) },
  reset: {},
};

export const CLIENT_SCHEMAS: Readonly<Record<ClientMessage['type'], Fields>> = {
  hello: { type: lit('hello'), protocol: int(0, 2 ** 31 - 1), client: opt(str(200)) },
  subscribe: {
    type: lit('subscribe'),
    id,
    streams: opt(arr(str(16, STREAMS), STREAMS.length)),
    populations: opt(arr(key, 4096)),
    modules: opt(arr(key, 256)),
    neurons: opt(rec(neuronList, 4096)),
    maxNeurons: opt(int(1, 2 ** 31 - 1)),
    decimation: opt(int(1, MAX_DECIMATION)),
  },
  // The control fields depend on `action`: see CONTROL_FIELDS.
  control: { type: lit('control'), id, action: str(32, Object.keys(CONTROL_FIELDS)) },
  camera: {
    type: lit('camera'),
    seq: int(0, 2 ** 53 - 1),
    width: int(1, CAMERA_MAX_WIDTH),
    height: int(1, CAMERA_MAX_HEIGHT),
    format: str(8, CAMERA_FORMATS),
    data: typed('Uint8Array', CAMERA_MAX_WIDTH * CAMERA_MAX_HEIGHT * 4),
    t: opt(num()),
    drive: opt(bool),
  },
  ping: { type: lit('ping'), id, t: opt(num()) },
};

const modelInfo: Field = {
  kind: 'either',
  describe: "{ available: true, name, classes, preprocess } or { available: false, reason }",
  of: [
    obj({ available: lit(true), name: str(), classes: arr(str(64)), preprocess: str(64) }),
    obj({ available: lit(false), reason: str(1000) }),
  ],
};
const u = int(0);
const f = num(undefined, undefined, true);

export const SERVER_SCHEMAS: Readonly<Record<ServerMessage['type'], Fields>> = {
  welcome: {
    type: lit('welcome'),
    protocol: int(0),
    server: str(),
    session: str(),
    backend: str(32, BACKENDS),
    backends: arr(obj({ id: str(32), available: bool, reason: str(1000) })),
    seed: int(),
    tickMs: num(0),
    modules: arr(obj({
      id: key,
      populations: arr(key, 4096),
      inputs: arr(obj({ id: key, role: str(16, ['pool', 'vip', 'lamp5', 'reset', 'background', 'other']), pool: int(-1), rateHz: num(0) }), 4096),
    }), 256),
    links: arr(obj({ id: key, from: key, to: key, rule: str(32) }), 4096),
    populations: arr(obj({ index: u, key, module: key, id: key, size: u, cell: str(32), pool: int(-1) }), 4096),
    machine: obj({
      states: arr(str(64), 64),
      initial: str(64),
      transitions: arr(obj({ from: str(64), to: str(64), input: str(64) }), 256),
      provisional: bool,
      description: str(1000),
    }),
    cues: obj({ pools: u, durationMs: num(0), rateHz: num(0) }),
    streams: obj({ ratesEveryTicks: u, rateWindowMs: num(0), statusEveryTicks: u }),
    limits: obj({ maxPayloadBytes: u, spikeQueueFrames: u, maxDecimation: u, cameraMaxWidth: u, cameraMaxHeight: u }),
    camera: obj({ model: modelInfo, filter: str(), inputWidth: u, inputHeight: u, drivesModule: key, maxRateHz: num(0) }),
  },
  subscribed: { type: lit('subscribed'), id, streams: arr(str(16, STREAMS)), populations: typed('Uint16Array'), decimation: int(1), neurons: typed('Uint32Array') },
  spikes: {
    type: lit('spikes'), tick: u, span: int(1), populations: typed('Uint16Array'), counts: typed('Uint32Array'), indices: typed('Int32Array'),
    offsets: opt(typed('Uint16Array')), dropped: u,
  },
  rates: { type: lit('rates'), tick: u, windowMs: num(0), populations: typed('Uint16Array'), hz: typed('Float32Array') },
  status: {
    type: lit('status'),
    phase: str(16, ['idle', 'running', 'paused', 'stopped', 'failed']),
    backend: str(32, BACKENDS),
    tick: u, simulatedMs: num(0), wallMs: num(0), timeScale: num(0),
    realTimeFactor: f, recentRealTimeFactor: f, busyFactor: f,
    deadlineMisses: u, lagMs: num(0), maxLagMs: num(0),
    error: opt(str(4000)),
    drops: obj({ spikes: u, superseded: u, camera: u }),
    queued: obj({ frames: u, bytes: u }),
  },
  state: { type: lit('state'), state: str(64), since: num(0), transition: nullable(obj({ from: str(64), to: str(64), atMs: num(0), detectedAtMs: num(0) })), provisional: bool },
  camera: {
    type: lit('camera'), seq: u, t: opt(num()), width: int(1), height: int(1),
    input: typed('Uint8Array'), filtered: typed('Uint8Array'), filter: str(),
    model: modelInfo,
    probabilities: nullable(typed('Float32Array')), prediction: nullable(int(0)),
    poolRatesHz: typed('Float32Array'),
    latencyMs: obj({ resize: num(0), filter: num(0), vit: num(0), total: num(0) }),
    dropped: u,
  },
  ack: { type: lit('ack'), id, action: str(32) },
  pong: { type: lit('pong'), id, t: opt(num()), serverTimeMs: num() },
  error: { type: lit('error'), code: str(32, ERROR_CODES), message: str(4000), id, path: opt(str(400)) },
  bye: { type: lit('bye'), reason: str(1000) },
};

// ---------------------------------------------------------------- parsing

/** The `id` of a message, if it has a usable one (for error replies to malformed messages). */
function idOf(v: Record<string, unknown>): number | undefined {
  const x = v.id;
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 2 ** 32 ? x : undefined;
}

function typeOf(value: unknown, known: readonly string[], direction: string): { type: string; message: Record<string, unknown> } {
  if (!isPlainObject(value)) throw new ProtocolError('BAD_MESSAGE', `a message must be a map with a string 'type', got ${describeValue(value)}`);
  const type = value.type;
  if (typeof type !== 'string') {
    throw new ProtocolError('BAD_MESSAGE', `a message must have a string 'type', got ${describeValue(type)}`, { path: 'type', ...optionalId(idOf(value)) });
  }
  if (!known.includes(type)) {
    throw new ProtocolError('UNKNOWN_TYPE', `unknown ${direction} message type ${describeValue(type)}; expected one of ${known.join(', ')}`, { path: 'type', ...optionalId(idOf(value)) });
  }
  return { type, message: value };
}

function optionalId(id: number | undefined): { id?: number } {
  return id === undefined ? {} : { id };
}

function schemaFailure(e: unknown, type: string, message: Record<string, unknown>): never {
  if (e instanceof SchemaError) {
    throw new ProtocolError('BAD_MESSAGE', `${type}.${e.message}`, { path: e.path, ...optionalId(idOf(message)), cause: e });
  }
  throw e;
}

/** Validates a decoded client message; throws ProtocolError (BAD_MESSAGE, UNKNOWN_TYPE). */
export function parseClientMessage(value: unknown): ClientMessage {
  const { type, message } = typeOf(value, Object.keys(CLIENT_SCHEMAS), 'client');
  try {
    if (type === 'control') {
      // The action decides the other fields: report a bad action as such, not as unknown fields.
      const action = message.action;
      if (typeof action !== 'string' || !Object.hasOwn(CONTROL_FIELDS, action)) {
        throw new SchemaError('action', `expected one of ${Object.keys(CONTROL_FIELDS).map((a) => `'${a}'`).join(', ')}, got ${describeValue(action)}`);
      }
      checkFields(message, { ...CLIENT_SCHEMAS.control, ...CONTROL_FIELDS[action as ControlAction['action']] });
    } else {
      checkFields(message, CLIENT_SCHEMAS[type as ClientMessage['type']]);
    }
  } catch (e) {
    schemaFailure(e, type, message);
  }
  if (type === 'camera') {
    const c = message as unknown as CameraFrame;
    const need = c.width * c.height * (c.format === 'rgba' ? 4 : 1);
    if (c.data.length !== need) {
      throw new ProtocolError('BAD_MESSAGE', `camera.data: ${c.format} ${c.width}×${c.height} needs ${need} bytes, got ${c.data.length}`, { path: 'data' });
    }
  }
  return message as unknown as ClientMessage;
}

/** Validates a decoded server message (for clients and tests); throws ProtocolError. */
export function parseServerMessage(value: unknown): ServerMessage {
  const { type, message } = typeOf(value, Object.keys(SERVER_SCHEMAS), 'server');
  try {
    checkFields(message, SERVER_SCHEMAS[type as ServerMessage['type']]);
  } catch (e) {
    schemaFailure(e, type, message);
  }
  if (type === 'spikes') {
    const s = message as unknown as SpikesMessage;
    let total = 0;
    for (let i = 0; i < s.counts.length; i++) total += s.counts[i]!;
    if (s.counts.length !== s.populations.length) throw new ProtocolError('BAD_MESSAGE', `spikes: ${s.counts.length} counts for ${s.populations.length} populations`, { path: 'counts' });
    if (total !== s.indices.length) throw new ProtocolError('BAD_MESSAGE', `spikes: counts add up to ${total}, indices hold ${s.indices.length}`, { path: 'indices' });
    if ((s.span > 1) !== (s.offsets !== undefined) || (s.offsets && s.offsets.length !== s.indices.length)) {
      throw new ProtocolError('BAD_MESSAGE', 'spikes: offsets must be present (one per index) exactly when span > 1', { path: 'offsets' });
    }
  }
  return message as unknown as ServerMessage;
}
