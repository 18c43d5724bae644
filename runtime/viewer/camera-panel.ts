import type { CameraFrame, CameraResult, Welcome } from '../server/protocol.ts';
import { el } from './controls.ts';

/**
 * The webcam panel: the live camera (getUserMedia), grey frames sent to the server at ~10 fps
 * (at most two in flight, fewer when the socket is busy), and the server's answer side by side:
 * what the filter saw, the sWTA-filtered frame, and the ViT's prediction — or, without trained
 * weights, the server's 'model not available' reason, never a made-up class.
 */
export class CameraPanel {
  lastResult: CameraResult | null = null;
  sent = 0;
  roundTripMs = 0;
  private readonly video: HTMLVideoElement;
  private readonly grab: HTMLCanvasElement;
  private readonly input: HTMLCanvasElement;
  private readonly filtered: HTMLCanvasElement;
  private readonly prediction: HTMLElement;
  private readonly bars: HTMLElement;
  private readonly info: HTMLElement;
  private readonly drive: HTMLInputElement;
  private readonly button: HTMLButtonElement;
  private stream: MediaStream | null = null;
  private timer: number | undefined;
  private inFlight = 0;
  private results = 0;
  private lost = 0;
  private lastResultAt = 0;
  private startedAt = 0;
  private seq = 0;

  constructor(
    root: HTMLElement,
    private readonly send: (f: CameraFrame) => void,
    private readonly busy: () => boolean,
  ) {
    this.video = el('video', { autoplay: '', muted: '', playsinline: '', id: 'camera-video' });
    this.video.muted = true;
    this.grab = el('canvas', { width: '160', height: '120' });
    this.input = el('canvas', { width: '28', height: '28', class: 'pixelated', id: 'camera-input' });
    this.filtered = el('canvas', { width: '28', height: '28', class: 'pixelated', id: 'camera-filtered' });
    this.prediction = el('div', { id: 'prediction' }, 'camera off');
    this.bars = el('div', { class: 'bars' });
    this.info = el('div', { class: 'caption', id: 'camera-info' });
    this.drive = el('input', { type: 'checkbox', id: 'camera-drive' });
    this.drive.checked = true;
    this.button = el('button', { id: 'camera-start' }, 'start camera');
    this.button.addEventListener('click', () => void (this.stream ? this.stop() : this.start()));
    root.replaceChildren(
      el('div', { class: 'row' }, this.button, el('label', { title: 'strip means of the frame drive the pool inputs of the sensory module' }, this.drive, ' drive pools')),
      el('div', { class: 'camera-grid' },
        el('figure', {}, this.video, el('figcaption', {}, 'camera')),
        el('figure', {}, this.input, el('figcaption', {}, '28×28 grey')),
        el('figure', {}, this.filtered, el('figcaption', {}, 'sWTA filtered'))),
      this.prediction,
      this.bars,
      this.info,
    );
  }

  describe(w: Welcome): void {
    const m = w.camera.model;
    this.info.textContent = `filter: ${w.camera.filter}; ViT: ${m.available ? `${m.name} (behind '${m.preprocess}')` : `model not available — ${m.reason}`}; frames drive module '${w.camera.drivesModule}' (white strip = ${w.camera.maxRateHz} Hz)`;
  }

  async start(): Promise<void> {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: false });
    } catch (e) {
      this.prediction.textContent = `camera unavailable: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    this.button.textContent = 'stop camera';
    this.prediction.textContent = 'waiting for the first result…';
    this.timer = window.setInterval(() => this.capture(), 100);
  }

  stop(): void {
    window.clearInterval(this.timer);
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    this.video.srcObject = null;
    this.button.textContent = 'start camera';
  }

  /** One grey frame to the server, unless two are already waiting for results or the socket is busy. */
  private capture(): void {
    // A frame the server rejected is never answered: do not wait for it for ever.
    if (this.inFlight > 0 && performance.now() - Math.max(this.lastResultAt, this.startedAt) > 2000) {
      this.lost += this.inFlight;
      this.inFlight = 0;
    }
    if (this.inFlight >= 2 || this.busy() || this.video.videoWidth === 0) return;
    const { width: W, height: H } = this.grab;
    const ctx = this.grab.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(this.video, 0, 0, W, H);
    const rgba = ctx.getImageData(0, 0, W, H).data;
    const grey = new Uint8Array(W * H);
    for (let i = 0; i < grey.length; i++) grey[i] = Math.round(0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!);
    this.inFlight++;
    this.sent++;
    if (this.inFlight === 1) this.startedAt = performance.now();
    this.send({ type: 'camera', seq: this.seq++, width: W, height: H, format: 'grey', data: grey, t: performance.now(), drive: this.drive.checked });
  }

  show(r: CameraResult): void {
    this.lastResult = r;
    // In flight: sent, minus answered, minus replaced by a newer frame on the server (never answered).
    this.results++;
    this.lastResultAt = performance.now();
    this.inFlight = Math.max(0, this.sent - this.results - r.dropped - this.lost);
    if (r.t !== undefined) this.roundTripMs = performance.now() - r.t;
    paint(this.input, r.input, r.width, r.height);
    paint(this.filtered, r.filtered, r.width, r.height);
    const rates = Array.from(r.poolRatesHz, (x) => x.toFixed(1)).join(' / ');
    if (r.probabilities && r.model.available) {
      const classes = r.model.classes;
      this.prediction.textContent = `prediction: ${classes[r.prediction ?? 0] ?? r.prediction} (${(100 * r.probabilities[r.prediction ?? 0]!).toFixed(0)} %)`;
      this.bars.replaceChildren(
        ...Array.from(r.probabilities, (p, k) => {
          const bar = el('span', { class: 'bar' });
          bar.style.height = `${Math.round(100 * p)}%`;
          return el('span', { class: 'bar-cell', title: `${classes[k]}: ${(100 * p).toFixed(1)} %` }, bar, el('span', {}, classes[k] ?? String(k)));
        }),
      );
    } else {
      this.prediction.textContent = `model not available: ${r.model.available ? 'no probabilities' : r.model.reason}`;
      this.bars.replaceChildren();
    }
    this.prediction.dataset.seq = String(r.seq);
    this.info.dataset.latency = `${r.latencyMs.total.toFixed(1)}`;
    this.info.title = `server: resize ${r.latencyMs.resize.toFixed(1)} ms, filter ${r.latencyMs.filter.toFixed(1)} ms, ViT ${r.latencyMs.vit.toFixed(1)} ms, total ${r.latencyMs.total.toFixed(1)} ms; round trip ${this.roundTripMs.toFixed(0)} ms; pool rates ${rates} Hz; frames replaced ${r.dropped}`;
  }
}

function paint(canvas: HTMLCanvasElement, grey: Uint8Array, w: number, h: number): void {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < grey.length; i++) {
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = grey[i]!;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
