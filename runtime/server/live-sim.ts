import { BehaviorSubject, Subject, type Observable, type Subscription } from 'rxjs';
import { FITTED_MAX_INPUT_HZ } from '../../src/vision/filter/index.ts';
import type { AdapterRef } from '../adapter.ts';
import { systemClock, type TimeSource } from '../clock.ts';
import { createRunner } from '../create-runner.ts';
import { reasonOf } from '../errors.ts';
import { Pacer, type ClockStatus, type PacedRunner } from '../pacer.ts';
import type { NetworkRunner, Placement } from '../runner.ts';
import { DEFAULT_BACKEND } from '../../adapters/backends.ts';
import { adapterFor } from './backends.ts';
import { demoNetwork, type DemoNetwork, type DemoNetworkOptions } from './demo-network.ts';
import { workingMemoryMachineFactory, type MachineContext, type MachineEvent, type MachineFactory } from './machine.ts';
import type { ModuleSpikeFrame } from '../module-core.ts';
import { ProtocolError, type Backend, type InputInfo, type LinkInfo, type MachineSpec, type ModuleInfo, type PopulationInfo } from './protocol.ts';
import { RateMeter } from './rates.ts';

/**
 * The one running network that every client watches and steers: the demo network (two coupled
 * sWTA modules), its runner and real-time pacer, the input rates (manual stimulus + camera +
 * cue/reset pulses), per-tick spike aggregation, population rates and the working-memory machine.
 *
 * Per tick (inside the pacer's runTick): the runner steps every module and emits their frames;
 * they are copied into one TickSpikes (all populations, welcome order) and the working-memory
 * machine reads them; then ticks$ fires, the rate window moves, and timed inputs (cue, reset) expire.
 * Everything downstream (clients, queues) runs synchronously on ticks$ and must not block.
 */
export interface LiveSimOptions {
  seed?: number;
  backend?: Backend;
  /** Default: actors on this thread. */
  placement?: Placement;
  /** Replaces the backend's adapter (tests: an adapter that keeps its engines for probing). */
  adapter?: AdapterRef;
  /** Conductance integration step (ms); the adapter's default (0.1) when omitted. */
  dtMs?: number;
  network?: DemoNetworkOptions;
  /** Wall time per simulated time; 1 = real time. */
  timeScale?: number;
  machine?: MachineFactory;
  clock?: TimeSource;
  cue?: { durationMs?: number; rateHz?: number };
  reset?: { durationMs?: number; rateHz?: number };
  /** Camera frames drive the pool inputs of `module`: strip mean × maxRateHz, forgotten after holdMs without frames. */
  camera?: { module?: string; maxRateHz?: number; holdMs?: number };
  rateWindowMs?: number;
  ratesEveryTicks?: number;
  statusEveryTicks?: number;
  /** Longest stretch of back-to-back ticks (when catching up) before clients get a turn (ms). */
  batchMs?: number;
}

export const LIVE_DEFAULTS = {
  seed: 1,
  backend: DEFAULT_BACKEND as Backend,
  timeScale: 1,
  /** [I] demo tuning (runtime/server/demo-network.ts): a 300-ms, 40-Hz cue ignites a pool pair that the coupling holds. */
  cue: { durationMs: 300, rateHz: 40 },
  /**
   * [I] 200 ms of the reset input (GABA_A onto every pool, demo-network.ts) at 300 Hz. 150 Hz
   * quenches a held pool pair (8/8 trials at 3 seeds; 50 Hz fails, 100 Hz for 150 ms is the edge)
   * but not a pool in its cue's onset burst (10/12 idle when the reset lands 30–250 ms into a cue);
   * 300 Hz gave 15/15 there (test/runtime/server/demo-network.test.ts). A LAMP5 pulse (divisive
   * gain) was tried first and quenched only 1 trial in 8.
   */
  reset: { durationMs: 200, rateHz: 300 },
  /** A white strip drives its pool at the top of the input range the rate model was fitted on (src/vision/filter). */
  camera: { module: 'a', maxRateHz: FITTED_MAX_INPUT_HZ, holdMs: 1000 },
  rateWindowMs: 100,
  ratesEveryTicks: 20,
  statusEveryTicks: 100,
  /** The pacer's default is 20 ms; 5 ms keeps sockets and controls within a few ms of a late tick. */
  batchMs: 5,
} as const;

/** One tick's spikes of every population (welcome order). Buffers are reused: read them synchronously. */
export interface TickSpikes {
  tick: number;
  counts: Int32Array;
  /** indices[p] holds counts[p] valid population-local indices. */
  indices: Int32Array[];
}

export interface LiveStatus extends ClockStatus {
  backend: Backend;
  timeScale: number;
}

interface Bank {
  wallMs: number;
  simulatedMs: number;
  busyMs: number;
  misses: number;
  maxLagMs: number;
}

export class LiveSimulation {
  readonly demo: DemoNetwork;
  readonly populations: readonly PopulationInfo[];
  readonly modules: readonly ModuleInfo[];
  readonly links: readonly LinkInfo[];
  readonly machineSpec: MachineSpec;
  /** Fires after every tick, synchronously, with buffers reused by the next tick. */
  readonly ticks$: Observable<TickSpikes>;
  readonly rates$: Observable<{ tick: number; hz: Float32Array }>;
  readonly status$: Observable<LiveStatus>;
  readonly state$: Observable<MachineEvent>;
  /** Run failures (a module failed): the server forwards them as MODULE_FAILED errors. */
  readonly failures$: Observable<Error>;
  readonly options: LiveSimOptions;

  private readonly clock: TimeSource;
  private readonly o: {
    cue: { durationMs: number; rateHz: number };
    reset: { durationMs: number; rateHz: number };
    camera: { module: string; maxRateHz: number; holdMs: number };
    ratesEveryTicks: number;
    statusEveryTicks: number;
  };
  private readonly tickSubject = new Subject<TickSpikes>();
  private readonly rateSubject = new Subject<{ tick: number; hz: Float32Array }>();
  private readonly statusSubject: BehaviorSubject<LiveStatus>;
  private readonly stateSubject: BehaviorSubject<MachineEvent>;
  private readonly failureSubject = new Subject<Error>();

  /** Per module (network order): the global index of its first population. */
  private readonly popOffset: Map<string, number>;
  private readonly spikes: TickSpikes;
  private readonly meter: RateMeter;
  private readonly ratesOut: Float32Array;
  /** Pools per module. */
  private readonly pools: number;
  private readonly machineFactory: MachineFactory;

  /** Input rates: what control 'stimulus' set, per module and Poisson source. */
  private readonly manual = new Map<string, Map<string, number>>();
  private readonly applied = new Map<string, number>();
  private camera: Float32Array;
  private cameraAtMs = -Infinity;
  /** A running cue; its pool is driven once the clearing reset pulse is over (resetUntilTick < 0). */
  private cue: { pool: number; rateHz: number; untilTick: number } | null = null;
  private resetUntilTick = -1;

  private runner: NetworkRunner | null = null;
  private pacer: Pacer | null = null;
  private running: Promise<void> = Promise.resolve();
  private pacerSub: Subscription | null = null;
  private machineSub: Subscription | null = null;
  private backend: Backend;
  private seed: number;
  private timeScale: number;
  private bank: Bank = { wallMs: 0, simulatedMs: 0, busyMs: 0, misses: 0, maxLagMs: 0 };
  private phase: ClockStatus['phase'] = 'idle';
  private failed: string | undefined;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(options: LiveSimOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.o = {
      cue: { ...LIVE_DEFAULTS.cue, ...options.cue },
      reset: { ...LIVE_DEFAULTS.reset, ...options.reset },
      camera: { ...LIVE_DEFAULTS.camera, ...options.camera },
      ratesEveryTicks: options.ratesEveryTicks ?? LIVE_DEFAULTS.ratesEveryTicks,
      statusEveryTicks: options.statusEveryTicks ?? LIVE_DEFAULTS.statusEveryTicks,
    };
    this.backend = options.backend ?? LIVE_DEFAULTS.backend;
    this.seed = options.seed ?? LIVE_DEFAULTS.seed;
    this.timeScale = options.timeScale ?? LIVE_DEFAULTS.timeScale;
    this.demo = demoNetwork(options.network);
    const net = this.demo.network;

    const populations: PopulationInfo[] = [];
    this.popOffset = new Map();
    for (const m of net.modules) {
      this.popOffset.set(m.id, populations.length);
      const pools = this.demo.ids[m.id]?.pools ?? [];
      for (const p of m.graph.populations) {
        populations.push({ index: populations.length, key: `${m.id}/${p.id}`, module: m.id, id: p.id, size: p.size, cell: p.cell, pool: pools.indexOf(p.id) });
      }
    }
    this.populations = populations;
    this.modules = net.modules.map((m) => ({ id: m.id, populations: m.graph.populations.map((p) => p.id), inputs: this.inputsOf(m.id) }));
    this.links = net.links.map((l) => ({ id: l.id, from: `${l.from.module}/${l.from.population}`, to: `${l.to.module}/${l.to.source}`, rule: l.rule }));
    for (const m of this.modules) this.manual.set(m.id, new Map(m.inputs.map((i) => [i.id, i.rateHz])));
    if (!this.demo.ids[this.o.camera.module]) throw new RangeError(`camera.module '${this.o.camera.module}' is not a module of the network; modules: ${net.modules.map((m) => m.id).join(', ')}`);

    const pools = this.demo.ids[net.modules[0]!.id]!.pools.length;
    this.pools = pools;
    this.camera = new Float32Array(pools);
    this.spikes = { tick: -1, counts: new Int32Array(populations.length), indices: populations.map((p) => new Int32Array(Math.max(16, p.size))) };
    const windowTicks = Math.max(1, Math.round(options.rateWindowMs ?? LIVE_DEFAULTS.rateWindowMs));
    this.meter = new RateMeter(populations.map((p) => p.size), windowTicks);
    this.ratesOut = new Float32Array(populations.length);

    // The machine's declaration does not change between runs; its events do.
    this.machineFactory = options.machine ?? workingMemoryMachineFactory();
    this.machineSpec = this.machineFactory(this.machineContext(new Subject<ModuleSpikeFrame>())).spec;
    this.stateSubject = new BehaviorSubject<MachineEvent>({ state: this.machineSpec.initial, since: 0, transition: null });
    this.statusSubject = new BehaviorSubject<LiveStatus>(this.statusOf(undefined));
    this.ticks$ = this.tickSubject.asObservable();
    this.rates$ = this.rateSubject.asObservable();
    this.status$ = this.statusSubject.asObservable();
    this.state$ = this.stateSubject.asObservable();
    this.failures$ = this.failureSubject.asObservable();
  }

  get currentBackend(): Backend {
    return this.backend;
  }

  get currentSeed(): number {
    return this.seed;
  }

  get status(): LiveStatus {
    return this.statusSubject.value;
  }

  /** The working-memory machine's latest event. */
  get currentState(): MachineEvent {
    return this.stateSubject.value;
  }

  get cueDefaults(): { pools: number; durationMs: number; rateHz: number } {
    return { pools: this.pools, ...this.o.cue };
  }

  get cameraDrive(): { module: string; maxRateHz: number; holdMs: number } {
    return this.o.camera;
  }

  /** The runner of the current run (tests probe its engines through their adapter). */
  get currentRunner(): NetworkRunner | null {
    return this.runner;
  }

  /** Compile the network afresh (backend, seed) and run it from tick 0 in real time. */
  start(options: { backend?: Backend; seed?: number } = {}): Promise<void> {
    return this.serial(() => this.startNow(options));
  }

  private async startNow(options: { backend?: Backend; seed?: number }): Promise<void> {
    if (this.closed) throw new ProtocolError('BAD_STATE', 'the simulation is closed');
    const backend = options.backend ?? this.backend;
    const adapter = this.options.adapter && backend === (this.options.backend ?? LIVE_DEFAULTS.backend)
      ? this.options.adapter
      : await adapterFor(backend, this.options.dtMs === undefined ? {} : { dtMs: this.options.dtMs });
    await this.halt();
    this.backend = backend;
    this.seed = options.seed ?? this.seed;
    const runner = await createRunner(this.demo.network, { seed: this.seed, adapter, ...(this.options.placement ? { placement: this.options.placement } : {}) });
    if (this.closed) {
      await runner.close();
      return;
    }
    this.runner = runner;
    this.bank = { wallMs: 0, simulatedMs: 0, busyMs: 0, misses: 0, maxLagMs: 0 };
    this.failed = undefined;
    this.meter.clear();
    this.spikes.counts.fill(0);
    this.cue = null;
    this.resetUntilTick = -1;
    this.applied.clear();
    runner.spikes$.subscribe((f) => this.collect(f.module, f.counts, f.indices));
    this.machineSub = this.machineFactory(this.machineContext(runner.spikes$)).events$.subscribe((e) => this.stateSubject.next(e));
    this.applyRates();
    this.launch();
  }

  pause(): void {
    if (this.phase !== 'running' || !this.pacer) throw new ProtocolError('BAD_STATE', `cannot pause while the simulation is ${this.phase}`);
    this.pacer.pause();
  }

  resume(): Promise<void> {
    return this.serial(() => this.resumeNow());
  }

  private async resumeNow(): Promise<void> {
    if (this.phase !== 'paused' || !this.pacer) throw new ProtocolError('BAD_STATE', `cannot resume while the simulation is ${this.phase}${this.phase === 'stopped' ? "; use 'start' for a new run" : ''}`);
    if (this.pacer.status.targetRealTimeFactor !== this.timeScale) {
      // The speed changed while paused: continue under a new pacer with the new time scale.
      await this.stopPacer();
      this.launch();
    } else this.pacer.resume();
  }

  /** End the run; 'start' begins a new one. */
  stop(): Promise<void> {
    return this.serial(() => this.stopNow());
  }

  private async stopNow(): Promise<void> {
    if (this.phase !== 'running' && this.phase !== 'paused') throw new ProtocolError('BAD_STATE', `cannot stop while the simulation is ${this.phase}`);
    await this.stopPacer();
    this.setPhase('stopped');
  }

  /** Wall time per simulated time (1 real time); a paused run takes it at resume. */
  setSpeed(timeScale: number): Promise<void> {
    return this.serial(() => this.setSpeedNow(timeScale));
  }

  private async setSpeedNow(timeScale: number): Promise<void> {
    if (!(timeScale > 0 && Number.isFinite(timeScale))) throw new ProtocolError('BAD_MESSAGE', `timeScale must be a finite number > 0, got ${timeScale}`, { path: 'timeScale' });
    this.timeScale = timeScale;
    if (this.phase === 'running') {
      await this.stopPacer();
      this.launch();
    } else this.publish(this.pacer?.status);
  }

  setStimulus(module: string, input: string, rateHz: number): void {
    const inputs = this.manual.get(module);
    if (!inputs) throw new ProtocolError('UNKNOWN_TARGET', `unknown module '${module}'; modules: ${[...this.manual.keys()].join(', ')}`, { path: 'module' });
    if (!inputs.has(input)) throw new ProtocolError('UNKNOWN_TARGET', `module '${module}' has no Poisson input '${input}'; its inputs: ${[...inputs.keys()].join(', ')}`, { path: 'input' });
    if (!(rateHz >= 0 && Number.isFinite(rateHz))) throw new ProtocolError('BAD_MESSAGE', `rateHz must be a finite number ≥ 0, got ${rateHz}`, { path: 'rateHz' });
    inputs.set(input, rateHz);
    this.applyRates();
  }

  /**
   * Load pool `pool` into the working memory: first the reset pulse clears whatever is held, then
   * pool `pool` of every module is driven for durationMs (all simulated). Clearing first matters:
   * a cue onto a held state often ends with both pools up ('mixed') instead of a switch, because
   * the held pool's saturated inhibition cannot separate them (src/motifs/working-memory.ts).
   * A new cue replaces a running one.
   */
  cuePool(pool: number, durationMs = this.o.cue.durationMs, rateHz = this.o.cue.rateHz): void {
    if (!(Number.isInteger(pool) && pool >= 0 && pool < this.pools)) {
      throw new ProtocolError('UNKNOWN_TARGET', `no pool ${pool}; the modules have pools 0…${this.pools - 1}`, { path: 'pool' });
    }
    const now = this.runner?.tick ?? 0;
    const fromTick = now + Math.max(1, Math.round(this.o.reset.durationMs));
    this.resetUntilTick = fromTick;
    this.cue = { pool, rateHz, untilTick: fromTick + Math.max(1, Math.round(durationMs)) };
    this.applyRates();
  }

  /** End any cue and drive every module's reset input (inhibition onto the pools) to quench held activity. */
  resetMemory(): void {
    this.cue = null;
    this.resetUntilTick = (this.runner?.tick ?? 0) + Math.max(1, Math.round(this.o.reset.durationMs));
    this.applyRates();
  }

  /** The camera part of the driven module's pool inputs (Hz per pool), from one frame. */
  setCameraDrive(ratesHz: ArrayLike<number>): void {
    for (let k = 0; k < this.camera.length; k++) this.camera[k] = ratesHz[k] ?? 0;
    this.cameraAtMs = this.clock.now();
    this.applyRates();
  }

  /** Stop the run and release the runner; the simulation cannot be started again. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.serial(() => this.halt());
    this.tickSubject.complete();
    this.rateSubject.complete();
    this.statusSubject.complete();
    this.stateSubject.complete();
    this.failureSubject.complete();
  }

  /**
   * Run lifecycle changes one after another: two clients asking for 'start' at once must not
   * interleave their awaits (two runners, one leaked).
   */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  private machineContext(spikes$: Observable<ModuleSpikeFrame>): MachineContext {
    const modules = this.demo.network.modules.map((m) => m.id);
    return {
      network: this.demo.network,
      spikes$,
      statePools: Array.from({ length: this.pools }, (_, k) => modules.map((m) => ({ module: m, population: this.demo.ids[m]!.pools[k]! }))),
    };
  }

  private inputsOf(module: string): InputInfo[] {
    const ids = this.demo.ids[module];
    const graph = this.demo.network.modules.find((m) => m.id === module)!.graph;
    return graph.stimuli.flatMap((s): InputInfo[] => {
      if (s.kind !== 'poisson') return [];
      const pool = ids ? ids.inputs.indexOf(s.id) : -1;
      const role: InputInfo['role'] =
        pool >= 0 ? 'pool' : s.id === ids?.vipDrive ? 'vip' : s.id === ids?.lamp5Drive ? 'lamp5' : ids?.backgrounds.includes(s.id) ? 'background' : s.id === this.demo.resets[module] ? 'reset' : 'other';
      return [{ id: s.id, role, pool, rateHz: s.rateHz }];
    });
  }

  /** The rate each Poisson input should have now: manual + camera + cue for pools, manual + pulse for the reset input. */
  private applyRates(): void {
    const runner = this.runner;
    if (!runner) return;
    const cameraFresh = this.clock.now() - this.cameraAtMs <= this.o.camera.holdMs;
    for (const m of this.modules) {
      const manual = this.manual.get(m.id)!;
      for (const input of m.inputs) {
        let hz = manual.get(input.id)!;
        if (input.role === 'pool') {
          if (cameraFresh && m.id === this.o.camera.module) hz += this.camera[input.pool]!;
          if (this.cue && this.cue.pool === input.pool && this.resetUntilTick < 0) hz += this.cue.rateHz;
        } else if (input.role === 'reset' && this.resetUntilTick >= 0) hz += this.o.reset.rateHz;
        const key = `${m.id}\u0000${input.id}`;
        if (this.applied.get(key) === hz) continue;
        this.applied.set(key, hz);
        runner.setRate(m.id, input.id, hz);
      }
    }
  }

  /** Copy one module's frame into the tick's buffers (the engine reuses its own). */
  private collect(module: string, counts: Int32Array, indices: readonly Int32Array[]): void {
    const offset = this.popOffset.get(module);
    if (offset === undefined) return;
    const s = this.spikes;
    for (let p = 0; p < counts.length; p++) {
      const g = offset + p;
      const c = counts[p]!;
      let dst = s.indices[g]!;
      if (c > dst.length) dst = s.indices[g] = new Int32Array(Math.max(c, 2 * dst.length));
      const src = indices[p]!;
      for (let i = 0; i < c; i++) dst[i] = src[i]!;
      s.counts[g] = c;
    }
  }

  /** After the runner's tick `tick`: publish, measure, expire timed inputs. */
  private afterTick(tick: number): void {
    const s = this.spikes;
    s.tick = tick;
    this.meter.add(s.counts);
    try {
      this.tickSubject.next(s);
      if ((tick + 1) % this.o.ratesEveryTicks === 0) this.rateSubject.next({ tick, hz: this.meter.hz(this.ratesOut) });
    } catch (e) {
      // A subscriber's fault must not stop the simulation: report it and go on.
      this.failureSubject.next(new Error(`a tick subscriber failed at tick ${tick}: ${reasonOf(e)}`));
    }
    s.counts.fill(0);
    const next = tick + 1;
    let changed = false;
    if (this.cue && next >= this.cue.untilTick) {
      this.cue = null;
      changed = true;
    }
    if (this.resetUntilTick >= 0 && next >= this.resetUntilTick) {
      this.resetUntilTick = -1;
      changed = true;
    }
    if (this.cameraAtMs > -Infinity && (next & 63) === 0 && this.clock.now() - this.cameraAtMs > this.o.camera.holdMs) {
      this.cameraAtMs = -Infinity;
      this.camera.fill(0);
      changed = true;
    }
    if (changed) this.applyRates();
  }

  private launch(): void {
    const runner = this.runner!;
    const tapped: PacedRunner = {
      get tick() {
        return runner.tick;
      },
      get phase() {
        return runner.phase;
      },
      start: () => runner.start(),
      runTick: () => {
        runner.runTick();
        this.afterTick(runner.tick - 1);
      },
      pause: () => runner.pause(),
      resume: () => runner.resume(),
    };
    const pacer = new Pacer(tapped, {
      pacing: { mode: 'realtime', timeScale: this.timeScale },
      clock: this.clock,
      statusEveryTicks: this.o.statusEveryTicks,
      batchMs: this.options.batchMs ?? LIVE_DEFAULTS.batchMs,
    });
    this.pacer = pacer;
    this.pacerSub = pacer.status$.subscribe((st) => {
      // A new pacer first reports 'idle' (nothing run yet); the run itself follows at once.
      if (st.phase === 'idle' && st.simulatedMs === 0) return;
      this.phase = st.phase;
      this.publish(st);
    });
    this.running = pacer.run(Infinity).then(
      () => this.bankPacer(pacer),
      (e: unknown) => {
        this.bankPacer(pacer);
        this.failed = reasonOf(e);
        this.setPhase('failed');
        this.failureSubject.next(e instanceof Error ? e : new Error(String(e)));
      },
    );
  }

  private bankPacer(pacer: Pacer): void {
    const st = pacer.status;
    this.bank = {
      wallMs: this.bank.wallMs + st.wallMs,
      simulatedMs: this.bank.simulatedMs + st.simulatedMs,
      busyMs: this.bank.busyMs + (st.simulatedMs > 0 ? st.busyFactor * st.simulatedMs : 0),
      misses: this.bank.misses + st.deadlineMisses,
      maxLagMs: Math.max(this.bank.maxLagMs, st.maxLagMs),
    };
    this.pacerSub?.unsubscribe();
    this.pacerSub = null;
    if (this.pacer === pacer) this.pacer = null;
  }

  private async stopPacer(): Promise<void> {
    this.pacer?.stop();
    await this.running;
  }

  /** Stop the current run, if any, and release its runner and machine. */
  private async halt(): Promise<void> {
    await this.stopPacer();
    this.machineSub?.unsubscribe();
    this.machineSub = null;
    const runner = this.runner;
    this.runner = null;
    if (runner) await runner.close();
  }

  private setPhase(phase: ClockStatus['phase']): void {
    this.phase = phase;
    this.publish(undefined);
  }

  private publish(st: ClockStatus | undefined): void {
    if (!this.closed) this.statusSubject.next(this.statusOf(st));
  }

  /** The pacer's status plus the totals of earlier pacers of this run (speed changes). */
  private statusOf(st: ClockStatus | undefined): LiveStatus {
    const b = this.bank;
    const wallMs = b.wallMs + (st?.wallMs ?? 0);
    const simulatedMs = b.simulatedMs + (st?.simulatedMs ?? 0);
    const busyMs = b.busyMs + (st && st.simulatedMs > 0 ? st.busyFactor * st.simulatedMs : 0);
    return {
      phase: this.phase,
      tick: this.runner?.tick ?? st?.tick ?? 0,
      simulatedMs,
      wallMs,
      realTimeFactor: simulatedMs > 0 ? wallMs / simulatedMs : NaN,
      recentRealTimeFactor: st?.recentRealTimeFactor ?? NaN,
      busyFactor: simulatedMs > 0 ? busyMs / simulatedMs : NaN,
      targetRealTimeFactor: this.timeScale,
      deadlineMisses: b.misses + (st?.deadlineMisses ?? 0),
      lagMs: st?.lagMs ?? 0,
      maxLagMs: Math.max(b.maxLagMs, st?.maxLagMs ?? 0),
      ...(this.failed === undefined ? {} : { error: this.failed }),
      backend: this.backend,
      timeScale: this.timeScale,
    };
  }
}
