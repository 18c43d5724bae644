import { OutboundQueue, type QueueLimits, type Sink } from './client-queue.ts';
import { decodeClientMessage, encodeMessage } from './codec.ts';
import type { LiveStatus } from './live-status.ts';
import type { MachineEvent } from './machine.ts';
import {
  PROTOCOL_VERSION, ProtocolError, type CameraFrame, type CameraResult, type ClientMessage, type Control, type ErrorCode,
  type ServerMessage, type StatusMessage, type Subscribe, type Welcome,
} from './protocol.ts';
import type { ResolvedSubscription } from './subscription.ts';

/** What a session needs from the server around it. */
export interface SessionHost {
  welcome(session: string): Welcome;
  subscribe(session: ClientSession, msg: Subscribe): ResolvedSubscription;
  control(msg: Control): Promise<void>;
  camera(session: ClientSession, frame: CameraFrame): void;
  currentState(): MachineEvent;
  currentStatus(): LiveStatus;
  /** Whether state events come from a stand-in observer (PROTOCOL.md §5.4). */
  readonly provisional: boolean;
  log(line: string): void;
}

/** The socket as a session sees it. */
export interface SessionSocket extends Sink {
  close(code: number, reason: string): void;
}

/**
 * One client connection: the protocol state (before/after hello), its subscription, its
 * outbound queue, and the handling of each inbound message, every one validated and answered
 * with a typed error when wrong (PROTOCOL.md §3, §6). Nothing here throws to the socket layer.
 */
export class ClientSession {
  readonly id: string;
  readonly queue: OutboundQueue;
  subscription: ResolvedSubscription | null = null;
  /** Camera frames of this client replaced before processing. */
  cameraDropped = 0;
  /** Inbound frames and errors answered, for tests and logs. */
  received = 0;
  errors = 0;
  private ready = false;
  private readonly socket: SessionSocket;
  private readonly host: SessionHost;

  constructor(id: string, socket: SessionSocket, host: SessionHost, limits: Partial<QueueLimits> = {}) {
    this.id = id;
    this.socket = socket;
    this.host = host;
    this.queue = new OutboundQueue(socket, {
      limits,
      encode: encodeMessage,
      onOverflow: () => {
        host.log(`client ${id}: reliable queue overflow (not reading); closing with 4008`);
        socket.close(4008, 'reliable queue overflow: the client is not reading');
      },
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  wants(stream: 'spikes' | 'rates' | 'status' | 'state' | 'camera'): boolean {
    return this.subscription?.streams.has(stream) ?? false;
  }

  /** One WebSocket message. */
  onFrame(data: Uint8Array, isBinary: boolean): void {
    this.received++;
    if (!isBinary) return this.error('TEXT_FRAME', 'text frames are not part of the protocol: send one MessagePack map per binary frame');
    let msg: ClientMessage;
    try {
      msg = decodeClientMessage(data);
    } catch (e) {
      return this.fail(e);
    }
    try {
      this.handle(msg);
    } catch (e) {
      this.fail(e, msg);
    }
  }

  send(m: ServerMessage): void {
    this.queue.pushReliable(m);
  }

  statusMessage(s: LiveStatus): StatusMessage {
    const q = this.queue.stats;
    return {
      type: 'status',
      phase: s.phase,
      backend: s.backend,
      tick: s.tick,
      simulatedMs: s.simulatedMs,
      wallMs: s.wallMs,
      timeScale: s.timeScale,
      realTimeFactor: s.realTimeFactor,
      recentRealTimeFactor: s.recentRealTimeFactor,
      busyFactor: s.busyFactor,
      deadlineMisses: s.deadlineMisses,
      lagMs: s.lagMs,
      maxLagMs: s.maxLagMs,
      ...(s.error === undefined ? {} : { error: s.error }),
      drops: { spikes: q.droppedSpikes, superseded: q.superseded, camera: this.cameraDropped },
      queued: { frames: q.frames, bytes: q.bytes },
    };
  }

  stateMessage(e: MachineEvent): ServerMessage {
    return { type: 'state', state: e.state, since: e.since, transition: e.transition, provisional: this.host.provisional };
  }

  private handle(msg: ClientMessage): void {
    if (msg.type === 'hello') {
      if (this.ready) throw new ProtocolError('BAD_STATE', 'hello was already received on this connection');
      if (msg.protocol !== PROTOCOL_VERSION) {
        this.error('PROTOCOL_VERSION', `this server speaks protocol ${PROTOCOL_VERSION}, the client asked for ${msg.protocol}`);
        // Give the error a moment to leave before closing (the queue writes it at once when the socket has room).
        this.socket.close(4002, `unsupported protocol version ${msg.protocol}; this server speaks ${PROTOCOL_VERSION}`);
        return;
      }
      this.ready = true;
      this.send(this.host.welcome(this.id));
      return;
    }
    if (!this.ready) throw new ProtocolError('NOT_READY', `'${msg.type}' before 'hello': send { type: 'hello', protocol: ${PROTOCOL_VERSION} } first`);
    switch (msg.type) {
      case 'subscribe': {
        const sub = this.host.subscribe(this, msg);
        this.send({
          type: 'subscribed',
          ...(msg.id === undefined ? {} : { id: msg.id }),
          streams: [...sub.streams],
          populations: sub.populations,
          decimation: sub.decimation,
          neurons: sub.neurons,
        });
        if (sub.streams.has('state')) this.send(this.stateMessage(this.host.currentState()));
        if (sub.streams.has('status')) this.queue.pushLatest('status', this.statusMessage(this.host.currentStatus()));
        return;
      }
      case 'control':
        this.host.control(msg).then(
          () => this.send({ type: 'ack', ...(msg.id === undefined ? {} : { id: msg.id }), action: msg.action }),
          (e: unknown) => this.fail(e, msg),
        );
        return;
      case 'camera':
        this.host.camera(this, msg);
        return;
      case 'ping':
        this.send({ type: 'pong', ...(msg.id === undefined ? {} : { id: msg.id }), ...(msg.t === undefined ? {} : { t: msg.t }), serverTimeMs: performance.now() });
        return;
    }
  }

  deliverCamera(r: Omit<CameraResult, 'dropped'>): void {
    if (this.wants('camera') || this.subscription === null) this.queue.pushLatest('camera', { ...r, dropped: this.cameraDropped });
  }

  fail(e: unknown, msg?: ClientMessage): void {
    const id = msg && 'id' in msg && typeof msg.id === 'number' ? msg.id : undefined;
    if (e instanceof ProtocolError) {
      this.error(e.code, e.message, e.id ?? id, e.path);
    } else {
      const code: ErrorCode = (e as { code?: unknown })?.code === 'MODULE_FAILED' ? 'MODULE_FAILED' : 'INTERNAL';
      const text = e instanceof Error ? e.message : String(e);
      if (code === 'INTERNAL') this.host.log(`client ${this.id}: internal error on '${msg?.type ?? 'frame'}': ${text}`);
      this.error(code, text, id);
    }
  }

  private error(code: ErrorCode, message: string, id?: number, path?: string): void {
    this.errors++;
    this.send({ type: 'error', code, message, ...(id === undefined ? {} : { id }), ...(path === undefined ? {} : { path }) });
  }
}
