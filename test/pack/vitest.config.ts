import { defineConfig } from 'vitest/config';

/** `npm run test:pack`: packs the package and installs it into an empty folder (slow: own script). */
export default defineConfig({
  test: {
    name: 'pack',
    include: ['test/pack/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
