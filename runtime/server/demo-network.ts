import type { Network } from '../../src/graph/network.ts';
import type { SwtaModuleIds } from '../../src/motifs/swta-module.ts';
import {
  WM_MISMATCH, workingMemoryNetwork,
  type WorkingMemoryIds, type WorkingMemoryOptions,
} from '../../src/motifs/working-memory.ts';

/**
 * The live demo's network: the working-memory motif (src/motifs/working-memory.ts), the network
 * `swta run working-memory` validates, with its coupled sWTA modules named 'a' and 'b', its
 * transition module 'trans' and no control module (the demo has nothing to compare against):
 *
 *   a.pyr_k ◀──NMDA, depressing──▶ b.pyr_k          (sparse coupling of corresponding pools)
 *   a/b.pyr_i ──▶ trans.t_i→j ◀── trans.go_j        (state i AND "go to j")
 *   a.reset, b.reset ──▶ PV, SST                     (back to idle)
 *
 * with the motif's 10 % mismatch (WM_MISMATCH) drawn from the run's seed, so the demo is one
 * seed of the scenario's population of networks. Before any cue every population fires at its
 * spontaneous rate; a cue holds one pool pair at 35–45 Hz.
 */
export interface DemoNetworkOptions {
  pools?: number;
  poolSize?: number;
  /** Motif options over its defaults (coupling, transition, module …); `moduleIds` and `control` are the demo's. */
  motif?: Omit<WorkingMemoryOptions, 'moduleIds' | 'control' | 'pools' | 'poolSize'>;
  /** Add a 'rate' probe per population (tests compare the wire with the engine's own counts). */
  rateProbes?: boolean;
}

export const DEMO_MODULES = ['a', 'b'] as const;

export interface DemoNetwork {
  network: Network;
  /** Coupled module id → the ids of its sWTA pieces. */
  ids: Record<string, SwtaModuleIds>;
  /** Coupled module id → its reset input (a Poisson source). */
  resets: Record<string, string>;
  /** State k is read from these pools. */
  statePools: WorkingMemoryIds['statePools'];
  /** The motif's ids ("go to j" sources, transition populations …). */
  motif: WorkingMemoryIds;
}

export function demoNetwork(options: DemoNetworkOptions = {}): DemoNetwork {
  const motifOptions = options.motif ?? {};
  const { network, ids } = workingMemoryNetwork({
    weightCv: WM_MISMATCH.weightCv,
    ...motifOptions,
    module: { mismatch: { vTSdMv: WM_MISMATCH.vTSdMv, gLCv: WM_MISMATCH.gLCv }, ...motifOptions.module },
    ...(options.pools === undefined ? {} : { pools: options.pools }),
    ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
    moduleIds: DEMO_MODULES,
    control: false,
  });
  network.name = 'swta-live-demo';
  for (const m of network.modules) m.graph.name = `demo-${m.id}`;
  if (options.rateProbes) {
    for (const m of network.modules) for (const p of m.graph.populations) m.graph.probes.push({ id: `rate:${p.id}`, target: p.id, kind: 'rate' });
  }
  const swta: Record<string, SwtaModuleIds> = {};
  for (const m of ids.coupled) swta[m] = ids.swta[m]!;
  return {
    network,
    ids: swta,
    resets: Object.fromEntries(ids.resets.map((r) => [r.module, r.source])),
    statePools: ids.statePools,
    motif: ids,
  };
}
