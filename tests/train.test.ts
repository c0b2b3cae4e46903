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
import { loadSplit, toMatrix } from '../generator/train/datasets.js';
import { exportModel } from '../generator/train/export.js';
import { forward, type NetworkShape } from '../generator/train/network.js';
import { train, type TrainConfig } from '../generator/train/run.js';
import { createTrainer, initialise, trainEpoch } from '../generator/train/trainer.js';

// A small Yin-Yang network trained for a few epochs: enough to have non-trivial weights, thresholds and biases.
const SMALL: TrainConfig = {
  dataset: 'yinyang',
  hidden: [16, 12],
  timesteps: 6,
  probBits: 4,
  epochs: 2,
  batchSize: 64,
  learningRate: 0.02,
  klWeight: 0.05,
  seed: 3,
  name: 'small',
};

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
  }, 120_000);

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
    expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2]);
  }, 180_000);

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
  }, 120_000);
});
