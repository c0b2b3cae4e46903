import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cosimAsync } from '../generator/cosim/run.js';
import { randomInputs } from '../generator/model/random.js';
import { writeNir } from '../generator/nir/hdf5.js';
import { importNir } from '../generator/nir/import.js';
import { writeDesign } from '../generator/index.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { arr, chainFile, node, realNir, scratch } from './helpers/nir.js';

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
