import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm from 'h5wasm/node';
import { afterAll, describe, expect, it } from 'vitest';
import { codeProbability } from '../generator/ir/quantise.js';
import { planModel } from '../generator/ir/plan.js';
import { loadModel } from '../generator/model/load.js';
import { readNir, writeNir } from '../generator/nir/hdf5.js';
import { exportModelToNir, importNir } from '../generator/nir/import.js';
import { scratch } from './helpers/nir.js';

const dir = scratch();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = (name: string) => fileURLToPath(new URL(`../examples/${name}.json`, import.meta.url));

// The conv example (sum-pooled conv layers, exported as Conv2d → IF → SumPool2d, then Flatten, Affine → IF, Affine).
describe('bsnn → NIR → bsnn gives the same model hash: examples/mnist_conv.json', () => {
  it('imports back to the same hash, every probability carried', async () => {
    const model = loadModel(example('mnist_conv'));
    const file = join(dir, 'mnist_conv.nir');
    await exportModelToNir(model, file);
    const nir = await readNir(file);
    expect(nir.nodes.filter((n) => n.type === 'Conv2d')).toHaveLength(2);
    expect(nir.nodes.filter((n) => n.type === 'SumPool2d')).toHaveLength(2);
    expect(nir.nodes.filter((n) => n.type === 'Threshold')).toHaveLength(0);
    const back = await importNir(file, {}, { count: 0 });
    expect(back.report.layers.every((l) => l.stats.carried === true)).toBe(true);
    expect(back.modelHash).toBe(planModel(model).modelHash);
  });
});

describe.each(['yinyang', 'mnist'])('bsnn → NIR → bsnn gives the same model hash: examples/%s.json', (name) => {
  const model = loadModel(example(name));
  const hash = planModel(model).modelHash;
  const file = join(dir, `${name}.nir`);

  it('exports mean weights 2p − 1, thresholds and the codes under /bsnn, and imports to the same hash', async () => {
    await exportModelToNir(model, file);
    const nir = await readNir(file);
    const fc0 = nir.nodes.find((n) => n.name === 'fc0')!;
    const q = model.layers[0].probCodes![3][2];
    expect(fc0.params.weight.data[3 * model.input.size + 2]).toBe(2 * codeProbability(q, model.layers[0].probBits) - 1);
    expect(nir.bsnn!.layers[0].prob_codes.data[3 * model.input.size + 2]).toBe(q);
    expect(nir.nodes.find((n) => n.name === 'if0')!.params.v_threshold.data[0]).toBe((model.layers[0].threshold as number[])[0]);
    const back = await importNir(file, {}, { count: 0 });
    expect(back.report.layers.every((l) => l.stats.carried === true)).toBe(true);
    expect(back.modelHash).toBe(hash);
  });

  it('stores the weight matrices gzip-compressed (and reads them back)', async () => {
    await h5wasm.ready;
    const f = new h5wasm.File(file, 'r');
    try {
      const d = f.get('node/nodes/fc0/weight') as InstanceType<typeof h5wasm.Dataset>;
      expect(d.filters.map((x) => x.name)).toContain('deflate');
    } finally {
      f.close();
    }
  });
});

describe('codes that disagree with the weights', () => {
  it('are not trusted: the weights are binarised afresh and the report says so', async () => {
    const model = loadModel(example('yinyang'));
    const file = join(dir, 'edited.nir');
    await exportModelToNir(model, file);
    const nir = await readNir(file);
    nir.nodes.find((n) => n.name === 'fc1')!.params.weight.data[0] = 0.123;
    await writeNir(file, nir);
    const back = await importNir(file, {}, { count: 0 });
    expect(back.report.layers.map((l) => l.stats.carried)).toEqual([true, false, true]);
    expect(back.modelHash).not.toBe(planModel(model).modelHash);
  });
});

describe('a LIF layer survives the round trip', () => {
  it('leak λ → τ = dt·2^λ, r = 2^λ → λ, with zero reset and noise kept', async () => {
    const model = loadModel(example('yinyang'));
    const layers = model.layers.map((l, i) => (i === 0 ? { ...l, leak: 3, reset: 'zero' as const, noise: { kind: 'uniform' as const, bits: 3, scale: 1 } } : l));
    const leaky = { ...model, layers };
    const file = join(dir, 'leaky.nir');
    await exportModelToNir(leaky, file, 1e-4);
    const nir = await readNir(file);
    expect(nir.nodes.find((n) => n.name === 'lif0')!.params.tau.data[0]).toBeCloseTo(8e-4, 9);
    const back = await importNir(file, {}, { count: 0 });
    expect(back.model.layers[0]).toMatchObject({ leak: 3, reset: 'zero', noise: { kind: 'uniform', bits: 3, scale: 1 } });
    expect(back.modelHash).toBe(planModel(leaky).modelHash);
  });
});
