import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeMessage } from '../../../runtime/server/codec.ts';
import type { LiveServer } from '../../../runtime/server/server.ts';
import { startTestServer, TestClient } from './helpers.ts';

describe('live server', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await startTestServer({ viewer: true });
  });
  afterAll(async () => {
    await server.close();
  });

  it('hello → welcome describing the network, the machine, the limits and the camera model', async () => {
    const [c, w] = await TestClient.ready(server.wsUrl);
    expect(w).toMatchObject({ protocol: 1, backend: 'conductance', tickMs: 1, machine: { states: ['idle', 'A', 'B', 'mixed'], initial: 'idle', provisional: false } });
    expect(w.modules.map((m) => m.id)).toEqual(['a', 'b', 'trans']);
    expect(w.populations.map((p) => p.key)).toContain('b/b.pyr1');
    expect(w.populations.every((p, i) => p.index === i)).toBe(true);
    expect(w.modules[0]!.inputs.filter((i) => i.role === 'pool').map((i) => i.id)).toEqual(['a.in0', 'a.in1']);
    expect(w.backends.map((b) => b.id)).toEqual(['conductance', 'truenorth']);
    expect(w.backends[0]).toEqual({ id: 'conductance', available: true, reason: '' });
    // The ViT is there exactly when trained weights are (never a made-up model).
    expect(w.camera.model.available ? w.camera.model.classes.length : w.camera.model.reason).toBeTruthy();
    c.close();
  });

  it('subscribe → subscribed, the current state, then spike frames tick after tick', async () => {
    const [c] = await TestClient.ready(server.wsUrl);
    c.send({ type: 'subscribe', id: 7, streams: ['spikes', 'state', 'rates', 'status'], modules: ['a'] });
    const sub = await c.next('subscribed');
    expect(sub.id).toBe(7);
    expect(Array.from(sub.populations)).toEqual([0, 1, 2, 3, 4, 5]);
    await c.next('state');
    const first = await c.next('spikes');
    const later = await c.next('spikes', (m) => m.tick >= first.tick + 50);
    const frames = c.messages.filter((m) => m.type === 'spikes') as { tick: number; populations: Uint16Array }[];
    const ticks = frames.map((f) => f.tick);
    expect(ticks.slice(0, later.tick - first.tick + 1)).toEqual(Array.from({ length: later.tick - first.tick + 1 }, (_, i) => first.tick + i));
    expect(frames.every((f) => Array.from(f.populations).every((p) => p < 6))).toBe(true);
    const rates = await c.next('rates');
    expect(rates.hz.length).toBe(6);
    const status = await c.next('status', (s) => s.phase === 'running');
    expect(status).toMatchObject({ backend: 'conductance', timeScale: 0.25, drops: { spikes: 0 } });
    c.close();
  });

  it('answers every malformed or misplaced message with a typed error, and keeps the connection', async () => {
    const c = await TestClient.connect(server.wsUrl);
    c.send({ type: 'subscribe' });
    expect(await c.next('error')).toMatchObject({ code: 'NOT_READY' });
    c.ws.send('{"type":"hello"}');
    expect(await c.after('error')).toMatchObject({ code: 'TEXT_FRAME' });
    c.ws.send(Buffer.from([0xc1, 0xff]));
    expect((await c.after('error')).code).toMatch(/DECODE_FAILED|BAD_MESSAGE/);
    c.send({ type: 'hello', protocol: 1 });
    await c.next('welcome');
    c.send({ type: 'hello', protocol: 1 });
    expect(await c.after('error')).toMatchObject({ code: 'BAD_STATE' });
    c.send({ type: 'launch', id: 4 });
    expect(await c.after('error')).toMatchObject({ code: 'UNKNOWN_TYPE', id: 4, path: 'type' });
    c.send({ type: 'control', id: 5, action: 'stimulus', module: 'a', input: 'a.in7', rateHz: 3 });
    expect(await c.after('error')).toMatchObject({ code: 'UNKNOWN_TARGET', id: 5, path: 'input' });
    c.send({ type: 'control', id: 6, action: 'stimulus', module: 'a', input: 'a.in0', rateHz: '3' });
    expect(await c.after('error')).toMatchObject({ code: 'BAD_MESSAGE', id: 6, path: 'rateHz' });
    c.send({ type: 'control', id: 8, action: 'resume' });
    expect(await c.after('error')).toMatchObject({ code: 'BAD_STATE', id: 8 });
    c.send({ type: 'subscribe', populations: ['a/nope'] });
    expect(await c.after('error')).toMatchObject({ code: 'UNKNOWN_TARGET', path: 'populations[0]' });
    c.send({ type: 'ping', id: 9, t: 1.5 });
    expect(await c.after('pong')).toMatchObject({ id: 9, t: 1.5 });
    expect(c.closeCode).toBeNull();
    c.close();
  });

  it('an unsupported protocol version is an error, then close 4002', async () => {
    const c = await TestClient.connect(server.wsUrl);
    c.send({ type: 'hello', protocol: 2 });
    expect(await c.closed()).toBe(4002);
    expect(c.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'PROTOCOL_VERSION' });
  });

  it('a frame above maxPayload closes the connection with 1009', async () => {
    const c = await TestClient.connect(server.wsUrl);
    c.ws.send(Buffer.alloc((2 << 20) + 1));
    expect(await c.closed()).toBe(1009);
  });

  it('controls act on the shared run: stimulus, pause/resume, speed, cue and reset are acknowledged', async () => {
    const [c] = await TestClient.ready(server.wsUrl);
    c.send({ type: 'subscribe', streams: ['status', 'state'] });
    await c.next('subscribed');
    c.send({ type: 'control', id: 1, action: 'stimulus', module: 'b', input: 'b.vipDrive', rateHz: 5 });
    expect(await c.after('ack')).toEqual({ type: 'ack', id: 1, action: 'stimulus' });
    c.send({ type: 'control', id: 2, action: 'pause' });
    await c.after('ack');
    await c.next('status', (s) => s.phase === 'paused');
    c.send({ type: 'control', id: 3, action: 'speed', timeScale: 0.5 });
    await c.after('ack');
    c.send({ type: 'control', id: 4, action: 'resume' });
    await c.after('ack');
    const running = await c.after('status', (s) => s.phase === 'running' && s.timeScale === 0.5);
    expect(running.tick).toBeGreaterThan(0);
    c.send({ type: 'control', id: 5, action: 'cue', pool: 1, durationMs: 50 });
    c.send({ type: 'control', id: 6, action: 'reset' });
    c.send({ type: 'control', id: 7, action: 'cue', pool: 2 });
    expect((await c.after('error')).code).toBe('UNKNOWN_TARGET');
    expect(c.messages.filter((m) => m.type === 'ack').map((m) => (m as { id: number }).id)).toEqual([1, 2, 3, 4, 5, 6]);
    c.send({ type: 'control', id: 10, action: 'speed', timeScale: 0.25 });
    await c.after('ack');
    c.close();
  });

  it('start on another backend runs the demo there (or says why it cannot)', async () => {
    const [c, w] = await TestClient.ready(server.wsUrl);
    c.send({ type: 'subscribe', streams: ['status'] });
    const truenorth = w.backends.find((b) => b.id === 'truenorth')!;
    c.send({ type: 'control', id: 1, action: 'start', backend: 'truenorth' });
    if (truenorth.available) {
      await c.after('ack');
      expect(await c.after('status', (s) => s.phase === 'running' && s.backend === 'truenorth' && s.tick > 100)).toBeTruthy();
      c.send({ type: 'control', id: 2, action: 'start', backend: 'conductance' });
      await c.after('ack');
    } else {
      expect(await c.after('error')).toMatchObject({ code: 'UNSUPPORTED', id: 1, message: expect.stringContaining(truenorth.reason) as string });
    }
    c.close();
  });

  it('stop then start runs a new network from tick 0', async () => {
    const [c] = await TestClient.ready(server.wsUrl);
    c.send({ type: 'subscribe', streams: ['status'] });
    c.send({ type: 'control', id: 1, action: 'stop' });
    await c.next('status', (s) => s.phase === 'stopped');
    c.send({ type: 'control', id: 2, action: 'start', seed: 3 });
    await c.after('ack');
    const s = await c.after('status', (m) => m.phase === 'running');
    expect(s.tick).toBeLessThan(2000);
    expect(server.sim.currentSeed).toBe(3);
    c.close();
  });

  it('serves the viewer with a strict CSP; refuses foreign Hosts and Origins', async () => {
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await res.text()).toMatch(/<script type="module" src="viewer.js">/);
    const js = await fetch(new URL('/viewer.js', server.url));
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(new URL('/nope', server.url))).status).toBe(404);
    await expect(TestClient.connect(server.wsUrl, { origin: 'http://evil.example' })).rejects.toThrow(/HTTP 403/);
    await expect(TestClient.connect(server.wsUrl, { headers: { host: `rebound.example:${server.port}` } })).rejects.toThrow(/HTTP 403/);
    await expect(TestClient.connect(server.wsUrl, { origin: `http://127.0.0.1:${server.port}` })).resolves.toBeTruthy();
  });
});

describe('live server lifecycle', () => {
  it('a non-loopback host requires the token', async () => {
    const server = await startTestServer({ host: '0.0.0.0', token: 'tok', autostart: false });
    try {
      expect(server.wsUrl).toMatch(/\?token=tok$/);
      const base = `ws://127.0.0.1:${server.port}/ws`;
      await expect(TestClient.connect(base)).rejects.toThrow(/HTTP 401/);
      await expect(TestClient.connect(`${base}?token=wrong`)).rejects.toThrow(/HTTP 401/);
      const c = await TestClient.connect(`${base}?token=tok`);
      c.close();
    } finally {
      await server.close();
    }
  });

  it('close(): clients get bye and close 1001, and the port is released', async () => {
    const server = await startTestServer();
    const [c] = await TestClient.ready(server.wsUrl);
    const closed = c.closed();
    await server.close();
    expect(await closed).toBe(1001);
    expect(c.messages.at(-1)).toEqual({ type: 'bye', reason: 'server shutting down' });
    await expect(new Promise((resolve, reject) => {
      const ws = new WebSocket(server.wsUrl);
      ws.on('open', resolve);
      ws.on('error', reject);
    })).rejects.toThrow(/ECONNREFUSED/);
    expect(() => encodeMessage({ type: 'bye', reason: '' })).not.toThrow();
  });
});
