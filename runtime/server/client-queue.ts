import type { CameraResult, RatesMessage, ServerMessage, StatusMessage } from './protocol.ts';
import type { SharedSpikeFrame } from './subscription.ts';

/**
 * One client's outbound queue (PROTOCOL.md §4). The simulation pushes and never waits; the queue
 * writes to the socket only while the socket's unsent bytes are below `highWaterBytes`, and the
 * socket's write callbacks pull more. Lanes, in the order they are served:
 *
 *   reliable  FIFO of at most `reliable` messages, never dropped; overflow → onOverflow (close 4008)
 *   latest    one slot each for status, rates and camera results: newest wins, replaced ones counted
 *   spikes    ring of at most `spikeFrames` frames and `spikeBytes` bytes: drop-oldest, counted
 *
 * Messages are encoded when sent, not when queued: a dropped frame costs no encoding, and a
 * spike frame carries the drop count as of its sending.
 */
export interface Sink {
  /** Bytes accepted by send() but not yet written to the network. */
  readonly bufferedAmount: number;
  send(data: Uint8Array, done: (error?: Error) => void): void;
}

export interface QueueLimits {
  spikeFrames: number;
  spikeBytes: number;
  reliable: number;
  highWaterBytes: number;
}

export const QUEUE_DEFAULTS: QueueLimits = {
  spikeFrames: 512,
  spikeBytes: 8 << 20,
  reliable: 1024,
  highWaterBytes: 1 << 20,
};

export interface QueueStats {
  droppedSpikes: number;
  superseded: number;
  frames: number;
  /** Spike bytes queued here. */
  bytes: number;
  /** Bytes handed to the socket and not yet written to the network. */
  socketBytes: number;
  sentMessages: number;
  sentBytes: number;
}

type LatestSlot = 'status' | 'rates' | 'camera';
type LatestMessage = StatusMessage | RatesMessage | CameraResult;

/** Approximate bytes a spike frame will take on the wire (typed arrays plus a little framing). */
export function spikeFrameBytes(f: SharedSpikeFrame): number {
  return 64 + f.populations.byteLength + f.counts.byteLength + f.indices.byteLength + (f.offsets?.byteLength ?? 0);
}

export class OutboundQueue {
  private readonly sink: Sink;
  private readonly limits: QueueLimits;
  private readonly encode: (m: ServerMessage) => Uint8Array;
  private readonly onOverflow: () => void;
  private readonly reliable: ServerMessage[] = [];
  private readonly latest: Record<LatestSlot, LatestMessage | null> = { status: null, rates: null, camera: null };
  /** Ring of spike frames: `spikeHead` is the oldest, `spikeCount` are queued. */
  private readonly spikes: (SharedSpikeFrame | null)[];
  private spikeHead = 0;
  private spikeCount = 0;
  private spikeBytes = 0;
  private droppedSpikes = 0;
  private superseded = 0;
  private sentMessages = 0;
  private sentBytes = 0;
  private closed = false;
  private readonly afterSend = (error?: Error): void => {
    if (error) this.close();
    else this.pump();
  };

  constructor(sink: Sink, options: { limits?: Partial<QueueLimits>; encode: (m: ServerMessage) => Uint8Array; onOverflow: () => void }) {
    this.sink = sink;
    this.limits = { ...QUEUE_DEFAULTS, ...options.limits };
    this.encode = options.encode;
    this.onOverflow = options.onOverflow;
    this.spikes = new Array<SharedSpikeFrame | null>(this.limits.spikeFrames).fill(null);
  }

  get stats(): QueueStats {
    return {
      droppedSpikes: this.droppedSpikes,
      superseded: this.superseded,
      frames: this.reliable.length + this.spikeCount + (this.latest.status ? 1 : 0) + (this.latest.rates ? 1 : 0) + (this.latest.camera ? 1 : 0),
      bytes: this.spikeBytes,
      socketBytes: this.sink.bufferedAmount,
      sentMessages: this.sentMessages,
      sentBytes: this.sentBytes,
    };
  }

  pushReliable(m: ServerMessage): void {
    if (this.closed) return;
    if (this.reliable.length >= this.limits.reliable) {
      // Reliable messages cannot be dropped, so a client that lets them pile up is let go.
      this.close();
      this.onOverflow();
      return;
    }
    this.reliable.push(m);
    this.pump();
  }

  pushLatest(slot: LatestSlot, m: LatestMessage): void {
    if (this.closed) return;
    if (this.latest[slot]) this.superseded++;
    this.latest[slot] = m;
    this.pump();
  }

  pushSpikes(f: SharedSpikeFrame): void {
    if (this.closed) return;
    const bytes = spikeFrameBytes(f);
    const cap = this.spikes.length;
    // Drop the oldest until the new frame fits both bounds.
    while (this.spikeCount > 0 && (this.spikeCount >= cap || this.spikeBytes + bytes > this.limits.spikeBytes)) this.dropOldest();
    if (bytes > this.limits.spikeBytes) {
      this.droppedSpikes++;
      return;
    }
    this.spikes[(this.spikeHead + this.spikeCount) % cap] = f;
    this.spikeCount++;
    this.spikeBytes += bytes;
    this.pump();
  }

  /** Write while the socket has room. */
  pump(): void {
    while (!this.closed && this.sink.bufferedAmount < this.limits.highWaterBytes) {
      const m = this.next();
      if (!m) return;
      const data = this.encode(m);
      this.sentMessages++;
      this.sentBytes += data.length;
      this.sink.send(data, this.afterSend);
    }
  }

  /** Forget everything queued; later pushes are ignored. */
  close(): void {
    this.closed = true;
    this.reliable.length = 0;
    this.latest.status = this.latest.rates = this.latest.camera = null;
    this.spikes.fill(null);
    this.spikeCount = 0;
    this.spikeBytes = 0;
  }

  private next(): ServerMessage | undefined {
    const r = this.reliable.shift();
    if (r) return r;
    for (const slot of ['status', 'rates', 'camera'] as const) {
      const m = this.latest[slot];
      if (m) {
        this.latest[slot] = null;
        return m;
      }
    }
    if (this.spikeCount === 0) return undefined;
    return { ...this.shiftSpike(), dropped: this.droppedSpikes };
  }

  private dropOldest(): void {
    this.shiftSpike();
    this.droppedSpikes++;
  }

  /** Take the oldest spike frame off the ring (there is one). */
  private shiftSpike(): SharedSpikeFrame {
    const f = this.spikes[this.spikeHead]!;
    this.spikes[this.spikeHead] = null;
    this.spikeHead = (this.spikeHead + 1) % this.spikes.length;
    this.spikeCount--;
    this.spikeBytes -= spikeFrameBytes(f);
    return f;
  }
}
