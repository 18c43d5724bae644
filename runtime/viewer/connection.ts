import { decodeServerMessage, encodeMessage } from '../server/codec.ts';
import { PROTOCOL_VERSION, WS_PATH, type ClientMessage, type ServerMessage } from '../server/protocol.ts';
import type { Transport } from './transport.ts';

/**
 * The viewer's WebSocket: connects to the page's own server (with the page's ?token= when it has
 * one), says hello, hands every decoded message to `onMessage`, and reconnects with backoff when
 * the server goes away. Frames that fail validation are counted and logged, never thrown.
 */
export class Connection implements Transport {
  onMessage: (m: ServerMessage) => void = () => {};
  onState: (state: 'connecting' | 'open' | 'closed', detail: string) => void = () => {};
  readonly reconnects = true;
  received = 0;
  invalid = 0;
  private ws: WebSocket | null = null;
  private retryMs = 500;
  private stopped = false;

  constructor(private readonly url: string = Connection.pageUrl()) {}

  /** ws://<this page's host>/ws[?token=…] */
  static pageUrl(): string {
    const token = new URLSearchParams(location.search).get('token');
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  }

  connect(): void {
    this.stopped = false;
    this.onState('connecting', this.url.replace(/token=[^&]+/, 'token=…'));
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = 500;
      this.onState('open', '');
      this.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'swta viewer' });
    };
    ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => {
      this.received++;
      if (typeof ev.data === 'string') return;
      let m: ServerMessage;
      try {
        m = decodeServerMessage(new Uint8Array(ev.data));
      } catch (e) {
        this.invalid++;
        console.warn('swta viewer: invalid frame from the server', e);
        return;
      }
      this.onMessage(m);
    };
    ws.onclose = (ev) => {
      this.ws = null;
      this.onState('closed', `${ev.code}${ev.reason ? ` ${ev.reason}` : ''}`);
      if (this.stopped || ev.code === 4002) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(10_000, this.retryMs * 2);
    };
  }

  /** Bytes queued in the browser's socket (used to skip camera frames when the link is busy). */
  get bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  send(m: ClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeMessage(m));
  }

  close(): void {
    this.stopped = true;
    this.ws?.close();
  }
}
