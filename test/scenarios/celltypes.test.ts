import { describe, expect, it } from 'vitest';
import { CELL_CLASSES, L23_TARGETS } from '../../src/celltypes/l23.ts';
import { adaptationIndex } from '../../scenarios/celltypes/fi-curve.ts';
import { scenario } from '../../scenarios/celltypes/scenario.ts';

describe('scenario celltypes (docs/reference/celltypes.md §a2 "model" rows)', async () => {
  const report = await scenario.run({ seed: 1 });
  const classes = report.result.classes as Record<string, { rheobasePa: number; slopeHzPerNa: number; adaptationIndex: number }>;

  for (const cell of CELL_CLASSES) {
    it(`${cell}: rheobase within 10 pA, f–I slope within 10 %, adaptation index within 0.01`, () => {
      const m = classes[cell]!;
      const t = L23_TARGETS[cell];
      expect(Math.abs(m.rheobasePa - t.rheobasePa)).toBeLessThanOrEqual(10);
      expect(Math.abs(m.slopeHzPerNa / t.slopeHzPerNa - 1)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(m.adaptationIndex - t.adaptationIndex)).toBeLessThanOrEqual(0.01);
    });
  }

  it('writes a table beside the reference values and an SVG figure', () => {
    expect(report.table.length).toBe(6);
    expect(report.svg).toMatch(/^<svg[\s\S]*LAMP5[\s\S]*<\/svg>$/);
  });

  it('adaptation index: IPFX definition on a hand-made train', () => {
    // ISIs 10, 20, 30: ((20−10)/30 + (30−20)/50)/2
    expect(adaptationIndex([0, 10, 30, 60])).toBeCloseTo((10 / 30 + 10 / 50) / 2, 12);
    expect(adaptationIndex([0, 10])).toBe(0);
  });
});
