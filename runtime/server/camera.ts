import type { ImageFilter } from './camera-filter.ts';
import type { CameraFrame, CameraResult } from './protocol.ts';
import type { Classifier } from './vit-classifier.ts';

/**
 * The camera path (PROTOCOL.md §5.5): frame → centre square → grey → side × side (area average)
 * → digit polarity → filter → ViT, plus the pool drive (mean of K vertical strips × maxRateHz).
 * Frames are processed one at a time for all clients; each client has a one-frame slot in which a
 * newer frame replaces an older one (newest wins, counted), and clients take turns.
 */

/** Centre square of a grey or RGBA frame, area-averaged to side × side grey values in [0, 1]. */
export function toGreySquare(frame: Pick<CameraFrame, 'width' | 'height' | 'format' | 'data'>, side: number, out = new Float32Array(side * side)): Float32Array {
  const { width, height, data } = frame;
  const ch = frame.format === 'rgba' ? 4 : 1;
  const sq = Math.min(width, height);
  const x0 = Math.floor((width - sq) / 2);
  const y0 = Math.floor((height - sq) / 2);
  const weight = new Float32Array(side * side);
  out.fill(0);
  // Each source pixel falls into one output bin (sq ≥ side) or spreads over several (sq < side: nearest).
  if (sq >= side) {
    for (let y = 0; y < sq; y++) {
      const by = Math.min(side - 1, Math.floor((y * side) / sq));
      const row = (y0 + y) * width;
      for (let x = 0; x < sq; x++) {
        const bx = Math.min(side - 1, Math.floor((x * side) / sq));
        const i = (row + x0 + x) * ch;
        // Rec. 601 luma for RGBA (alpha ignored).
        const v = ch === 1 ? data[i]! : 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
        out[by * side + bx]! += v;
        weight[by * side + bx]!++;
      }
    }
    for (let k = 0; k < out.length; k++) out[k] = out[k]! / (255 * Math.max(1, weight[k]!));
  } else {
    for (let by = 0; by < side; by++) {
      const y = y0 + Math.floor((by * sq) / side);
      for (let bx = 0; bx < side; bx++) {
        const i = (y * width + x0 + Math.floor((bx * sq) / side)) * ch;
        out[by * side + bx] = (ch === 1 ? data[i]! : 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!) / 255;
      }
    }
  }
  return out;
}

/**
 * Make the image look like MNIST: bright strokes on a dark ground. A frame whose mean is above 0.5
 * (a dark digit on paper) is inverted; then the range is stretched to [0, 1] unless it is flat
 * (< 0.05), which would only amplify sensor noise.
 */
export function digitPolarity(img: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < img.length; i++) sum += img[i]!;
  if (sum / img.length > 0.5) for (let i = 0; i < img.length; i++) img[i] = 1 - img[i]!;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < img.length; i++) {
    lo = Math.min(lo, img[i]!);
    hi = Math.max(hi, img[i]!);
  }
  if (hi - lo >= 0.05) for (let i = 0; i < img.length; i++) img[i] = (img[i]! - lo) / (hi - lo);
  return img;
}

/** Mean of K vertical strips of a side × side image, × maxRateHz: the camera part of each pool's input. */
export function stripRates(img: Float32Array, side: number, pools: number, maxRateHz: number): Float32Array {
  const out = new Float32Array(pools);
  const count = new Float32Array(pools);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const k = Math.min(pools - 1, Math.floor((x * pools) / side));
      out[k]! += img[y * side + x]!;
      count[k]!++;
    }
  }
  for (let k = 0; k < pools; k++) out[k] = (maxRateHz * out[k]!) / Math.max(1, count[k]!);
  return out;
}

const toBytes = (img: Float32Array): Uint8Array => {
  const b = new Uint8Array(img.length);
  for (let i = 0; i < img.length; i++) b[i] = Math.round(Math.min(1, Math.max(0, img[i]!)) * 255);
  return b;
};

export interface CameraPipelineOptions {
  filter: ImageFilter;
  classifier: Classifier;
  /** Side of the square the filter and the ViT see (28: the digit ViT's input). */
  side: number;
  pools: number;
  maxRateHz: number;
  now?: () => number;
  /**
   * Largest share of the server's thread the camera path may take (default 0.25): after a frame
   * that took d ms the next waits d·(1/share − 1) ms. The ViT runs on the simulation's thread, so
   * without this cap a client streaming frames would slow the simulation down.
   */
  maxShare?: number;
}

/** One frame through the path; the result lacks only the per-client `dropped` counter. */
export async function processFrame(frame: CameraFrame, o: CameraPipelineOptions, receivedAt: number): Promise<Omit<CameraResult, 'dropped'>> {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const input = digitPolarity(toGreySquare(frame, o.side));
  const t1 = now();
  const filtered = new Float32Array(input.length);
  o.filter.apply(input, o.side, o.side, filtered);
  const t2 = now();
  const probabilities = await o.classifier.classify(input);
  const t3 = now();
  let prediction: number | null = null;
  if (probabilities) {
    prediction = 0;
    for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[prediction]!) prediction = k;
  }
  return {
    type: 'camera',
    seq: frame.seq,
    ...(frame.t === undefined ? {} : { t: frame.t }),
    width: o.side,
    height: o.side,
    input: toBytes(input),
    filtered: toBytes(filtered),
    filter: o.filter.name,
    model: o.classifier.info,
    probabilities,
    prediction,
    poolRatesHz: stripRates(input, o.side, o.pools, o.maxRateHz),
    latencyMs: { resize: t1 - t0, filter: t2 - t1, vit: t3 - t2, total: now() - receivedAt },
  };
}

interface Slot {
  frame: CameraFrame;
  receivedAt: number;
  deliver: (r: Omit<CameraResult, 'dropped'>) => void;
  fail: (e: unknown) => void;
}

/**
 * Newest-wins camera processing shared by all clients: one frame in work at a time, one waiting
 * frame per client, clients served in turn. A client whose waiting frame is replaced gets the
 * replacement counted (onReplaced).
 */
export class CameraScheduler {
  private readonly o: CameraPipelineOptions;
  private readonly waiting = new Map<string, Slot>();
  private busy = false;
  private closed = false;

  constructor(options: CameraPipelineOptions) {
    this.o = options;
  }

  /** Queue a frame of `client`; returns true when it replaced a waiting one. */
  submit(client: string, frame: CameraFrame, deliver: Slot['deliver'], fail: Slot['fail']): boolean {
    if (this.closed) return false;
    const replaced = this.waiting.has(client);
    // Delete first so the client moves to the back of the turn order (Map keeps insertion order).
    this.waiting.delete(client);
    this.waiting.set(client, { frame, receivedAt: (this.o.now ?? (() => performance.now()))(), deliver, fail });
    if (!this.busy) void this.drain();
    return replaced;
  }

  /** Forget a client's waiting frame (it disconnected). */
  forget(client: string): void {
    this.waiting.delete(client);
  }

  close(): void {
    this.closed = true;
    this.waiting.clear();
  }

  private async drain(): Promise<void> {
    const now = this.o.now ?? (() => performance.now());
    this.busy = true;
    try {
      while (!this.closed) {
        const first = this.waiting.entries().next();
        if (first.done) break;
        const [client, slot] = first.value;
        this.waiting.delete(client);
        const start = now();
        try {
          slot.deliver(await processFrame(slot.frame, this.o, slot.receivedAt));
        } catch (e) {
          slot.fail(e);
        }
        const share = this.o.maxShare ?? 0.25;
        const rest = (now() - start) * (1 / share - 1);
        // Frames arriving meanwhile wait in their slots (newest wins), so the cap drops, never queues.
        if (rest >= 1) await new Promise((r) => setTimeout(r, rest));
      }
    } finally {
      this.busy = false;
    }
  }
}
