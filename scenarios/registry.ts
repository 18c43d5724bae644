import type { Scenario } from './types.ts';

/** Every named scenario, runnable as `swta run <name>`. Modules load on demand. */
const lazy = (load: () => Promise<{ scenario: Scenario }>, description: string): Scenario => ({
  description,
  run: async (options) => (await load()).scenario.run(options),
});

export const SCENARIOS: Record<string, Scenario> = {
  celltypes: lazy(() => import('./celltypes/scenario.ts'), 'f–I curves and adaptation index of the five L2/3 classes vs the reference'),
  'swta-amplification': lazy(() => import('./swta/amplification.ts'), 'input–output curves alone and in competition (gainAlone, gainCompeting)'),
  'swta-suppression': lazy(() => import('./swta/suppression.ts'), 'loser, winner and selection over input ratios 1.1–2.5 and 10 seeds; measured vs predicted silencing ratio'),
  'swta-restoration': lazy(() => import('./swta/restoration.ts'), 'noisy blurred profile over 8 pools, 20 seeds: paired Fisher-z Δr with its 95 % CI; peak-location error'),
  'swta-hysteresis': lazy(() => import('./swta/hysteresis.ts'), 'input ratio ramped up then down, with and without VIP context: loop width'),
  'rate-fit': lazy(() => import('./swta/rate-fit.ts'), 'fit the rate sWTA to the conductance module (--save writes data/calibration/rate-fit.json)'),
  'swta-ablation': lazy(() => import('./swta/ablation.ts'), 'silence each interneuron class on the same network, 10 seeds: every rate, gain, competition; a verdict per class'),
  'swta-report': lazy(() => import('./swta/report.ts'), 'run every sWTA scenario and regenerate docs/results/swta.md'),
  'filter-vs-circuit': lazy(() => import('./swta/filter-vs-circuit.ts'), 'sWTA image filter vs the spiking module on 2×2 images: seed-to-seed ceiling, correlation, strong-loser conditions'),
  'swta-gain-modulation': lazy(() => import('./swta/gain-modulation.ts'), "winner's gain vs VIP and LAMP5 drive"),
  'gain-matching': lazy(() => import('./gain-matching/scenario.ts'), 'gain-match TrueNorth populations to the conductance module: r2/RMSE per population (--save writes the artifacts)'),
  'working-memory': lazy(() => import('./working-memory/scenario.ts'), 'coupled sWTA modules as a two-state working memory (--script <file> runs your own)'),
};
