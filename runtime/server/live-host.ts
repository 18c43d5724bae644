import type { BackendInfo } from './backends.ts';
import { CameraScheduler } from './camera.ts';
import type { ImageFilter } from './camera-filter.ts';
import type { QueueLimits } from './client-queue.ts';
import type { LiveSimulation } from './live-sim.ts';
import { MAX_DECIMATION, CAMERA_MAX_HEIGHT, CAMERA_MAX_WIDTH, PROTOCOL_VERSION, ProtocolError, type CameraFrame, type Control, type Subscribe, type Welcome } from './protocol.ts';
import { ClientSession, type SessionHost, type SessionSocket } from './session.ts';
import { FrameBuilder, resolveSubscription, type ResolvedSubscription } from './subscription.ts';
import type { Classifier } from './vit-classifier.ts';

/**
 * The live protocol's server side without its transport (PROTOCOL.md): one simulation, its
 * clients' sessions, the fan-out of every stream to them, controls and the camera path. The
 * WebSocket server (server.ts) hands it one SessionSocket per connection; the browser build hands
 * it one per page, over a Web Worker's messages (runtime/web/sim-worker.ts).
 */
export const LIVE_HOST_DEFAULTS = {
  /** Largest inbound frame (bytes). */
  maxPayloadBytes: 2 << 20,
  /** Side of the camera path's square image: the digit ViT's input (src/vision/vit/config.ts DIGITS_VIT). */
  cameraSide: 28,
} as const;

export interface LiveHostOptions {
  sim: LiveSimulation;
  backends: readonly BackendInfo[];
  classifier: Classifier;
  filter: ImageFilter;
  /** Side of the camera path's square image. */
  cameraSide: number;
  /** What welcome calls the server (`swta/<version>`). */
  server: string;
  /** Largest inbound frame (bytes), as the transport enforces it; reported in welcome. */
  maxPayloadBytes: number;
  queue?: Partial<QueueLimits>;
  log?: (line: string) => void;
}

export interface LiveHost {
  readonly sessions: ReadonlyMap<string, ClientSession>;
  /** A new client on `socket`; its frames go to the session's onFrame(). */
  accept(socket: SessionSocket): ClientSession;
  /** The client's transport closed. */
  drop(session: ClientSession): void;
  /** Stop the camera path (the simulation is the caller's to close). */
  close(): void;
}

interface Group {
  builder: FrameBuilder;
  sessions: Set<ClientSession>;
}

export function createLiveHost(o: LiveHostOptions): LiveHost {
  const { sim, classifier, filter } = o;
  const log = o.log ?? (() => {});
  const camera = new CameraScheduler({ filter, classifier, side: o.cameraSide, pools: sim.cueDefaults.pools, maxRateHz: sim.cameraDrive.maxRateHz });
  log(`camera path: filter ${filter.name}; ViT ${classifier.info.available ? classifier.info.name : `not available (${classifier.info.reason})`}`);

  const sessions = new Map<string, ClientSession>();
  const groups = new Map<string, Group>();
  let nextId = 0;

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
    welcome: (session) => welcomeOf(session, o),
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

  return {
    sessions,
    accept(socket) {
      const session = new ClientSession(`c${++nextId}`, socket, hostApi, o.queue);
      sessions.set(session.id, session);
      return session;
    },
    drop(session) {
      leaveGroup(session);
      session.queue.close();
      camera.forget(session.id);
      sessions.delete(session.id);
    },
    close() {
      camera.close();
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

function welcomeOf(session: string, o: LiveHostOptions): Welcome {
  const { sim } = o;
  return {
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    server: o.server,
    session,
    backend: sim.currentBackend,
    backends: o.backends.map((b) => ({ id: b.id, available: b.available, reason: b.reason })),
    seed: sim.currentSeed,
    tickMs: 1,
    modules: sim.modules.map((m) => ({ id: m.id, populations: [...m.populations], inputs: m.inputs.map((i) => ({ ...i })) })),
    links: [...sim.links],
    populations: [...sim.populations],
    machine: sim.machineSpec,
    cues: sim.cueDefaults,
    streams: { ...sim.streams },
    limits: { maxPayloadBytes: o.maxPayloadBytes, spikeQueueFrames: o.queue?.spikeFrames ?? 512, maxDecimation: MAX_DECIMATION, cameraMaxWidth: CAMERA_MAX_WIDTH, cameraMaxHeight: CAMERA_MAX_HEIGHT },
    camera: { model: o.classifier.info, filter: o.filter.name, inputWidth: o.cameraSide, inputHeight: o.cameraSide, drivesModule: sim.cameraDrive.module, maxRateHz: sim.cameraDrive.maxRateHz },
  };
}
