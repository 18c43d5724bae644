import type { TickSpikes } from './live-spikes.ts';
import { ProtocolError, STREAMS, type ModuleInfo, type PopulationInfo, type SpikesMessage, type Stream, type Subscribe } from './protocol.ts';

/** A subscribe message checked against the network (PROTOCOL.md §3.1). */
export interface ResolvedSubscription {
  streams: ReadonlySet<Stream>;
  /** Subscribed population indices, ascending. */
  populations: Uint16Array;
  /** Per subscribed population (parallel to `populations`): a keep-mask over its neurons, or null for all. */
  masks: readonly (Uint8Array | null)[];
  /** Neurons kept per subscribed population. */
  neurons: Uint32Array;
  decimation: number;
  /**
   * Equal keys mean equal spike frames, so clients with the same subscription share one frame
   * builder; a subscription with explicit neuron lists gets a key of its own.
   */
  key: string;
}

/** Throws ProtocolError UNKNOWN_TARGET (unknown module/population) or BAD_MESSAGE (subset index out of range). */
export function resolveSubscription(msg: Subscribe, populations: readonly PopulationInfo[], modules: readonly ModuleInfo[], uniqueKey: string): ResolvedSubscription {
  const byKey = new Map(populations.map((p) => [p.key, p]));
  let chosen: PopulationInfo[];
  if (msg.populations !== undefined) {
    chosen = msg.populations.map((k, i) => {
      const p = byKey.get(k);
      if (!p) throw new ProtocolError('UNKNOWN_TARGET', `unknown population '${k}'; population keys look like '${populations[0]?.key ?? 'module/population'}' (welcome.populations)`, { path: `populations[${i}]` });
      return p;
    });
  } else if (msg.modules !== undefined) {
    const ids = new Set(modules.map((m) => m.id));
    msg.modules.forEach((m, i) => {
      if (!ids.has(m)) throw new ProtocolError('UNKNOWN_TARGET', `unknown module '${m}'; modules: ${[...ids].join(', ')}`, { path: `modules[${i}]` });
    });
    const wanted = new Set(msg.modules);
    chosen = populations.filter((p) => wanted.has(p.module));
  } else chosen = [...populations];
  chosen = [...new Set(chosen)].sort((a, b) => a.index - b.index);

  const explicit = msg.neurons ?? {};
  for (const k of Object.keys(explicit)) {
    if (!byKey.has(k)) throw new ProtocolError('UNKNOWN_TARGET', `neurons: unknown population '${k}'`, { path: `neurons.${k}` });
    if (!chosen.includes(byKey.get(k)!)) throw new ProtocolError('BAD_MESSAGE', `neurons: population '${k}' is not among the subscribed populations`, { path: `neurons.${k}` });
  }
  const masks: (Uint8Array | null)[] = [];
  const kept: number[] = [];
  for (const p of chosen) {
    let mask: Uint8Array | null = null;
    const list = explicit[p.key];
    if (list !== undefined) {
      mask = new Uint8Array(p.size);
      for (let i = 0; i < list.length; i++) {
        const n = list[i]!;
        if (!(Number.isInteger(n) && n >= 0 && n < p.size)) throw new ProtocolError('BAD_MESSAGE', `neurons.${p.key}[${i}]: index ${n} is outside [0, ${p.size})`, { path: `neurons.${p.key}` });
        mask[n] = 1;
      }
    }
    if (msg.maxNeurons !== undefined && msg.maxNeurons < p.size) {
      const stride = Math.ceil(p.size / msg.maxNeurons);
      const m = mask ?? new Uint8Array(p.size).fill(1);
      for (let i = 0; i < p.size; i++) if (i % stride !== 0) m[i] = 0;
      mask = m;
    }
    masks.push(mask);
    kept.push(mask ? mask.reduce((a, b) => a + b, 0) : p.size);
  }
  const streams = new Set<Stream>(msg.streams ?? STREAMS);
  const decimation = msg.decimation ?? 1;
  const pops = Uint16Array.from(chosen.map((p) => p.index));
  const key = msg.neurons !== undefined ? `unique:${uniqueKey}` : `${Array.from(pops).join(',')}|${decimation}|${msg.maxNeurons ?? 0}`;
  return { streams, populations: pops, masks, neurons: Uint32Array.from(kept), decimation, key };
}

/** A spike frame without its per-client `dropped` counter, shared by the clients of one builder. */
export type SharedSpikeFrame = Omit<SpikesMessage, 'dropped'>;

/**
 * Turns ticks into spike frames for one subscription: keeps the subscribed populations and
 * neurons, concatenates `decimation` ticks (with per-spike tick offsets when > 1) and emits a
 * frame with its own arrays, which the queues of several clients may hold at once.
 */
export class FrameBuilder {
  readonly sub: ResolvedSubscription;
  private readonly counts: Uint32Array;
  /** Per subscribed population, spikes gathered so far (collected per population, then concatenated). */
  private readonly perPop: Int32Array[];
  private readonly perPopOffsets: Uint16Array[];
  private firstTick = -1;
  private ticks = 0;

  constructor(sub: ResolvedSubscription) {
    this.sub = sub;
    this.counts = new Uint32Array(sub.populations.length);
    this.perPop = Array.from(sub.populations, () => new Int32Array(64));
    this.perPopOffsets = Array.from(sub.populations, () => new Uint16Array(64));
  }

  /** Add one tick; returns a finished frame every `decimation` ticks, else null. */
  add(t: TickSpikes): SharedSpikeFrame | null {
    const sub = this.sub;
    if (this.ticks === 0) this.firstTick = t.tick;
    const offset = this.ticks;
    for (let j = 0; j < sub.populations.length; j++) {
      const g = sub.populations[j]!;
      const c = t.counts[g]!;
      if (c === 0) continue;
      const src = t.indices[g]!;
      const mask = sub.masks[j] ?? null;
      let n = this.counts[j]!;
      let dst = this.perPop[j]!;
      let off = this.perPopOffsets[j]!;
      if (n + c > dst.length) {
        const grown = new Int32Array(Math.max(n + c, 2 * dst.length));
        grown.set(dst.subarray(0, n));
        this.perPop[j] = dst = grown;
        const grownOff = new Uint16Array(grown.length);
        grownOff.set(off.subarray(0, n));
        this.perPopOffsets[j] = off = grownOff;
      }
      for (let i = 0; i < c; i++) {
        const neuron = src[i]!;
        if (mask !== null && mask[neuron] === 0) continue;
        dst[n] = neuron;
        off[n] = offset;
        n++;
      }
      this.counts[j] = n;
    }
    this.ticks++;
    return this.ticks >= sub.decimation ? this.finish() : null;
  }

  private finish(): SharedSpikeFrame {
    const sub = this.sub;
    let total = 0;
    let nonEmpty = 0;
    for (let j = 0; j < this.counts.length; j++) {
      total += this.counts[j]!;
      if (this.counts[j]! > 0) nonEmpty++;
    }
    // Fresh arrays per frame: the frame is queued (maybe for several clients) while the next one builds.
    const populations = new Uint16Array(nonEmpty);
    const counts = new Uint32Array(nonEmpty);
    const indices = new Int32Array(total);
    const offsets = sub.decimation > 1 ? new Uint16Array(total) : null;
    let e = 0;
    let at = 0;
    for (let j = 0; j < this.counts.length; j++) {
      const n = this.counts[j]!;
      if (n === 0) continue;
      populations[e] = sub.populations[j]!;
      counts[e] = n;
      e++;
      indices.set(this.perPop[j]!.subarray(0, n), at);
      if (offsets) offsets.set(this.perPopOffsets[j]!.subarray(0, n), at);
      at += n;
      this.counts[j] = 0;
    }
    const frame: SharedSpikeFrame = { type: 'spikes', tick: this.firstTick, span: this.ticks, populations, counts, indices };
    if (offsets) frame.offsets = offsets;
    this.ticks = 0;
    return frame;
  }
}
