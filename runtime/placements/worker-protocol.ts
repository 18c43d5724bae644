import type { MessagePort } from 'node:worker_threads';
import type { Network } from '../../src/graph/network.ts';
import type { AdapterRef } from '../adapter.ts';
import type { SharedLayout } from '../shared-layout.ts';
import type { ThreadPriority, ThreadPriorityResult } from '../thread-priority.ts';

/**
 * What the main thread and its workers say to each other, besides the shared buffer. Plain data
 * only: a worker rebuilds the plan and compiles its modules from the network and the seed.
 */
export interface WorkerInit {
  network: Network;
  seed: number;
  adapter: AdapterRef;
  maxSpikesPerNeuronPerTick: number;
  workers: number;
  workerIndex: number;
  /** Worker index of every module (plan order). */
  workerOf: number[];
  layout: SharedLayout;
  shared: SharedArrayBuffer;
  /** Poll this long for the next tick before sleeping (Placement 'workers', spinWaitMs). */
  spinWaitMs: number;
  /** Scheduling priority the worker asks for its own thread on boot (Placement 'workers'). */
  threadPriority: ThreadPriority;
  /** CPU the worker pins its thread to on boot (Placement 'workers', cpus), or null. */
  cpu: number | null;
  /**
   * Commands in, failure reports out. The worker blocks on the barrier and never runs its event
   * loop while running, so both sides read this port synchronously (receiveMessageOnPort).
   */
  port: MessagePort;
}

export type WorkerCommandBody =
  | { type: 'setRate'; module: string; stimulus: string; rateHz: number }
  | { type: 'inject'; module: string; source: string; indices: number[] }
  | { type: 'pause' }
  | { type: 'resume' };

/** Sent on the port before tick `atTick` is released; applied by the worker before running it. */
export type WorkerCommand = WorkerCommandBody & { atTick: number };

/** Sent on the port when a module of the worker failed (CTRL.FAILED is set as well). */
export interface WorkerFailure {
  type: 'failed';
  module: string;
  tick: number;
  reason: string;
}

/** Posted on parentPort once the worker's modules are compiled and wired. */
export interface WorkerReady {
  type: 'ready';
  /** What the worker's priority request achieved. */
  priority: ThreadPriorityResult;
}
