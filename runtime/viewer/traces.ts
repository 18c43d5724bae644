import type { PopulationInfo, RatesMessage } from '../server/protocol.ts';

const PALETTE = ['#50c8ff', '#ff9f40', '#7ee787', '#ff6b6b', '#c792ea', '#f2cc60', '#56d4c4', '#e6e6e6', '#8fa8ff', '#ff8fd8', '#b0d060', '#d0a070'];

/**
 * Population-rate traces: the last `samples` rate messages per population as lines on a canvas,
 * with a shared y axis scaled to the largest rate on screen. Redrawn at most once per animation
 * frame.
 */
export class TraceView {
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly legend: HTMLElement;
  private readonly samples: number;
  private shown: PopulationInfo[] = [];
  /** Ring of samples per shown population. */
  private data: Float32Array[] = [];
  private head = 0;
  private count = 0;
  private lastTick = -1;
  private dirty = false;

  constructor(canvas: HTMLCanvasElement, legend: HTMLElement, options: { samples?: number } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d')!;
    this.legend = legend;
    this.samples = options.samples ?? 300;
    requestAnimationFrame(() => this.draw());
  }

  setPopulations(pops: readonly PopulationInfo[]): void {
    this.shown = [...pops];
    this.data = pops.map(() => new Float32Array(this.samples));
    this.head = this.count = 0;
    this.legend.replaceChildren(
      ...pops.map((p, i) => {
        const item = document.createElement('span');
        item.className = 'legend-item';
        const swatch = document.createElement('span');
        swatch.className = 'swatch';
        swatch.style.background = PALETTE[i % PALETTE.length]!;
        item.append(swatch, p.key);
        return item;
      }),
    );
  }

  add(m: RatesMessage): void {
    if (m.tick < this.lastTick) {
      this.head = this.count = 0; // a new run
    }
    this.lastTick = m.tick;
    for (let i = 0; i < this.shown.length; i++) {
      const j = m.populations.indexOf(this.shown[i]!.index);
      this.data[i]![this.head] = j >= 0 ? m.hz[j]! : 0;
    }
    this.head = (this.head + 1) % this.samples;
    this.count = Math.min(this.samples, this.count + 1);
    this.dirty = true;
  }

  private draw(): void {
    requestAnimationFrame(() => this.draw());
    if (!this.dirty) return;
    this.dirty = false;
    const { width: W, height: H } = this.canvas;
    const ctx = this.ctx;
    ctx.fillStyle = '#0c0f14';
    ctx.fillRect(0, 0, W, H);
    let max = 10;
    for (const d of this.data) for (let k = 0; k < this.count; k++) max = Math.max(max, d[k]!);
    const top = Math.pow(10, Math.ceil(Math.log10(max)));
    const yMax = max <= top / 2 ? top / 2 : top;
    ctx.strokeStyle = '#2a313c';
    ctx.fillStyle = '#8b949e';
    ctx.font = '11px sans-serif';
    for (const f of [0, 0.5, 1]) {
      const y = H - 1 - f * (H - 12);
      ctx.beginPath();
      ctx.moveTo(0, y);
      ctx.lineTo(W, y);
      ctx.stroke();
      ctx.fillText(`${(f * yMax).toFixed(0)} Hz`, 4, y - 2);
    }
    this.data.forEach((d, i) => {
      ctx.strokeStyle = PALETTE[i % PALETTE.length]!;
      ctx.beginPath();
      for (let k = 0; k < this.count; k++) {
        const v = d[(this.head - this.count + k + this.samples) % this.samples]!;
        const x = (k * W) / (this.samples - 1);
        const y = H - 1 - (Math.min(v, yMax) / yMax) * (H - 12);
        if (k === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    });
  }
}
