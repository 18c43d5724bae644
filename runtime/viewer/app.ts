/**
 * The swta live viewer, whatever carries the protocol (transport.ts): draws the spike raster, the
 * population rates and the working-memory machine, and sends controls and camera frames.
 * `?synthetic=N` instead feeds the raster N synthetic neurons at 10 Hz, 1 kHz ticks, with no
 * simulation: the way to measure the raster's frame rate for large N. The entry points: main.ts
 * (the server's page, over a WebSocket) and runtime/web/page.ts (the static page, in-page workers).
 */
import type { ControlAction, PopulationInfo, ServerMessage, StatusMessage, Welcome } from '../server/protocol.ts';
import { CameraPanel } from './camera-panel.ts';
import { buildControls, reflectPhase } from './controls.ts';
import { MachineView } from './machine-view.ts';
import { RasterView } from './raster.ts';
import { TraceView } from './traces.ts';
import type { Transport } from './transport.ts';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Start the viewer on this page: the synthetic feed with ?synthetic=N, else the live run over `transport()`. */
export function startViewer(transport: () => Transport): void {
  const synthetic = Number(new URLSearchParams(location.search).get('synthetic') ?? 0);
  if (synthetic > 0) runSynthetic(synthetic);
  else runLive(transport());
}

const raster = new RasterView($<HTMLCanvasElement>('raster'), $('raster-labels'));
const traces = new TraceView($<HTMLCanvasElement>('traces'), $('legend'));
const machine = new MachineView($('machine-box'));
const status = $('status');
const clock = $('clock');
const lastReply = $('reply');

/** What tests and curious users can read from the console: window.__swta. */
const debug = {
  raster: raster.stats,
  connection: null as Transport | null,
  welcome: null as Welcome | null,
  state: null as string | null,
  /** The latest status message (clock figures). */
  status: null as StatusMessage | null,
  messages: 0,
  litPixels: () => raster.litPixels(),
  camera: null as CameraPanel | null,
  /** The synthetic feed (?synthetic=N): spikes handed to the raster and the last tick fed. */
  synthetic: { spikesFed: 0, lastTick: -1 },
};
(window as unknown as { __swta: typeof debug }).__swta = debug;

function runLive(conn: Transport): void {
  debug.connection = conn;
  const camera = new CameraPanel($('camera-box'), (f) => conn.send(f), () => conn.bufferedAmount > 256 * 1024);
  debug.camera = camera;
  let nextId = 1;
  const pending = new Map<number, string>();
  const send = (c: ControlAction): void => {
    const id = nextId++;
    pending.set(id, c.action);
    conn.send({ type: 'control', id, ...c });
  };

  conn.onState = (state, detail) => {
    status.textContent = state === 'open' ? 'connected' : state === 'connecting' ? `connecting to ${detail}…` : `disconnected (${detail})${conn.reconnects ? '; retrying' : ''}`;
    status.dataset.state = state;
  };
  conn.onMessage = (m: ServerMessage) => {
    debug.messages++;
    switch (m.type) {
      case 'welcome': {
        debug.welcome = m;
        const shown: PopulationInfo[] = m.populations;
        raster.setPopulations(shown);
        traces.setPopulations(shown);
        machine.setSpec(m.machine);
        buildControls($('controls'), m, send);
        camera.describe(m);
        $('title-info').textContent = `${m.server} · protocol ${m.protocol} · ${m.backend} · seed ${m.seed} · ${m.populations.reduce((s, p) => s + p.size, 0)} neurons in ${m.modules.length} modules`;
        conn.send({ type: 'subscribe', id: 0 });
        break;
      }
      case 'spikes':
        raster.add(m);
        break;
      case 'rates':
        traces.add(m);
        break;
      case 'state':
        machine.setState(m);
        debug.state = m.state;
        break;
      case 'status': {
        debug.status = m;
        reflectPhase(m.phase);
        const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '–');
        clock.textContent =
          `${m.phase} · t = ${(m.simulatedMs / 1000).toFixed(1)} s · real-time factor ${f(m.realTimeFactor)} (recent ${f(m.recentRealTimeFactor)}, target ${f(m.timeScale)}) · ` +
          `busy ${f(m.busyFactor)} · deadline misses ${m.deadlineMisses} · lag ${m.lagMs.toFixed(0)} ms · dropped frames ${m.drops.spikes} · fps ${raster.stats.fps}`;
        clock.dataset.phase = m.phase;
        if (m.error) lastReply.textContent = `simulation failed: ${m.error}`;
        break;
      }
      case 'camera':
        camera.show(m);
        break;
      case 'ack':
        lastReply.textContent = `ok: ${m.action}`;
        if (m.id !== undefined) pending.delete(m.id);
        break;
      case 'error':
        lastReply.textContent = `${m.code}: ${m.message}`;
        lastReply.dataset.code = m.code;
        break;
      case 'bye':
        lastReply.textContent = `server: ${m.reason}`;
        break;
      default:
        break;
    }
  };
  conn.connect();
}

/** N neurons in one population at ~10 Hz, 1000 ticks per second, fed in 16-ms batches. */
function runSynthetic(n: number): void {
  status.textContent = `synthetic raster: ${n} neurons, no server`;
  const pop: PopulationInfo = { index: 0, key: `synthetic/${n}`, module: 'synthetic', id: 'synthetic', size: n, cell: 'Pyr', pool: -1 };
  raster.setPopulations([pop]);
  let tick = 0;
  let seed = 1;
  const rand = (): number => {
    // xorshift32: cheap and deterministic.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const start = performance.now();
  const feed = (): void => {
    const due = Math.floor(performance.now() - start);
    for (; tick < due; tick++) {
      const count = Math.round(n * 0.01 * (0.5 + rand())); // 10 Hz mean: 1 % of neurons per 1-ms tick
      const indices = new Int32Array(count);
      for (let i = 0; i < count; i++) indices[i] = Math.floor(rand() * n);
      raster.add({ type: 'spikes', tick, span: 1, populations: Uint16Array.of(0), counts: Uint32Array.of(count), indices, dropped: 0 });
      debug.synthetic.spikesFed += count;
      debug.synthetic.lastTick = tick;
    }
    clock.textContent = `synthetic · ${n} neurons · tick ${tick} · fps ${raster.stats.fps} · paint ${raster.stats.paintMsMean.toFixed(2)} ms (max ${raster.stats.paintMsMax.toFixed(2)})`;
  };
  setInterval(feed, 16);
}
