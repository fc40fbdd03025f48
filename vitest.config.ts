import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two test files at a time. Vitest's default on a 2-core machine is one worker (cores − 1),
    // which ran the suite file after file while most long tests wait on a stack, DynamoDB
    // Local's JVM, a browser or a token's expiry: 805 s one at a time, 673 s two at a time.
    maxWorkers: 2,
  },
});
