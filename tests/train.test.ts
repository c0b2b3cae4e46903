import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deterministicPlan } from '../generator/eval/variants.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { tf, useBackend } from '../generator/train/backend.js';
import { checkpointPath } from '../generator/train/checkpoint.js';
import { type LabelledSet, loadSplit, toMatrix, translateInto } from '../generator/train/datasets.js';
import { exportModel } from '../generator/train/export.js';
import { forward, klToUniform, type NetworkParams, type NetworkShape } from '../generator/train/network.js';
import { train } from '../generator/train/run.js';
import { trainConfig } from '../generator/cli/train.js';
import { createTrainer, initialise, trainEpoch } from '../generator/train/trainer.js';
import { SMALL_TRAINING } from './helpers/train.js';

// A small Yin-Yang network trained for a few epochs: enough to have non-trivial weights, thresholds and biases.
const SMALL = SMALL_TRAINING;

describe('training exports the network it trained', () => {
  it('export → load → golden model: the deterministic network predicts what tfjs predicts on a held-out batch', async () => {
    await useBackend();
    const trainSet = loadSplit('yinyang', 'train');
    const val = loadSplit('yinyang', 'validation');
    const shape: NetworkShape = { inputs: 4, hidden: SMALL.hidden, classes: 3, timesteps: SMALL.timesteps, probBits: SMALL.probBits };
    const params = initialise(shape, trainSet, SMALL.seed);
    const state = createTrainer(shape, params, SMALL);
    const m = toMatrix(trainSet);
    for (let e = 0; e < SMALL.epochs; e++) trainEpoch(state, trainSet, m, SMALL);
    const model = exportModel(shape, params, { name: 'small', description: 'test', seed: 3, temperature: 1 });
    const plan = planModel(validateModel(model, 'export'));
    const n = 400;
    const x = tf.tensor2d(toMatrix(val).subarray(0, n * 4), [n, 4]);
    const logits = forward(shape, params, x, { sample: false, deterministic: true }).logits;
    const tfPred = tf.argMax(logits, 1).dataSync();
    const logitData = logits.arraySync() as number[][];
    const golden = new GoldenModel(deterministicPlan(plan));
    let agree = 0;
    let nearTies = 0;
    for (let i = 0; i < n; i++) {
      const r = golden.infer(val.inputs[i]);
      if (r.cls === tfPred[i]) agree++;
      else {
        // The only allowed disagreement: float ties in tfjs' logits that the integer readout breaks to the lowest index.
        const sorted = [...logitData[i]].sort((a, b) => b - a);
        if (Math.abs(sorted[0] - sorted[1]) < 1e-4) nearTies++;
      }
    }
    // Stated tolerance: every prediction agrees, except exact ties.
    expect(agree + nearTies).toBe(n);
    expect(agree).toBeGreaterThan(0.97 * n);
  });

  it('is seeded: an interrupted run resumed from its checkpoint writes the same model as an uninterrupted one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsnn-train-'));
    const whole = await train({ ...SMALL, epochs: 2 }, join(dir, 'whole.json'));
    const out = join(dir, 'resumed.json');
    // Interrupted in the second epoch, after the first epoch's checkpoint was written.
    await expect(
      train({ ...SMALL, epochs: 2 }, out, {
        onBatch: (epoch, done) => {
          if (epoch === 1 && done === 1) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(existsSync(checkpointPath(out))).toBe(true);
    const resumed = await train({ ...SMALL, epochs: 2 }, out);
    expect(JSON.stringify(resumed.model)).toBe(JSON.stringify(whole.model));
    // The model records what it was trained on: evaluate, estimate and cosim default to it.
    expect(whole.model.dataset).toBe('yinyang');
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2]);
  });

  it('--run-timesteps writes the same trained network running longer, from the same checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsnn-train-'));
    const out = join(dir, 'm.json');
    const atT = await train({ ...SMALL, epochs: 2, stopAfter: 1 }, out);
    expect(existsSync(checkpointPath(out))).toBe(true);
    // The checkpoint key leaves the run length out: the same checkpoint is used, nothing is retrained.
    const longer = await train({ ...SMALL, epochs: 2, stopAfter: 1, runTimesteps: 2 * SMALL.timesteps }, out);
    expect(longer.history).toEqual(atT.history);
    expect(atT.model.timesteps).toBe(SMALL.timesteps);
    expect(longer.model.timesteps).toBe(2 * SMALL.timesteps);
    expect(longer.model.description).toContain(`T ${SMALL.timesteps} (runs ${2 * SMALL.timesteps})`);
    const codes = (m: typeof atT.model) => JSON.stringify(m.layers.map((L) => ('probCodes' in L ? L.probCodes : null)));
    expect(codes(longer.model)).toBe(codes(atT.model));
    // The golden model runs the longer ensemble: twice the timesteps, twice the input events of the direct input.
    const x = loadSplit('yinyang', 'validation').inputs[0];
    const events = (m: typeof atT.model) => new GoldenModel(planModel(validateModel(m, 'trained'))).infer(x).inputEvents;
    expect(events(longer.model)).toBe(2 * events(atT.model));
  });

  it('--checkpoint keeps the checkpoint in a file of its own, resumed from there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsnn-train-'));
    const out = join(dir, 'm.json');
    const ckpt = join(dir, 'runs', 'm.ckpt.json');
    const first = await train({ ...SMALL, epochs: 2, stopAfter: 1, checkpoint: ckpt }, out);
    expect(existsSync(ckpt)).toBe(true);
    expect(existsSync(checkpointPath(out))).toBe(false);
    // Resumed from that file: epoch 2 is trained on top of epoch 1, as an uninterrupted run does.
    const whole = await train({ ...SMALL, epochs: 2 }, join(dir, 'whole.json'));
    const resumed = await train({ ...SMALL, epochs: 2, checkpoint: ckpt }, out);
    expect(resumed.history[0]).toEqual(first.history[0]);
    expect(JSON.stringify(resumed.model)).toBe(JSON.stringify(whole.model));
  });

  it('--checkpoint: the file --out writes is refused', () => {
    expect(() => trainConfig({ dataset: 'yinyang', out: 'a/m.json', checkpoint: './a/m.json', restart: false })).toThrow(/--checkpoint: .* is the model file --out writes/);
    expect(trainConfig({ dataset: 'yinyang', out: 'a/m.json', checkpoint: 'a/m.ckpt', restart: false }).checkpoint).toBe('a/m.ckpt');
  });

  it('refuses a checkpoint written with other options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsnn-train-'));
    const out = join(dir, 'm.json');
    await expect(
      train(SMALL, out, {
        onBatch: (epoch, done) => {
          if (epoch === 1 && done === 1) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    await expect(train({ ...SMALL, learningRate: 0.5 }, out)).rejects.toThrow(/other options.*--restart/);
    expect(readFileSync(checkpointPath(out), 'utf8')).toContain('bsnn-checkpoint/1');
  });
});

describe('training-time translation (--shift)', () => {
  // A 3×4 image with distinct values, row-major.
  const img = Float32Array.from({ length: 12 }, (_, i) => i + 1);
  const shifted = (dx: number, dy: number) => {
    const out = new Float32Array(14).fill(-1);
    translateInto(img, 3, 4, dx, dy, out, 1);
    expect(out[0]).toBe(-1); // writes only its own slot
    expect(out[13]).toBe(-1);
    return Array.from(out.subarray(1, 13));
  };

  it('(0, 0) is the identity', () => {
    expect(shifted(0, 0)).toEqual(Array.from(img));
  });

  it('moves right and up by whole pixels, zero-filling what enters from the edge', () => {
    // dx = +1: every row moves one column right; dy = −1: every column moves one row up.
    expect(shifted(1, -1)).toEqual([0, 5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0]);
    expect(shifted(-2, 1)).toEqual([0, 0, 0, 0, 3, 4, 0, 0, 7, 8, 0, 0]);
  });

  it('a shift as wide as the image, or wider, leaves nothing', () => {
    expect(shifted(4, 0).every((v) => v === 0)).toBe(true);
    expect(shifted(0, -3).every((v) => v === 0)).toBe(true);
    expect(shifted(9, 0).every((v) => v === 0)).toBe(true);
    expect(shifted(-9, 5).every((v) => v === 0)).toBe(true);
  });

  it('reaches the training batches: one epoch on 6×6 images trains other weights with it, the same ones twice', async () => {
    await useBackend();
    // 40 images of a bright off-centre bar whose row encodes the class (two classes).
    const inputs = Array.from({ length: 40 }, (_, n) => {
      const x = new Uint8Array(36);
      const row = n % 2 === 0 ? 1 : 4;
      for (let c = 1; c < 4; c++) x[row * 6 + c] = 200 + (n % 7);
      return x;
    });
    const set = { inputs, labels: Uint8Array.from(inputs, (_, n) => n % 2), size: 36, classes: 2, image: { rows: 6, cols: 6 } };
    const shape: NetworkShape = { inputs: 36, hidden: [8], classes: 2, timesteps: 4, probBits: 4 };
    const logitsAfterEpoch = (data: LabelledSet, shift: number) => {
      const opts = { ...SMALL, hidden: [8], timesteps: 4, epochs: 1, batchSize: 10, shift };
      const params = initialise(shape, data, 5);
      trainEpoch(createTrainer(shape, params, opts), data, toMatrix(data), opts);
      return Array.from(params.logits[0].dataSync());
    };
    const still = logitsAfterEpoch(set, 0);
    const shifted2 = logitsAfterEpoch(set, 2);
    expect(shifted2).not.toEqual(still);
    expect(logitsAfterEpoch(set, 2)).toEqual(shifted2);
    // Not an image: the shift is ignored.
    const flat: LabelledSet = { ...set, image: undefined };
    expect(logitsAfterEpoch(flat, 2)).toEqual(logitsAfterEpoch(flat, 0));
  });
});

describe('the KL term', () => {
  it('is ln 2 − H(p) per weight, with the gradient a·p·(1 − p) of its definition', async () => {
    await useBackend();
    const a = [-8, -3, -0.5, 0, 0.7, 2, 5];
    const logits = tf.variable(tf.tensor2d(a, [1, a.length]));
    const params = { logits: [logits] } as unknown as NetworkParams;
    const entropy = (p: number) => -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    const sigma = (x: number) => 1 / (1 + Math.exp(-x));
    const expected = a.reduce((s, x) => s + Math.LN2 - entropy(sigma(x)), 0);
    expect(klToUniform(params).dataSync()[0]).toBeCloseTo(expected, 4);
    const grad = tf.grad((x) => klToUniform({ logits: [x] } as unknown as NetworkParams))(logits).dataSync();
    // d/da [ln 2 − H(σ(a))] = a·σ'(a), checked against a central difference of the definition too.
    a.forEach((x, i) => {
      const h = 1e-4;
      const numeric = (entropy(sigma(x - h)) - entropy(sigma(x + h))) / (2 * h);
      expect(grad[i]).toBeCloseTo(x * sigma(x) * (1 - sigma(x)), 5);
      expect(grad[i]).toBeCloseTo(numeric, 3);
    });
  });
});
