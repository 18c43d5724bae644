import { decodeServerMessage, encodeMessage } from '../server/codec.ts';
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from '../server/protocol.ts';
import type { Transport } from '../viewer/transport.ts';
import type { PageToSim, SimToPage } from './messages.ts';

/**
 * The viewer's transport (runtime/viewer/transport.ts) when the simulation runs in this page: a
 * simulation worker (sim-worker.ts) and a vision worker (vision-worker.ts) joined by a
 * MessageChannel. Frames are the protocol's MessagePack bytes, decoded and validated exactly as
 * from the WebSocket; received bytes are acknowledged in batches so the worker's queue sees the
 * page's backlog as a socket's.
 */
export class WorkerTransport implements Transport {
  onMessage: (m: ServerMessage) => void = () => {};
  onState: (state: 'connecting' | 'open' | 'closed', detail: string) => void = () => {};
  readonly reconnects = false;
  received = 0;
  invalid = 0;
  private sim: Worker | null = null;
  private vision: Worker | null = null;
  private unacked = 0;
  private ackTimer: number | undefined;

  constructor(private readonly options: { seed?: number; backend?: string } = WorkerTransport.pageOptions()) {}

  /** ?seed=N&backend=… of this page. */
  static pageOptions(): { seed?: number; backend?: string } {
    const q = new URLSearchParams(location.search);
    const seed = q.get('seed');
    const backend = q.get('backend');
    return { ...(seed === null ? {} : { seed: Number(seed) }), ...(backend === null ? {} : { backend }) };
  }

  connect(): void {
    this.onState('connecting', 'the simulation in this page');
    const sim = new Worker(new URL('./sim-worker.js', import.meta.url), { type: 'module', name: 'swta simulation' });
    const vision = new Worker(new URL('./vision-worker.js', import.meta.url), { type: 'module', name: 'swta vision' });
    this.sim = sim;
    this.vision = vision;
    const channel = new MessageChannel();
    // Each worker says 'loaded' when its module has run; messages sent before could be lost.
    vision.onmessage = () => {
      vision.onmessage = null;
      vision.postMessage({ port: channel.port2 }, [channel.port2]);
    };
    sim.onmessage = (ev: MessageEvent<SimToPage>) => {
      if (ev.data.kind !== 'loaded') return this.receive(ev.data);
      this.post({ kind: 'live', vision: channel.port1, ...this.options }, [channel.port1]);
    };
    sim.onerror = (ev) => this.onState('closed', `the simulation worker failed: ${ev.message}`);
    vision.onerror = (ev) => console.error(`swta: the vision worker failed: ${ev.message}`);
  }

  get bufferedAmount(): number {
    return 0;
  }

  send(m: ClientMessage): void {
    const data = encodeMessage(m);
    this.post({ kind: 'frame', data }, [data.buffer]);
  }

  close(): void {
    this.sim?.terminate();
    this.vision?.terminate();
    this.sim = this.vision = null;
    this.onState('closed', 'closed');
  }

  private post(m: PageToSim, transfer: Transferable[]): void {
    this.sim?.postMessage(m, transfer);
  }

  private receive(m: SimToPage): void {
    if (m.kind === 'ready') {
      this.onState('open', '');
      this.send({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'swta viewer (in-page)' });
      return;
    }
    if (m.kind === 'fatal') {
      console.error(`swta: the simulation worker stopped: ${m.message}`);
      this.onState('closed', m.message);
      return;
    }
    if (m.kind !== 'frame') return;
    this.received++;
    this.unacked += m.data.byteLength;
    this.ackTimer ??= window.setTimeout(() => {
      this.ackTimer = undefined;
      this.post({ kind: 'ack', bytes: this.unacked }, []);
      this.unacked = 0;
    }, 10);
    let msg: ServerMessage;
    try {
      msg = decodeServerMessage(m.data);
    } catch (e) {
      this.invalid++;
      console.warn('swta viewer: invalid frame from the simulation worker', e);
      return;
    }
    this.onMessage(msg);
  }
}
