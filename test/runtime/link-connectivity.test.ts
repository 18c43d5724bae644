import { describe, expect, it } from 'vitest';
import type { ModuleLink } from '../../src/graph/network.ts';
import { compileLink, linkSeed, mapToPorts } from '../../runtime/link-connectivity.ts';

const ends = { from: { module: 'a', population: 'E' }, to: { module: 'b', source: 'in' } };

describe('compileLink', () => {
  it('oneToOne maps neuron i to port index i', () => {
    const map = compileLink({ id: 'l', ...ends, rule: 'oneToOne' }, 4, 4, 1);
    expect([...map.offsets]).toEqual([0, 1, 2, 3, 4]);
    expect([...map.ports]).toEqual([0, 1, 2, 3]);
    expect(map.maxFanOut).toBe(1);
  });

  it('pairs keep their listed order per presynaptic neuron, and a neuron may drive several ports', () => {
    const map = compileLink({ id: 'l', ...ends, rule: 'pairs', pre: [2, 0, 2, 1], post: [5, 1, 0, 3] }, 3, 6, 1);
    expect([...map.offsets]).toEqual([0, 1, 2, 4]);
    expect([...map.ports]).toEqual([1, 3, 5, 0]);
    expect(map.maxFanOut).toBe(2);
  });

  it('fixedProbability is drawn from the link seed: same seed and id, same map; p = 0 and 1 are exact', () => {
    const link: ModuleLink = { id: 'l', ...ends, rule: 'fixedProbability', p: 0.1 };
    const a = compileLink(link, 200, 150, 7);
    expect(compileLink(link, 200, 150, 7)).toEqual(a);
    expect(compileLink({ ...link, id: 'other' }, 200, 150, 7).ports).not.toEqual(a.ports);
    expect(linkSeed(7, 'l')).not.toBe(linkSeed(8, 'l'));
    // 30,000 pairs at p = 0.1: 3000 ± 52 (s.d.); 5 s.d. bound.
    expect(Math.abs(a.ports.length - 3000)).toBeLessThan(260);
    let ascending = true;
    for (let i = 0; i < 200; i++) for (let s = a.offsets[i]! + 1; s < a.offsets[i + 1]!; s++) ascending &&= a.ports[s]! > a.ports[s - 1]!;
    expect(ascending).toBe(true);
    expect(compileLink({ ...link, p: 0 }, 5, 5, 1).ports.length).toBe(0);
    expect(compileLink({ ...link, p: 1 }, 5, 4, 1).ports.length).toBe(20);
  });
});

describe('mapToPorts', () => {
  it('writes the ports of each presynaptic spike in order, repeated spikes included', () => {
    const map = compileLink({ id: 'l', ...ends, rule: 'pairs', pre: [0, 0, 2], post: [1, 2, 0] }, 3, 3, 1);
    const out = new Int32Array(8);
    const n = mapToPorts(map, Int32Array.of(2, 0, 1, 0, 9), 4, out);
    expect([...out.subarray(0, n)]).toEqual([0, 1, 2, 1, 2]);
  });
});
