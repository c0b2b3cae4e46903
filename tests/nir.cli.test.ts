/** `bsnn import` and `bsnn export` as users run them (child processes of bin/bsnn.js, outputs in a temporary folder). */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runBsnn } from './helpers/cli.js';
import { realNir, scratch } from './helpers/nir.js';

const YINYANG = fileURLToPath(new URL('../examples/yinyang.json', import.meta.url));
const dir = scratch();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bsnn = (...args: string[]) => runBsnn(args, { cwd: dir });

describe('bsnn import / bsnn export', () => {
  it('imports lif_norse.nir, prints the conversion report with measured agreement, writes the model', async () => {
    const out = join(dir, 'lif.json');
    const r = await bsnn('import', realNir('lif_norse.nir'), '--out', out, '--dt', '1e-4', '--check', '20');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('leak: dt/τ → v -= v >> 5');
    expect(r.stdout).toContain('reset: subtract (v_reset missing');
    expect(r.stdout).toMatch(/agreement with the float NIR network on 20 inputs/);
    expect(JSON.parse(readFileSync(out, 'utf8')).layers[0].leak).toBe(5);
  });

  it('imports cnn_sinabs.nir (Conv2d, SumPool2d, Flatten): conv layers in the report and the model', async () => {
    const out = join(dir, 'cnn.json');
    const r = await bsnn('import', realNir('cnn_sinabs.nir'), '--out', out, '--check', '2');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('conv: 2×34×34 → 16×16×16, kernel 5×5, stride 2×2, padding 1×1');
    expect(r.stdout).toContain("pool: node '4' (SumPool2d), 2×2 → 16×8×8: sum pool (exact)");
    expect(r.stdout).toMatch(/layer 1 mean event rate: NIR [0-9.]+, bsnn [0-9.]+ non-empty pool windows/);
    const m = JSON.parse(readFileSync(out, 'utf8'));
    expect(m.input.shape).toEqual([2, 34, 34]);
    expect(m.layers.map((l: { type?: string }) => l.type ?? 'dense')).toEqual(['conv2d', 'conv2d', 'conv2d', 'dense', 'dense']);
  });

  it('refuses braille_noDelay_noBias_subtract.nir with exit 1, naming the nodes, and writes nothing', async () => {
    const out = join(dir, 'braille.json');
    const r = await bsnn('import', realNir('braille_noDelay_noBias_subtract.nir'), '--out', out, '--dt', '1e-4');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("node 'lif1.lif' (CubaLIF)");
    expect(existsSync(out)).toBe(false);
  });

  it('a bad --check-inputs file leaves nothing written', async () => {
    const out = join(dir, 'lif2.json');
    const inputs = join(dir, 'inputs.json');
    writeFileSync(inputs, '[[0.5], [2]]');
    const r = await bsnn('import', realNir('lif_norse.nir'), '--out', out, '--dt', '1e-4', '--check-inputs', inputs);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--check-inputs');
    expect(r.stderr).toContain('[1]');
    expect(existsSync(out)).toBe(false);
  });

  it('exports a model and imports it back to the same model hash', async () => {
    const nir = join(dir, 'yy.nir');
    const e = await bsnn('export', YINYANG, '--nir', nir);
    expect(e.status).toBe(0);
    const i = await bsnn('import', nir, '--out', join(dir, 'yy.json'), '--check', '0');
    expect(i.status).toBe(0);
    const hash = (s: string) => /model ([0-9a-f]{16})/.exec(s)?.[1];
    const g = await bsnn('gen-rtl', join(dir, 'yy.json'), '--out', join(dir, 'rtl'));
    const g0 = await bsnn('gen-rtl', YINYANG, '--out', join(dir, 'rtl0'));
    expect(hash(i.stdout)).toBeDefined();
    expect(hash(g.stdout)).toBe(hash(g0.stdout));
    expect(hash(i.stdout)).toBe(hash(g0.stdout));
  });
});
