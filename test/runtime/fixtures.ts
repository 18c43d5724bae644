import type { Graph } from '../../src/graph/types.ts';
import type { ModuleLink, Network } from '../../src/graph/network.ts';

/**
 * A small module for runtime tests: Poisson background onto 30 Pyr and 8 PV cells, E ⇄ I, and an
 * input port 'in' (30 indices) projecting onto the Pyr cells, so linked spikes change the module.
 * Alone it fires at ≈ 7 Hz (Pyr); on the ring of ringNetwork(3), at ≈ 35 Hz.
 */
export function testModuleGraph(name: string, options: { pyr?: number; pv?: number; bgRateHz?: number } = {}): Graph {
  const nE = options.pyr ?? 30;
  const nI = options.pv ?? 8;
  return {
    name,
    populations: [
      { id: 'E', size: nE, cell: 'Pyr', vInitMv: { fromMv: -70, toMv: -55 } },
      { id: 'I', size: nI, cell: 'PV' },
    ],
    projections: [
      { id: 'bg->E', pre: 'bg', post: 'E', connect: { rule: 'fixedInDegree', k: 8 }, components: [{ receptor: 'AMPA', gNs: 1.5 }], delayMs: 0.5 },
      { id: 'bg->I', pre: 'bg', post: 'I', connect: { rule: 'fixedInDegree', k: 8 }, components: [{ receptor: 'AMPA', gNs: 2 }], delayMs: 0.5 },
      { id: 'E->I', pre: 'E', post: 'I', connect: { rule: 'fixedProbability', p: 0.3 }, components: [{ receptor: 'AMPA', gNs: 1 }], delayMs: 1 },
      { id: 'I->E', pre: 'I', post: 'E', connect: { rule: 'fixedProbability', p: 0.4 }, components: [{ receptor: 'GABA_A', gNs: 1.5 }], delayMs: 1 },
      { id: 'in->E', pre: 'in', post: 'E', connect: { rule: 'oneToOne' }, components: [{ receptor: 'AMPA', gNs: 3 }], delayMs: 0.5 },
    ],
    stimuli: [
      { kind: 'poisson', id: 'bg', size: 40, rateHz: options.bgRateHz ?? 40 },
      { kind: 'spikes', id: 'in', size: nE },
    ],
    probes: [],
  };
}

/** `n` modules m0…m(n−1) on a ring (m_i → m_(i+1)), plus back-links m_(i+1) → m_i: recurrent loops. */
export function ringNetwork(n: number, options: { pyr?: number; pv?: number } = {}): Network {
  const modules = Array.from({ length: n }, (_, i) => ({ id: `m${i}`, graph: testModuleGraph(`m${i}`, options) }));
  const links: ModuleLink[] = [];
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    links.push({ id: `m${i}->m${j}`, from: { module: `m${i}`, population: 'E' }, to: { module: `m${j}`, source: 'in' }, rule: 'fixedProbability', p: 0.2 });
    if (n > 2 || i === 0) links.push({ id: `m${j}=>m${i}`, from: { module: `m${j}`, population: 'E' }, to: { module: `m${i}`, source: 'in' }, rule: 'oneToOne' });
  }
  return { name: `ring${n}`, modules, links };
}
