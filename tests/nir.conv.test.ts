/** NIR import and export of convolutional networks: Conv2d, pools, Flatten (docs/nir.md "Convolution"). */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import { quantiseIntensity } from '../generator/ir/quantise.js';
import { validateModel } from '../generator/model/load.js';
import { sides } from '../generator/model/shapes.js';
import { prng } from '../generator/model/random.js';
import { measureAgreement } from '../generator/nir/agreement.js';
import { runFloat, type FloatLayer } from '../generator/nir/float-net.js';
import { readNir, writeNir } from '../generator/nir/hdf5.js';
import { exportModelToNir, importNir, importNirToFile } from '../generator/nir/import.js';
import { BsnnError } from '../generator/util/errors.js';
import { mnist, mnistPackageDir } from '../generator/data/mnist.js';
import { argmax } from '../generator/eval/metrics.js';
import { arr, conv2d, ifNode, imageChainFile, nmnistLike, node, pool2d, realNir, scratch } from './helpers/nir.js';

const dir = scratch();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(BsnnError);
  return (e as BsnnError).message;
}

const rnd = prng(11);
const pm = (n: number, scale = 1) => Array.from({ length: n }, () => (rnd() < 0.5 ? -scale : scale));
const probs = (rows: number, cols: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.round(rnd() * 16) / 16));

describe('the float executor runs Conv2d and its pools', () => {
  it('scatters each event through the kernel, stride and padding, and pools the spikes', () => {
    // 1×3×3 input, one channel, 2×2 all-ones kernel, padding 1, stride 2: Ho = Wo = ⌊(3 + 2 − 2)/2⌋ + 1 = 2.
    const L: FloatLayer = {
      kind: 'IF', node: 'n', fanIn: 4, size: 1, weight: Float64Array.of(1, 1, 1, 1), bias: Float64Array.of(0), decay: Float64Array.of(0),
      r: Float64Array.of(1), vLeak: Float64Array.of(0), vThreshold: Float64Array.of(2), reset: 'subtract', vReset: Float64Array.of(0),
      conv: { inShape: { c: 1, h: 3, w: 3 }, kernel: [2, 2], stride: [2, 2], padding: [1, 1], convShape: { c: 1, h: 2, w: 2 }, pool: null, outShape: { c: 1, h: 2, w: 2 } },
    };
    // Output (oy, ox) sees input rows 2·oy − 1 .. 2·oy, columns likewise: (0,0) sees x[0][0] only; (1,1) sees x[1..2][1..2].
    const all = { idx: [0, 1, 2, 3, 4, 5, 6, 7, 8], val: new Array<number>(9).fill(1) };
    const r = runFloat([L], [[all, all]]);
    // Inputs per step: (0,0) 1, (0,1) 2, (1,0) 2, (1,1) 4 → over 2 steps with θ = 2: 1, 2, 2, 2 spikes (at most one a step).
    expect(Array.from(r.counts)).toEqual([1, 2, 2, 2]);
    const sum = runFloat([{ ...L, conv: { ...L.conv!, pool: { kind: 'sum', size: [2, 2] }, outShape: { c: 1, h: 1, w: 1 } } }], [[all, all]]);
    expect(Array.from(sum.counts)).toEqual([2]); // one event (a non-empty window) per step
  });
});

describe('an exact conversion agrees exactly (±1 weights, integer thresholds and biases)', () => {
  it('Conv2d + IF + SumPool2d, Conv2d + IF + AvgPool2d (next weights ±area), SumPool2d → Threshold, Flatten, Affine', async () => {
    const f = join(dir, 'exact-conv.nir');
    // Weights +1 with probability 0.6 and thresholds chosen (seed 4) so that every layer spikes at an intermediate rate.
    const r4 = prng(4);
    const w = (n: number, scale = 1) => Array.from({ length: n }, () => (r4() < 0.6 ? scale : -scale));
    // 2×12×12 → conv 3×3 pad 1 → 3×12×12 → sum 2 → 3×6×6 → conv 2×2 → 4×5×5 → avg 2 → 4×2×2 → conv 1×1 → 2×2×2 → or 2 → 2×1×1.
    await writeNir(f, imageChainFile([2, 12, 12], 4, [
      conv2d('c1', w(54), [3, 2, 3, 3], { padding: 1, bias: [0, 1, -1] }),
      ifNode('i1', [2, 3, 4]),
      pool2d('p1', 'SumPool2d', 2),
      conv2d('c2', w(48), [4, 3, 2, 2], { bias: [-2, -4, -1, -3] }),
      ifNode('i2', [6, 8, 10, 12]),
      pool2d('p2', 'AvgPool2d', 2),
      conv2d('c3', w(8, 4), [2, 4, 1, 1]), // after a 2×2 average: weights ±4 are ±1 per spike counted
      ifNode('i3', [3, 5]),
      pool2d('p3', 'SumPool2d', 2),
      node('or3', 'Threshold', { threshold: arr([0, 0], [2, 1, 1]) }),
      node('flat', 'Flatten', { input_type: arr([2, 1, 1]), start_dim: arr([0], []), end_dim: arr([-1], []) }),
      node('fc', 'Affine', { weight: arr(w(8), [4, 2]), bias: arr([0, 1, 0, 0]) }),
      ifNode('i4', [1, 1, 2, 1]),
    ]));
    const r = await importNir(f, { timesteps: 10 }, { count: 25, seed: 4 });
    const [l0, l1, l2, l3] = r.model.layers as Record<string, unknown>[];
    expect(r.model.input).toEqual({ size: 288, encoding: 'rate', shape: [2, 12, 12] });
    expect(l0).toMatchObject({ type: 'conv2d', channels: 3, kernel: 3, padding: 1, pool: { kind: 'sum', size: 2 }, threshold: [2, 3, 4], bias: [0, 1, -1] });
    expect(l1).toMatchObject({ type: 'conv2d', channels: 4, kernel: 2, pool: { kind: 'sum', size: 2 } });
    expect(l2).toMatchObject({ type: 'conv2d', channels: 2, kernel: 1, pool: { kind: 'or', size: 2 } });
    expect(l3).toMatchObject({ size: 4, threshold: [1, 1, 2, 1], bias: [0, 1, 0, 0] });
    expect(r.report.layers[2].inputScale).toBe(1 / 4);
    expect((l2.probCodes as number[][]).flat().every((q) => q === 0 || q === 255)).toBe(true);
    const a = r.agreement!;
    expect(a.classAgreement).toBe(1);
    expect(a.outputRateError).toBe(0);
    for (const rate of a.rates) expect(rate!.float).toBe(rate!.bsnn);
    // Measured at intermediate rates (not all silent, not all saturated): 0.846, 0.200, 0.160, 0.285.
    expect(a.rates.every((x) => x!.float > 0.1 && x!.float < 0.9)).toBe(true);
    // A measurement: on one input, the same networks agree and a changed float network does not.
    const one = [new Array<number>(288).fill(0.5)];
    const same = measureAgreement(r.plan, r.float, one).rates[0]!;
    expect(same.float).toBe(same.bsnn);
    const changed = r.float.map((L, l) => (l === 0 ? { ...L, vThreshold: L.vThreshold.map((t) => t + 2) } : L));
    const moved = measureAgreement(r.plan, changed, one).rates[0]!;
    expect(moved.float).not.toBe(moved.bsnn);
  });
});

describe('binarisation of conv kernels is per output channel', () => {
  it('α_c = max|W[c]|, p = (1 + W/α)/2, θ_c = round(v_th/α_c); [C, Ho, Wo] neuron parameters that are equal per channel', async () => {
    const w = [0.5, -0.25, 0.1, 0.2, /* channel 1 */ 2, 0, -1, 1];
    const f = join(dir, 'bin-conv.nir');
    await writeNir(f, imageChainFile([1, 3, 3], 2, [
      conv2d('c', w, [2, 1, 2, 2], { bias: [0.3, -0.6] }),
      node('n', 'IF', { r: arr(new Array<number>(8).fill(1), [2, 2, 2]), v_threshold: arr([1.2, 1.2, 1.2, 1.2, 4, 4, 4, 4], [2, 2, 2]) }),
      node('fc', 'Linear', { weight: arr(new Array<number>(16).fill(1), [2, 8]) }),
      ifNode('o', [1]),
    ]));
    const r = await importNir(f, { probBits: 8 }, { count: 0 });
    const L = r.model.layers[0] as Record<string, unknown>;
    expect(L.probCodes).toEqual([[255, 64, 154, 179], [255, 128, 64, 192]]);
    expect(L.threshold).toBe(2);
    expect(L.bias).toEqual([1, 0]);
    expect(r.report.layers[0].scale).toEqual({ min: 0.5, max: 2 });
  });
});

describe('bsnn → NIR → bsnn gives the same model hash for conv models', () => {
  const model = validateModel({
    format: 'bsnn/1', name: 'c2', seed: 3, timesteps: 4, sampling: { mode: 'time-ensemble' },
    input: { size: 2 * 7 * 6, encoding: 'rate', shape: [2, 7, 6] },
    layers: [
      { type: 'conv2d', channels: 3, kernel: [3, 2], padding: [1, 0], probBits: 4, prob: probs(3, 12), threshold: [2, 1, 3], bias: [0, -1, 1], lanes: 2, pool: { kind: 'sum', size: 2 } },
      { type: 'conv2d', channels: 5, kernel: 2, stride: 1, probBits: 5, prob: probs(5, 12), threshold: 2, leak: 2, reset: 'zero', pool: { kind: 'or', size: [2, 1] }, noise: { kind: 'uniform', bits: 2, scale: 1 } },
      { size: 4, probBits: 4, prob: probs(4, 5 * 1 * 1), threshold: 3 },
    ],
  }, 'conv round trip');

  it('writes Conv2d (mean weights), IF/LIF per position, SumPool2d, SumPool2d → Threshold(0), Flatten; imports to the same hash', async () => {
    const file = join(dir, 'c2.nir');
    await exportModelToNir(model, file);
    const nir = await readNir(file);
    const types = nir.edges.map(([a]) => nir.nodes.find((n) => n.name === a)!.type);
    expect(types).toEqual(['Input', 'Conv2d', 'IF', 'SumPool2d', 'Conv2d', 'LIF', 'SumPool2d', 'Threshold', 'Flatten', 'Affine', 'IF']);
    const c0 = nir.nodes.find((n) => n.name === 'conv0')!;
    expect(c0.params.weight.shape).toEqual([3, 2, 3, 2]);
    expect(Array.from(c0.params.padding.data)).toEqual([1, 0]);
    // 7×6 input, kernel 3×2, padding 1×0: 7×5 positions, each channel's threshold at every one.
    expect(nir.nodes.find((n) => n.name === 'if0')!.params.v_threshold.shape).toEqual([3, 7, 5]);
    const back = await importNir(file, {}, { count: 0 });
    expect(back.report.layers.every((l) => l.stats.carried === true)).toBe(true);
    expect(back.model.layers[1]).toMatchObject({ type: 'conv2d', leak: 2, reset: 'zero', pool: { kind: 'or', size: [2, 1] } });
    expect(back.modelHash).toBe(planModel(model).modelHash);
  });

  it('per-sample mode round-trips too', async () => {
    const ps = { ...model, sampling: { mode: 'per-sample' as const, samples: 3 } };
    const file = join(dir, 'c2ps.nir');
    await exportModelToNir(ps, file);
    expect((await importNir(file, {}, { count: 0 })).modelHash).toBe(planModel(ps).modelHash);
  });
});

describe('an image Input read by a dense layer', () => {
  it('Input [1, 2, 3, 4] → Flatten → Linear: input.shape [2, 3, 4] (leading 1 dropped); export writes the Flatten back; same hash', async () => {
    const f = join(dir, 'flat-dense.nir');
    const file = imageChainFile([2, 3, 4], 2, [
      node('flat', 'Flatten', { input_type: arr([2, 3, 4]), start_dim: arr([0], []), end_dim: arr([-1], []) }),
      node('fc', 'Linear', { weight: arr(pm(2 * 24), [2, 24]) }),
      ifNode('n', [1, 2]),
    ]);
    file.nodes[0] = node('input', 'Input', { shape: arr([1, 2, 3, 4]) });
    await writeNir(f, file);
    const r = await importNir(f, {}, { count: 0 });
    expect(r.model.input).toEqual({ size: 24, encoding: 'rate', shape: [2, 3, 4] });
    const back = join(dir, 'flat-dense-back.nir');
    await exportModelToNir(r.model, back);
    expect((await readNir(back)).nodes.map((n) => n.type)).toContain('Flatten');
    expect((await importNir(back, {}, { count: 0 })).modelHash).toBe(r.modelHash);
  });

  it('a Flatten whose input_type does not match what arrives is refused, naming it', async () => {
    const f = join(dir, 'flat-bad.nir');
    await writeNir(f, imageChainFile([1, 5, 5], 2, [
      conv2d('c', pm(8), [2, 1, 2, 2]), ifNode('n', [1]),
      node('flat', 'Flatten', { input_type: arr([2, 5, 5]) }),
      node('fc', 'Linear', { weight: arr(pm(2 * 32), [2, 32]) }), ifNode('o', [1]),
    ]));
    expect(await rejection(importNir(f, {}, { count: 0 }))).toContain("node 'flat' (Flatten): flattens 50 values, it receives 32");
  });
});

describe('refusals name the node and its type, and nothing is written', () => {
  const c = () => conv2d('c', pm(2 * 1 * 4), [2, 1, 2, 2]);
  const tail = [node('fc', 'Linear', { weight: arr(pm(2 * 8), [2, 8]) }), ifNode('o', [1])];
  const cases: [string, ReturnType<typeof imageChainFile>, string][] = [
    ['stride', imageChainFile([1, 5, 5], 2, [c(), ifNode('n', [1]), pool2d('p', 'SumPool2d', 2, 1), ...tail]), "node 'p' (SumPool2d): stride [1,1] ≠ kernel_size [2,2]"],
    ['poolpad', imageChainFile([1, 5, 5], 2, [c(), ifNode('n', [1]), pool2d('p', 'AvgPool2d', 2, 2, 1), ...tail]), "node 'p' (AvgPool2d): padding [1,1]"],
    ['dilation', imageChainFile([1, 5, 5], 2, [conv2d('c', pm(8), [2, 1, 2, 2], { dilation: 2 }), ifNode('n', [1]), ...tail]), "node 'c' (Conv2d): dilation [2,2]"],
    ['groups', imageChainFile([2, 5, 5], 2, [conv2d('c', pm(8), [2, 1, 2, 2], { groups: 2 }), ifNode('n', [1]), ...tail]), "node 'c' (Conv2d): groups [2]"],
    ['densepool', imageChainFile([1, 2, 4], 2, [node('fc0', 'Linear', { weight: arr(pm(8 * 8), [8, 8]) }), ifNode('n', [1]), pool2d('p', 'SumPool2d', 2), ...tail]), "node 'p' (SumPool2d) follows node 'fc0' (Linear)'s neuron; bsnn pools only the output spikes of a Conv2d layer"],
    ['inputpool', imageChainFile([1, 4, 4], 2, [pool2d('p', 'SumPool2d', 2), c(), ifNode('n', [1]), ...tail]), "node 'p' (SumPool2d) follows the input"],
    ['threshold', imageChainFile([1, 5, 5], 2, [c(), ifNode('n', [1]), pool2d('p', 'SumPool2d', 2), node('t', 'Threshold', { threshold: arr([1]) }), ...tail]), "node 't' (Threshold): threshold [1]"],
    ['avgthreshold', imageChainFile([1, 5, 5], 2, [c(), ifNode('n', [1]), pool2d('p', 'AvgPool2d', 2), node('t', 'Threshold', { threshold: arr([0]) }), ...tail]), "node 't' (Threshold) follows node 'p' (AvgPool2d)"],
    ['flatconv', imageChainFile([1, 5, 5], 2, [node('f', 'Flatten', {}), c(), ifNode('n', [1]), ...tail]), "node 'c' (Conv2d) follows node 'f' (Flatten)"],
    ['flatinput', { ...imageChainFile([1, 5, 5], 2, [c(), ifNode('n', [1]), ...tail]), nodes: [node('input', 'Input', { shape: arr([25]) }), c(), ifNode('n', [1]), ...tail, node('output', 'Output', { shape: arr([2]) })] }, "node 'c' (Conv2d) has no image input"],
    ['convlast', imageChainFile([1, 3, 3], 8, [c(), ifNode('n', [1])]), "node 'c' (Conv2d) is the last layer"],
    ['perposition', imageChainFile([1, 3, 3], 2, [c(), node('n', 'IF', { r: arr([1]), v_threshold: arr([1, 1, 1, 2, 1, 1, 1, 1], [2, 2, 2]) }), ...tail]), "node 'n' (IF): dataset 'v_threshold' varies across the positions of channel 0"],
    ['channels', imageChainFile([2, 3, 3], 2, [c(), ifNode('n', [1]), ...tail]), "node 'c' (Conv2d): dataset 'weight' takes 1 input channels, the input has 2"],
    ['kernel', imageChainFile([1, 40, 40], 2, [conv2d('c', new Array<number>(33 * 33).fill(0.1), [1, 1, 33, 33]), ifNode('n', [1]), ...tail]), "node 'c' (Conv2d): kernel [33,33] is outside bsnn's 1..32"],
    ['conv1d', imageChainFile([1, 3, 3], 2, [node('c1', 'Conv1d', {}), ifNode('n', [1]), ...tail]), "node 'c1' (Conv1d): one-dimensional convolution"],
  ];
  it.each(cases)('%s', async (name, file, expected) => {
    const f = join(dir, `refuse-${name}.nir`);
    await writeNir(f, file);
    const out = join(dir, `refuse-${name}.json`);
    expect(await rejection(importNirToFile(f, out, {}, { count: 0 }))).toContain(expected);
    expect(existsSync(out)).toBe(false);
  });
});

describe('cnn_sinabs.nir (Sinabs, NIR 0.2.0): N-MNIST CNN, input 2×34×34', () => {
  it('imports: three conv layers (two sum-pooled), Flatten, two dense layers; runs on the golden model', async () => {
    const out = join(dir, 'cnn.json');
    const r = await importNirToFile(realNir('cnn_sinabs.nir'), out, {}, { count: 3, seed: 2 });
    expect(existsSync(out)).toBe(true);
    expect(r.model.input).toEqual({ size: 2312, encoding: 'rate', shape: [2, 34, 34] });
    expect(r.model.layers.map((l) => (l.type === 'conv2d' ? `conv${l.channels}k${sides(l.kernel)[0]}s${sides(l.stride)[0]}p${sides(l.padding)[0]}${l.pool ? `+${l.pool.kind}${sides(l.pool.size)[0]}` : ''}` : `dense${l.size}`))).toEqual([
      'conv16k5s2p1', 'conv16k3s1p1+sum2', 'conv8k3s1p1+sum2', 'dense256', 'dense10',
    ]);
    expect(r.report.layers.map((l) => l.reset)).toEqual(['subtract', 'subtract', 'subtract', 'subtract', 'subtract']);
    // Every layer's threshold error is reported (Sinabs' v_th = 1 against per-channel α = max|W|).
    expect(r.report.layers[0].stats.maxThresholdError).toBeGreaterThan(0);
    const g = new GoldenModel(r.plan).infer(Uint8Array.from(new Array<number>(2312).fill(0.3), quantiseIntensity), { seed: 1 });
    expect(g.spikesPerLayer[0]).toBeGreaterThan(0);
    // Measured, not assumed: both networks run on the same events; the layers spike in both.
    const a = r.agreement!;
    expect(a.inputs).toBe(3);
    for (const rate of a.rates) {
      expect(rate!.float).toBeGreaterThan(0);
      expect(rate!.bsnn).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(mnistPackageDir() === null)('cnn_sinabs.nir on N-MNIST-like MNIST digits (tests/helpers/nir.ts nmnistLike)', () => {
  it('the float executor classifies them as a trained network does; the import agrees with it', async () => {
    const N = 40;
    const test = mnist('test');
    const inputs = Array.from({ length: N }, (_, k) => nmnistLike(test.inputs[k]));
    const r = await importNir(realNir('cnn_sinabs.nir'), { clip: 0.75 }, { inputs });
    const golden = new GoldenModel(r.plan);
    let floatRight = 0;
    let bsnnRight = 0;
    inputs.forEach((x, k) => {
      const g = golden.infer(Uint8Array.from(x, quantiseIntensity), { seed: k + 1, inputs: true });
      floatRight += argmax(runFloat(r.float, [g.inputTrace!]).counts) === test.labels[k] ? 1 : 0;
      bsnnRight += g.cls === test.labels[k] ? 1 : 0;
    });
    // Measured 35 of 40: a wrong conv executor (kernel order, CHW index, stride or padding) would be near chance (4).
    expect(floatRight).toBeGreaterThanOrEqual(30);
    // Measured 22 of 40 and 57.5 % agreement (docs/nir.md has 100 digits): floors well above chance.
    expect(bsnnRight).toBeGreaterThanOrEqual(16);
    expect(r.agreement!.classAgreement).toBeGreaterThanOrEqual(0.4);
  });
});
