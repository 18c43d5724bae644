import type { TimeSource } from '../clock.ts';
import type { NetworkRunner } from '../runner.ts';
import { PulseSchedule, type SourceRef } from '../pulse-schedule.ts';
import { ProtocolError, type ModuleInfo } from './protocol.ts';

export interface PulseOptions {
  durationMs: number;
  rateHz: number;
}

/** The reset pulse, and how long after it a cue's pool drive starts (the network settles to idle first). */
export interface ResetPulseOptions extends PulseOptions {
  settleMs: number;
}

export interface CameraDriveOptions {
  /** The module whose pool inputs the camera drives. */
  module: string;
  /** A white strip's rate (Hz). */
  maxRateHz: number;
  /** Camera drive is forgotten after this long without a frame (wall ms). */
  holdMs: number;
}

/**
 * The input schedule of the live network: the rate every Poisson input should have now, from
 * the manual stimulus (control 'stimulus'), the camera drive of one module's pools, and the timed
 * pulses — a cue onto pool k of every module, preceded by the reset pulse that clears what is held.
 * Rates reach the runner only when they change. Ticks are simulated (1 tick = 1 ms); the camera's
 * hold is wall time.
 */
export class LiveInputs {
  /** What control 'stimulus' set, per module and Poisson source. */
  private readonly manual = new Map<string, Map<string, number>>();
  private readonly applied = new Map<string, number>();
  private readonly camera: Float32Array;
  private cameraAtMs = -Infinity;
  /** The cue and reset pulses (tags 'cue', 'reset'), in simulated ticks. */
  private readonly pulses = new PulseSchedule();
  /** The tick the next apply() is for. */
  private tick = 0;

  constructor(
    private readonly modules: readonly ModuleInfo[],
    readonly pools: number,
    readonly options: { cue: PulseOptions; reset: ResetPulseOptions; camera: CameraDriveOptions },
    private readonly clock: TimeSource,
  ) {
    for (const m of modules) this.manual.set(m.id, new Map(m.inputs.map((i) => [i.id, i.rateHz])));
    this.camera = new Float32Array(pools);
  }

  /** A new run: no pulse is running and the runner's rates are unknown (the manual and camera drive stay). */
  restart(): void {
    this.pulses.clear();
    this.tick = 0;
    this.applied.clear();
  }

  setStimulus(module: string, input: string, rateHz: number): void {
    const inputs = this.manual.get(module);
    if (!inputs) throw new ProtocolError('UNKNOWN_TARGET', `unknown module '${module}'; modules: ${[...this.manual.keys()].join(', ')}`, { path: 'module' });
    if (!inputs.has(input)) throw new ProtocolError('UNKNOWN_TARGET', `module '${module}' has no Poisson input '${input}'; its inputs: ${[...inputs.keys()].join(', ')}`, { path: 'input' });
    if (!(rateHz >= 0 && Number.isFinite(rateHz))) throw new ProtocolError('BAD_MESSAGE', `rateHz must be a finite number ≥ 0, got ${rateHz}`, { path: 'rateHz' });
    inputs.set(input, rateHz);
  }

  /** The reset pulse from `nowTick`, the settling time, then pool `pool` of every module driven for durationMs. A new cue replaces a running one. */
  cuePool(pool: number, nowTick: number, durationMs: number, rateHz: number): void {
    if (!(Number.isInteger(pool) && pool >= 0 && pool < this.pools)) {
      throw new ProtocolError('UNKNOWN_TARGET', `no pool ${pool}; the modules have pools 0…${this.pools - 1}`, { path: 'pool' });
    }
    const resetUntil = this.resetFrom(nowTick);
    const fromTick = resetUntil + Math.max(0, Math.round(this.options.reset.settleMs));
    this.pulses.add({ tag: 'cue', sources: this.sourcesOf('pool', pool), fromTick, untilTick: fromTick + Math.max(1, Math.round(durationMs)), rateHz });
  }

  /** End any cue and run the reset pulse from `nowTick`. */
  resetMemory(nowTick: number): void {
    this.resetFrom(nowTick);
  }

  /** Cancel the cue and reset pulses and start a reset at `nowTick`; returns the tick it ends. */
  private resetFrom(nowTick: number): number {
    this.pulses.cancel('cue');
    this.pulses.cancel('reset');
    this.tick = nowTick;
    const untilTick = nowTick + Math.max(1, Math.round(this.options.reset.durationMs));
    this.pulses.add({ tag: 'reset', sources: this.sourcesOf('reset'), fromTick: nowTick, untilTick, rateHz: this.options.reset.rateHz });
    return untilTick;
  }

  /** Every module's inputs of a role (and pool). */
  private sourcesOf(role: 'pool' | 'reset', pool?: number): SourceRef[] {
    return this.modules.flatMap((m) => m.inputs.filter((i) => i.role === role && (pool === undefined || i.pool === pool)).map((i) => ({ module: m.id, source: i.id })));
  }

  /** The camera part of the driven module's pool inputs (Hz per pool), from one frame. */
  setCamera(ratesHz: ArrayLike<number>): void {
    for (let k = 0; k < this.camera.length; k++) this.camera[k] = ratesHz[k] ?? 0;
    this.cameraAtMs = this.clock.now();
  }

  /**
   * Before tick `nextTick`: end the pulses that are over and forget a camera that stopped sending
   * (checked every 64 ticks). True when an input's rate changed.
   */
  expire(nextTick: number): boolean {
    this.tick = nextTick;
    let changed = this.pulses.changesAt(nextTick);
    if ((nextTick & 63) === 0) this.pulses.prune(nextTick);
    if (this.cameraAtMs > -Infinity && (nextTick & 63) === 0 && this.clock.now() - this.cameraAtMs > this.options.camera.holdMs) {
      this.cameraAtMs = -Infinity;
      this.camera.fill(0);
      changed = true;
    }
    return changed;
  }

  /** Set on `runner` the rate each Poisson input should have now: manual + camera + cue for pools, manual + pulse for the reset input. */
  apply(runner: Pick<NetworkRunner, 'setRate'>): void {
    const { camera: cam } = this.options;
    const cameraFresh = this.clock.now() - this.cameraAtMs <= cam.holdMs;
    for (const m of this.modules) {
      const manual = this.manual.get(m.id)!;
      for (const input of m.inputs) {
        let hz = manual.get(input.id)!;
        if (input.role === 'pool' && cameraFresh && m.id === cam.module) hz += this.camera[input.pool]!;
        if (input.role === 'pool' || input.role === 'reset') hz += this.pulses.rateAt(m.id, input.id, this.tick);
        const key = `${m.id}\u0000${input.id}`;
        if (this.applied.get(key) === hz) continue;
        this.applied.set(key, hz);
        runner.setRate(m.id, input.id, hz);
      }
    }
  }
}
