import { defineConfig } from 'vitest/config';

// Three projects: `unit` runs in seconds with no servers; `workflow` runs the workflows on a Temporal
// server of its own with fake activities; `integration` talks to the real local stack
// (its global setup starts the stack when it is not running, and stops only what it started).
export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        test: {
          name: 'workflow',
          include: ['test/workflow/**/*.test.ts'],
          // One in-memory Temporal server and one workflow bundle for the whole project.
          globalSetup: ['test/workflow/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          // One stack, shared: files run one after another so a test that stops kwok does not race another.
          fileParallelism: false,
        },
      },
    ],
  },
});
