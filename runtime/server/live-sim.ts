import { BehaviorSubject, Subject, type Observable, type Subscription } from 'rxjs';
import { loadRateFit } from '../../src/calibration/rate-fit-artifact.ts';
import { WM_PULSES } from '../../src/motifs/working-memory.ts';
import type { AdapterRef } from '../adapter.ts';
import { systemClock, type TimeSource } from '../clock.ts';
import { createRunner } from '../create-runner.ts';
import { reasonOf } from '../errors.ts';
import type { ModuleSpikeFrame } from '../module-core.ts';
import { Pacer, type ClockStatus, type PacedRunner } from '../pacer.ts';
import type { NetworkRunner, Placement } from '../runner.ts';
import { DEFAULT_BACKEND } from '../../adapters/backends.ts';
import { adapterFor } from './backends.ts';
import { demoNetwork, type DemoNetwork, type DemoNetworkOptions } from './demo-network.ts';
import { liveLayout, machineContext } from './live-info.ts';
import { LiveInputs, type CameraDriveOptions } from './live-inputs.ts';
import { TickCollector, type TickSpikes } from './live-spikes.ts';
import { RunTotals, type LiveStatus } from './live-status.ts';
import { workingMemoryMachineFactory, type MachineEvent, type MachineFactory } from './machine.ts';
import { ProtocolError, type Backend, type LinkInfo, type MachineSpec, type ModuleInfo, type PopulationInfo } from './protocol.ts';

/**
 * The one running network that every client watches and steers, and its lifecycle: the demo
 * network (two coupled sWTA modules), its runner and real-time pacer (start, pause, resume, stop,
 * speed, one change at a time) and the working-memory machine of each run. Its parts: the wire
 * layout (live-info.ts), the input schedule — manual stimulus, camera, cue and reset pulses
 * (live-inputs.ts), per-tick spike aggregation and population rates (live-spikes.ts), and the
 * clock figures across pacers (live-status.ts).
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
  /**
   * The network draw (synapses, mismatch, Poisson streams) of the demo. Seed 2 rather than 1: in
   * draw 1 one pool's spontaneous state is marginal and it ignites on its own within ~0.5 s of a
   * reset (test/runtime/server/demo-network.test.ts runs seeds 1–4).
   */
  seed: 2,
  backend: DEFAULT_BACKEND as Backend,
  timeScale: 1,
  /** The working-memory motif's cue pulse (WM_PULSES, src/motifs/working-memory.ts): the input the scenario validates. */
  cue: WM_PULSES.cue,
  /**
   * [I] The reset before every cue and on 'reset': onto PV and SST (WM_DEFAULTS.reset) at 60 Hz
   * for 150 ms, then 150 ms of settling before a cue's pool is driven. The motif's own 30 Hz ×
   * 100 ms pulse quenches a held state, but a cue right after it let the old state come back in
   * one of two seeds (its transition cells, driven by the new pool's onset); with the settling it
   * switched in both (test/runtime/server/demo-network.test.ts).
   */
  reset: { durationMs: 150, rateHz: 60, settleMs: 150 },
  /** Which module camera frames drive; a white strip drives its pool at the top of the rate fit's input range (inputRangeHz). */
  camera: { module: 'a', holdMs: 1000 },
  rateWindowMs: 100,
  ratesEveryTicks: 20,
  statusEveryTicks: 100,
  /** The pacer's default is 20 ms; 5 ms keeps sockets and controls within a few ms of a late tick. */
  batchMs: 5,
} as const;

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

  /** How often rates and status go out, and the rate window (welcome: streams). */
  readonly streams: { readonly ratesEveryTicks: number; readonly rateWindowMs: number; readonly statusEveryTicks: number };

  private readonly clock: TimeSource;
  private readonly tickSubject = new Subject<TickSpikes>();
  private readonly rateSubject = new Subject<{ tick: number; hz: Float32Array }>();
  private readonly statusSubject: BehaviorSubject<LiveStatus>;
  private readonly stateSubject: BehaviorSubject<MachineEvent>;
  private readonly failureSubject = new Subject<Error>();

  private readonly collector: TickCollector;
  private readonly inputs: LiveInputs;
  private readonly machineFactory: MachineFactory;

  private runner: NetworkRunner | null = null;
  private pacer: Pacer | null = null;
  private running: Promise<void> = Promise.resolve();
  private pacerSub: Subscription | null = null;
  private machineSub: Subscription | null = null;
  private backend: Backend;
  private seed: number;
  private timeScale: number;
  private readonly totals = new RunTotals();
  private phase: ClockStatus['phase'] = 'idle';
  private failed: string | undefined;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(options: LiveSimOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    const camera: CameraDriveOptions = { ...LIVE_DEFAULTS.camera, maxRateHz: options.camera?.maxRateHz ?? loadRateFit().inputRangeHz.max, ...options.camera };
    this.streams = {
      ratesEveryTicks: options.ratesEveryTicks ?? LIVE_DEFAULTS.ratesEveryTicks,
      rateWindowMs: options.rateWindowMs ?? LIVE_DEFAULTS.rateWindowMs,
      statusEveryTicks: options.statusEveryTicks ?? LIVE_DEFAULTS.statusEveryTicks,
    };
    this.backend = options.backend ?? LIVE_DEFAULTS.backend;
    this.seed = options.seed ?? LIVE_DEFAULTS.seed;
    this.timeScale = options.timeScale ?? LIVE_DEFAULTS.timeScale;
    this.demo = demoNetwork(options.network);

    const layout = liveLayout(this.demo);
    this.populations = layout.populations;
    this.modules = layout.modules;
    this.links = layout.links;
    if (!this.demo.ids[camera.module]) throw new RangeError(`camera.module '${camera.module}' is not a module of the network; modules: ${this.demo.network.modules.map((m) => m.id).join(', ')}`);
    const cue = { ...LIVE_DEFAULTS.cue, ...options.cue };
    const reset = { ...LIVE_DEFAULTS.reset, ...options.reset };
    this.inputs = new LiveInputs(layout.modules, layout.pools, { cue, reset, camera }, this.clock);
    const windowTicks = Math.max(1, Math.round(this.streams.rateWindowMs));
    this.collector = new TickCollector(layout.populations, layout.popOffset, windowTicks);

    // The machine's declaration does not change between runs; its events do.
    this.machineFactory = options.machine ?? workingMemoryMachineFactory();
    this.machineSpec = this.machineFactory(machineContext(this.demo, layout.pools, new Subject<ModuleSpikeFrame>())).spec;
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
    return { pools: this.inputs.pools, ...this.inputs.options.cue };
  }

  get cameraDrive(): CameraDriveOptions {
    return this.inputs.options.camera;
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
    this.totals.clear();
    this.failed = undefined;
    this.collector.clear();
    this.inputs.restart();
    runner.spikes$.subscribe((f) => this.collector.collect(f.module, f.counts, f.indices));
    this.machineSub = this.machineFactory(machineContext(this.demo, this.inputs.pools, runner.spikes$)).events$.subscribe((e) => this.stateSubject.next(e));
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
    this.inputs.setStimulus(module, input, rateHz);
    this.applyRates();
  }

  /**
   * Load pool `pool` into the working memory: first the reset pulse clears whatever is held, then
   * pool `pool` of every module is driven for durationMs (all simulated). Clearing first matters:
   * a cue onto a held state often ends with both pools up ('mixed') instead of a switch, because
   * the held pool's saturated inhibition cannot separate them (src/motifs/working-memory.ts).
   * A new cue replaces a running one.
   */
  cuePool(pool: number, durationMs = this.inputs.options.cue.durationMs, rateHz = this.inputs.options.cue.rateHz): void {
    this.inputs.cuePool(pool, this.runner?.tick ?? 0, durationMs, rateHz);
    this.applyRates();
  }

  /** End any cue and drive every module's reset input (inhibition onto the pools) to quench held activity. */
  resetMemory(): void {
    this.inputs.resetMemory(this.runner?.tick ?? 0);
    this.applyRates();
  }

  /** The camera part of the driven module's pool inputs (Hz per pool), from one frame. */
  setCameraDrive(ratesHz: ArrayLike<number>): void {
    this.inputs.setCamera(ratesHz);
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

  private applyRates(): void {
    if (this.runner) this.inputs.apply(this.runner);
  }

  /** After the runner's tick `tick`: publish, measure, expire timed inputs. */
  private afterTick(tick: number): void {
    const s = this.collector.close(tick);
    try {
      this.tickSubject.next(s);
      if ((tick + 1) % this.streams.ratesEveryTicks === 0) this.rateSubject.next({ tick, hz: this.collector.ratesHz() });
    } catch (e) {
      // A subscriber's fault must not stop the simulation: report it and go on.
      this.failureSubject.next(new Error(`a tick subscriber failed at tick ${tick}: ${reasonOf(e)}`));
    }
    this.collector.next();
    if (this.inputs.expire(tick + 1)) this.applyRates();
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
      statusEveryTicks: this.streams.statusEveryTicks,
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
    this.totals.add(pacer.status);
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
    return this.totals.status(st, { phase: this.phase, tick: this.runner?.tick, error: this.failed, backend: this.backend, timeScale: this.timeScale });
  }
}
