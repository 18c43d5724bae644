import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeMessage } from '../../../runtime/server/codec.ts';
import { QUEUE_DEFAULTS } from '../../../runtime/server/client-queue.ts';
import type { ClientMessage } from '../../../runtime/server/protocol.ts';
import type { LiveServer } from '../../../runtime/server/server.ts';
import { Random } from '../../../src/random.ts';
import { startRecordingServer, TestClient } from './helpers.ts';
import { engines } from './recording-adapter.ts';

/**
 * Several clients send ≥ 10 000 random and mutated frames while a healthy client watches the
 * spikes and a stalled client stops reading. The healthy client must keep getting every tick's
 * frame with exactly the engines' probe counts; the server must not crash, answer every frame it
 * can parse with a reply or an error, and keep every client's memory within the queue bounds.
 */
const FUZZERS = 4;
const FRAMES_PER_FUZZER = 2600;
/** Bound per client: the spike queue's bytes plus the socket's high-water mark plus one large frame. */
const PER_CLIENT_BOUND = QUEUE_DEFAULTS.spikeBytes + QUEUE_DEFAULTS.highWaterBytes + (1 << 20);
/** Bound on the server process's heap growth over the fuzz run (JS heap + array buffers). */
const HEAP_GROWTH_BOUND = 96 << 20;

/** Valid client messages that do not change the run's clock (no start/stop/pause/resume/speed). */
function corpus(): ClientMessage[] {
  return [
    { type: 'hello', protocol: 1, client: 'fuzz' },
    { type: 'subscribe', id: 1, streams: ['state', 'status'] },
    { type: 'subscribe', populations: ['a/a.pyr0', 'b/b.pv'], maxNeurons: 5, decimation: 10 },
    { type: 'subscribe', neurons: { 'a/a.pyr1': new Int32Array([0, 3, 7]) }, streams: ['spikes'] },
    { type: 'control', id: 2, action: 'stimulus', module: 'a', input: 'a.vipDrive', rateHz: 10 },
    { type: 'control', id: 3, action: 'cue', pool: 1, durationMs: 20, rateHz: 10 },
    { type: 'control', id: 4, action: 'reset' },
    { type: 'camera', seq: 1, width: 8, height: 6, format: 'grey', data: new Uint8Array(48).fill(90) },
    { type: 'camera', seq: 2, width: 4, height: 4, format: 'rgba', data: new Uint8Array(64).fill(200), t: 5 },
    { type: 'ping', id: 5, t: 1 },
  ];
}

/** One fuzz frame: random bytes, a mutated valid frame, a random MessagePack value, or a deep / huge one. */
function fuzzFrame(rng: Random, valid: Uint8Array[]): Uint8Array | string {
  const r = rng.uniform();
  if (r < 0.2) return Uint8Array.from({ length: Math.floor(rng.uniform() * 300) }, () => Math.floor(rng.uniform() * 256));
  if (r < 0.6) {
    const base = valid[Math.floor(rng.uniform() * valid.length)]!;
    const m = Uint8Array.from(base);
    const kind = rng.uniform();
    if (kind < 0.5) {
      for (let k = 0; k < 1 + Math.floor(rng.uniform() * 4); k++) m[Math.floor(rng.uniform() * m.length)] = Math.floor(rng.uniform() * 256);
      return m;
    }
    if (kind < 0.8) return m.subarray(0, Math.floor(rng.uniform() * m.length));
    const tail = Uint8Array.from({ length: 1 + Math.floor(rng.uniform() * 20) }, () => Math.floor(rng.uniform() * 256));
    const out = new Uint8Array(m.length + tail.length);
    out.set(m);
    out.set(tail, m.length);
    return out;
  }
  if (r < 0.9) return encodeMessage(randomValue(rng, 0) as ClientMessage);
  if (r < 0.95) return '{"type":"hello","protocol":1}';
  // Deep nesting (stack), and a header that claims a 2^31-element array.
  return rng.uniform() < 0.5 ? new Uint8Array(50_000).fill(0x91) : Uint8Array.from([0x82, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa4, 0x70, 0x69, 0x6e, 0x67, 0xa1, 0x74, 0xdd, 0x7f, 0xff, 0xff, 0xff]);
}

const TYPES = ['hello', 'subscribe', 'control', 'camera', 'ping', 'pong', 'welcome', '', '__proto__'];
const KEYS = ['type', 'protocol', 'id', 'action', 'pool', 'module', 'input', 'rateHz', 'streams', 'neurons', 'populations', 'decimation', 'width', 'height', 'format', 'data', 'seq', 'timeScale', 'backend', '__proto__', 'constructor'];

function randomValue(rng: Random, depth: number): unknown {
  const r = rng.uniform();
  if (depth === 0 || r < 0.3) {
    const m: Record<string, unknown> = { type: TYPES[Math.floor(rng.uniform() * TYPES.length)] };
    for (let k = 0; k < Math.floor(rng.uniform() * 5); k++) {
      // defineProperty: a key '__proto__' becomes an own field, as a decoder would see it on the wire.
      Object.defineProperty(m, KEYS[Math.floor(rng.uniform() * KEYS.length)]!, { value: randomValue(rng, depth + 1), enumerable: true, configurable: true, writable: true });
    }
    return m;
  }
  if (depth > 4) return null;
  if (r < 0.4) return Math.floor((rng.uniform() - 0.5) * 2e9);
  if (r < 0.5) return [NaN, Infinity, -0, 1e308, 0.5][Math.floor(rng.uniform() * 5)];
  if (r < 0.6) return 'x'.repeat(Math.floor(rng.uniform() * 400));
  if (r < 0.7) return Array.from({ length: Math.floor(rng.uniform() * 5) }, () => randomValue(rng, depth + 1));
  if (r < 0.8) return [new Int32Array(3), new Float64Array(2), new Uint8Array(10), new Uint16Array(1)][Math.floor(rng.uniform() * 4)];
  if (r < 0.9) return rng.uniform() < 0.5;
  return null;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function fuzzer(url: string, seed: number, frames: number): Promise<{ sent: number; replies: number; reconnects: number }> {
  const rng = new Random(seed);
  const valid = corpus().map((m) => encodeMessage(m));
  let replies = 0;
  let reconnects = 0;
  let ws = await open(url);
  const count = (): void => void replies++;
  ws.on('message', count);
  for (let i = 0; i < frames; i++) {
    if (ws.readyState !== WebSocket.OPEN) {
      ws = await open(url);
      ws.on('message', count);
      reconnects++;
    }
    // Most connections say hello first, so later frames reach the deeper handlers.
    if (i % 500 === 0 && rng.uniform() < 0.8) ws.send(valid[0]!);
    const f = fuzzFrame(rng, valid);
    // Now and then a frame above maxPayload (the server closes with 1009; we reconnect).
    if (i % 997 === 996) ws.send(Buffer.alloc((2 << 20) + 10));
    else ws.send(f);
    if (i % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 200));
  ws.close();
  return { sent: frames, replies, reconnects };
}

describe('fuzz: ≥ 10 000 random and mutated frames from several clients', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('a healthy client keeps receiving correct frames, a stalled one stays bounded, memory stays bounded', async () => {
    const [healthy] = await TestClient.ready(server.wsUrl);
    healthy.send({ type: 'subscribe', id: 1, streams: ['spikes', 'state', 'status'] });
    await healthy.next('subscribed');
    const [stalled, stalledWelcome] = await TestClient.ready(server.wsUrl);
    const stalledId = stalledWelcome.session;
    stalled.send({ type: 'subscribe', id: 1, streams: ['spikes', 'rates', 'status'] });
    await stalled.next('subscribed');
    // Stop reading: the kernel buffers fill, then the server's queue, then it drops the oldest frames.
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    await healthy.next('spikes', (m) => m.tick > 200);
    const before = process.memoryUsage();
    let maxClientBytes = 0;
    const sampler = setInterval(() => {
      for (const s of server.sessions.values()) maxClientBytes = Math.max(maxClientBytes, s.queue.stats.bytes + s.queue.stats.socketBytes);
    }, 20);
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: FUZZERS }, (_, i) => fuzzer(server.wsUrl, 1000 + i, FRAMES_PER_FUZZER)));
    const fuzzMs = performance.now() - t0;
    const lastTick = server.sim.status.tick;
    await healthy.next('spikes', (m) => m.tick >= lastTick + 100);
    clearInterval(sampler);
    const after = process.memoryUsage();

    const sent = results.reduce((s, r) => s + r.sent, 0);
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(results.every((r) => r.replies > 100)).toBe(true); // the server answered (errors, pongs, welcomes)

    // The healthy client: every tick once, in order, no drops, and the engines' own counts.
    const frames = healthy.messages.filter((m) => m.type === 'spikes') as { tick: number; populations: Uint16Array; counts: Uint32Array; dropped: number }[];
    const first = frames[0]!.tick;
    expect(frames.map((f) => f.tick)).toEqual(frames.map((_, i) => first + i));
    expect(frames.at(-1)!.dropped).toBe(0);
    const w = healthy.messages.find((m) => m.type === 'welcome') as { populations: { key: string }[] };
    let compared = 0;
    w.populations.forEach((p, index) => {
      const [module, id] = p.key.split('/') as [string, string];
      const probe = engines.get(`demo-${module}`)!.probe(`rate:${id}`);
      if (probe.kind !== 'rate') throw new Error('rate probe expected');
      const wire = frames.map((f) => {
        const e = Array.from(f.populations).indexOf(index);
        return e < 0 ? 0 : f.counts[e]!;
      });
      expect(wire, p.key).toEqual(Array.from(probe.countsPerTick.subarray(first, first + frames.length)));
      compared += wire.reduce((a, b) => a + b, 0);
    });
    expect(compared).toBeGreaterThan(1000);
    expect(healthy.messages.filter((m) => m.type === 'error')).toEqual([]);

    // The stalled client: what it holds on the server stays within the bounds. (Loopback TCP buffers
    // take megabytes before the server sees the stall, so drops may not have started yet here;
    // client-queue.test.ts shows drop-oldest once they do.)
    const stalledSession = server.sessions.get(stalledId)!;
    expect(stalledSession.queue.stats.bytes).toBeLessThanOrEqual(QUEUE_DEFAULTS.spikeBytes);
    expect(maxClientBytes).toBeLessThanOrEqual(PER_CLIENT_BOUND);

    const growth = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    expect(growth).toBeLessThan(HEAP_GROWTH_BOUND);
    console.log(
      `fuzz: ${sent} frames from ${FUZZERS} clients in ${(fuzzMs / 1000).toFixed(1)} s (${results.map((r) => r.reconnects).join('/')} reconnects); ` +
        `healthy client: ${frames.length} consecutive ticks, ${compared} spikes equal to the probes; ` +
        `stalled client: ${stalledSession.queue.stats.sentBytes} bytes into its socket, ${stalledSession.queue.stats.droppedSpikes} frames dropped; largest per-client memory (queue + socket) ${(maxClientBytes / 1024).toFixed(0)} KiB ` +
        `(bound ${(PER_CLIENT_BOUND / 1048576).toFixed(0)} MiB); heap + array buffers grew ${(growth / 1048576).toFixed(1)} MiB (bound ${HEAP_GROWTH_BOUND / 1048576} MiB)`,
    );
    stalled.ws.terminate();
    healthy.close();
  });
});
