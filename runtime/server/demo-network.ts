import type { Network, ModuleLink } from '../../src/graph/network.ts';
import type { Projection, Stimulus } from '../../src/graph/types.ts';
import { swtaModule, type SwtaModuleIds, type SwtaModuleOptions } from '../../src/motifs/swta-module.ts';
import { LEGACY_WM_MODULE_OPTIONS } from '../../src/motifs/working-memory.ts';

/**
 * The live demo's network: two sWTA modules 'a' and 'b' of K pools each, coupled pool to pool by
 * sparse excitation (after Rutishauser & Douglas 2009, docs/reference/anchors.md §7):
 *
 *   a.pyr_k ──link (one-to-one)──▶ port b.from_a.k ──AMPA+NMDA, p = couplingP──▶ b.pyr_k
 *   b.pyr_k ──link (one-to-one)──▶ port a.from_b.k ──AMPA+NMDA, p = couplingP──▶ a.pyr_k
 *
 * Each link carries one pool's spikes to a port of the same size in the other module (one tick
 * of delay, docs/reference/architecture.md, tick protocol); the port's projection makes the excitation sparse. Each
 * module also gets a reset input: Poisson fibres onto every pool through GABA_A, silent until a
 * working-memory reset drives them. This is a
 * demo network, not the working-memory scenario (scenarios/working-memory, with tuned coupling and
 * transition neurons): its coupling is a named option, not a fitted value.
 */
export interface DemoNetworkOptions {
  pools?: number;
  poolSize?: number;
  /** Probability that a port index (a neuron of the other module's pool) contacts a pool cell. */
  couplingP?: number;
  /** Peak conductance of the coupling synapses (nS): AMPA, and NMDA at `nmdaRatio` of it. */
  couplingGNs?: number;
  nmdaRatio?: number;
  /**
   * A reset input per module: Poisson fibres onto every pyramidal pool through GABA_A (silent,
   * 0 Hz, until a working-memory reset drives it). `inDegree` fibres per cell, `gNs` each.
   */
  resetInhibition?: { inDegree: number; gNs: number };
  /**
   * Options of both sWTA modules. Default LEGACY_WM_MODULE_OPTIONS: the demo's coupling and reset
   * were tuned, like the working-memory motif, on that operating point (with the module defaults
   * the reset no longer quenches a held pair).
   */
  module?: Omit<SwtaModuleOptions, 'prefix' | 'pools' | 'poolSize'>;
  /** Add a 'rate' probe per population (tests compare the wire with the engine's own counts). */
  rateProbes?: boolean;
}

export const DEMO_DEFAULTS = {
  pools: 2,
  poolSize: 80,
  couplingP: 0.2,
  couplingGNs: 1.0,
  nmdaRatio: 0.5,
  resetInhibition: { inDegree: 20, gNs: 2 },
  module: LEGACY_WM_MODULE_OPTIONS as Omit<SwtaModuleOptions, 'prefix' | 'pools' | 'poolSize'>,
} as const;

export const DEMO_MODULES = ['a', 'b'] as const;

export interface DemoNetwork {
  network: Network;
  /** Module id → the ids of its sWTA pieces. */
  ids: Record<string, SwtaModuleIds>;
  /** Module id → its reset input (a Poisson source). */
  resets: Record<string, string>;
}

export function demoNetwork(options: DemoNetworkOptions = {}): DemoNetwork {
  const o = { ...DEMO_DEFAULTS, ...options, module: { ...DEMO_DEFAULTS.module, ...options.module } };
  const ids: Record<string, SwtaModuleIds> = {};
  const resets: Record<string, string> = {};
  const modules = DEMO_MODULES.map((m) => {
    const mod = swtaModule({ ...o.module, pools: o.pools, poolSize: o.poolSize, prefix: m });
    ids[m] = mod.ids;
    const g = mod.graph;
    g.name = `demo-${m}`;
    const other = m === 'a' ? 'b' : 'a';
    for (let k = 0; k < o.pools; k++) {
      const port: Stimulus = { kind: 'spikes', id: `${m}.from_${other}.${k}`, size: o.poolSize };
      g.stimuli.push(port);
      g.projections.push(coupling(`${port.id}->${mod.ids.pools[k]}`, port.id, mod.ids.pools[k]!, o));
    }
    const reset = `${m}.resetDrive`;
    resets[m] = reset;
    g.stimuli.push({ kind: 'poisson', id: reset, size: 100, rateHz: 0 });
    for (const pool of mod.ids.pools) {
      g.projections.push({
        id: `${reset}->${pool}`, pre: reset, post: pool,
        connect: { rule: 'fixedInDegree', k: o.resetInhibition.inDegree },
        components: [{ receptor: 'GABA_A', gNs: o.resetInhibition.gNs }],
        delayMs: 1,
      });
    }
    if (o.rateProbes) for (const p of g.populations) g.probes.push({ id: `rate:${p.id}`, target: p.id, kind: 'rate' });
    return { id: m, graph: g };
  });
  const links: ModuleLink[] = [];
  for (const m of DEMO_MODULES) {
    const other = m === 'a' ? 'b' : 'a';
    for (let k = 0; k < o.pools; k++) {
      links.push({ id: `${other}.pyr${k}->${m}`, from: { module: other, population: ids[other]!.pools[k]! }, to: { module: m, source: `${m}.from_${other}.${k}` }, rule: 'oneToOne' });
    }
  }
  return { network: { name: 'swta-live-demo', modules, links }, ids, resets };
}

/** Port → pool excitation with the Pyr → Pyr kinetics (AMPA rise 0.3 / decay 3 ms; NMDA receptor defaults). */
function coupling(id: string, pre: string, post: string, o: { couplingP: number; couplingGNs: number; nmdaRatio: number }): Projection {
  return {
    id,
    pre,
    post,
    connect: { rule: 'fixedProbability', p: o.couplingP },
    components: [
      { receptor: 'AMPA', gNs: o.couplingGNs, tauRiseMs: 0.3, tauDecayMs: 3 },
      { receptor: 'NMDA', gNs: o.couplingGNs * o.nmdaRatio },
    ],
    delayMs: 1,
  };
}
