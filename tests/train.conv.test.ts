import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConv, trainConfig } from '../generator/cli/train.js';
import { CIFAR_PIXELS, encodeCifar } from '../generator/data/cifar.js';
import { encodeIdx } from '../generator/data/idx.js';
import { deterministicPlan } from '../generator/eval/variants.js';
import { GoldenModel } from '../generator/golden/infer.js';
import type { ConvLayer, DenseLayer } from '../generator/ir/types.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { prng } from '../generator/model/random.js';
import { tf, useBackend } from '../generator/train/backend.js';
import { convGeometry, convOp, forwardConv, heldConv } from '../generator/train/convnet.js';
import { spikingLayer } from '../generator/train/spiking.js';
import { loadSplit, toMatrix, type LabelledSet } from '../generator/train/datasets.js';
import { exportModel } from '../generator/train/export.js';
import type { ConvSpec, ImageShape, NetworkParams, NetworkShape } from '../generator/train/network.js';
import { weightMoments } from '../generator/train/network.js';
import { train } from '../generator/train/run.js';
import { DEFAULT_NEURON, noiseDensity, trainingNoiseTable, type NeuronConfig, type TrainMode } from '../generator/train/semantics.js';
import { createTrainer, initialise, trainEpoch, type TrainOptions } from '../generator/train/trainer.js';
import { SMALL_TRAINING } from './helpers/train.js';

// Tiny MNIST conv networks, one epoch on 200 images: fast, and with non-trivial weights, thresholds and biases.
const OPTS: TrainOptions = { seed: 5, epochs: 1, batchSize: 50, learningRate: 0.01, klWeight: 0.001, shift: 1 };
const N = 200;

/** An or pool into a sum pool (whose counts feed the next layer as values), a dense layer, the readout. */
const CONV: ConvSpec[] = [
  { channels: 4, kernel: 5, stride: 1, padding: 0, pool: { kind: 'or', size: 2 } },
  { channels: 6, kernel: 3, stride: 1, padding: 1, pool: { kind: 'sum', size: 2 } },
];

function subset(split: 'train' | 'validation', n: number): LabelledSet {
  const s = loadSplit('mnist', split);
  return { ...s, inputs: s.inputs.slice(0, n), labels: s.labels.slice(0, n) };
}

interface Network {
  conv?: ConvSpec[];
  hidden?: number[];
  data?: LabelledSet;
  image?: ImageShape;
  neuron?: NeuronConfig;
  probBits?: number | number[];
}

function trained(mode: TrainMode, { conv = CONV, hidden = [12], data = subset('train', N), image = { c: 1, h: 28, w: 28 }, neuron, probBits = 4 }: Network = {}): { shape: NetworkShape; params: NetworkParams } {
  const shape: NetworkShape = { inputs: data.size, hidden, classes: data.classes, timesteps: 4, probBits, mode, image, conv, ...(neuron ? { neuron } : {}) };
  const params = initialise(shape, data, OPTS.seed);
  trainEpoch(createTrainer(shape, params, OPTS), data, toMatrix(data), OPTS);
  return { shape, params };
}

const exported = (shape: NetworkShape, params: NetworkParams) => exportModel(shape, params, { name: 'conv', description: 'test', seed: 7, temperature: 1, lanes: [2, 4, 4, 5] });

/** tfjs' readout sums (logits·T/α) and the golden model's counts, input by input: the largest difference. */
function worstCountDifference(shape: NetworkShape, params: NetworkParams, golden: GoldenModel, n = 40, val = subset('validation', n)): number {
  n = Math.min(n, val.inputs.length);
  val = { ...val, inputs: val.inputs.slice(0, n) };
  const x = tf.tensor2d(toMatrix(val), [n, val.size]);
  const logits = forwardConv(shape, params, x, { sample: false }).logits.arraySync() as number[][];
  const alpha = Math.exp(params.logScale.dataSync()[0]);
  let worst = 0;
  const distinct = new Set<string>();
  for (let i = 0; i < n; i++) {
    const counts = golden.infer(val.inputs[i]).counts;
    distinct.add(Array.from(counts).join(','));
    for (let c = 0; c < shape.classes; c++) worst = Math.max(worst, Math.abs((logits[i][c] * shape.timesteps) / alpha - counts[c]));
  }
  // Not a vacuous agreement: the inputs reach the readout through the spikes (the counts differ between inputs).
  expect(distinct.size).toBeGreaterThan(n / 2);
  return worst;
}

describe('conv training (semantics §4.1)', () => {
  it('exports conv2d layers that load and validate, codes in (c_in, ky, kx) rows, θ and b per channel', async () => {
    await useBackend();
    const { shape, params } = trained('time-ensemble');
    const model = exported(shape, params);
    expect(model.input.shape).toEqual([1, 28, 28]);
    const plan = planModel(validateModel(model, 'export'));
    const [c0, c1, d, r] = model.layers as { type?: string; probCodes: number[][]; threshold?: number[] }[];
    expect([c0.type, c1.type, d.type, r.type]).toEqual(['conv2d', 'conv2d', undefined, undefined]);
    expect([c0.probCodes.length, c0.probCodes[0].length, c1.probCodes[0].length, d.probCodes[0].length]).toEqual([4, 25, 4 * 9, 6 * 6 * 6]);
    expect(c1.threshold).toHaveLength(6);
    expect(plan.layers).toHaveLength(4);
  });

  it('with fixed signs, the golden model computes exactly the readout counts the training forward pass computes', async () => {
    await useBackend();
    const { shape, params } = trained('deterministic');
    const model = exported(shape, params);
    const plan = planModel(validateModel(model, 'export'));
    for (const L of plan.layers) expect(L.probRows.every((q) => q === 0 || q === (1 << L.probBits) - 1)).toBe(true);
    expect(worstCountDifference(shape, params, new GoldenModel(plan))).toBeLessThan(0.05);
  });

  it('k per layer: a layer trained and exported with k = 1 has fixed signs, the others keep their sampled weights', async () => {
    await useBackend();
    const { shape, params } = trained('time-ensemble', { probBits: [1, 4, 4, 4] });
    const model = exported(shape, params);
    const layers = model.layers as { probBits: number; probCodes: number[][] }[];
    expect(layers.map((L) => L.probBits)).toEqual([1, 4, 4, 4]);
    expect(layers[0].probCodes.flat().every((q) => q === 0 || q === 1)).toBe(true);
    expect(layers[1].probCodes.flat().some((q) => q > 0 && q < 15)).toBe(true);
    planModel(validateModel(model, 'export'));
    // Training draws no weight noise for the k = 1 layer: its weights' variances 1 − (2p − 1)² are all 0.
    const variances = (l: number) => Array.from(tf.tidy(() => weightMoments(shape, params, l, false).variance).dataSync());
    expect(variances(0).every((v) => v === 0)).toBe(true);
    expect(variances(1).some((v) => v > 0)).toBe(true);
  });

  it('the flatten into the readout is CHW: a conv layer straight into the readout agrees too', async () => {
    await useBackend();
    const { shape, params } = trained('deterministic', { conv: [{ channels: 3, kernel: 3, stride: 2, padding: 1, pool: { kind: 'or', size: 3 } }], hidden: [] });
    const model = exportModel(shape, params, { name: 'conv', description: 'test', seed: 7, temperature: 1 });
    const golden = new GoldenModel(planModel(validateModel(model, 'export')));
    expect(worstCountDifference(shape, params, golden)).toBeLessThan(0.05);
  });

  it('a conv layer\'s input and filter gradients are the direct sums, for any stride, padding and size', async () => {
    await useBackend();
    // [H, W, C_in, C_out, kernel, stride, padding]: the examples' shape, odd sizes, one channel, strides that do
    // not divide the input (the filter gradient's convolution has offsets past the kernel to drop).
    const cases = [[12, 12, 16, 8, 5, 1, 0], [9, 7, 3, 4, 3, 2, 1], [8, 8, 1, 5, 3, 1, 2], [11, 10, 2, 3, 4, 3, 1], [6, 5, 4, 2, 1, 2, 0]];
    const rnd = prng(8);
    for (const [H, W, Ci, Co, k, s, p] of cases) {
      const c: ConvSpec = { channels: Co, kernel: k, stride: s, padding: p, pool: null };
      const g = convGeometry({ inputs: Ci * H * W, hidden: [], classes: 2, timesteps: 1, probBits: 4, image: { c: Ci, h: H, w: W }, conv: [c] })[0];
      const [Ho, Wo, B] = [g.conv.h, g.conv.w, 3];
      const x = Float32Array.from({ length: B * H * W * Ci }, () => Math.floor(rnd() * 3));
      const w = Float32Array.from({ length: k * k * Ci * Co }, () => rnd() - 0.5);
      const dy = Float32Array.from({ length: B * Ho * Wo * Co }, () => rnd() - 0.5);
      const [dx, dw] = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.mul(convOp(c)(xs as tf.Tensor4D, ws as tf.Tensor4D), tf.tensor4d(dy, [B, Ho, Wo, Co]))))([
        tf.tensor4d(x, [B, H, W, Ci]),
        tf.tensor4d(w, [k, k, Ci, Co]),
      ]);
      // y[b, oy, ox, co] = Σ x[b, oy·s + ky − p, ox·s + kx − p, ci]·w[ky, kx, ci, co]: each term's share of dx and dw.
      const wantDx = new Float64Array(x.length);
      const wantDw = new Float64Array(w.length);
      for (let b = 0; b < B; b++)
        for (let oy = 0; oy < Ho; oy++)
          for (let ox = 0; ox < Wo; ox++)
            for (let ky = 0; ky < k; ky++)
              for (let kx = 0; kx < k; kx++) {
                const [y, xx] = [oy * s + ky - p, ox * s + kx - p];
                if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
                for (let ci = 0; ci < Ci; ci++)
                  for (let co = 0; co < Co; co++) {
                    const [xi, wi, di] = [((b * H + y) * W + xx) * Ci + ci, ((ky * k + kx) * Ci + ci) * Co + co, ((b * Ho + oy) * Wo + ox) * Co + co];
                    wantDx[xi] += w[wi] * dy[di];
                    wantDw[wi] += x[xi] * dy[di];
                  }
              }
      const worst = (got: tf.Tensor, want: Float64Array) => Math.max(...Array.from(got.dataSync(), (v, i) => Math.abs(v - want[i])));
      expect([dx.shape, dw.shape]).toEqual([[B, H, W, Ci], [k, k, Ci, Co]]);
      expect(worst(dx, wantDx), `dx ${[H, W, Ci, Co, k, s, p]}`).toBeLessThan(1e-4);
      expect(worst(dw, wantDw), `dw ${[H, W, Ci, Co, k, s, p]}`).toBeLessThan(1e-4);
    }
  });

  it('is deterministic: the same seed gives the same model, byte for byte', async () => {
    await useBackend();
    const a = trained('time-ensemble');
    const b = trained('time-ensemble');
    expect(JSON.stringify(exported(b.shape, b.params))).toBe(JSON.stringify(exported(a.shape, a.params)));
  });
});

describe('per-sample conv training (one kernel sample per example, held for every position and timestep)', () => {
  it('exports a per-sample model whose likelier-sign network is the one tfjs runs', async () => {
    await useBackend();
    const { shape, params } = trained('per-sample');
    const model = exportModel(shape, params, { name: 'conv', description: 'test', seed: 7, temperature: 1, samples: 3 });
    const plan = planModel(validateModel(model, 'export'));
    expect([plan.mode, plan.samples]).toEqual(['per-sample', 3]);
    const val = subset('validation', 60);
    const x = tf.tensor2d(toMatrix(val), [60, 784]);
    const pred = tf.argMax(forwardConv(shape, params, x, { sample: false, deterministic: true }).logits, 1).dataSync();
    const golden = new GoldenModel({ ...deterministicPlan(plan), samples: 1 });
    let agree = 0;
    val.inputs.forEach((xi, i) => (agree += golden.infer(xi).cls === pred[i] ? 1 : 0));
    expect(agree).toBeGreaterThan(0.95 * 60);
  });

  it('a held kernel\'s current and its input gradient are those of a conv2d with each example\'s own filter', async () => {
    await useBackend();
    const c: ConvSpec = { channels: 3, kernel: 3, stride: 2, padding: 1, pool: null };
    const g = convGeometry({ inputs: 2 * 7 * 6, hidden: [], classes: 2, timesteps: 1, probBits: 4, image: { c: 2, h: 7, w: 6 }, conv: [c] })[0];
    const [T, B] = [2, 3];
    const rnd = prng(4);
    const x = tf.tensor4d(Float32Array.from({ length: T * B * 7 * 6 * 2 }, () => Math.floor(rnd() * 3)), [T * B, 7, 6, 2]);
    const eps = tf.tensor3d(Float32Array.from({ length: B * g.fanIn * 3 }, () => rnd() - 0.5), [B, g.fanIn, 3]);
    const r = tf.tensor2d(Float32Array.from({ length: T * B * g.conv.h * g.conv.w * 3 }, () => rnd() - 0.5), [T * B * g.conv.h * g.conv.w, 3]);
    // Reference: image t·B + b through example b's filter, rows in the same (image, position) order.
    const reference = (xs: tf.Tensor4D) =>
      tf.concat(Array.from({ length: T * B }, (_, i) => tf.reshape(tf.conv2d(tf.slice(xs, [i, 0, 0, 0], [1, 7, 6, 2]), tf.reshape(tf.slice(eps, [i % B, 0, 0], [1, g.fanIn, 3]), [3, 3, 2, 3]) as tf.Tensor4D, 2, 1), [-1, 3])));
    const ours = (xs: tf.Tensor4D) => heldConv(g, c, T, B)(xs, eps);
    expect(tf.max(tf.abs(tf.sub(ours(x), reference(x)))).dataSync()[0]).toBeLessThan(1e-5);
    const grad = (f: (xs: tf.Tensor4D) => tf.Tensor) => tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(f(xs as tf.Tensor4D), r)))(x);
    expect(tf.max(tf.abs(tf.sub(grad(ours), grad(reference)))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('the readout of a held kernel varies as in the golden model, and far more than fresh draws per use', async () => {
    await useBackend();
    const conv: ConvSpec[] = [{ channels: 3, kernel: 5, stride: 2, padding: 0, pool: { kind: 'sum', size: 2 } }, { channels: 4, kernel: 3, stride: 1, padding: 0, pool: null }];
    const { shape, params } = trained('per-sample', { conv, hidden: [] });
    const image = subset('validation', 1).inputs[0];
    // R copies of one image in one batch: R independent held samples (one per example), against R runtime seeds.
    const R = 120;
    const x = tf.tensor2d(toMatrix({ ...subset('validation', 1), inputs: Array.from({ length: R }, () => image) }), [R, 784]);
    const alpha = Math.exp(params.logScale.dataSync()[0]);
    const spread = (a: number[]) => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return { mean: m, variance: a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length };
    };
    const tfjsClass = (mode: TrainMode, c: number) => {
      const z = forwardConv({ ...shape, mode }, params, x, { sample: true, seed: 31 }).logits.arraySync() as number[][];
      return spread(z.map((r) => (r[c] * shape.timesteps) / alpha));
    };
    const golden = new GoldenModel(planModel(validateModel(exportModel(shape, params, { name: 'v', description: '', seed: 5, temperature: 1, samples: 1 }), 'v')));
    const runs = Array.from({ length: R }, (_, r) => golden.infer(image, { seed: r + 1 }).counts);
    for (const c of [0, 3, 7]) {
      const held = tfjsClass('per-sample', c);
      const hw = spread(runs.map((k) => k[c]));
      expect(held.variance / hw.variance).toBeGreaterThan(0.7);
      expect(held.variance / hw.variance).toBeLessThan(1.45);
      expect(Math.abs(held.mean - hw.mean)).toBeLessThan(4 * Math.sqrt(hw.variance / R) + 1);
      // A fresh draw per use (time-ensemble) averages over positions and timesteps: far less spread.
      expect(tfjsClass('time-ensemble', c).variance).toBeLessThan(held.variance / 2);
    }
  });
});

describe('stochastic-threshold neurons in conv networks (--noise)', () => {
  it('trains every spiking layer, conv and dense, with the planner\'s noise tables, entry for entry', async () => {
    await useBackend();
    for (const noise of ['logistic', 'uniform'] as const) {
      const { shape, params } = trained('time-ensemble', { neuron: { ...DEFAULT_NEURON, noise, noiseBits: 3, noiseStd: 0.4 } });
      const plan = planModel(validateModel(exported(shape, params), 'export'));
      plan.layers.slice(0, -1).forEach((L, l) => {
        const planned = (L as ConvLayer | DenseLayer).noise!;
        expect([L.kind, planned.kind]).toEqual([l < 2 ? 'conv2d' : 'dense', noise]);
        expect(Array.from(trainingNoiseTable(shape.noise![l]!))).toEqual(Array.from(planned.table));
      });
    }
  });

  it('a conv neuron\'s spike gradient is the noise density at v − θ, for the current and for θ', async () => {
    await useBackend();
    const spec = { kind: 'logistic' as const, bits: 6, scale: 2.5 };
    const us = [-12, -4, -1, 0.5, 2, 7, 15];
    const theta = 9;
    const layer = { T: 1, B: 1, Ho: 1, Wo: us.length, C: 1, steady: true, neuron: DEFAULT_NEURON, pool: null, seed: () => 1, noise: { spec, seed: () => 2 } };
    const f = (m: tf.Tensor, th: tf.Tensor) => tf.sum(spikingLayer(layer, m as tf.Tensor2D, null, th, tf.zeros([1])));
    const [dMean, dTheta] = tf.grads(f)([tf.tensor2d(us.map((u) => u + theta), [us.length, 1]), tf.tensor1d([theta])]);
    const density = noiseDensity(spec);
    const d = dMean.dataSync();
    us.forEach((u, i) => expect(d[i]).toBeCloseTo(density(u), 6));
    expect(dTheta.dataSync()[0]).toBeCloseTo(-us.reduce((s, u) => s + density(u), 0), 5);
  });

  it('a noisy conv network\'s mean readout in tfjs equals the golden model\'s over runtime seeds', async () => {
    await useBackend();
    const { shape, params } = trained('deterministic', { neuron: { ...DEFAULT_NEURON, noise: 'logistic', noiseBits: 5, noiseStd: 0.5 } });
    const golden = new GoldenModel(planModel(validateModel(exported(shape, params), 'export')));
    const val = subset('validation', 30);
    const n = val.inputs.length;
    const runs = 16;
    const x = tf.tensor2d(toMatrix(val), [n, 784]);
    const alpha = Math.exp(params.logScale.dataSync()[0]);
    const toCounts = (z: Float32Array | Int32Array | Uint8Array) => Array.from(z, (v) => (v * shape.timesteps) / alpha);
    const mean = new Float64Array(n * 10);
    const gmean = new Float64Array(n * 10);
    for (let r = 0; r < runs; r++) {
      toCounts(forwardConv(shape, params, x, { sample: true, seed: 500 + r }).logits.dataSync()).forEach((c, k) => (mean[k] += c / runs));
      for (let i = 0; i < n; i++) golden.infer(val.inputs[i], { seed: r + 1 }).counts.forEach((c, k) => (gmean[i * 10 + k] += c / runs));
    }
    // How far the noise moves the counts from the noise-free ones; the two means must sit much closer than that.
    const quiet = toCounts(forwardConv(shape, params, x, { sample: false }).logits.dataSync());
    let moved = 0;
    let gap = 0;
    for (let k = 0; k < n * 10; k++) {
      moved += Math.abs(quiet[k] - gmean[k]);
      gap += Math.abs(mean[k] - gmean[k]);
    }
    expect(moved).toBeGreaterThan(0);
    expect(gap).toBeLessThan(0.35 * moved);
  });
});

describe('conv layers on channel planes (CHW), e.g. CIFAR-10', () => {
  const root = mkdtempSync(join(tmpdir(), 'bsnn-conv-chw-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const rnd = prng(21);
  const image = (label: number) => {
    // A colour blob whose place and hue follow the label, on noise: the channels carry different values.
    const x = Uint8Array.from({ length: CIFAR_PIXELS }, () => Math.floor(rnd() * 64));
    for (let c = 0; c < 3; c++) for (let y = 8; y < 20; y++) for (let i = 0; i < 12; i++) x[(c * 32 + y) * 32 + 2 * label + i] = c === label % 3 ? 250 : 40 * c;
    return x;
  };
  const labels = Array.from({ length: 80 }, (_, i) => i % 10);
  writeFileSync(join(root, 'data_batch_1.bin'), encodeCifar(labels, labels.map(image)));
  writeFileSync(join(root, 'test_batch.bin'), encodeCifar(labels.slice(0, 10), labels.slice(0, 10).map(image)));

  it('with fixed signs, the golden model computes the readout counts tfjs computes on 3×32×32 planes', async () => {
    await useBackend();
    const data = loadSplit('idx', 'train', { dir: root });
    expect(data.image).toEqual({ rows: 32, cols: 32, channels: 3 });
    const conv: ConvSpec[] = [
      { channels: 4, kernel: 5, stride: 2, padding: 1, pool: { kind: 'sum', size: 2 } },
      { channels: 5, kernel: 3, stride: 1, padding: 0, pool: null },
    ];
    const { shape, params } = trained('deterministic', { conv, hidden: [], data, image: { c: 3, h: 32, w: 32 } });
    const model = exportModel(shape, params, { name: 'chw', description: 'test', seed: 7, temperature: 1 });
    expect([model.input.shape, (model.layers[0] as { probCodes: number[][] }).probCodes[0].length]).toEqual([[3, 32, 32], 3 * 5 * 5]);
    const golden = new GoldenModel(planModel(validateModel(model, 'export')));
    // Rows in the wrong channel order, or an NHWC flatten of the input, would send other pixels to the kernels.
    expect(worstCountDifference(shape, params, golden, 40, data)).toBeLessThan(0.05);
  });

  it('bsnn train --conv on CIFAR-10 batches writes a model of 3-channel input; channels-last images are refused by name', async () => {
    const config = { ...SMALL_TRAINING, dataset: 'idx' as const, dataDir: root, hidden: [], conv: [{ channels: 3, kernel: 5, stride: 3, padding: 0, pool: { kind: 'or' as const, size: 2 } }], timesteps: 2, epochs: 1, batchSize: 24, name: 'cifar_conv' };
    const { model } = await train(config, null);
    expect(validateModel(model, 'trained').input.shape).toEqual([3, 32, 32]);
    const hwc = join(root, 'hwc');
    mkdirSync(hwc);
    writeFileSync(join(hwc, 'x.idx'), encodeIdx([6, 4, 4, 3], Uint8Array.from({ length: 6 * 48 }, (_, i) => i % 251)));
    writeFileSync(join(hwc, 'y.idx'), encodeIdx([6], Uint8Array.from([0, 1, 0, 1, 0, 1])));
    writeFileSync(join(hwc, 'bsnn-data.json'), JSON.stringify({ format: 'idx', train: { images: 'x.idx', labels: 'y.idx' }, layout: 'hwc' }));
    await expect(train({ ...config, dataDir: hwc, conv: [{ channels: 2, kernel: 3, stride: 1, padding: 0, pool: null }] }, null)).rejects.toThrow(/--conv: conv layers need image data.*channels-last \(hwc\)/);
  });
});

describe('--arch conv and --conv', () => {
  it('--arch conv is the example\'s network and schedule: two conv layers with sum pools, a dense layer of 256, trained T 4, run T 8', () => {
    const c = trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', restart: false });
    expect(c.conv).toEqual([
      { channels: 32, kernel: 5, stride: 1, padding: 0, pool: { kind: 'sum', size: 2 } },
      { channels: 64, kernel: 5, stride: 1, padding: 0, pool: { kind: 'sum', size: 2 } },
    ]);
    expect([c.hidden, c.timesteps, c.runTimesteps, c.epochs, c.shift, c.lanes, c.name]).toEqual([[256], 4, 8, 14, 1, [32, 64, 32, 10], 'mnist_conv']);
    // examples/README.md gives the example's command with these flags spelt out: the same run.
    const spelt = trainConfig({
      dataset: 'mnist', out: 'x.json', arch: 'conv', conv: '32c5/sum2,64c5/sum2', hidden: '256', lanes: '32,64,32,10',
      shift: 1, epochs: 14, timesteps: 4, runTimesteps: 8, restart: false,
    });
    expect(spelt).toEqual(c);
  });

  it('--arch conv\'s defaults give way to flags; its lanes belong to its own network', () => {
    const own = trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', conv: '8c3/or2', restart: false });
    expect([own.hidden, own.lanes, own.epochs, own.runTimesteps]).toEqual([[256], undefined, 14, 8]);
    const dense = trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', hidden: '64', restart: false });
    expect([dense.hidden, dense.lanes]).toEqual([[64], undefined]);
    const none = trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', hidden: '0', restart: false });
    expect([none.hidden, none.lanes]).toEqual([[], undefined]);
    const t8 = trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', timesteps: 8, epochs: 3, shift: 0, restart: false });
    expect([t8.timesteps, t8.runTimesteps, t8.epochs, t8.shift]).toEqual([8, undefined, 3, 0]);
    // --conv without --arch conv: the data set's schedule, conv T, no dense layer.
    const bare = trainConfig({ dataset: 'mnist', out: 'x.json', conv: '8c3', restart: false });
    expect([bare.hidden, bare.timesteps, bare.runTimesteps, bare.epochs, bare.shift]).toEqual([[], 4, undefined, 40, 1]);
  });

  it('parses strides, padding and sum pools, and names the bad layer', () => {
    expect(parseConv('8c3s2p1/sum3,4c1')).toEqual([
      { channels: 8, kernel: 3, stride: 2, padding: 1, pool: { kind: 'sum', size: 3 } },
      { channels: 4, kernel: 1, stride: 1, padding: 0, pool: null },
    ]);
    expect(() => parseConv('8c3,4x3')).toThrow(/layer 2 "4x3"/);
    expect(trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', epochs: 5, stopAfter: 3, restart: false }).stopAfter).toBe(3);
    expect(() => trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', stopAfter: 0, restart: false })).toThrow(/--stop-after/);
    expect(trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', runTimesteps: 8, restart: false }).runTimesteps).toBe(8);
    expect(() => trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', runTimesteps: 0, restart: false })).toThrow(/--run-timesteps/);
    expect(() => parseConv('8c3p3')).toThrow(/padding must be below the kernel size/);
    expect(trainConfig({ dataset: 'mnist', out: 'x.json', conv: '8c3', mode: 'per-sample', samples: 2, restart: false })).toMatchObject({ mode: 'per-sample', samples: 2 });
    expect(trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', noise: 'uniform', noiseBits: 3, restart: false }).neuron).toEqual({ ...DEFAULT_NEURON, noise: 'uniform', noiseBits: 3 });
    expect(() => trainConfig({ dataset: 'mnist', out: 'x.json', conv: '8c3', hidden: '64', lanes: '8,8', restart: false })).toThrow(/--lanes: gives 2 values, the network has 3 layers/);
    // --prob-bits: one k stays a number (a checkpoint's key is unchanged), a list gives one per layer.
    expect(trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', probBits: '3', restart: false }).probBits).toBe(3);
    expect(trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', probBits: '1,4,4,4', restart: false }).probBits).toEqual([1, 4, 4, 4]);
    expect(() => trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', probBits: '1,4', restart: false })).toThrow(/--prob-bits: gives 2 values, the model has 4 layers/);
    expect(() => trainConfig({ dataset: 'mnist', out: 'x.json', arch: 'conv', probBits: '1,9,4,4', restart: false })).toThrow(/--prob-bits: "9" is not an integer 1..8/);
  });
});
