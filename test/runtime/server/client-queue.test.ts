import { describe, expect, it } from 'vitest';
import { OutboundQueue, spikeFrameBytes, type Sink } from '../../../runtime/server/client-queue.ts';
import type { ServerMessage } from '../../../runtime/server/protocol.ts';
import type { SharedSpikeFrame } from '../../../runtime/server/subscription.ts';

/** A socket that accepts writes while `open`, holding them as unsent bytes until flush(). */
class FakeSink implements Sink {
  bufferedAmount = 0;
  sent: ServerMessage[] = [];
  private pending: (() => void)[] = [];
  send(data: Uint8Array, done: (e?: Error) => void): void {
    this.bufferedAmount += data.length;
    this.sent.push(JSON.parse(new TextDecoder().decode(data)) as ServerMessage);
    this.pending.push(() => {
      this.bufferedAmount -= data.length;
      done();
    });
  }
  /** The network takes everything written so far (write callbacks fire). */
  flush(): void {
    const p = this.pending;
    this.pending = [];
    for (const f of p) f();
  }
}

const encode = (m: ServerMessage): Uint8Array => new TextEncoder().encode(JSON.stringify({ ...m, ...('indices' in m ? { indices: Array.from(m.indices) } : {}) }));
const frame = (tick: number, n = 1): SharedSpikeFrame => ({ type: 'spikes', tick, span: 1, populations: new Uint16Array([0]), counts: new Uint32Array([n]), indices: new Int32Array(n) });

describe('OutboundQueue', () => {
  it('sends at once while the socket has room, in lane order: reliable, status, rates, camera, spikes', () => {
    const sink = new FakeSink();
    sink.bufferedAmount = 1e9; // blocked: everything queues
    let overflow = 0;
    const q = new OutboundQueue(sink, { encode, onOverflow: () => overflow++ });
    q.pushSpikes(frame(1));
    q.pushLatest('rates', { type: 'rates', tick: 1, windowMs: 100, populations: new Uint16Array(0), hz: new Float32Array(0) });
    q.pushLatest('status', { type: 'status' } as never);
    q.pushReliable({ type: 'ack', action: 'x' });
    sink.bufferedAmount = 0;
    q.pump();
    expect(sink.sent.map((m) => m.type)).toEqual(['ack', 'status', 'rates', 'spikes']);
    expect(overflow).toBe(0);
  });

  it('a stalled client: spike frames drop oldest within both bounds, counted and reported in the next frame', () => {
    const sink = new FakeSink();
    const q = new OutboundQueue(sink, { encode, onOverflow: () => {}, limits: { spikeFrames: 4, highWaterBytes: 100, spikeBytes: 1 << 20 } });
    for (let t = 0; t < 50; t++) q.pushSpikes(frame(t, 10));
    // Sent until the socket's unsent bytes reached the high-water mark; then 4 queued, the rest dropped.
    const sentFirst = sink.sent.length;
    expect(sentFirst).toBeGreaterThanOrEqual(1);
    expect(q.stats.frames).toBe(4);
    expect(q.stats.droppedSpikes).toBe(50 - sentFirst - 4);
    expect(q.stats.bytes).toBe(4 * spikeFrameBytes(frame(0, 10)));
    for (let i = 0; i < 10; i++) sink.flush();
    const ticks = sink.sent.map((m) => (m as { tick: number }).tick);
    expect(ticks.slice(sentFirst)).toEqual([46, 47, 48, 49]); // the newest survive
    expect((sink.sent.at(-1) as { dropped: number }).dropped).toBe(50 - sentFirst - 4);
  });

  it('bounds queued spike bytes, not only frames', () => {
    const sink = new FakeSink();
    sink.bufferedAmount = 1e9;
    const one = spikeFrameBytes(frame(0, 1000));
    const q = new OutboundQueue(sink, { encode, onOverflow: () => {}, limits: { spikeFrames: 100, spikeBytes: 3 * one } });
    for (let t = 0; t < 10; t++) q.pushSpikes(frame(t, 1000));
    expect(q.stats.frames).toBe(3);
    expect(q.stats.bytes).toBeLessThanOrEqual(3 * one);
    expect(q.stats.droppedSpikes).toBe(7);
  });

  it('latest slots: newest wins, replaced ones are counted', () => {
    const sink = new FakeSink();
    sink.bufferedAmount = 1e9;
    const q = new OutboundQueue(sink, { encode, onOverflow: () => {} });
    for (let t = 0; t < 5; t++) q.pushLatest('rates', { type: 'rates', tick: t, windowMs: 100, populations: new Uint16Array(0), hz: new Float32Array(0) });
    expect(q.stats.superseded).toBe(4);
    sink.bufferedAmount = 0;
    q.pump();
    expect(sink.sent).toHaveLength(1);
    expect((sink.sent[0] as { tick: number }).tick).toBe(4);
  });

  it('reliable messages are never dropped: overflow closes the client', () => {
    const sink = new FakeSink();
    sink.bufferedAmount = 1e9;
    let overflow = 0;
    const q = new OutboundQueue(sink, { encode, onOverflow: () => overflow++, limits: { reliable: 3 } });
    for (let i = 0; i < 3; i++) q.pushReliable({ type: 'ack', action: String(i) });
    expect(overflow).toBe(0);
    q.pushReliable({ type: 'ack', action: 'x' });
    expect(overflow).toBe(1);
    q.pushSpikes(frame(1));
    expect(q.stats.frames).toBe(0); // closed: nothing queued any more
  });

  it('a write error closes the queue', () => {
    const sink: Sink = { bufferedAmount: 0, send: (_d, done) => done(new Error('closed')) };
    const q = new OutboundQueue(sink, { encode, onOverflow: () => {} });
    q.pushReliable({ type: 'ack', action: 'a' });
    q.pushReliable({ type: 'ack', action: 'b' });
    expect(q.stats.sentMessages).toBe(1);
  });
});
