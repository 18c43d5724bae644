import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUICK_BUDGET } from '../../../scenarios/vision/budget.ts';
import { ARMS, GROUPS, memoisePreprocess, pickKShot, planPair, runOod, type OodResults } from '../../../scenarios/vision/ood.ts';
import { buildReport, renderMarkdown } from '../../../scenarios/vision/report.ts';
import { meanSd, verdict } from '../../../scenarios/vision/stats.ts';
import { renderFontDigits } from '../../../src/vision/data/font-digits.ts';
import { identity, preprocessFor, type Preprocess } from '../../../src/vision/preprocess.ts';
import { initBackend } from '../../../src/vision/vit/backend.ts';
import { tempDir } from '../../vision/helpers.ts';

beforeAll(async () => {
  await initBackend();
});

/** A preprocessing that is not `identity` but changes nothing: the filtered arm then must equal the baseline. */
const noop: Preprocess = (images) => new Float32Array(images);

describe('OOD experiment harness (quick budget, seed 1)', () => {
  it('plans pairs that differ only in the filter', () => {
    for (const g of GROUPS) {
      for (const seed of [1, 7]) {
        const [b, f] = planPair(g, seed, QUICK_BUDGET, { baseline: 'none', filtered: 'swta' });
        expect(b.arm).toBe('baseline');
        expect(f.arm).toBe('filtered');
        expect(b.filter).toBe('none');
        expect(f.filter).toBe('swta');
        expect({ ...f, arm: 'baseline', filter: 'none' }).toEqual(b);
        expect(b.vit.seed).toBe(seed);
      }
    }
  });

  let results: OodResults;
  const dir = tempDir('swta-ood-');
  const cacheFile = join(dir, 'runs.json');
  const lines: string[] = [];

  it('runs every group and writes a report of the documented shape', async () => {
    results = await runOod({ budget: QUICK_BUDGET, seeds: [1], cacheFile, modelDir: join(dir, 'models'), log: (s) => lines.push(s) });
    expect(results.runs).toHaveLength(GROUPS.length * ARMS.length);
    const report = buildReport(results);
    const json = JSON.parse(JSON.stringify(report)) as { tasks: unknown[]; compute: Record<string, unknown> };
    expect(json.tasks.length).toBeGreaterThan(5);
    for (const t of json.tasks) {
      expect(t).toMatchObject({
        task: expect.any(String),
        metric: expect.any(String),
        seeds: [1],
        baseline: { mean: expect.any(Number), sd: 0 },
        filtered: { mean: expect.any(Number), sd: 0 },
      });
    }
    const tasks = report.tasks.map((t) => t.task);
    for (const want of ['zero-shot: MNIST → fonts', 'zero-shot: MNIST → MNIST-M', 'zero-shot: MNIST → MNIST-C fog (severity 3)', 'cross-domain: fonts → MNIST, zero-shot', 'cross-domain: fonts → MNIST, k = 2 per class', 'cross-domain: MNIST → fonts, k = 2 per class', 'night segmentation: day → night scenes (unseen layouts)', 'night segmentation: day → day scenes (unseen layouts)']) {
      expect(tasks).toContain(want);
    }
    for (const t of report.tasks) {
      for (const v of [t.baseline.mean, t.filtered.mean]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    expect(json.compute).toMatchObject({ targetAccuracy: QUICK_BUDGET.digits.targetAccuracy, baseline: { runs: 1 }, filtered: { runs: 1 } });
    expect(report.compute!.flopsPerStep).toBeGreaterThan(0);
    // Digits checkpoints carry the filter they were trained behind.
    for (const arm of ARMS) {
      const run = results.runs.find((r) => r.spec.group === 'digits' && r.spec.arm === arm)!;
      const meta = JSON.parse(readFileSync(join(run.checkpoint!, 'model.json'), 'utf8')) as { userDefinedMetadata: { preprocess: string } };
      expect(meta.userDefinedMetadata.preprocess).toBe(arm === 'baseline' ? 'none' : 'swta');
    }
    const md = renderMarkdown(report, { command: 'swta vision ood --quick --seeds 1' });
    expect(md).toContain('## Zero-shot digits');
    expect(md).toContain('## Nighttime segmentation');
    expect(md).toContain('## Training compute');
  });

  it('resumes from its cache without training again', async () => {
    const again: string[] = [];
    const second = await runOod({ budget: QUICK_BUDGET, seeds: [1], cacheFile, modelDir: join(dir, 'models'), log: (s) => again.push(s) });
    expect(again.filter((l) => l.endsWith(': cached'))).toHaveLength(GROUPS.length * ARMS.length);
    expect(second.runs.map((r) => r.scores)).toEqual(results.runs.map((r) => r.scores));
  });

  it('discards its cache when the filter output changes, even under the same name and parameters', async () => {
    const copy = join(dir, 'runs-copy.json');
    await writeFile(copy, await readFile(cacheFile));
    const swta = preprocessFor('swta');
    const changed: Preprocess = (images, shape) => swta(images, shape).map((x) => x * 0.5);
    const lines: string[] = [];
    await runOod({ budget: QUICK_BUDGET, seeds: [1], groups: ['digits'], cacheFile: copy, arms: { filtered: { name: 'swta', preprocess: changed } }, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.includes('was made with another filter'))).toBe(true);
    expect(lines.filter((l) => l.endsWith(': cached'))).toHaveLength(0);
  });

  it('is deterministic, and the arms differ only by the filter: a filter that changes nothing gives the baseline exactly', async () => {
    const same = await runOod({ budget: QUICK_BUDGET, seeds: [1], groups: ['digits', 'street'], arms: { filtered: { name: 'noop', preprocess: noop } } });
    for (const g of ['digits', 'street'] as const) {
      const b = same.runs.find((r) => r.spec.group === g && r.spec.arm === 'baseline')!;
      const f = same.runs.find((r) => r.spec.group === g && r.spec.arm === 'filtered')!;
      expect(f.scores).toEqual(b.scores);
      expect(f.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
      expect(f.stepsToTarget).toBe(b.stepsToTarget);
      // …and the baseline equals the first run's baseline (same seed → same run).
      expect(b.scores).toEqual(results.runs.find((r) => r.spec.group === g && r.spec.arm === 'baseline')!.scores);
    }
    // With the real filter at least one score differs: the filter is not a no-op.
    const d = results.runs.filter((r) => r.spec.group === 'digits');
    expect(d[1]!.scores).not.toEqual(d[0]!.scores);
  });
});

describe('harness helpers', () => {
  it('picks k per class, the same for the same seed', () => {
    const pool = renderFontDigits({ n: 200, seed: 13 });
    const a = pickKShot(pool, 3, 1);
    expect(a.n).toBe(30);
    const counts = new Array(10).fill(0);
    for (const l of a.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(3));
    expect(pickKShot(pool, 3, 1).images).toEqual(a.images);
    expect(pickKShot(pool, 3, 2).images).not.toEqual(a.images);
    expect(() => pickKShot(pool, 100, 1)).toThrow(/has only \d+ images of class/);
  });

  it('memoises a filter per input array without changing its output', () => {
    let calls = 0;
    const f = memoisePreprocess((x) => {
      calls++;
      return x.map((v) => v / 2);
    });
    const x = new Float32Array([0.2, 0.4]);
    const shape = { n: 1, height: 1, width: 2, channels: 1 };
    expect(Array.from(f(x, shape))).toEqual([Math.fround(0.2) / 2, Math.fround(0.4) / 2].map(Math.fround));
    f(x, shape);
    expect(calls).toBe(1);
    expect(memoisePreprocess(identity)).toBe(identity);
  });

  it('mean ± sd and the seed-spread verdict', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
    expect(meanSd([5])).toEqual({ mean: 5, sd: 0 });
    expect(verdict({ mean: 0.5, sd: 0.01 }, { mean: 0.6, sd: 0.02 })).toBe('better');
    expect(verdict({ mean: 0.5, sd: 0.05 }, { mean: 0.55, sd: 0.02 })).toBe('within spread');
    expect(verdict({ mean: 0.5, sd: 0.01 }, { mean: 0.4, sd: 0.01 })).toBe('worse');
  });

  it('the CLI refuses bad arguments before any training', async () => {
    const { main } = await import('../../../cli/vision-ood.ts');
    await expect(main(['--quick', '--budget', 'default'])).rejects.toThrow(/contradict/);
    await expect(main(['--quick', '--tasks', 'digits,bogus'])).rejects.toThrow(/unknown task group 'bogus'/);
    await expect(main(['--quick', '--seeds', '1,x'])).rejects.toThrow(/--seeds must be/);
  });
});
