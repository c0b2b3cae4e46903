import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Suites live in tests/; a layer kind's block test sits beside its template in generator/ops/<kind>/.
    include: ['tests/**/*.test.ts', 'generator/**/*.test.ts'],
    // A macrotask turn after every test keeps vitest's worker RPC answered (see the file).
    setupFiles: ['tests/helpers/yield-between-tests.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores: simulator-heavy files run side by side, no more.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // The JSON report lets .ci/run print a one-line summary.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
