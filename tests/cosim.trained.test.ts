import { describe, expect, it } from 'vitest';
import { cosimAsync } from '../generator/cosim/run.js';
import { planModel } from '../generator/ir/plan.js';
import { loadModel } from '../generator/model/load.js';
import { prng } from '../generator/model/random.js';
import { loadSplit } from '../generator/train/datasets.js';

// The trained example, on real Yin-Yang test points: the RTL must equal the golden model spike for spike.
describe('trained examples/yinyang.json in RTL (Verilator, every layer)', () => {
  it('is a trained potential-readout network and co-simulates bit-exact on 24 test points', async () => {
    const model = loadModel('examples/yinyang.json');
    expect(model.description).toMatch(/^Trained by bsnn train/);
    expect(model.readout?.mode).toBe('potential');
    const plan = planModel(model);
    const test = loadSplit('yinyang', 'test');
    const inputs = test.inputs.slice(0, 24);
    const rnd = prng(11);
    const seeds = inputs.map((_, i) => (i < 12 ? 0 : Math.floor(rnd() * 2 ** 32)));
    const r = await cosimAsync(plan, { simulator: 'verilator', inputs, seeds, allLayers: true });
    expect(r.first?.what).toBeUndefined();
    expect(r.mismatched).toBe(0);
    expect(r.compared).toBe(24);
    expect(r.spikesCompared).toBeGreaterThan(100);
  });
});

// The trained conv example on real MNIST test images (issue 12): every spike of both conv layers and the dense one, the votes,
// and the cycles (cosimAsync compares them with the cycle model).
describe('trained examples/mnist_conv.json in RTL (Verilator, every layer)', () => {
  it('is a trained conv network and co-simulates bit-exact on 2 test images', async () => {
    const model = loadModel('examples/mnist_conv.json');
    expect(model.description).toMatch(/^Trained by bsnn train/);
    const plan = planModel(model);
    expect(plan.layers.map((L) => L.kind)).toEqual(['conv2d', 'conv2d', 'dense', 'readout']);
    const inputs = loadSplit('mnist', 'test').inputs.slice(0, 2);
    const r = await cosimAsync(plan, { simulator: 'verilator', inputs, seeds: [0, 0x2545f491], allLayers: true });
    expect(r.first?.what).toBeUndefined();
    expect(r.mismatched).toBe(0);
    expect(r.compared).toBe(2);
    expect(r.spikesCompared).toBeGreaterThan(1000);
  });
});
