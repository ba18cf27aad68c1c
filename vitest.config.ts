import { defineConfig } from 'vitest/config';

// Real-data and browser tests are slow on 2 cores; keep workers bounded and timeouts generous.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
