import WebSocket from 'ws';
import { decodeServerMessage, encodeMessage } from '../../../runtime/server/codec.ts';
import type { ClientMessage, ServerMessage } from '../../../runtime/server/protocol.ts';
import { startLiveServer, type LiveServer, type LiveServerOptions } from '../../../runtime/server/server.ts';
import { engines, RECORDING_ADAPTER } from './recording-adapter.ts';

/** A small, fast server for tests: 20-cell pools, 4× real time, no viewer bundle unless asked. */
export function startTestServer(o: LiveServerOptions = {}): Promise<LiveServer> {
  return startLiveServer({ port: 0, viewer: false, ...o, sim: { network: { poolSize: 20 }, timeScale: 0.25, placement: { kind: 'actors' }, ...o.sim } });
}

/** A test server on the recording adapter (engines kept for their probe counts), both pools of both modules driven at 30 Hz so every population spikes. */
export async function startRecordingServer(): Promise<LiveServer> {
  engines.clear();
  const server = await startTestServer({ sim: { adapter: RECORDING_ADAPTER, network: { poolSize: 20, rateProbes: true } } });
  for (const m of ['a', 'b']) for (const k of [0, 1]) server.sim.setStimulus(m, `${m}.in${k}`, 30);
  return server;
}

type Of<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** A protocol client that records every message it receives. */
export class TestClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  closeCode: number | null = null;
  private waiters: (() => void)[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      this.messages.push(decodeServerMessage(data));
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => {});
  }

  static connect(url: string, options: { origin?: string; headers?: Record<string, string> } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { ...(options.origin ? { origin: options.origin } : {}), ...(options.headers ? { headers: options.headers } : {}) });
      ws.once('open', () => resolve(new TestClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Connect and say hello; resolves with the welcome. */
  static async ready(url: string): Promise<[TestClient, Of<'welcome'>]> {
    const c = await TestClient.connect(url);
    c.send({ type: 'hello', protocol: 1, client: 'test' });
    return [c, await c.next('welcome')];
  }

  send(m: ClientMessage | Record<string, unknown>): void {
    this.ws.send(encodeMessage(m as ClientMessage));
  }

  /** The first message of `type` (after index `from`) matching `pred`, waiting up to timeoutMs. */
  async next<T extends ServerMessage['type']>(type: T, pred: (m: Of<T>) => boolean = () => true, timeoutMs = 30_000, from = 0): Promise<Of<T>> {
    const deadline = Date.now() + timeoutMs;
    let i = from;
    for (;;) {
      for (; i < this.messages.length; i++) {
        const m = this.messages[i]!;
        if (m.type === type && pred(m as Of<T>)) return m as Of<T>;
      }
      if (this.closeCode !== null) throw new Error(`connection closed (${this.closeCode}) before a '${type}' message`);
      if (Date.now() > deadline) throw new Error(`no '${type}' message within ${timeoutMs} ms; got ${this.messages.map((m) => m.type).slice(-20).join(', ')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Wait for a message sent after this call. */
  after<T extends ServerMessage['type']>(type: T, pred?: (m: Of<T>) => boolean, timeoutMs?: number): Promise<Of<T>> {
    return this.next(type, pred, timeoutMs, this.messages.length);
  }

  closed(): Promise<number> {
    return new Promise((resolve) => {
      if (this.closeCode !== null) resolve(this.closeCode);
      else this.ws.once('close', (code) => resolve(code));
    });
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
