import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration and e2e tests share host resources (bridges, the state root): run files one at a time.
    fileParallelism: false,
    globalSetup: ['test/setup/global.ts'],
  },
});
