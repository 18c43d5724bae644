import type { ModelInfo } from '../server/protocol.ts';

/**
 * The messages between the static page's threads (runtime/web): the page and the simulation
 * worker exchange live-protocol frames (PROTOCOL.md, MessagePack bytes as on the WebSocket) plus a
 * few of their own; the simulation worker asks the vision worker for ViT probabilities over a
 * MessagePort.
 */

/** What the page asks of a fresh simulation worker: host the live run, or run one spike-hash check. */
export type SimInit =
  | { kind: 'live'; vision: MessagePort; seed?: number; backend?: string }
  | { kind: 'hash'; requests: SpikeHashRequest[] };

export interface SpikeHashRequest {
  backend: 'conductance' | 'truenorth';
  /** Conductance kernels (adapters/conductance/engine.ts CompileOptions.kernel). */
  kernel?: 'wasm' | 'fused' | 'reference';
  seed: number;
  ticks: number;
}

export interface SpikeHashResult {
  hash: string;
  spikes: number;
  ticks: number;
}

export type PageToSim =
  | SimInit
  /** One client frame of the protocol. */
  | { kind: 'frame'; data: Uint8Array }
  /** The page has taken `bytes` more bytes of server frames (the worker's bufferedAmount). */
  | { kind: 'ack'; bytes: number };

export type SimToPage =
  /** The worker's module has been evaluated (binaryen's top-level await included): it takes messages now. */
  | { kind: 'loaded' }
  | { kind: 'ready' }
  | { kind: 'frame'; data: Uint8Array }
  | { kind: 'hash'; results: SpikeHashResult[] }
  | { kind: 'fatal'; message: string };

export type SimToVision = { kind: 'classify'; id: number; image: Float32Array };

export type VisionToSim =
  | { kind: 'info'; info: ModelInfo }
  | { kind: 'result'; id: number; probabilities: Float32Array | null; error?: string };
