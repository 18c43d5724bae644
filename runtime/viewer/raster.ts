import type { PopulationInfo, SpikesMessage } from '../server/protocol.ts';

/**
 * A sweeping spike raster on a canvas: x is time (the last `windowTicks` ticks across the width,
 * overwritten from left to right like an oscilloscope, with a gap ahead of the cursor), y the
 * neurons of the shown populations stacked in rows proportional to their size. Spikes are
 * written into one pixel buffer as they arrive (a plain loop, no per-spike objects) and the
 * buffer is put on the canvas once per animation frame, so the cost per frame does not depend on
 * how many neurons there are: 10 000 neurons cost what 100 do, plus the spikes themselves.
 */
export interface RasterStats {
  /** Spikes written into the pixel buffer since the start. */
  spikes: number;
  /** Frames painted, and the mean and worst paint time (ms) over the last 120. */
  frames: number;
  paintMsMean: number;
  paintMsMax: number;
  /** Frames per second over the last second. */
  fps: number;
  lastTick: number;
}

const COLOURS: Record<string, [number, number, number]> = {
  Pyr: [80, 200, 255],
  PV: [255, 90, 90],
  SST: [255, 190, 60],
  VIP: [120, 230, 120],
  LAMP5: [200, 130, 255],
};
const BACKGROUND = 0xff140f0c; // ABGR (little-endian RGBA): rgb(12, 15, 20)

export class RasterView {
  readonly stats: RasterStats = { spikes: 0, frames: 0, paintMsMean: 0, paintMsMax: 0, fps: 0, lastTick: -1 };
  private readonly ctx: CanvasRenderingContext2D;
  private readonly labels: HTMLElement;
  private image: ImageData;
  private pixels: Uint32Array;
  private width: number;
  private height: number;
  readonly windowTicks: number;
  /** Per population index: first row, row count, size and colour (ABGR); row count 0 if not shown. */
  private rowStart = new Int32Array(0);
  private rowCount = new Int32Array(0);
  private sizes = new Int32Array(0);
  private colour = new Uint32Array(0);
  private cursorX = 0;
  private dirty = false;
  private readonly paintTimes: number[] = [];
  private frameTimes: number[] = [];

  constructor(canvas: HTMLCanvasElement, labels: HTMLElement, options: { windowTicks?: number } = {}) {
    this.labels = labels;
    this.ctx = canvas.getContext('2d', { alpha: false })!;
    this.windowTicks = options.windowTicks ?? 2000;
    this.width = canvas.width;
    this.height = canvas.height;
    this.image = this.ctx.createImageData(this.width, this.height);
    this.pixels = new Uint32Array(this.image.data.buffer);
    this.pixels.fill(BACKGROUND);
    requestAnimationFrame((t) => this.paint(t));
  }

  /** Lay out rows for these populations (all of them share the height in proportion to size, ≥ 2 rows each). */
  setPopulations(pops: readonly PopulationInfo[]): void {
    const n = pops.reduce((m, p) => Math.max(m, p.index + 1), 0);
    this.rowStart = new Int32Array(n);
    this.rowCount = new Int32Array(n);
    this.sizes = new Int32Array(n);
    this.colour = new Uint32Array(n);
    const total = pops.reduce((s, p) => s + p.size, 0);
    const gap = 2;
    const usable = Math.max(pops.length * 2, this.height - gap * (pops.length - 1));
    let y = 0;
    this.labels.replaceChildren();
    for (const p of pops) {
      const rows = Math.max(2, Math.round((usable * p.size) / Math.max(1, total)));
      this.rowStart[p.index] = y;
      this.rowCount[p.index] = Math.min(rows, Math.max(0, this.height - y));
      this.sizes[p.index] = p.size;
      const [r, g, b] = COLOURS[p.cell] ?? [220, 220, 220];
      this.colour[p.index] = (255 << 24) | (b << 16) | (g << 8) | r;
      const label = document.createElement('div');
      label.className = 'raster-label';
      label.textContent = p.key;
      label.style.top = `${(100 * y) / this.height}%`;
      this.labels.append(label);
      y += rows + gap;
    }
    this.pixels.fill(BACKGROUND);
    this.dirty = true;
  }

  /** Write one spike frame into the pixel buffer. */
  add(m: SpikesMessage): void {
    const W = this.width;
    const px = this.pixels;
    const windowTicks = this.windowTicks;
    this.advanceTo(m.tick + m.span - 1);
    let at = 0;
    for (let e = 0; e < m.populations.length; e++) {
      const p = m.populations[e]!;
      const n = m.counts[e]!;
      const rows = p < this.rowCount.length ? this.rowCount[p]! : 0;
      if (rows === 0) {
        at += n;
        continue;
      }
      const start = this.rowStart[p]!;
      const size = this.sizes[p]!;
      const colour = this.colour[p]!;
      for (let i = at; i < at + n; i++) {
        const tick = m.tick + (m.offsets ? m.offsets[i]! : 0);
        const x = Math.floor(((tick % windowTicks) * W) / windowTicks);
        const y = start + Math.floor((m.indices[i]! * rows) / size);
        px[y * W + x] = colour;
      }
      this.stats.spikes += n;
      at += n;
    }
    this.dirty = true;
  }

  /** Move the cursor to `tick`, clearing the columns it passes and a small gap ahead. */
  private advanceTo(tick: number): void {
    if (tick <= this.stats.lastTick && this.stats.lastTick - tick < this.windowTicks) return;
    const W = this.width;
    const x = Math.floor(((tick % this.windowTicks) * W) / this.windowTicks);
    const gap = Math.max(4, Math.round(W / 100));
    // A new run (tick went back) or a jump longer than the window: clear everything.
    const jump = this.stats.lastTick < 0 || tick < this.stats.lastTick || tick - this.stats.lastTick >= this.windowTicks;
    if (jump) this.pixels.fill(BACKGROUND);
    else {
      let c = this.cursorX;
      while (c !== x) {
        c = (c + 1) % W;
        this.clearColumn((c + gap) % W);
      }
    }
    this.cursorX = x;
    this.stats.lastTick = tick;
  }

  private clearColumn(x: number): void {
    const W = this.width;
    for (let y = 0; y < this.height; y++) this.pixels[y * W + x] = BACKGROUND;
  }

  private paint(now: number): void {
    requestAnimationFrame((t) => this.paint(t));
    this.frameTimes.push(now);
    while (this.frameTimes.length > 0 && now - this.frameTimes[0]! > 1000) this.frameTimes.shift();
    this.stats.fps = this.frameTimes.length;
    if (!this.dirty) return;
    const t0 = performance.now();
    this.ctx.putImageData(this.image, 0, 0);
    this.ctx.fillStyle = 'rgba(255,255,255,0.5)';
    this.ctx.fillRect(this.cursorX, 0, 1, this.height);
    this.dirty = false;
    const ms = performance.now() - t0;
    this.paintTimes.push(ms);
    if (this.paintTimes.length > 120) this.paintTimes.shift();
    this.stats.frames++;
    this.stats.paintMsMean = this.paintTimes.reduce((a, b) => a + b, 0) / this.paintTimes.length;
    this.stats.paintMsMax = Math.max(...this.paintTimes);
  }

  /** Non-background pixels in the buffer (tests check that spikes were drawn). */
  litPixels(): number {
    let n = 0;
    for (let i = 0; i < this.pixels.length; i++) if (this.pixels[i] !== BACKGROUND) n++;
    return n;
  }
}
