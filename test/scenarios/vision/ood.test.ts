import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUICK_BUDGET } from '../../../scenarios/vision/budget.ts';
import { curvesSvg } from '../../../scenarios/vision/curves-svg.ts';
import { ARMS, armsOf, GROUPS, memoisePreprocess, pickKShot, planRun, planRuns, runOod, type OodResults } from '../../../scenarios/vision/ood.ts';
import { buildReport, paired } from '../../../scenarios/vision/report.ts';
import { renderMarkdown } from '../../../scenarios/vision/report-markdown.ts';
import { meanSd } from '../../../scenarios/vision/stats.ts';
import { renderFontDigits } from '../../../src/vision/data/font-digits.ts';
import { identity, preprocessFor, type Preprocess } from '../../../src/vision/preprocess.ts';
import { initBackend } from '../../../src/vision/vit/backend.ts';
import { tempDir } from '../../vision/helpers.ts';

beforeAll(async () => {
  await initBackend();
});

/** A preprocessing that is not `identity` but changes nothing: the filtered arm then must equal the baseline. */
const noop: Preprocess = (images) => new Float32Array(images);

/** Runs of every group × arm for one seed. */
const RUNS_PER_SEED = GROUPS.reduce((n, g) => n + armsOf(g).length, 0);

describe('OOD experiment harness (quick budget, seed 1)', () => {
  it('plans runs that differ only in the arm; the colour variant runs only on colour images', () => {
    for (const g of GROUPS) {
      for (const seed of [1, 7]) {
        const base = planRun(g, 'none', seed, QUICK_BUDGET);
        for (const arm of armsOf(g)) expect({ ...planRun(g, arm, seed, QUICK_BUDGET), arm: 'none' }).toEqual(base);
        expect(base.vit.seed).toBe(seed);
      }
    }
    expect(armsOf('digits')).not.toContain('swta-rgb');
    expect(armsOf('street')).toEqual([...ARMS]);
    expect(planRuns(['digits', 'street'], [1, 2], QUICK_BUDGET)).toHaveLength(2 * (ARMS.length - 1) + 2 * ARMS.length);
  });

  let results: OodResults;
  const dir = tempDir('swta-ood-');
  const cacheDir = join(dir, 'runs');
  const lines: string[] = [];

  it('runs every group and arm and writes a report of the documented shape', async () => {
    results = await runOod({ budget: QUICK_BUDGET, seeds: [1], cacheDir, modelDir: join(dir, 'models'), log: (s) => lines.push(s) });
    expect(results.runs).toHaveLength(RUNS_PER_SEED);
    const report = buildReport(results);
    const json = JSON.parse(JSON.stringify(report)) as { tasks: { arms: Record<string, unknown>; ranking: string[] }[]; compute: Record<string, unknown>; claims: { claim: string }[] };
    expect(json.tasks.length).toBeGreaterThan(5);
    for (const t of json.tasks) {
      expect(t.ranking.length).toBeGreaterThanOrEqual(ARMS.length - 1);
      for (const a of t.ranking) expect(t.arms[a]).toMatchObject({ mean: expect.any(Number), sd: 0, perSeed: { 1: expect.any(Number) } });
    }
    const tasks = report.tasks.map((t) => t.task);
    for (const want of ['zero-shot: MNIST → fonts', 'zero-shot: MNIST → MNIST-M', 'zero-shot: MNIST → MNIST-C fog (severity 3)', 'cross-domain: fonts → MNIST, zero-shot', 'cross-domain: fonts → MNIST, k = 2 per class', 'cross-domain: MNIST → fonts, k = 2 per class', 'night segmentation: day → night scenes (unseen layouts)', 'night segmentation: day → day scenes (unseen layouts)']) {
      expect(tasks).toContain(want);
    }
    for (const t of report.tasks) {
      // Ranked best first; the sWTA arm of the claims is 'swta'; the best control is not an sWTA arm.
      const means = t.ranking.map((a) => t.arms[a]!.mean);
      expect([...means].sort((x, y) => y - x)).toEqual(means);
      expect(t.swtaArm).toBe('swta');
      expect(t.bestControl).not.toMatch(/^swta(-rgb)?$/);
      for (const a of t.ranking) {
        expect(t.arms[a]!.mean).toBeGreaterThanOrEqual(0);
        expect(t.arms[a]!.mean).toBeLessThanOrEqual(1);
      }
      // One seed: no interval, no verdict.
      expect(t.vsBestControl!.verdict).toBe('unresolved');
    }
    expect(json.claims.map((c) => c.claim)).toEqual(['zero-shot', 'cross-domain', 'night', 'compute']);
    const c = report.compute!;
    expect(c.targets).toEqual([...QUICK_BUDGET.digits.targets]);
    expect(c.arms.map((a) => a.arm)).toEqual(armsOf('digits'));
    expect(c.flopsPerStep).toBeGreaterThan(0);
    for (const a of c.arms) {
      // Scored before training (step 0) and after every step of the quick budget.
      expect(a.curve.map((p) => p.step)).toEqual([0, 1, 2, 3]);
      expect(a.targets).toHaveLength(c.targets.length);
    }
    // Digits checkpoints carry the preprocessing they were trained behind.
    for (const arm of armsOf('digits')) {
      const run = results.runs.find((r) => r.spec.group === 'digits' && r.spec.arm === arm)!;
      const meta = JSON.parse(readFileSync(join(run.checkpoint!, 'model.json'), 'utf8')) as { userDefinedMetadata: { preprocess: string } };
      expect(meta.userDefinedMetadata.preprocess).toBe(arm);
    }
    const md = renderMarkdown(report, { command: 'swta vision ood --quick --seeds 1' });
    for (const h of ['## Verdict per claim', '## Zero-shot digits', '## Cross-domain digits', '## Nighttime segmentation', '## Training compute']) expect(md).toContain(h);
    expect(md).not.toContain('**Partial results.**');
    // A missing run is named: the page says which arms and seeds finished.
    const partial = renderMarkdown(buildReport({ ...results, runs: results.runs.filter((r) => r.key !== 'digits/lcn/seed1') }), { command: 'swta vision ood --quick --seeds 1' });
    expect(partial).toContain('**Partial results.**');
    expect(partial).toMatch(/digits: none \(seeds 1\); swta \(seeds 1\); swta-nocomp \(seeds 1\); standardize \(seeds 1\); divnorm \(seeds 1\)\./);
    expect(curvesSvg(c)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it('resumes from its cache without training again', async () => {
    const again: string[] = [];
    const second = await runOod({ budget: QUICK_BUDGET, seeds: [1], cacheDir, modelDir: join(dir, 'models'), log: (s) => again.push(s) });
    expect(again.filter((l) => l.endsWith(': cached'))).toHaveLength(RUNS_PER_SEED);
    expect(second.runs.map((r) => r.scores)).toEqual(results.runs.map((r) => r.scores));
  });

  it("shards split the plan: a shard trains only its share, and reads the others' runs once they are cached", async () => {
    const shardDir = join(dir, 'runs-shard');
    const trained: string[] = [];
    const part = await runOod({ budget: QUICK_BUDGET, seeds: [1], groups: ['fonts'], cacheDir: shardDir, shard: { index: 1, count: 2 }, log: (l) => trained.push(l) });
    const fontsArms = armsOf('fonts');
    expect(part.runs.map((r) => r.spec.arm)).toEqual(fontsArms.filter((_, i) => i % 2 === 1));
    const all = await runOod({ budget: QUICK_BUDGET, seeds: [1], groups: ['fonts'], cacheDir: shardDir, shard: { index: 0, count: 2 } });
    expect(all.runs.map((r) => r.spec.arm)).toEqual(fontsArms);
    // Same seed and arm → same run, whichever process trained it.
    for (const r of all.runs) expect(r.scores).toEqual(results.runs.find((x) => x.key === r.key)!.scores);
  });

  it("retrains only the arm whose preprocessing output changed, even under the same name", async () => {
    const copy = join(dir, 'runs-copy');
    cpSync(cacheDir, copy, { recursive: true });
    const swta = preprocessFor('swta');
    const changed: Preprocess = (images, shape) => swta(images, shape).map((x) => x * 0.5);
    const lines: string[] = [];
    await runOod({ budget: QUICK_BUDGET, seeds: [1], groups: ['digits'], arms: ['none', 'swta'], cacheDir: copy, preprocess: { swta: changed }, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.includes("digits/swta/seed1: cached run was made with another 'swta' preprocessing"))).toBe(true);
    expect(lines.filter((l) => l.endsWith(': cached'))).toEqual(['digits/none/seed1: cached']);
  });

  it('is deterministic, and the arms differ only by the preprocessing: one that changes nothing gives the baseline exactly', async () => {
    const same = await runOod({ budget: QUICK_BUDGET, seeds: [1], groups: ['digits', 'street'], arms: ['none', 'swta'], preprocess: { swta: noop } });
    for (const g of ['digits', 'street'] as const) {
      const b = same.runs.find((r) => r.spec.group === g && r.spec.arm === 'none')!;
      const f = same.runs.find((r) => r.spec.group === g && r.spec.arm === 'swta')!;
      expect(f.scores).toEqual(b.scores);
      expect(f.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
      expect(f.curve).toEqual(b.curve);
      // …and the baseline equals the first run's baseline (same seed → same run).
      expect(b.scores).toEqual(results.runs.find((r) => r.spec.group === g && r.spec.arm === 'none')!.scores);
    }
    // With the real filters at least one score differs: the preprocessings are not no-ops.
    const d = results.runs.filter((r) => r.spec.group === 'digits');
    for (const r of d.slice(1)) expect(r.scores).not.toEqual(d[0]!.scores);
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

  it('mean ± sd, and the paired verdict from the 95 % t-interval of per-seed differences', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
    expect(meanSd([5])).toEqual({ mean: 5, sd: 0 });
    const arm = (...v: number[]) => ({ ...meanSd(v), perSeed: Object.fromEntries(v.map((x, i) => [i + 1, x])) });
    // Differences 0.10, 0.12, 0.08, 0.11, 0.09: mean 0.10, sd 0.0158, t(0.975, 4) = 2.776 → half-width 0.0196.
    const p = paired(arm(0.6, 0.62, 0.58, 0.61, 0.59), arm(0.5, 0.5, 0.5, 0.5, 0.5), 'swta', 'none');
    expect(p.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(p.delta.mean).toBeCloseTo(0.1, 10);
    expect(p.delta.high - p.delta.mean).toBeCloseTo(0.0196, 3);
    expect(p.verdict).toBe('better');
    // Mixed signs: the interval holds 0.
    expect(paired(arm(0.6, 0.4, 0.55), arm(0.5, 0.5, 0.5), 'swta', 'none').verdict).toBe('unresolved');
    expect(paired(arm(0.4, 0.41, 0.39), arm(0.5, 0.5, 0.52), 'swta', 'none').verdict).toBe('worse');
    // Lower is better (steps): fewer steps in every seed is 'better'.
    expect(paired(arm(100, 110, 90), arm(200, 220, 190), 'swta', 'none', false).verdict).toBe('better');
    // Only the seeds both arms finished are paired.
    const partial = { ...meanSd([0.7]), perSeed: { 2: 0.7 } };
    expect(paired(partial, arm(0.5, 0.5, 0.5), 'swta', 'none')).toMatchObject({ seeds: [2], verdict: 'unresolved' });
  });

  it('the CLI refuses bad arguments before any training', async () => {
    const { main } = await import('../../../cli/vision-ood.ts');
    await expect(main(['--quick', '--budget', 'default'])).rejects.toThrow(/contradict/);
    await expect(main(['--quick', '--tasks', 'digits,bogus'])).rejects.toThrow(/unknown task group 'bogus'/);
    await expect(main(['--quick', '--seeds', '1,x'])).rejects.toThrow(/--seeds must be/);
    await expect(main(['--quick', '--arms', 'none,sharpen'])).rejects.toThrow(/unknown arm 'sharpen'/);
    await expect(main(['--quick', '--jobs', '0'])).rejects.toThrow(/--jobs must be a positive integer/);
    await expect(main(['--quick', '--shard', '2/2'])).rejects.toThrow(/--shard must be i\/n/);
  });
});
