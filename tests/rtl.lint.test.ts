import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDesign } from '../generator/emit/design.js';
import { COSIM_MATRIX, plannedRandom } from './helpers/designs.js';
import { POTENTIAL_MATRIX } from './helpers/potential.js';

const work = mkdtempSync(join(tmpdir(), 'bsnn-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Every generated design must pass Verilator's strictest lint with no warning at all.
describe('generated RTL passes verilator --lint-only -Wall', () => {
  for (const o of [...COSIM_MATRIX, ...POTENTIAL_MATRIX]) {
    it(`seed ${o.seed}${o.readout === 'potential' ? ' (potential readout)' : ''}`, () => {
      const design = generateDesign(plannedRandom(o));
      const dir = join(work, String(o.seed));
      for (const f of design.files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      const rtl = design.files.filter((f) => f.path.endsWith('.v')).map((f) => join(dir, f.path));
      const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', design.top, ...rtl], { encoding: 'utf8' });
      expect(r.error, 'verilator must be installed').toBeUndefined();
      expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
