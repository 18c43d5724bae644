import { describe, expect, it } from 'vitest';
import { NetworkValidationError } from '../../src/graph/network.ts';
import { moduleSeed, planNetwork } from '../../runtime/plan.ts';
import { ringNetwork } from './fixtures.ts';

describe('planNetwork', () => {
  it('resolves link ends to indices, derives seeds per module, sizes buffers per neuron', () => {
    const plan = planNetwork(ringNetwork(3), 5, { maxSpikesPerNeuronPerTick: 4 });
    expect(plan.modules.map((m) => m.id)).toEqual(['m0', 'm1', 'm2']);
    expect(plan.modules[1]!.seed).toBe(moduleSeed(5, 'm1'));
    expect(new Set(plan.modules.map((m) => m.seed)).size).toBe(3);
    const l = plan.links.find((x) => x.id === 'm2->m0')!;
    expect(l).toMatchObject({ from: 2, fromPopulation: 0, to: 0, port: 'in', capacity: 30 * 4 });
    expect(plan.modules[0]!.inbound.map((x) => x.id)).toEqual(['m1=>m0', 'm2->m0']);
    expect(plan.modules[0]!.outbound.map((x) => x.id)).toEqual(['m0->m1', 'm0=>m2']);
  });

  it('validates first, and checks its own option', () => {
    const bad = ringNetwork(3);
    bad.links[0]!.to.module = 'nowhere';
    expect(() => planNetwork(bad, 1)).toThrow(NetworkValidationError);
    expect(() => planNetwork(ringNetwork(3), 1, { maxSpikesPerNeuronPerTick: 0 })).toThrow(/maxSpikesPerNeuronPerTick must be a positive integer, got 0/);
  });
});
