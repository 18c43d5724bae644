import { describe, expect, it } from 'vitest';
import { planNetwork } from '../../runtime/plan.ts';
import { computeLayout, CTRL, LINE_WORDS, SLOT_HEADER } from '../../runtime/shared-layout.ts';
import { ringNetwork } from './fixtures.ts';

describe('computeLayout', () => {
  it('gives cross-thread links two slots each, every module a spike region, each on cache lines of its own, and nothing overlaps', () => {
    const plan = planNetwork(ringNetwork(3), 1, { maxSpikesPerNeuronPerTick: 2 });
    const layout = computeLayout(plan, [0, 0, 1]);
    const ranges: [number, number][] = [[0, CTRL.WORDS]];
    plan.links.forEach((l, i) => {
      const slot = layout.linkSlots[i]!;
      const crosses = l.from === 2 || l.to === 2;
      expect(slot >= 0).toBe(crosses);
      if (crosses) {
        expect(layout.linkStride[i]).toBe(Math.ceil((SLOT_HEADER + 60) / LINE_WORDS) * LINE_WORDS);
        expect(slot % LINE_WORDS).toBe(0);
        ranges.push([slot, slot + 2 * layout.linkStride[i]!]);
      }
    });
    for (const r of layout.modules) {
      expect(r.tick % LINE_WORDS).toBe(0);
      ranges.push([r.tick, r.counts + 2]);
      expect(r.capacities).toEqual([60, 16]);
      r.indices.forEach((at, p) => ranges.push([at, at + r.capacities[p]!]));
    }
    ranges.sort((x, y) => x[0] - y[0]);
    for (let k = 1; k < ranges.length; k++) expect(ranges[k]![0]).toBeGreaterThanOrEqual(ranges[k - 1]![1]);
    expect(layout.words).toBe(Math.ceil(ranges.at(-1)![1] / LINE_WORDS) * LINE_WORDS);
    for (const w of [CTRL.GO, CTRL.DONE, CTRL.FAILED, CTRL.STOP, CTRL.COMMANDS]) expect(w % LINE_WORDS).toBe(0);
  });
});
