import { defineConfig } from 'vitest/config';
import { SlowestFirst } from './tests/helpers/slowest-first.js';

export default defineConfig({
  test: {
    // Suites live in tests/; a layer kind's block test sits beside its template in generator/ops/<kind>/.
    include: ['tests/**/*.test.ts', 'generator/**/*.test.ts'],
    // A macrotask turn after every test keeps vitest's worker RPC answered (see the file).
    setupFiles: ['tests/helpers/yield-between-tests.ts'],
    // Ceilings that catch a hang, not speed targets: `npm test` must pass with another CPU-bound job keeping
    // both cores busy, where synthesis, simulation and training take 3-4x their quiet-machine time (the
    // slowest test, a Yosys or Verilator build, takes about 2 minutes there). Speed is `npm run bench`'s job.
    testTimeout: 600_000,
    hookTimeout: 900_000,
    // Two cores: simulator-heavy files run side by side, no more.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // The slowest files start first, so that the forks finish together (see the file).
    sequence: { sequencer: SlowestFirst },
    // The JSON report lets .ci/run print a one-line summary.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
  },
});
