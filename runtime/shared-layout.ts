import type { NetworkPlan } from './plan.ts';

/**
 * Where everything lives in the one SharedArrayBuffer of the worker placement, in Int32 words.
 * Main and workers view the same buffer as one Int32Array; this layout is computed once by the
 * main thread and handed to every worker as plain data.
 *
 *   [control words]
 *   per cross-thread link, two slots (by parity of the producing tick): [tick, count, index × capacity]
 *   per module: [tick, count × populations], then per population: index × capacity
 *
 * Two slots per link are needed because a fast worker writes its frames of tick t while a slower
 * one may still be reading the frames of t − 1 (see workers.ts); the spike region is read by the
 * main thread only between ticks, so one copy is enough.
 */
export interface SharedLayout {
  words: number;
  /** Per link index: slot of parity 0 (parity 1 follows at +stride), or −1 when both ends share a thread. */
  linkSlots: number[];
  linkStride: number[];
  modules: ModuleRegion[];
}

export interface ModuleRegion {
  /** Word holding the tick of the frame. */
  tick: number;
  /** First of one count word per population. */
  counts: number;
  /** Per population: first index word, and how many indices fit. */
  indices: number[];
  capacities: number[];
}

/**
 * Int32 words per cache line (64 bytes). Each control word has a line of its own, and every link
 * slot and module region starts on a line: a word written by one thread (DONE by every worker,
 * a worker's frames) then never shares a line with words other threads poll or write, which would
 * move the line between cores at every write (false sharing).
 */
export const LINE_WORDS = 16;

/** Control words at the start of the buffer, one cache line each. */
export const CTRL = {
  /** Ticks released by the main thread: a worker that has run k ticks runs tick k once GO > k. */
  GO: 0,
  /** Workers that finished the released tick. */
  DONE: LINE_WORDS,
  /** Set by a worker whose module failed; the reason follows on its message port. */
  FAILED: 2 * LINE_WORDS,
  /** Set by the main thread to end the workers' loops. */
  STOP: 3 * LINE_WORDS,
  /** Commands posted on the workers' ports so far: a worker reads its port only when this moved. */
  COMMANDS: 4 * LINE_WORDS,
  WORDS: 5 * LINE_WORDS,
} as const;

const alignLine = (words: number): number => Math.ceil(words / LINE_WORDS) * LINE_WORDS;

/** Slot header words: the producing tick, then the count. */
export const SLOT_TICK = 0;
export const SLOT_COUNT = 1;
export const SLOT_HEADER = 2;

export function computeLayout(plan: NetworkPlan, workerOf: readonly number[]): SharedLayout {
  let at: number = CTRL.WORDS;
  const linkSlots: number[] = [];
  const linkStride: number[] = [];
  for (const l of plan.links) {
    if (workerOf[l.from] === workerOf[l.to]) {
      linkSlots.push(-1);
      linkStride.push(0);
      continue;
    }
    const stride = alignLine(SLOT_HEADER + l.capacity);
    linkSlots.push(at);
    linkStride.push(stride);
    at += 2 * stride;
  }
  const modules = plan.modules.map((m): ModuleRegion => {
    at = alignLine(at);
    const tick = at;
    const counts = at + 1;
    at += 1 + m.populations.length;
    const capacities = m.populationSizes.map((n) => n * plan.maxSpikesPerNeuronPerTick);
    const indices = capacities.map((c) => {
      const start = at;
      at += c;
      return start;
    });
    return { tick, counts, indices, capacities };
  });
  return { words: alignLine(at), linkSlots, linkStride, modules };
}
