import { ADAPTERS, parseBackend, type Backend } from '../../adapters/registry.ts';
import type { Engine } from '../../src/engine.ts';
import { swtaModule, type SwtaModule, type SwtaModuleOptions } from '../../src/motifs/swta-module.ts';

/** One condition of an sWTA experiment: input rate per pool and context drive rates (Hz per fibre). */
export interface Condition {
  inputsHz: readonly number[];
  vipHz?: number;
  lamp5Hz?: number;
}

export interface ModuleRates {
  /** Mean rate per pool (Hz per neuron) over the measurement window. */
  pools: number[];
  pv: number;
  sst: number;
  vip: number;
  lamp5: number;
}

/** Classes that can be silenced for ablations. */
export type Ablation = 'PV' | 'SST' | 'VIP' | 'LAMP5';

export interface RunnerOptions {
  module: Omit<SwtaModuleOptions, 'prefix'>;
  seed: number;
  /** Settling time discarded, then the measurement window (ms). */
  settleMs?: number;
  windowMs?: number;
  ablate?: Ablation;
  /** Which adapter runs the module (default 'conductance'); the runner uses only the Engine contract. */
  backend?: Backend;
}

export { parseBackend, type Backend };

/**
 * Compiles an sWTA module once and measures steady-state rates per condition. Every condition
 * starts from engine.reset(): the same seed and the same noise realization (common random
 * numbers), so differences between conditions are not sampling noise of the drive.
 */
export class ModuleRunner {
  readonly module: SwtaModule;
  readonly engine: Engine;
  readonly settleMs: number;
  readonly windowMs: number;
  private readonly sizes = new Map<string, number>();

  constructor(o: RunnerOptions) {
    this.module = swtaModule({ ...o.module, prefix: 'm' });
    const g = this.module.graph;
    const ids = this.module.ids;
    if (o.ablate) {
      // Silence a class by zeroing its output synapses' conductances. Its cells still exist and
      // fire, and every synapse is still drawn from its own stream, so the ablated network is the
      // intact instance with one class's outputs at 0 nS: differences are the class's effect.
      const silenced = { PV: ids.pv, SST: ids.sst, VIP: ids.vip, LAMP5: ids.lamp5 }[o.ablate];
      for (const p of g.projections) if (p.pre === silenced) for (const c of p.components) c.gNs = 0;
    }
    for (const id of [...ids.pools, ids.pv, ids.sst, ids.vip, ids.lamp5]) g.probes.push({ id, target: id, kind: 'rate' });
    for (const p of g.populations) this.sizes.set(p.id, p.size);
    this.engine = ADAPTERS[parseBackend(o.backend)].compile(g, { seed: o.seed });
    this.settleMs = o.settleMs ?? 300;
    this.windowMs = o.windowMs ?? 700;
  }

  measure(c: Condition): ModuleRates {
    const { engine, module: m } = this;
    if (c.inputsHz.length !== m.ids.inputs.length) {
      throw new RangeError(`condition has ${c.inputsHz.length} input rates for ${m.ids.inputs.length} pools`);
    }
    engine.reset();
    m.ids.inputs.forEach((id, k) => engine.setRate(id, c.inputsHz[k]!));
    engine.setRate(m.ids.vipDrive, c.vipHz ?? 0);
    engine.setRate(m.ids.lamp5Drive, c.lamp5Hz ?? 0);
    engine.run(this.settleMs + this.windowMs);
    const rate = (id: string): number => {
      const d = engine.probe(id);
      if (d.kind !== 'rate') throw new Error(`probe ${id} is not a rate probe`);
      let spikes = 0;
      for (let t = this.settleMs; t < d.countsPerTick.length; t++) spikes += d.countsPerTick[t]!;
      return spikes / this.sizes.get(id)! / (this.windowMs / 1000);
    };
    return { pools: m.ids.pools.map(rate), pv: rate(m.ids.pv), sst: rate(m.ids.sst), vip: rate(m.ids.vip), lamp5: rate(m.ids.lamp5) };
  }
}
