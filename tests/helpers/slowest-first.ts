/**
 * The order vitest hands test files to its two forks: the slowest files first, longest first, then the rest in
 * vitest's own order. Without this, a fresh checkout (CI: `npm ci` leaves no timings from an earlier run) runs the
 * largest files first, and a long file of few lines (the Yosys comparison, the formal checks) starts near the end
 * and runs alone while the other fork idles.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds each takes in a full `npm test` on two quiet cores (2026-12), longest first. */
export const SLOWEST_FILES = [
  'tests/estimate.analytical.test.ts', // 145: 11 networks through Yosys, two at a time
  'tests/estimate.cli.test.ts', // ~90: native and npm-only Yosys
  'tests/axi.formal.test.ts', // 85: Yosys sat
  'tests/cli.test.ts', // ~80: about 100 runs of the CLI, Icarus
  'tests/cosim.verilator.test.ts', // 55
  'tests/cosim.trained.test.ts', // 39
  'tests/cosim.conv.test.ts', // 39
  'tests/axi.test.ts', // 38
];

export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const rank = (f: TestSpecification) => {
      const i = SLOWEST_FILES.indexOf(relative(root, f.moduleId).split('\\').join('/'));
      return i < 0 ? SLOWEST_FILES.length : i;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
