import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cosimAsync } from '../generator/cosim/run.js';
import { estimate } from '../generator/estimate/estimate.js';
import { randomInputs } from '../generator/model/random.js';
import { writeNir } from '../generator/nir/hdf5.js';
import { importNir } from '../generator/nir/import.js';
import { writeDesign } from '../generator/index.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { arr, chainFile, conv2d, ifNode, imageChainFile, node, pool2d, realNir, scratch } from './helpers/nir.js';

const dir = scratch();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Import → gen-rtl to a folder → Icarus co-simulation of every layer against the golden model. */
async function compileAndCosim(file: string, opts: Parameters<typeof importNir>[1], inputs: number) {
  const r = await importNir(file, opts, { count: 0 });
  const out = join(dir, r.model.name);
  const { plan, design } = writeDesign(r.model, out);
  // the JSON the import writes plans to the design that was generated
  expect(planModel(validateModel(JSON.parse(r.json))).modelHash).toBe(plan.modelHash);
  expect(readdirSync(join(out, 'rtl')).some((f) => f.endsWith('.v'))).toBe(true);
  expect(design.files.length).toBeGreaterThan(3);
  const x = randomInputs(11, inputs, plan.input.size);
  const c = await cosimAsync(plan, { simulator: 'iverilog', inputs: x, seeds: x.map((_, i) => i * 0x9e3779b1 >>> 0), allLayers: true });
  return { r, c };
}

describe('imported NIR networks compile and co-simulate bit-exact (Icarus)', () => {
  it('lif_norse.nir', async () => {
    const { c } = await compileAndCosim(realNir('lif_norse.nir'), { dt: 1e-4, timesteps: 32 }, 6);
    expect(c.first?.what).toBeUndefined();
    expect(c.mismatched).toBe(0);
    expect(c.compared).toBe(6);
    expect(c.spikesCompared).toBeGreaterThan(0);
  });

  it('a two-layer Linear → LIF → Affine → LI network (hidden LIF, potential readout)', async () => {
    const f = join(dir, 'two.nir');
    const w1 = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * 0.8);
    const w2 = Array.from({ length: 18 }, (_, i) => Math.cos(i * 2.3) * 0.5);
    await writeNir(f, chainFile(4, 3, [
      node('fc1', 'Linear', { weight: arr(w1, [6, 4]) }),
      node('lif1', 'LIF', { tau: arr([4e-3]), r: arr([4]), v_leak: arr([0]), v_threshold: arr([0.6]) }),
      node('fc2', 'Affine', { weight: arr(w2, [3, 6]), bias: arr([0.1, 0, -0.1]) }),
      node('li2', 'LI', { tau: arr([1e-2]), r: arr([10]), v_leak: arr([0]) }),
    ]));
    const { r, c } = await compileAndCosim(f, { dt: 1e-3, timesteps: 8, probBits: 4 }, 4);
    expect(r.model.readout).toEqual({ mode: 'potential' });
    expect(r.model.layers[0].leak).toBe(2);
    expect(c.mismatched).toBe(0);
    expect(c.compared).toBe(4);
  });
});

describe('imported conv networks compile and co-simulate bit-exact', () => {
  it('Conv2d → IF → SumPool2d, Conv2d → IF → SumPool2d → Threshold ("or"), Flatten, Affine → IF (Icarus)', async () => {
    const f = join(dir, 'conv.nir');
    const w = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.6);
    await writeNir(f, imageChainFile([2, 6, 6], 3, [
      conv2d('c1', w(54, 1.3), [3, 2, 3, 3], { padding: 1, bias: [0.1, 0, -0.1] }),
      ifNode('i1', [0.8, 1, 1.2]),
      pool2d('p1', 'SumPool2d', 2),
      conv2d('c2', w(48, 2.1), [4, 3, 2, 2]),
      ifNode('i2', [1, 1.5, 1, 2]),
      pool2d('p2', 'SumPool2d', 2),
      node('or2', 'Threshold', { threshold: arr([0, 0, 0, 0], [4, 1, 1]) }),
      node('flat', 'Flatten', { input_type: arr([4, 1, 1]), start_dim: arr([0], []), end_dim: arr([-1], []) }),
      node('fc', 'Affine', { weight: arr(w(12, 0.7), [3, 4]), bias: arr([0, 0, 0]) }),
      ifNode('o', [0.5, 0.5, 0.5]),
    ]));
    const result = await compileAndCosim(f, { timesteps: 8, probBits: 4 }, 4);
    expect(result.c.mismatched).toBe(0);
    expect(result.c.compared).toBe(4);
    expect(result.c.spikesCompared).toBeGreaterThan(0);
  });

  // The real Sinabs N-MNIST CNN (input 2×34×34; three conv layers, two sum-pooled, two dense layers), imported
  // at T = 4 to keep the run short (the file's network is the same at any T; docs/nir.md gives T = 32).
  it('cnn_sinabs.nir: gen-rtl, every layer in Verilator, and its estimate fits an xc7z020 with 0 DSP', async () => {
    const r = await importNir(realNir('cnn_sinabs.nir'), { timesteps: 4 }, { count: 0 });
    const out = join(dir, r.model.name);
    const { plan } = writeDesign(r.model, out);
    expect(plan.input.shape).toEqual({ c: 2, h: 34, w: 34 });
    expect(plan.layers.map((L) => L.kind)).toEqual(['conv2d', 'conv2d', 'conv2d', 'dense', 'dense']);
    const x = randomInputs(5, 1, plan.input.size);
    const c = await cosimAsync(plan, { simulator: 'verilator', inputs: x, seeds: [0], allLayers: true });
    expect(c.first?.what).toBeUndefined();
    expect(c.mismatched).toBe(0);
    expect(c.spikesCompared).toBeGreaterThan(1000);
    const e = await estimate(plan, { part: 'xc7z020', resources: 'analytical', inputs: x }, () => plan);
    expect(e.fits).toBe(true);
    expect(e.resources.total.dsp).toBe(0);
  });
});
