import type { Observer } from 'rxjs';
import type { ActorLogic } from 'xstate';
import { ModuleFailedError, reasonOf } from './errors.ts';
import type { LinkFrame, ModuleCore, ModuleSpikeFrame } from './module-core.ts';

/**
 * The actor of one module (xstate v5 actor logic, written out as a plain object like xstate's
 * `fromTransition`): a lifecycle around a ModuleCore, which holds the engine and every typed
 * array. The snapshot holds small state only — phase, ticks completed, the failure — so it can
 * be copied on each event and sent anywhere.
 *
 *   idle ──start──▶ running ──pause──▶ paused ──resume──▶ running
 *   idle | running | paused ──stop──▶ stopped          (xstate status 'done')
 *   running ──engine throws / protocol broken──▶ failed (xstate status 'error', error = reason)
 *
 * Per tick (docs/reference/architecture.md, tick protocol) the module does two things, in this order:
 *   emit(t)          send the frames produced at t − 1 down the outbound links;
 *   step(t, inputs)  with one frame of t − 1 per inbound link, run tick t on the engine and
 *                    publish the module's spikes of tick t.
 * Emitting before receiving gives every link one tick of delay, so loops cannot deadlock.
 * An emit or step outside 'running' is a driver bug and fails the module with that reason.
 * Both can be sent to the actor as events; ActorNetwork calls them through `moduleTicker` while
 * the actor is running instead, because an event through xstate's mailbox allocates (queue
 * entries, inspection events, a snapshot per step): the ticker allocates nothing, reports a
 * failure to the actor as a 'fail' event, and the actor's snapshot counts the engine's ticks.
 */
export type ModulePhase = 'idle' | 'running' | 'paused' | 'stopped' | 'failed';

interface ModuleState {
  readonly module: string;
  readonly phase: ModulePhase;
  /** Ticks completed by the engine. */
  readonly tick: number;
}

export type ModuleSnapshot = ModuleState &
  (
    | { status: 'active'; output: undefined; error: undefined }
    | { status: 'done'; output: { ticks: number }; error: undefined }
    | { status: 'error'; output: undefined; error: ModuleFailedError }
  );

export type ModuleEvent =
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'emit'; tick: number }
  | { type: 'step'; tick: number; inputs: readonly LinkFrame[] }
  /** Change a Poisson source's rate (Hz) from the next step on. */
  | { type: 'setRate'; stimulus: string; rateHz: number }
  /** Spikes for a 'spikes' source of the module, entering at the next step. */
  | { type: 'inject'; source: string; indices: ArrayLike<number> }
  /** The module's tick failed outside the actor (moduleTicker): fail with this reason. */
  | { type: 'fail'; tick: number; reason: string; cause?: unknown };

export interface ModuleActorInput {
  core: ModuleCore;
  /** Per outbound link (plan order), where its frames go; null for a link another thread carries. */
  outlets: readonly (Observer<LinkFrame> | null)[];
  /** Gets the module's spikes after each step (buffers valid during the call only). */
  spikes?: Observer<ModuleSpikeFrame>;
}

export type ModuleActorLogic = ActorLogic<ModuleSnapshot, ModuleEvent, ModuleActorInput>;

/** Create the actor logic of one module; run it with `createActor(moduleActorLogic(), { input })`. */
export function moduleActorLogic(): ModuleActorLogic {
  // The core and outlets live in this closure, keyed by actor: never in the snapshot.
  const wiring = new WeakMap<object, ModuleActorInput>();

  const failed = (s: ModuleSnapshot, tick: number, reason: string, cause?: unknown): ModuleSnapshot => ({
    module: s.module, phase: 'failed', tick: s.tick,
    status: 'error', output: undefined, error: new ModuleFailedError(s.module, tick, reason, { cause }),
  });
  const active = (s: ModuleSnapshot, phase: ModulePhase, tick = s.tick): ModuleSnapshot => ({
    module: s.module, phase, tick, status: 'active', output: undefined, error: undefined,
  });

  return {
    getInitialSnapshot: (scope, input) => {
      wiring.set(scope.self, input);
      return { module: input.core.plan.id, phase: 'idle', tick: input.core.engine.tick, status: 'active', output: undefined, error: undefined };
    },

    transition: (s, event, scope) => {
      // Terminal phases take no further events (xstate also stops delivering them).
      if (s.phase === 'stopped' || s.phase === 'failed') return s;
      const w = wiring.get(scope.self)!;
      switch (event.type) {
        case 'start':
          return s.phase === 'idle' ? active(s, 'running') : s;
        case 'pause':
          return s.phase === 'running' ? active(s, 'paused', w.core.engine.tick) : s;
        case 'resume':
          return s.phase === 'paused' ? active(s, 'running', w.core.engine.tick) : s;
        case 'stop': {
          const ticks = w.core.engine.tick;
          return { module: s.module, phase: 'stopped', tick: ticks, status: 'done', output: { ticks }, error: undefined };
        }
        case 'emit': {
          if (s.phase !== 'running') return failed(s, event.tick, `asked to emit tick ${event.tick - 1} while ${s.phase}`);
          emitFrames(w, event.tick);
          return s;
        }
        case 'step': {
          if (s.phase !== 'running') return failed(s, event.tick, `asked to run tick ${event.tick} while ${s.phase}`);
          try {
            stepCore(w, event.tick, event.inputs);
          } catch (e) {
            return failed(s, event.tick, reasonOf(e), e);
          }
          return active(s, 'running', event.tick + 1);
        }
        case 'fail':
          return failed(s, event.tick, event.reason, event.cause);
        case 'setRate':
          try {
            w.core.engine.setRate(event.stimulus, event.rateHz);
          } catch (e) {
            return failed(s, s.tick, reasonOf(e), e);
          }
          return s;
        case 'inject':
          try {
            w.core.inject(event.source, event.indices);
          } catch (e) {
            return failed(s, s.tick, reasonOf(e), e);
          }
          return s;
      }
    },

    getPersistedSnapshot: (s) => s,
  };
}

/** Send the frames produced at tick − 1 down the outbound links. */
function emitFrames(w: ModuleActorInput, tick: number): void {
  const frames = w.core.produced(tick - 1);
  for (let k = 0; k < frames.length; k++) w.outlets[k]?.next(frames[k]!);
}

/** Run tick `tick` on the core and publish its spikes (throws what the core throws). */
function stepCore(w: ModuleActorInput, tick: number, inputs: readonly LinkFrame[]): void {
  const spikes: ModuleSpikeFrame = w.core.step(tick, inputs);
  w.spikes?.next(spikes);
}

/** The per-tick half of a module actor, called directly (see the header). */
export interface ModuleTicker {
  emit(tick: number): void;
  step(tick: number, inputs: readonly LinkFrame[]): void;
}

/**
 * A running actor's emit and step without its mailbox: outside 'running' they go to the actor
 * as events (which fails the module, as a driver bug), and a step that throws becomes a 'fail'
 * event. Allocates nothing per tick.
 */
export function moduleTicker(actor: { getSnapshot(): { phase: ModulePhase }; send(event: ModuleEvent): void }, input: ModuleActorInput): ModuleTicker {
  const emitEvent = { type: 'emit' as const, tick: -1 };
  const stepEvent = { type: 'step' as const, tick: -1, inputs: [] as readonly LinkFrame[] };
  return {
    emit(tick) {
      if (actor.getSnapshot().phase !== 'running') {
        emitEvent.tick = tick;
        actor.send(emitEvent);
        return;
      }
      emitFrames(input, tick);
    },
    step(tick, inputs) {
      if (actor.getSnapshot().phase !== 'running') {
        stepEvent.tick = tick;
        stepEvent.inputs = inputs;
        actor.send(stepEvent);
        return;
      }
      try {
        stepCore(input, tick, inputs);
      } catch (e) {
        actor.send({ type: 'fail', tick, reason: reasonOf(e), cause: e });
      }
    },
  };
}
