import type { Engine, ProbeData, SpikeFrame, SpikeInput } from '../../src/engine.ts';
import type { Graph } from '../../src/graph/types.ts';
import { Random } from '../../src/random.ts';

/**
 * A tiny deterministic adapter for runtime tests (loaded by href, also inside workers).
 * Per tick, neuron i of every population spikes
 *   - with probability `pSpontaneous` (seeded), and
 *   - for sure when index i of any 'spikes' source was injected at this tick (echo),
 * so a spike sent over a link shows up in the receiving module at exactly the tick it arrives.
 * Options: `failModule` + `failAtTick` make that module's engine throw at that tick.
 */
export interface FakeOptions {
  seed?: number;
  pSpontaneous?: number;
  failModule?: string;
  failAtTick?: number;
}

class FakeEngine implements Engine {
  readonly backend = 'fake';
  readonly graph: Graph;
  private ticks = 0;
  private readonly rng: Random;
  private readonly seed: number;
  private readonly p: number;
  private readonly failAt: number;
  private readonly echo: Uint8Array[];
  private readonly frame: SpikeFrame;

  constructor(graph: Graph, options: FakeOptions) {
    this.graph = graph;
    this.seed = options.seed ?? 1;
    this.rng = new Random(this.seed);
    this.p = options.pSpontaneous ?? 0.05;
    this.failAt = options.failModule !== undefined && options.failModule === graph.name ? options.failAtTick ?? 0 : -1;
    this.echo = graph.populations.map((p) => new Uint8Array(p.size));
    this.frame = { tick: -1, populations: graph.populations.map((p) => p.id), counts: new Int32Array(graph.populations.length), indices: graph.populations.map((p) => new Int32Array(p.size)) };
  }

  get tick(): number {
    return this.ticks;
  }

  step(inbound?: readonly SpikeInput[]): SpikeFrame {
    if (this.ticks === this.failAt) throw new Error(`fake engine of '${this.graph.name}' told to fail at tick ${this.failAt}`);
    for (const input of inbound ?? []) {
      const source = this.graph.stimuli.find((s) => s.id === input.source);
      if (source?.kind !== 'spikes') throw new Error(`'${input.source}' is not a spikes source`);
      const n = input.count ?? input.indices.length;
      for (let k = 0; k < n; k++) for (const e of this.echo) e[input.indices[k]! % e.length] = 1;
    }
    const f = this.frame as { tick: number };
    f.tick = this.ticks;
    this.graph.populations.forEach((pop, p) => {
      let c = 0;
      for (let i = 0; i < pop.size; i++) {
        const spont = this.rng.uniform() < this.p;
        if (spont || this.echo[p]![i]) this.frame.indices[p]![c++] = i;
        this.echo[p]![i] = 0;
      }
      this.frame.counts[p] = c;
    });
    this.ticks++;
    return this.frame;
  }

  run(ticks: number): void {
    for (let t = 0; t < ticks; t++) this.step();
  }

  reset(): void {
    this.ticks = 0;
    this.rng.reseed(this.seed);
  }

  setRate(stimulusId: string): void {
    if (!this.graph.stimuli.some((s) => s.id === stimulusId && s.kind === 'poisson')) throw new Error(`no Poisson source '${stimulusId}'`);
  }

  probe(probeId: string): ProbeData {
    throw new Error(`fake engine has no probe '${probeId}'`);
  }
}

export function compile(graph: Graph, options: FakeOptions = {}): Engine {
  return new FakeEngine(graph, options);
}

export const FAKE_ADAPTER_HREF = new URL('./fake-adapter.ts', import.meta.url).href;

/** A module graph for the fake adapter: populations P (size n) and a port 'in' (size n). */
export function fakeGraph(name: string, n = 8): Graph {
  return {
    name,
    populations: [{ id: 'P', size: n, cell: 'Pyr' }],
    projections: [{ id: 'in->P', pre: 'in', post: 'P', connect: { rule: 'oneToOne' }, components: [{ receptor: 'AMPA', gNs: 1 }], delayMs: 1 }],
    stimuli: [{ kind: 'spikes', id: 'in', size: n }, { kind: 'poisson', id: 'bg', size: 1, rateHz: 1 }],
    probes: [],
  };
}
