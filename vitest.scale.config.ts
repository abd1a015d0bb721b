import { defineConfig } from 'vitest/config';

// `npm run test:scale`: tests on the Temporal server backed by PostgreSQL (`sluice dev up --temporal postgres`).
// A config of its own, not a project of vitest.config.ts, so `npm test` and `vitest run` never build or start
// that server: its first build takes about as long as the rest of CI.
export default defineConfig({
  test: {
    name: 'scale',
    include: ['test/scale/**/*.test.ts'],
    globalSetup: ['test/scale/global-setup.ts'],
    env: { SLUICE_TEMPORAL: 'postgres' },
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
