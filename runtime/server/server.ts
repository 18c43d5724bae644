import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkRequest, checkUpgrade, isLoopback, type AccessConfig } from './access.ts';
import { backendInfo, type BackendInfo } from './backends.ts';
import { CameraScheduler } from './camera.ts';
import { loadImageFilter } from './camera-filter.ts';
import type { QueueLimits } from './client-queue.ts';
import { encodeMessage } from './codec.ts';
import { LiveSimulation, type LiveSimOptions } from './live-sim.ts';
import {
  CAMERA_MAX_HEIGHT, CAMERA_MAX_WIDTH, MAX_DECIMATION, PROTOCOL_VERSION, ProtocolError, WS_PATH,
  type CameraFrame, type Control, type Subscribe, type Welcome,
} from './protocol.ts';
import { ClientSession, type SessionHost, type SessionSocket } from './session.ts';
import { FrameBuilder, resolveSubscription, type ResolvedSubscription } from './subscription.ts';
import { bundleViewer, type ViewerAssets } from './viewer-assets.ts';
import { loadClassifier, type Classifier } from './vit-classifier.ts';

export interface LiveServerOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback). Any other address requires a token. */
  host?: string;
  /** Token for a non-loopback host; generated when omitted. */
  token?: string;
  /** Browser origins allowed besides the server's own page. */
  allowOrigins?: string[];
  /** Largest inbound frame (bytes); default 2 MiB. */
  maxPayloadBytes?: number;
  queue?: Partial<QueueLimits>;
  sim?: LiveSimOptions;
  /** A ViT checkpoint folder; default: the first one under data/vision/. */
  modelDir?: string;
  /** Bundle and serve the browser viewer (default true). */
  viewer?: boolean;
  /** Start the simulation right away (default true). */
  autostart?: boolean;
  log?: (line: string) => void;
}

export const SERVER_DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  maxPayloadBytes: 2 << 20,
  /** Side of the camera path's square image: the digit ViT's input (src/vision/vit/config.ts DIGITS_VIT). */
  cameraSide: 28,
} as const;

export interface LiveServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly token: string | null;
  readonly sim: LiveSimulation;
  readonly sessions: ReadonlyMap<string, ClientSession>;
  close(): Promise<void>;
}

interface Group {
  builder: FrameBuilder;
  sessions: Set<ClientSession>;
}

const VERSION = '0.1.0';

/**
 * `swta serve`: the live demo over HTTP (the viewer) and WebSocket (PROTOCOL.md). One simulation,
 * any number of clients, each with its own bounded queue; the simulation never waits for one.
 *
 * @example
 * ```ts
 * const server = await startLiveServer({ port: 0 });
 * console.log(`open ${server.url}`);          // http://127.0.0.1:<port>/
 * process.once('SIGINT', () => void server.close());
 * ```
 */
export async function startLiveServer(options: LiveServerOptions = {}): Promise<LiveServer> {
  const log = options.log ?? (() => {});
  const host = options.host ?? SERVER_DEFAULTS.host;
  const loopback = isLoopback(host);
  const token = loopback ? null : options.token ?? randomBytes(16).toString('hex');
  const maxPayload = options.maxPayloadBytes ?? SERVER_DEFAULTS.maxPayloadBytes;
  const side = SERVER_DEFAULTS.cameraSide;

  const sim = new LiveSimulation(options.sim);
  const [backends, classifier, assets] = await Promise.all([
    backendInfo(),
    loadClassifier({ ...(options.modelDir === undefined ? {} : { modelDir: options.modelDir }), width: side, height: side }),
    options.viewer === false ? Promise.resolve(null) : bundleViewer(),
  ]);
  const filter = loadImageFilter();
  const camera = new CameraScheduler({ filter, classifier, side, pools: sim.cueDefaults.pools, maxRateHz: sim.cameraDrive.maxRateHz });
  log(`camera path: filter ${filter.name}; ViT ${classifier.info.available ? classifier.info.name : `not available (${classifier.info.reason})`}`);

  const sessions = new Map<string, ClientSession>();
  const sockets = new Map<string, WebSocket>();
  const groups = new Map<string, Group>();
  let nextId = 0;
  let closing = false;

  const leaveGroup = (s: ClientSession): void => {
    const key = s.subscription?.key;
    if (key === undefined) return;
    const g = groups.get(key);
    if (!g) return;
    g.sessions.delete(s);
    if (g.sessions.size === 0) groups.delete(key);
  };

  const hostApi: SessionHost = {
    provisional: sim.machineSpec.provisional,
    welcome: (session) => welcomeOf(session, sim, backends, classifier, filter.name, maxPayload, options.queue?.spikeFrames ?? 512),
    subscribe: (session, msg: Subscribe): ResolvedSubscription => {
      const sub = resolveSubscription(msg, sim.populations, sim.modules, session.id);
      leaveGroup(session);
      session.subscription = sub;
      if (sub.streams.has('spikes')) {
        let g = groups.get(sub.key);
        if (!g) groups.set(sub.key, (g = { builder: new FrameBuilder(sub), sessions: new Set() }));
        g.sessions.add(session);
        // Share the group's builder, whose subscription equals this one (same key).
        session.subscription = g.builder.sub;
      }
      return session.subscription;
    },
    control: (msg: Control) => control(sim, msg),
    camera: (session, frame: CameraFrame) => {
      const replaced = camera.submit(
        session.id,
        frame,
        (r) => {
          if (frame.drive !== false) sim.setCameraDrive(r.poolRatesHz);
          session.deliverCamera(r);
        },
        (e) => session.fail(e),
      );
      if (replaced) session.cameraDropped++;
    },
    currentState: () => sim.currentState,
    currentStatus: () => sim.status,
    log,
  };

  // Fan-out: everything below runs synchronously inside the simulation's tick and must not block.
  sim.ticks$.subscribe((t) => {
    for (const g of groups.values()) {
      const frame = g.builder.add(t);
      if (frame) for (const s of g.sessions) s.queue.pushSpikes(frame);
    }
  });
  sim.rates$.subscribe(({ tick, hz }) => {
    for (const s of sessions.values()) {
      const sub = s.subscription;
      if (!sub || !sub.streams.has('rates')) continue;
      const mine = new Float32Array(sub.populations.length);
      for (let j = 0; j < mine.length; j++) mine[j] = hz[sub.populations[j]!]!;
      s.queue.pushLatest('rates', { type: 'rates', tick, windowMs: sim.streams.rateWindowMs, populations: sub.populations, hz: mine });
    }
  });
  sim.status$.subscribe((st) => {
    for (const s of sessions.values()) if (s.wants('status')) s.queue.pushLatest('status', s.statusMessage(st));
  });
  sim.state$.subscribe((e) => {
    for (const s of sessions.values()) if (s.wants('state')) s.send(s.stateMessage(e));
  });
  sim.failures$.subscribe((e) => {
    log(`simulation: ${e.message}`);
    for (const s of sessions.values()) if (s.isReady) s.fail(e);
  });

  const access: AccessConfig = { host, port: options.port ?? SERVER_DEFAULTS.port, token, allowOrigins: options.allowOrigins ?? [] };
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, clientTracking: false });
  const http = createServer((req, res) => serveHttp(req, res, access, assets));
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const verdict = closing ? { ok: false as const, status: 503, reason: 'server shutting down' } : checkUpgrade(req, access);
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.status === 401 ? 'Unauthorized' : verdict.status === 403 ? 'Forbidden' : 'Error'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${verdict.reason}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  const accept = (ws: WebSocket): void => {
    const id = `c${++nextId}`;
    const sock: SessionSocket = {
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (data, done) => ws.send(data, { binary: true }, done),
      // A close reason may hold at most 123 bytes.
      close: (code, reason) => ws.close(code, Buffer.from(reason).subarray(0, 120).toString()),
    };
    const session = new ClientSession(id, sock, hostApi, options.queue);
    sessions.set(id, session);
    sockets.set(id, ws);
    ws.on('message', (data, isBinary) => session.onFrame(data instanceof Uint8Array ? data : Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data), isBinary));
    ws.on('error', (e) => log(`client ${id}: ${e.message}`));
    ws.on('close', () => {
      leaveGroup(session);
      session.queue.close();
      camera.forget(id);
      sessions.delete(id);
      sockets.delete(id);
    });
  };

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(access.port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  access.port = port;
  const shown = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${port}/${token ? `?token=${token}` : ''}`;
  const wsUrl = `ws://${shown}:${port}${WS_PATH}${token ? `?token=${token}` : ''}`;
  if (options.autostart !== false) await sim.start();

  return {
    url,
    wsUrl,
    port,
    token,
    sim,
    sessions,
    async close() {
      if (closing) return;
      closing = true;
      const bye = encodeMessage({ type: 'bye', reason: 'server shutting down' });
      for (const ws of sockets.values()) {
        try {
          ws.send(bye, { binary: true });
          ws.close(1001, 'server shutting down');
        } catch {
          // Already closing.
        }
      }
      camera.close();
      await sim.close();
      classifier.dispose();
      await new Promise<void>((resolve) => {
        // A client that does not answer the close handshake is cut off after a grace period.
        const timer = setTimeout(() => {
          for (const ws of sockets.values()) ws.terminate();
          http.closeAllConnections();
        }, 500);
        http.close(() => {
          clearTimeout(timer);
          resolve();
        });
        http.closeIdleConnections();
        if (sockets.size === 0) http.closeAllConnections();
      });
      wss.close();
    },
  };
}

async function control(sim: LiveSimulation, msg: Control): Promise<void> {
  switch (msg.action) {
    case 'start':
      return sim.start({ ...(msg.backend === undefined ? {} : { backend: msg.backend }), ...(msg.seed === undefined ? {} : { seed: msg.seed }) });
    case 'pause':
      return sim.pause();
    case 'resume':
      return sim.resume();
    case 'stop':
      return sim.stop();
    case 'speed':
      return sim.setSpeed(msg.timeScale);
    case 'stimulus':
      return sim.setStimulus(msg.module, msg.input, msg.rateHz);
    case 'cue':
      return sim.cuePool(msg.pool, msg.durationMs, msg.rateHz);
    case 'reset':
      return sim.resetMemory();
    default:
      throw new ProtocolError('BAD_MESSAGE', `unknown control action '${(msg as { action: string }).action}'`, { path: 'action' });
  }
}

function welcomeOf(session: string, sim: LiveSimulation, backends: BackendInfo[], classifier: Classifier, filter: string, maxPayload: number, spikeQueueFrames: number): Welcome {
  return {
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    server: `swta/${VERSION}`,
    session,
    backend: sim.currentBackend,
    backends: backends.map((b) => ({ id: b.id, available: b.available, reason: b.reason })),
    seed: sim.currentSeed,
    tickMs: 1,
    modules: sim.modules.map((m) => ({ id: m.id, populations: [...m.populations], inputs: m.inputs.map((i) => ({ ...i })) })),
    links: [...sim.links],
    populations: [...sim.populations],
    machine: sim.machineSpec,
    cues: sim.cueDefaults,
    streams: { ...sim.streams },
    limits: { maxPayloadBytes: maxPayload, spikeQueueFrames, maxDecimation: MAX_DECIMATION, cameraMaxWidth: CAMERA_MAX_WIDTH, cameraMaxHeight: CAMERA_MAX_HEIGHT },
    camera: { model: classifier.info, filter, inputWidth: SERVER_DEFAULTS.cameraSide, inputHeight: SERVER_DEFAULTS.cameraSide, drivesModule: sim.cameraDrive.module, maxRateHz: sim.cameraDrive.maxRateHz },
  };
}

function serveHttp(req: IncomingMessage, res: ServerResponse, access: AccessConfig, assets: ViewerAssets | null): void {
  const verdict = checkRequest(req, access);
  if (!verdict.ok) {
    res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${verdict.reason}\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('only GET and HEAD\n');
    return;
  }
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const files: Record<string, [string, string] | undefined> = assets
    ? { '/': [assets.html, 'text/html'], '/index.html': [assets.html, 'text/html'], '/viewer.js': [assets.js, 'text/javascript'], '/viewer.css': [assets.css, 'text/css'] }
    : {};
  const file = files[path];
  if (!file) {
    res.writeHead(path === '/favicon.ico' ? 204 : 404, { 'content-type': 'text/plain; charset=utf-8' }).end(path === '/favicon.ico' ? undefined : `no ${path} here; the viewer is at /\n`);
    return;
  }
  const hostHeader = req.headers.host ?? `127.0.0.1:${access.port}`;
  res.writeHead(200, {
    'content-type': `${file[1]}; charset=utf-8`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'self'; connect-src 'self' ws://${hostHeader}; img-src 'self' blob: data:; media-src 'self' blob: mediastream:; style-src 'self'; script-src 'self'; frame-ancestors 'none'`,
  });
  res.end(req.method === 'HEAD' ? undefined : file[0]);
}
