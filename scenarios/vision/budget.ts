/**
 * Budgets of the OOD experiments (`swta vision ood`): how many images, epochs and steps each task
 * group gets. The baseline and the filtered model of a pair always share the whole budget; only
 * the filter in front differs.
 *
 * `default` is sized for 2 CPU cores shared with other jobs: 5 seeds × 2 arms × 3 groups took
 * ≈ 42 min of training (≈ 50 min wall with evaluation); docs/results/vision.md comes from it.
 * `quick` is a smoke budget for CI (a tiny ViT, a few dozen images, seconds).
 */
import type { VitConfig } from '../../src/vision/vit/config.ts';
import { CORRUPTION_NAMES } from '../../src/vision/data/corruptions.ts';

export interface TrainBudget {
  /** Training images (scenes). */
  trainN: number;
  /** Held-out source-domain validation images. */
  valN: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export interface DigitsBudget extends TrainBudget {
  /** Score the validation set every this many steps until `targetAccuracy` is reached (compute task). */
  evalEvery: number;
  /** Source-domain validation accuracy whose first crossing is the compute task's measure. */
  targetAccuracy: number;
}

export interface FinetuneBudget {
  /** Labelled target samples per class. */
  k: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export interface StreetBudget extends TrainBudget {
  /** Unseen scenes scored by day and by night (the same layouts under both lights). */
  evalN: number;
  /** Scene side in pixels (square). */
  size: number;
}

export interface OodBudget {
  name: string;
  /** Overrides of the default ViT configs (configFor) — the same for every run of the budget. */
  vit: Partial<Pick<VitConfig, 'dim' | 'depth' | 'heads' | 'mlpRatio' | 'patch'>>;
  /** Images per digit test set (the first `evalN` of each). */
  evalN: number;
  /** MNIST-C-like corruptions scored, and at which severities (1–5). */
  corruptions: readonly string[];
  severities: readonly number[];
  /** MNIST → (zero-shot digit domains, MNIST → fonts, compute). */
  digits: DigitsBudget;
  /** Fonts → MNIST. */
  fonts: TrainBudget;
  finetune: FinetuneBudget;
  street: StreetBudget;
}

export const DEFAULT_BUDGET: OodBudget = {
  name: 'default',
  vit: {},
  evalN: 500,
  corruptions: CORRUPTION_NAMES,
  severities: [3, 5],
  digits: { trainN: 4000, valN: 500, epochs: 3, batchSize: 32, learningRate: 4e-3, evalEvery: 25, targetAccuracy: 0.8 },
  fonts: { trainN: 3000, valN: 300, epochs: 3, batchSize: 32, learningRate: 4e-3 },
  finetune: { k: 10, epochs: 15, batchSize: 20, learningRate: 1e-3 },
  street: { trainN: 400, valN: 40, evalN: 100, epochs: 4, batchSize: 16, learningRate: 4e-3, size: 64 },
};

export const QUICK_BUDGET: OodBudget = {
  name: 'quick',
  vit: { dim: 16, depth: 1, heads: 2 },
  evalN: 48,
  corruptions: ['fog', 'gaussian_noise'],
  severities: [3],
  digits: { trainN: 96, valN: 32, epochs: 1, batchSize: 32, learningRate: 4e-3, evalEvery: 1, targetAccuracy: 0.15 },
  fonts: { trainN: 64, valN: 16, epochs: 1, batchSize: 32, learningRate: 4e-3 },
  finetune: { k: 2, epochs: 1, batchSize: 10, learningRate: 1e-3 },
  street: { trainN: 8, valN: 4, evalN: 4, epochs: 1, batchSize: 4, learningRate: 4e-3, size: 32 },
};

export const BUDGETS: Readonly<Record<string, OodBudget>> = { default: DEFAULT_BUDGET, quick: QUICK_BUDGET };

/** A budget by name; throws listing the known names. */
export function budgetNamed(name: string): OodBudget {
  const b = BUDGETS[name];
  if (!b) throw new Error(`unknown budget '${name}'; known: ${Object.keys(BUDGETS).join(', ')}`);
  return b;
}
