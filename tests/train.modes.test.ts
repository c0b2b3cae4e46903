import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deterministicPlan } from '../generator/eval/variants.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import type { DenseLayer, PlannedModel } from '../generator/ir/types.js';
import { validateModel } from '../generator/model/load.js';
import { tf, useBackend } from '../generator/train/backend.js';
import { loadSplit, toMatrix } from '../generator/train/datasets.js';
import { exportModel } from '../generator/train/export.js';
import { forward, noisySpike, type NetworkParams, type NetworkShape } from '../generator/train/network.js';
import { train, type TrainConfig } from '../generator/train/run.js';
import { DEFAULT_NEURON, noiseDensity, noiseSpecFor, trainingNoiseTable, type NeuronConfig, type TrainMode } from '../generator/train/semantics.js';
import { createTrainer, initialise, trainEpoch } from '../generator/train/trainer.js';
import { SMALL_TRAINING } from './helpers/train.js';

// A small Yin-Yang network trained for a few epochs: enough to have non-trivial weights, thresholds and biases.
const SMALL = SMALL_TRAINING;

/** A small Yin-Yang network trained for two epochs in the given semantics, and its export. */
function trained(mode: TrainMode, neuron: NeuronConfig = DEFAULT_NEURON, samples = 3): { shape: NetworkShape; params: NetworkParams; plan: PlannedModel } {
  const trainSet = loadSplit('yinyang', 'train');
  const shape: NetworkShape = { inputs: 4, hidden: SMALL.hidden, classes: 3, timesteps: SMALL.timesteps, probBits: SMALL.probBits, mode, neuron };
  const params = initialise(shape, trainSet, SMALL.seed);
  const state = createTrainer(shape, params, SMALL);
  const m = toMatrix(trainSet);
  for (let e = 0; e < SMALL.epochs; e++) trainEpoch(state, trainSet, m, SMALL);
  const model = exportModel(shape, params, { name: 'small', description: 'test', seed: 3, temperature: 1, samples });
  return { shape, params, plan: planModel(validateModel(model, 'export')) };
}

/**
 * tfjs' readout sums (logits·T/α) against the golden model's integer counts, input by input: the exported
 * integers are the trained ones if every count agrees (to float rounding) and so every class.
 */
function expectSameCounts(shape: NetworkShape, params: NetworkParams, golden: GoldenModel, n = 300): void {
  const val = loadSplit('yinyang', 'validation');
  const x = tf.tensor2d(toMatrix(val).subarray(0, n * 4), [n, 4]);
  const logits = forward(shape, params, x, { sample: false }).logits.arraySync() as number[][];
  const alpha = Math.exp(params.logScale.dataSync()[0]);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const counts = golden.infer(val.inputs[i]).counts;
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs((logits[i][c] * shape.timesteps) / alpha - counts[c]));
  }
  expect(worst).toBeLessThan(0.05);
}

describe('deterministic training (straight-through binary weights)', () => {
  it('exports fixed signs only, and the golden model computes exactly the counts tfjs computes', async () => {
    await useBackend();
    const { shape, params, plan } = trained('deterministic');
    for (const L of plan.layers) expect(L.probRows.every((q) => q === 0 || q === (1 << L.probBits) - 1)).toBe(true);
    expectSameCounts(shape, params, new GoldenModel(plan));
  });

  it('with a leak and reset to zero, too: the neuron the trainer runs is the one the golden model runs', async () => {
    await useBackend();
    const neuron: NeuronConfig = { ...DEFAULT_NEURON, leak: 2, reset: 'zero' };
    const { shape, params, plan } = trained('deterministic', neuron);
    const hidden = plan.layers.slice(0, -1) as DenseLayer[];
    expect(hidden.map((L) => [L.leak, L.reset])).toEqual([
      [2, 'zero'],
      [2, 'zero'],
    ]);
    expectSameCounts(shape, params, new GoldenModel(plan));
  });
});

describe('per-sample training (one weight sample held for T timesteps)', () => {
  it('exports a per-sample model of S samples whose likelier-sign network is the one tfjs runs', async () => {
    await useBackend();
    const { shape, params, plan } = trained('per-sample', DEFAULT_NEURON, 3);
    expect([plan.mode, plan.samples]).toEqual(['per-sample', 3]);
    // The mean of a held sample is not the network run with p's likelier signs: compare that deterministic projection.
    const val = loadSplit('yinyang', 'validation');
    const n = 300;
    const x = tf.tensor2d(toMatrix(val).subarray(0, n * 4), [n, 4]);
    const pred = tf.argMax(forward(shape, params, x, { sample: false, deterministic: true }).logits, 1).dataSync();
    const golden = new GoldenModel({ ...deterministicPlan(plan), samples: 1 });
    let agree = 0;
    for (let i = 0; i < n; i++) if (golden.infer(val.inputs[i]).cls === pred[i]) agree++;
    expect(agree).toBeGreaterThan(0.99 * n);
  });

  it('the readout current of a held sample varies T times as much as T fresh ones, as in the golden model', async () => {
    await useBackend();
    // No hidden layer: the readout sees the input directly, so both variances have closed forms.
    const T = 8;
    const n = 400;
    const inputs = Array.from({ length: n }, (_, i) => Uint8Array.from([40 + (i % 7), 200, 90, 255]));
    const set = { inputs, labels: new Uint8Array(n), size: 4, classes: 2 };
    const variance = (mode: TrainMode) => {
      const shape: NetworkShape = { inputs: 4, hidden: [], classes: 2, timesteps: T, probBits: 4, mode };
      const params = initialise(shape, set, 9);
      params.logScale.assign(tf.scalar(0));
      const x = tf.tensor2d(toMatrix(set), [n, 4]);
      const z = (forward(shape, params, x, { sample: true, seed: 77 }).logits.arraySync() as number[][]).map((r) => r[0] * T);
      const plan = planModel(validateModel(exportModel(shape, params, { name: 'v', description: '', seed: 5, temperature: 1, samples: 1 }), 'v'));
      const golden = new GoldenModel(plan);
      const g = inputs.map((xi, i) => golden.infer(xi, { seed: i + 1 }).counts[0]);
      const v = (a: number[]) => {
        const m = a.reduce((s, y) => s + y, 0) / a.length;
        return a.reduce((s, y) => s + (y - m) ** 2, 0) / a.length;
      };
      return { tfjs: v(z), golden: v(g) };
    };
    const fresh = variance('time-ensemble');
    const held = variance('per-sample');
    expect(held.tfjs / fresh.tfjs).toBeGreaterThan(T / 1.5);
    expect(held.tfjs / fresh.tfjs).toBeLessThan(T * 1.5);
    // tfjs' Gaussian stands for the golden model's Bernoulli draws: the same spread within sampling error.
    expect(held.tfjs / held.golden).toBeGreaterThan(0.75);
    expect(held.tfjs / held.golden).toBeLessThan(1.33);
    expect(fresh.tfjs / fresh.golden).toBeGreaterThan(0.75);
    expect(fresh.tfjs / fresh.golden).toBeLessThan(1.33);
  });
});

describe('stochastic-threshold neurons in training', () => {
  it('trains with the planner\'s noise tables, entry for entry', async () => {
    await useBackend();
    for (const noise of ['logistic', 'uniform'] as const) {
      const neuron: NeuronConfig = { ...DEFAULT_NEURON, noise, noiseBits: 5, noiseStd: 0.4 };
      const { shape, plan } = trained('time-ensemble', neuron);
      plan.layers.slice(0, -1).forEach((L, l) => {
        const planned = (L as DenseLayer).noise!;
        expect(planned.kind).toBe(noise);
        expect(Array.from(trainingNoiseTable(shape.noise![l]!))).toEqual(Array.from(planned.table));
      });
    }
  });

  it('the noise scale follows the median threshold: σ of the table ≈ noiseStd·θ', () => {
    for (const noise of ['logistic', 'uniform'] as const) {
      // Uniform steps are whole membrane units: 4 bits keep the step (4) well above that floor of 1.
      const spec = noiseSpecFor({ ...DEFAULT_NEURON, noise, noiseBits: noise === 'uniform' ? 4 : 8, noiseStd: 0.5 }, 40)!;
      const t = trainingNoiseTable(spec);
      const sd = Math.sqrt(t.reduce((s, v) => s + v * v, 0) / t.length);
      expect(sd).toBeGreaterThan(0.85 * 20);
      expect(sd).toBeLessThan(1.15 * 20);
    }
  });

  it('the spike\'s gradient is the noise density, the derivative of the table\'s own spike probability', async () => {
    await useBackend();
    for (const spec of [{ kind: 'logistic' as const, bits: 8, scale: 3 }, { kind: 'uniform' as const, bits: 6, scale: 2 }]) {
      const table = trainingNoiseTable(spec);
      const us = [-20, -7, -2.5, 0.5, 3, 9, 30];
      const grad = tf.grad((u: tf.Tensor) => tf.sum(noisySpike(spec)(u, tf.zerosLike(u))))(tf.tensor1d(us)).dataSync();
      const density = noiseDensity(spec);
      const cdf = (u: number) => table.filter((e) => e <= u).length / table.length;
      us.forEach((u, i) => {
        expect(grad[i]).toBeCloseTo(density(u), 6);
        // P(spike) = P(η ≤ u) of the table, differentiated over a few table steps.
        const h = spec.kind === 'uniform' ? 4 * spec.scale : spec.scale;
        expect(Math.abs((cdf(u + h) - cdf(u - h)) / (2 * h) - density(u))).toBeLessThan(0.02);
      });
    }
  });

  it('a noisy network\'s mean readout in tfjs equals the golden model\'s over runtime seeds', async () => {
    await useBackend();
    const neuron: NeuronConfig = { ...DEFAULT_NEURON, noise: 'logistic', noiseBits: 6, noiseStd: 0.5 };
    const { shape, params, plan } = trained('deterministic', neuron);
    const val = loadSplit('yinyang', 'validation');
    const n = 200;
    const runs = 24;
    const x = tf.tensor2d(toMatrix(val).subarray(0, n * 4), [n, 4]);
    const alpha = Math.exp(params.logScale.dataSync()[0]);
    const mean = new Float64Array(n * 3);
    const golden = new GoldenModel(plan);
    const gmean = new Float64Array(n * 3);
    for (let r = 0; r < runs; r++) {
      const z = forward(shape, params, x, { sample: true, seed: 1000 + r }).logits.dataSync();
      for (let k = 0; k < n * 3; k++) mean[k] += (z[k] * shape.timesteps) / alpha / runs;
      for (let i = 0; i < n; i++) golden.infer(val.inputs[i], { seed: r + 1 }).counts.forEach((c, k) => (gmean[i * 3 + k] += c / runs));
    }
    // Noise-free counts: how far the noise moves them; the two means must sit much closer than that.
    const quiet = forward(shape, params, x, { sample: false }).logits.dataSync();
    let moved = 0;
    let gap = 0;
    for (let k = 0; k < n * 3; k++) {
      moved += Math.abs((quiet[k] * shape.timesteps) / alpha - gmean[k]);
      gap += Math.abs(mean[k] - gmean[k]);
    }
    expect(moved).toBeGreaterThan(0);
    expect(gap).toBeLessThan(0.35 * moved);
  });
});

describe('the new modes stay seeded and resumable', () => {
  it('per-sample with logistic threshold noise: a run resumed from its checkpoint writes the model an uninterrupted one writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsnn-modes-'));
    const config: TrainConfig = { ...SMALL, hidden: [12, 8], mode: 'per-sample', samples: 2, neuron: { ...DEFAULT_NEURON, noise: 'logistic', leak: 3 } };
    const whole = await train(config, join(dir, 'whole.json'));
    const out = join(dir, 'resumed.json');
    await expect(
      train(config, out, {
        onBatch: (epoch, done) => {
          if (epoch === 1 && done === 1) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const resumed = await train(config, out);
    expect(JSON.stringify(resumed.model)).toBe(JSON.stringify(whole.model));
    expect(whole.model.sampling).toEqual({ mode: 'per-sample', samples: 2 });
    expect(whole.model.description).toMatch(/mode per-sample \(S 2\), leak 3, logistic threshold noise/);
  });
});
