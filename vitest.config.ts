import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Temporary folders of the run under one that is removed at its end (test/helpers/tmp-root.ts).
    globalSetup: ['test/helpers/tmp-root.ts'],
  },
});
