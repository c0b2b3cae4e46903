import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDesign } from '../generator/emit/design.js';
import { planModel } from '../generator/ir/plan.js';
import { loadModel } from '../generator/model/load.js';
import { PACKAGE_ROOT } from '../generator/util/paths.js';

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

// rtl-out/ holds the generated sources of the bundled examples. They must be exactly what gen-rtl produces
// today; after a generator change, regenerate them: npx bsnn gen-rtl examples/<name>.json --out rtl-out/<name>
describe('rtl-out/ is up to date with the generator', () => {
  const examples = readdirSync(join(PACKAGE_ROOT, 'examples')).filter((f) => f.endsWith('.json'));
  it('has an output for every example', () => {
    expect(examples.length).toBeGreaterThan(0);
    const outs = readdirSync(join(PACKAGE_ROOT, 'rtl-out'));
    for (const e of examples) expect(outs).toContain(basename(e, '.json'));
  });
  for (const e of examples) {
    it(`rtl-out/${basename(e, '.json')} equals a fresh gen-rtl of examples/${e}`, () => {
      const design = generateDesign(planModel(loadModel(join(PACKAGE_ROOT, 'examples', e))));
      const dir = join(PACKAGE_ROOT, 'rtl-out', basename(e, '.json'));
      const committed = listFiles(dir).map((f) => relative(dir, f)).sort();
      expect(committed).toEqual(design.files.map((f) => f.path).sort());
      for (const f of design.files) expect(readFileSync(join(dir, f.path), 'utf8'), f.path).toBe(f.content);
    });
  }
});
