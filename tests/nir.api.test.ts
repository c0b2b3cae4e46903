/**
 * The package imported by its name, as a user's code does: `import ... from 'bsnn'` resolves through
 * package.json `exports` to the built dist (Node's self-reference), and its types through `types`
 * (the `import type` below is checked by `tsc -p tsconfig.tests.json`, which `npm test` runs after the build).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Model, NirImport, PlannedModel } from 'bsnn';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import { loadModel } from '../generator/model/load.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const YINYANG = fileURLToPath(new URL('../examples/yinyang.json', import.meta.url));
const LIF = fileURLToPath(new URL('../../shared/nir/lif_norse.nir', import.meta.url));

const SCRIPT = `
import { loadModel, planModel, GoldenModel, importNir, formatReport } from 'bsnn';
const model = loadModel(${JSON.stringify(YINYANG)});
const plan = planModel(model);
const r = new GoldenModel(plan).infer(Uint8Array.of(10, 200, 245, 55), { seed: 7 });
const nir = await importNir(${JSON.stringify(LIF)}, { dt: 1e-4 }, { count: 5 });
console.log(JSON.stringify({ hash: plan.modelHash, name: model.name, counts: Array.from(r.counts), nirHash: nir.modelHash, report: formatReport(nir.report, nir.agreement) }));
`;

describe("import ... from 'bsnn'", () => {
  it('package.json points exports and types at the built entry module', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, { types: string; import: string }>; types: string };
    expect(pkg.exports['.']).toEqual({ types: './dist/generator/index.d.ts', import: './dist/generator/index.js' });
    expect(pkg.types).toBe('dist/generator/index.d.ts');
  });

  it('loads, plans, runs the golden model and imports NIR, with the same results as the sources', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: REPO, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { hash: string; name: Model['name']; counts: number[]; nirHash: NirImport['modelHash']; report: string };
    const plan: PlannedModel = planModel(loadModel(YINYANG));
    expect(out.hash).toBe(plan.modelHash);
    expect(out.counts).toEqual(Array.from(new GoldenModel(plan).infer(Uint8Array.of(10, 200, 245, 55), { seed: 7 }).counts));
    expect(out.report).toContain('v -= v >> 5');
    expect(out.nirHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
