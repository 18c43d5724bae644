import type { Scenario } from './types.ts';

/** Every named scenario, runnable as `swta run <name>`. Modules load on demand. */
const lazy = (load: () => Promise<{ scenario: Scenario }>, description: string): Scenario => ({
  description,
  run: async (options) => (await load()).scenario.run(options),
});

export const SCENARIOS: Record<string, Scenario> = {
  celltypes: lazy(() => import('./celltypes/scenario.ts'), 'f–I curves and adaptation index of the five L2/3 classes vs the reference'),
  'swta-amplification': lazy(() => import('./swta/amplification.ts'), 'input–output curves alone and in competition (gainAlone, gainCompeting)'),
  'swta-suppression': lazy(() => import('./swta/suppression.ts'), 'loser suppressed but not silenced; selection curve'),
  'swta-gain-modulation': lazy(() => import('./swta/gain-modulation.ts'), "winner's gain vs VIP and LAMP5 drive"),
};
