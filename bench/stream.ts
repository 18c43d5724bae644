/**
 * Streaming figures of the live server: tick-to-client latency and spikes/s per client
 * at real-time pacing with 1 and 8 clients, the raw fan-out capacity, and camera frame → filter →
 * ViT → client latency. Clients run in this process (decoding with the project's codec), so their
 * work is on the server's thread too: the figures are conservative.
 *
 * `npm run bench -- stream [--json] [--seconds 5]`.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import WebSocket, { WebSocketServer } from 'ws';
import type { Benchmark, BenchOptions } from './types.ts';
import type { Placement } from '../runtime/runner.ts';
import { OutboundQueue } from '../runtime/server/client-queue.ts';
import { decodeServerMessage, encodeMessage } from '../runtime/server/codec.ts';
import type { PopulationInfo } from '../runtime/server/protocol.ts';
import { startLiveServer } from '../runtime/server/server.ts';
import { FrameBuilder, resolveSubscription } from '../runtime/server/subscription.ts';

const quantile = (xs: number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const round = (x: number, d = 2): number => Number(x.toFixed(d));

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The live demo at real-time pacing, one pool pair held (≈ 200 Hz), `clients` subscribers to every spike. */
async function live(clients: number, seconds: number, placement: Placement, log: (l: string) => void): Promise<{ p50: number; p99: number; spikesPerSec: number; rtf: number; misses: number; drops: number }> {
  const server = await startLiveServer({ port: 0, viewer: false, sim: { placement } });
  const doneAt = new Float64Array(1 << 20);
  server.sim.ticks$.subscribe((t) => (doneAt[t.tick & ((1 << 20) - 1)] = performance.now()));
  server.sim.cuePool(0);
  const latencies: number[] = [];
  let spikes = 0;
  let drops = 0;
  let measuring = false;
  const sockets: WebSocket[] = [];
  for (let c = 0; c < clients; c++) {
    const ws = await connect(server.wsUrl);
    ws.on('message', (data: Buffer) => {
      const m = decodeServerMessage(data);
      if (m.type === 'welcome') ws.send(encodeMessage({ type: 'subscribe', streams: ['spikes'] }));
      else if (m.type === 'spikes' && measuring) {
        latencies.push(performance.now() - doneAt[m.tick & ((1 << 20) - 1)]!);
        spikes += m.indices.length;
        drops = Math.max(drops, m.dropped);
      }
    });
    ws.send(encodeMessage({ type: 'hello', protocol: 1 }));
    sockets.push(ws);
  }
  await new Promise((r) => setTimeout(r, 1500)); // the cue takes hold
  const before = server.sim.status;
  measuring = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  measuring = false;
  const after = server.sim.status;
  const simSeconds = (after.simulatedMs - before.simulatedMs) / 1000;
  const wallSeconds = (after.wallMs - before.wallMs) / 1000;
  for (const ws of sockets) ws.close();
  await server.close();
  const r = {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    spikesPerSec: spikes / clients / wallSeconds,
    rtf: wallSeconds / simSeconds,
    misses: after.deadlineMisses - before.deadlineMisses,
    drops,
  };
  log(`live (${placement.kind === 'workers' ? `${placement.workers} workers` : 'one thread'}), ${clients} client${clients > 1 ? 's' : ''}: tick→client latency p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms; ${r.spikesPerSec.toFixed(0)} spikes/s per client; real-time factor ${r.rtf.toFixed(2)} (${r.misses} deadline misses); ${drops} frames dropped`);
  return r;
}

/** Fan-out capacity without a simulation: 10 000 neurons at 10 Hz (≈ 100 spikes per tick) to `clients` sockets as fast as they take it. */
async function fanout(clients: number, seconds: number, log: (l: string) => void): Promise<{ ticksPerSec: number; spikesPerSec: number }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const queues: OutboundQueue[] = [];
  wss.on('connection', (ws) => {
    queues.push(new OutboundQueue({ get bufferedAmount() { return ws.bufferedAmount; }, send: (d, done) => ws.send(d, { binary: true }, done) }, { encode: encodeMessage, onOverflow: () => {} }));
  });
  let received = 0;
  const sockets = await Promise.all(Array.from({ length: clients }, () => connect(`ws://127.0.0.1:${port}`)));
  for (const ws of sockets) ws.on('message', (d: Buffer) => (received += (decodeServerMessage(d) as { indices: Int32Array }).indices.length));
  while (queues.length < clients) await new Promise((r) => setTimeout(r, 10));
  const pop: PopulationInfo = { index: 0, key: 'x/x', module: 'x', id: 'x', size: 10_000, cell: 'Pyr', pool: -1 };
  const builder = new FrameBuilder(resolveSubscription({ type: 'subscribe' }, [pop], [{ id: 'x', populations: ['x'], inputs: [] }], 'bench'));
  const indices = new Int32Array(10_000);
  let tick = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    // One event-loop turn per 20 ticks, so the sockets drain as they would under the pacer.
    for (let k = 0; k < 20; k++, tick++) {
      const n = 80 + ((tick * 7919) % 41);
      for (let i = 0; i < n; i++) indices[i] = (tick * 131 + i * 97) % 10_000;
      const f = builder.add({ tick, counts: Int32Array.of(n), indices: [indices] })!;
      for (const q of queues) q.pushSpikes(f);
    }
    await new Promise((r) => setImmediate(r));
  }
  const wall = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  const dropped = queues.reduce((s, q) => s + q.stats.droppedSpikes, 0);
  for (const ws of sockets) ws.close();
  await new Promise((r) => wss.close(r));
  const r = { ticksPerSec: tick / wall, spikesPerSec: received / clients / wall };
  log(`fan-out, ${clients} client${clients > 1 ? 's' : ''}: ${r.ticksPerSec.toFixed(0)} ticks/s pushed, ${r.spikesPerSec.toFixed(0)} spikes/s delivered per client (${dropped} frames dropped by slow sockets)`);
  return r;
}

/** Camera frames (a 320 × 240 grey digit-like image) through the server: round trip and the server's own total. */
async function camera(frames: number, log: (l: string) => void): Promise<{ p50: number; serverP50: number; model: boolean }> {
  const server = await startLiveServer({ port: 0, viewer: false, sim: { placement: { kind: 'actors' } } });
  const ws = await connect(server.wsUrl);
  const data = new Uint8Array(320 * 240).fill(230);
  for (let y = 60; y < 180; y++) for (let x = 150; x < 170; x++) data[y * 320 + x] = 20;
  const rtt: number[] = [];
  const srv: number[] = [];
  let model = false;
  await new Promise<void>((resolve) => {
    let seq = 0;
    const next = (): void => ws.send(encodeMessage({ type: 'camera', seq: seq++, width: 320, height: 240, format: 'grey', data, t: performance.now(), drive: false }));
    ws.on('message', (d: Buffer) => {
      const m = decodeServerMessage(d);
      if (m.type === 'welcome') next();
      else if (m.type === 'camera') {
        rtt.push(performance.now() - m.t!);
        srv.push(m.latencyMs.total);
        model = m.model.available;
        if (rtt.length >= frames) resolve();
        else next();
      }
    });
    ws.send(encodeMessage({ type: 'hello', protocol: 1 }));
  });
  ws.close();
  await server.close();
  const r = { p50: quantile(rtt, 0.5), serverP50: quantile(srv, 0.5), model };
  log(`camera, ${frames} frames 320×240 grey: round trip p50 ${r.p50.toFixed(2)} ms (server: resize + filter + ViT p50 ${r.serverP50.toFixed(2)} ms; ViT ${model ? 'ran' : 'not available: no weights'})`);
  return r;
}

export const benchmark: Benchmark = {
  description: 'live server: tick-to-client latency and spikes/s per client at real-time pacing (1 and 8 clients), raw fan-out, camera → filter → ViT → client latency',
  async run(o: BenchOptions): Promise<Record<string, unknown>> {
    const { values } = parseArgs({ args: o.args, options: { seconds: { type: 'string', default: '5' } } });
    const seconds = Number(values.seconds);
    if (!(seconds > 0)) throw new Error(`--seconds must be > 0, got '${values.seconds}'`);
    // As `swta serve` runs it on a machine with ≥ 2 cores: the two modules on two worker threads.
    const placement: Placement = availableParallelism() >= 2 ? { kind: 'workers', workers: 2 } : { kind: 'actors' };
    const one = await live(1, seconds, placement, o.log);
    const eight = await live(8, seconds, placement, o.log);
    const f1 = await fanout(1, Math.min(3, seconds), o.log);
    const f8 = await fanout(8, Math.min(3, seconds), o.log);
    const cam = await camera(100, o.log);
    return {
      live1: { latencyMsP50: round(one.p50), latencyMsP99: round(one.p99), spikesPerSec: round(one.spikesPerSec, 0), realTimeFactor: round(one.rtf), deadlineMisses: one.misses, dropped: one.drops },
      live8: { latencyMsP50: round(eight.p50), latencyMsP99: round(eight.p99), spikesPerSec: round(eight.spikesPerSec, 0), realTimeFactor: round(eight.rtf), deadlineMisses: eight.misses, dropped: eight.drops },
      fanout1: { ticksPerSec: round(f1.ticksPerSec, 0), spikesPerSec: round(f1.spikesPerSec, 0) },
      fanout8: { ticksPerSec: round(f8.ticksPerSec, 0), spikesPerSec: round(f8.spikesPerSec, 0) },
      camera: { roundTripMsP50: round(cam.p50), serverMsP50: round(cam.serverP50), vit: cam.model },
      latencyMsP50: round(eight.p50),
      latencyMsP99: round(eight.p99),
      spikesPerSec: round(eight.spikesPerSec, 0),
      cameraMsP50: round(cam.p50),
    };
  },
};

