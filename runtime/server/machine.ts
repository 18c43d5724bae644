import type { Observable } from 'rxjs';
import type { Network } from '../../src/graph/network.ts';
import type { ModuleSpikeFrame } from '../module-core.ts';
import { IDLE, MIXED, stateRates, WM_THRESHOLDS, workingMemoryStates, type StateThresholds, type WmStateEvent } from '../working-memory-machine.ts';
import type { MachineSpec } from './protocol.ts';

/**
 * What the server needs of a working-memory state machine: its declaration (states and the edges
 * to draw, sent in welcome) and a stream of `{ state, since, transition }` events. Any machine
 * that can be built from a run's spikes plugs in through a MachineFactory; the default is the
 * working-memory machine (runtime/working-memory-machine.ts: an xstate actor on windowed pool rates).
 */
export type MachineEvent = WmStateEvent;

export interface MachineSource {
  readonly spec: MachineSpec;
  /** The initial state on subscription, then every change. */
  readonly events$: Observable<MachineEvent>;
}

/** What a machine may observe of one run. */
export interface MachineContext {
  readonly network: Network;
  /** Every module's spikes, tick by tick (the runner's spikes$). */
  readonly spikes$: Observable<ModuleSpikeFrame>;
  /** State k is read from these pools (pool k of every module). */
  readonly statePools: readonly (readonly { module: string; population: string }[])[];
}

/** Makes the machine of a run; the server calls it at every start. */
export type MachineFactory = (context: MachineContext) => MachineSource;

/** State labels: 'A', 'B', … for pools 0, 1, … */
export const stateLabel = (k: number): string => String.fromCharCode(65 + k);

/**
 * The working-memory machine on the run's pool rates: states 'idle', one per pool
 * ('A', 'B', …) and 'mixed' (two pools up, none dominant). The edges drawn are the ones the
 * demo's controls drive: a cue of pool k from idle or from another state, and reset to idle.
 */
export function workingMemoryMachineFactory(thresholds: Partial<StateThresholds> = {}): MachineFactory {
  return (context) => {
    const labels = context.statePools.map((_, k) => stateLabel(k));
    const t = { ...WM_THRESHOLDS, ...thresholds };
    const transitions: MachineSpec['transitions'] = [];
    labels.forEach((to, k) => {
      transitions.push({ from: IDLE, to, input: `cue ${k}` });
      for (const from of labels) if (from !== to) transitions.push({ from, to, input: `cue ${k}` });
      transitions.push({ from: to, to: IDLE, input: 'reset' });
    });
    return {
      spec: {
        states: [IDLE, ...labels, MIXED],
        initial: IDLE,
        transitions,
        provisional: false,
        description:
          `working-memory machine (runtime/working-memory-machine.ts): state ${labels.map((l, k) => `${l} = pool ${k}`).join(', ')} when its pools ` +
          `(averaged over the modules) reach ${t.onHz} Hz and ${t.dominance}× every other for ${t.dwellMs} ms; held down to ${t.offHz} Hz; ` +
          `'${MIXED}' when several are up, '${IDLE}' when none`,
      },
      events$: workingMemoryStates(stateRates(context.spikes$, { network: context.network, groups: context.statePools }), { labels, thresholds }),
    };
  };
}
