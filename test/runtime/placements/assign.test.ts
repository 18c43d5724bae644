import { describe, expect, it } from 'vitest';
import type { Network } from '../../../src/graph/network.ts';
import { assignModules } from '../../../runtime/placements/assign.ts';
import { planNetwork } from '../../../runtime/plan.ts';
import { fakeGraph } from '../fake-adapter.ts';

const plan = planNetwork({ modules: [{ id: 'a', graph: fakeGraph('a', 16) }, { id: 'b', graph: fakeGraph('b', 4) }, { id: 'c', graph: fakeGraph('c', 8) }, { id: 'd', graph: fakeGraph('d', 4) }], links: [] } satisfies Network, 1);

describe('assignModules', () => {
  it('balances by neuron count: largest first, each to the least-loaded worker (ties: lower index)', () => {
    // a 16 → w0; c 8 → w1; b 4 → w1 (8 < 16); d 4 → w1 (12 < 16).
    expect(assignModules(plan, { workers: 2 })).toEqual([0, 1, 1, 1]);
    expect(assignModules(plan, { workers: 1 })).toEqual([0, 0, 0, 0]);
    expect(assignModules(plan, { workers: 4 })).toEqual([0, 2, 1, 3]);
  });

  it('follows an explicit assignment and rejects one that cannot work', () => {
    expect(assignModules(plan, { workers: 2, assign: { a: 1, b: 0, c: 0, d: 1 } })).toEqual([1, 0, 0, 1]);
    expect(() => assignModules(plan, { workers: 5 })).toThrow(/workers must be an integer in \[1, 4\] \(one module at least per worker\), got 5/);
    expect(() => assignModules(plan, { workers: 2, assign: { a: 0, b: 0, c: 1 } })).toThrow(/placement.assign has no worker for module 'd'/);
    expect(() => assignModules(plan, { workers: 2, assign: { a: 0, b: 0, c: 0, d: 0 } })).toThrow(/leaves worker 1 without a module/);
    expect(() => assignModules(plan, { workers: 2, assign: { a: 0, b: 2, c: 1, d: 1 } })).toThrow(/placement.assign\['b'\] must be a worker index in \[0, 2\), got 2/);
    expect(() => assignModules(plan, { workers: 2, assign: { a: 0, b: 1, c: 1, d: 1, e: 0 } })).toThrow(/placement.assign names unknown module 'e'/);
  });
});
