/** The typed arrays the WebAssembly kernels read and write. */
export type HotArray = Float64Array | Int32Array;

/** Alignment of every array in the memory: one f64x2 / v128. */
const ALIGN_BYTES = 16;
const PAGE_BYTES = 65536;

/**
 * Moves typed arrays into one fixed-size WebAssembly.Memory, once, at compile time: each array is
 * copied into the memory (16-byte aligned) and replaced, wherever the engine holds it, by the view
 * `moved(a)` of the same length and contents. The memory never grows, so the views stay valid and
 * the engine's JS code (inputs, probes, reset) works on them unchanged, with no copies per tick.
 */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  private readonly views = new Map<HotArray, HotArray>();

  constructor(arrays: Iterable<HotArray>) {
    const unique = [...new Set(arrays)];
    const offsets: number[] = [];
    // Start past address 0, so that no array sits at the null address.
    let at = ALIGN_BYTES;
    for (const a of unique) {
      offsets.push(at);
      at += Math.ceil(a.byteLength / ALIGN_BYTES) * ALIGN_BYTES;
    }
    const pages = Math.max(1, Math.ceil(at / PAGE_BYTES));
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    unique.forEach((a, i) => {
      const view = a instanceof Float64Array ? new Float64Array(this.memory.buffer, offsets[i], a.length) : new Int32Array(this.memory.buffer, offsets[i], a.length);
      view.set(a);
      this.views.set(a, view);
    });
  }

  /** The memory's view of `a` (which must have been placed). */
  moved<T extends HotArray>(a: T): T {
    const v = this.views.get(a);
    if (v === undefined) throw new Error('WasmHeap: array was not placed in the memory');
    return v as T;
  }
}
