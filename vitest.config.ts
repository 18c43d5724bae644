import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Scenario tests simulate tens of seconds of network activity on 2 cores (≈ 10–60 s each when
    // the machine is otherwise idle). The limit only catches hangs; tests never assert wall-clock time.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
