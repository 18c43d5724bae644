import type { ServerMessage } from '../../../runtime/server/protocol.ts';

/** One valid message of every server type, for protocol and codec tests. */
export function sampleServerMessages(): ServerMessage[] {
  return [
    {
      type: 'welcome', protocol: 1, server: 'swta/0.1.0', session: 'c1', backend: 'conductance',
      backends: [{ id: 'conductance', available: true, reason: '' }, { id: 'truenorth', available: false, reason: 'no mapper' }],
      seed: 1, tickMs: 1,
      modules: [{ id: 'a', populations: ['a.pyr0'], inputs: [{ id: 'a.in0', role: 'pool', pool: 0, rateHz: 0 }, { id: 'a.bg', role: 'background', pool: -1, rateHz: 5 }] }],
      links: [{ id: 'l', from: 'a/a.pyr0', to: 'b/b.from_a.0', rule: 'oneToOne' }],
      populations: [{ index: 0, key: 'a/a.pyr0', module: 'a', id: 'a.pyr0', size: 80, cell: 'Pyr', pool: 0 }],
      machine: { states: ['idle', 'A', 'B', 'mixed'], initial: 'idle', transitions: [{ from: 'idle', to: 'A', input: 'cue 0' }], provisional: false, description: 'working-memory machine' },
      cues: { pools: 2, durationMs: 300, rateHz: 40 },
      streams: { ratesEveryTicks: 20, rateWindowMs: 100, statusEveryTicks: 100 },
      limits: { maxPayloadBytes: 2 << 20, spikeQueueFrames: 512, maxDecimation: 1000, cameraMaxWidth: 640, cameraMaxHeight: 480 },
      camera: { model: { available: false, reason: 'no weights' }, filter: 'swta-rate', inputWidth: 28, inputHeight: 28, drivesModule: 'a', maxRateHz: 40 },
    },
    { type: 'subscribed', id: 2, streams: ['spikes'], populations: new Uint16Array([0]), decimation: 1, neurons: new Uint32Array([80]) },
    { type: 'spikes', tick: 3, span: 1, populations: new Uint16Array([0]), counts: new Uint32Array([2]), indices: new Int32Array([1, 7]), dropped: 0 },
    { type: 'rates', tick: 20, windowMs: 100, populations: new Uint16Array([0]), hz: new Float32Array([12.5]) },
    {
      type: 'status', phase: 'running', backend: 'conductance', tick: 100, simulatedMs: 100, wallMs: 101, timeScale: 1,
      realTimeFactor: 1.01, recentRealTimeFactor: 1, busyFactor: 0.4, deadlineMisses: 0, lagMs: 0, maxLagMs: 2,
      drops: { spikes: 0, superseded: 1, camera: 0 }, queued: { frames: 0, bytes: 0 },
    },
    { type: 'state', state: 'A', since: 420, transition: { from: 'idle', to: 'A', atMs: 420, detectedAtMs: 445 }, provisional: false },
    {
      type: 'camera', seq: 1, t: 5, width: 2, height: 2, input: new Uint8Array(4), filtered: new Uint8Array(4), filter: 'swta-rate',
      model: { available: true, name: 'digits', classes: ['0', '1'], preprocess: 'none' }, probabilities: new Float32Array([0.25, 0.75]), prediction: 1,
      poolRatesHz: new Float32Array([3, 4]), latencyMs: { resize: 0.1, filter: 0.2, vit: 3, total: 3.4 }, dropped: 0,
    },
    { type: 'ack', id: 1, action: 'pause' },
    { type: 'pong', id: 1, t: 2, serverTimeMs: 3 },
    { type: 'error', code: 'BAD_MESSAGE', message: 'x', path: 'type' },
    { type: 'bye', reason: 'server shutting down' },
  ];
}
