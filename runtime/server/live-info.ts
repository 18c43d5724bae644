import type { Observable } from 'rxjs';
import type { ModuleSpikeFrame } from '../module-core.ts';
import type { DemoNetwork } from './demo-network.ts';
import type { MachineContext } from './machine.ts';
import type { InputInfo, LinkInfo, ModuleInfo, PopulationInfo } from './protocol.ts';

/**
 * What the live network looks like on the wire (welcome): every population in one global order
 * (module by module, graph order within), each module's Poisson inputs with their roles, the
 * links, and the pools per module. Built once from the demo network; it does not change between runs.
 */
export interface LiveLayout {
  readonly populations: readonly PopulationInfo[];
  /** Per module (network order): the global index of its first population. */
  readonly popOffset: ReadonlyMap<string, number>;
  readonly modules: readonly ModuleInfo[];
  readonly links: readonly LinkInfo[];
  /** Pools per module (every module has as many as the first). */
  readonly pools: number;
}

export function liveLayout(demo: DemoNetwork): LiveLayout {
  const net = demo.network;
  const populations: PopulationInfo[] = [];
  const popOffset = new Map<string, number>();
  for (const m of net.modules) {
    popOffset.set(m.id, populations.length);
    const pools = demo.ids[m.id]?.pools ?? [];
    for (const p of m.graph.populations) {
      populations.push({ index: populations.length, key: `${m.id}/${p.id}`, module: m.id, id: p.id, size: p.size, cell: p.cell, pool: pools.indexOf(p.id) });
    }
  }
  return {
    populations,
    popOffset,
    modules: net.modules.map((m) => ({ id: m.id, populations: m.graph.populations.map((p) => p.id), inputs: inputsOf(demo, m.id) })),
    links: net.links.map((l) => ({ id: l.id, from: `${l.from.module}/${l.from.population}`, to: `${l.to.module}/${l.to.source}`, rule: l.rule })),
    pools: demo.statePools.length,
  };
}

/** A module's Poisson inputs and what each one drives. */
function inputsOf(demo: DemoNetwork, module: string): InputInfo[] {
  const ids = demo.ids[module];
  const graph = demo.network.modules.find((m) => m.id === module)!.graph;
  return graph.stimuli.flatMap((s): InputInfo[] => {
    if (s.kind !== 'poisson') return [];
    const pool = ids ? ids.inputs.indexOf(s.id) : -1;
    const role: InputInfo['role'] =
      pool >= 0 ? 'pool'
        : s.id === ids?.vipDrive ? 'vip'
          : s.id === ids?.lamp5Drive ? 'lamp5'
            : ids?.backgrounds.includes(s.id) || demo.motif.transitionBackgrounds.includes(s.id) ? 'background'
              : s.id === demo.resets[module] ? 'reset' : 'other';
    return [{ id: s.id, role, pool, rateHz: s.rateHz }];
  });
}

/** What the working-memory machine of a run observes: the run's spikes, state k read from pool k of every coupled module. */
export function machineContext(demo: DemoNetwork, pools: number, spikes$: Observable<ModuleSpikeFrame>): MachineContext {
  if (pools !== demo.statePools.length) throw new RangeError(`machineContext: ${pools} pools asked, the network has ${demo.statePools.length} states`);
  return { network: demo.network, spikes$, statePools: demo.statePools };
}
