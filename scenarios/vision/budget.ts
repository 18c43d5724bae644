/**
 * Budgets of the OOD experiments (`swta vision ood`): how many images, epochs and steps each task
 * group gets. All arms of a seed share the whole budget; only the preprocessing in front differs.
 *
 * `default`: the digit ViT on the full MNIST training set (57 600 training + 2 000 validation +
 * 400 k-shot pool = 60 000), 4 epochs of batch 64 = 3 600 steps. Measured on this machine (WASM
 * backend, one core, nice 19, other jobs running): ≈ 660–760 training images/s for the 7×7-patch
 * ViT (4×4 patches: ≈ 230/s), so a digits run costs ≈ 5–6 min; in a probe of this schedule
 * (55 000 training images, seed 1) the baseline reached 97.3 % validation and 97.5 % test accuracy. Runs are independent: `--jobs 2` trains one per core.
 * `small`: the former default (4 000 MNIST digits, 3 epochs of batch 32, ≈ 83 % in domain).
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
  /** Fraction of all steps of linear learning-rate warm-up (then cosine decay to 0). */
  warmupFraction: number;
}

export interface DigitsBudget extends TrainBudget {
  /** Score the validation set every this many steps (the accuracy-vs-steps curve of the compute task). */
  evalEvery: number;
  /** Source-domain validation accuracies whose first crossings are the compute task's measures. */
  targets: readonly number[];
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
  /** Overrides of STREET_VIT (besides the budget's `vit`). */
  vit: Partial<Pick<VitConfig, 'dim' | 'depth' | 'heads' | 'mlpRatio' | 'patch'>>;
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

const TARGETS = [0.9, 0.95, 0.97] as const;

export const DEFAULT_BUDGET: OodBudget = {
  name: 'default',
  vit: {},
  evalN: 1000,
  corruptions: CORRUPTION_NAMES,
  severities: [3, 5],
  digits: { trainN: 57_600, valN: 2000, epochs: 4, batchSize: 64, learningRate: 3e-3, warmupFraction: 0.05, evalEvery: 100, targets: TARGETS },
  fonts: { trainN: 3000, valN: 300, epochs: 3, batchSize: 32, learningRate: 4e-3, warmupFraction: 0.1 },
  finetune: { k: 10, epochs: 15, batchSize: 20, learningRate: 1e-3 },
  street: { trainN: 400, valN: 40, evalN: 100, epochs: 4, batchSize: 16, learningRate: 4e-3, warmupFraction: 0.1, size: 64, vit: {} },
};

export const SMALL_BUDGET: OodBudget = {
  ...DEFAULT_BUDGET,
  name: 'small',
  digits: { trainN: 4000, valN: 500, epochs: 3, batchSize: 32, learningRate: 4e-3, warmupFraction: 0.1, evalEvery: 25, targets: [0.8, ...TARGETS] },
};

export const QUICK_BUDGET: OodBudget = {
  name: 'quick',
  vit: { dim: 16, depth: 1, heads: 2 },
  evalN: 48,
  corruptions: ['fog', 'gaussian_noise'],
  severities: [3],
  digits: { trainN: 96, valN: 32, epochs: 1, batchSize: 32, learningRate: 4e-3, warmupFraction: 0.1, evalEvery: 1, targets: [0.15, 0.3] },
  fonts: { trainN: 64, valN: 16, epochs: 1, batchSize: 32, learningRate: 4e-3, warmupFraction: 0.1 },
  finetune: { k: 2, epochs: 1, batchSize: 10, learningRate: 1e-3 },
  street: { trainN: 8, valN: 4, evalN: 4, epochs: 1, batchSize: 4, learningRate: 4e-3, warmupFraction: 0.1, size: 32, vit: {} },
};

export const BUDGETS: Readonly<Record<string, OodBudget>> = { default: DEFAULT_BUDGET, small: SMALL_BUDGET, quick: QUICK_BUDGET };

/** A budget by name; throws listing the known names. */
export function budgetNamed(name: string): OodBudget {
  const b = BUDGETS[name];
  if (!b) throw new Error(`unknown budget '${name}'; known: ${Object.keys(BUDGETS).join(', ')}`);
  return b;
}
