import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/setup-matchers.ts'],
          // bin/ml-network-audit.js runs dist/cli: built once, before the files that spawn it.
          globalSetup: ['test/build-global-setup.ts'],
          // Unit tests are pure or mock the SDK per test (aws-sdk-client-mock reset in each file's hooks), so
          // test files share one module graph per worker: most of a file's time was importing the SDK anew.
          isolate: false,
          pool: 'threads',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/build-global-setup.ts', 'test/e2e/moto-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One moto_server is shared; files run one after another so resets do not race.
          fileParallelism: false,
        },
      },
    ],
  },
});
