/**
 * A model trained on your own data records which files it read: "dataset": "idx" (the CLI choice that reads
 * them) and "dataFormat": "idx" or "cifar10"; its description and later commands say which. On small CIFAR-10
 * and IDX files written here.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runEvaluate } from '../generator/cli/evaluate.js';
import { chooseInputs, datasetFor } from '../generator/cli/inputs.js';
import { CIFAR_PIXELS, encodeCifar } from '../generator/data/cifar.js';
import { encodeIdx } from '../generator/data/idx.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { prng, randomModel } from '../generator/model/random.js';
import { train } from '../generator/train/run.js';
import { SMALL_TRAINING } from './helpers/train.js';

const root = mkdtempSync(join(tmpdir(), 'bsnn-dataformat-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const rnd = prng(13);
const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 2);

const cifar = join(root, 'cifar');
mkdirSync(cifar);
writeFileSync(join(cifar, 'data_batch_1.bin'), encodeCifar(labels(30), labels(30).map(() => bytes(CIFAR_PIXELS))));
writeFileSync(join(cifar, 'test_batch.bin'), encodeCifar(labels(4), labels(4).map(() => bytes(CIFAR_PIXELS))));

/** IDX files of 3072-value vectors: the size of a CIFAR-10 input, another format. */
const idx = join(root, 'idx');
mkdirSync(idx);
writeFileSync(join(idx, 't10k-images-idx3-ubyte'), encodeIdx([4, CIFAR_PIXELS], bytes(4 * CIFAR_PIXELS)));
writeFileSync(join(idx, 't10k-labels-idx1-ubyte'), encodeIdx([4], Uint8Array.from(labels(4))));
writeFileSync(join(idx, 'train-images-idx3-ubyte'), encodeIdx([30, 6, 6], bytes(30 * 36)));
writeFileSync(join(idx, 'train-labels-idx1-ubyte'), encodeIdx([30], Uint8Array.from(labels(30))));

const tiny = { ...SMALL_TRAINING, dataset: 'idx' as const, hidden: [4], timesteps: 2, epochs: 1, batchSize: 9, name: 'tiny' };

describe('bsnn train records the format of your own data', () => {
  it('CIFAR-10 batches: "dataset": "idx", "dataFormat": "cifar10", and the description says so', async () => {
    const { model } = await train({ ...tiny, dataDir: cifar }, null);
    expect([model.dataset, model.dataFormat]).toEqual(['idx', 'cifar10']);
    expect(model.description).toMatch(/^Trained by bsnn train --dataset idx on CIFAR-10 binary batches \(hidden 4, T 2, /);
    expect(validateModel(model, 'trained').dataFormat).toBe('cifar10');
  });

  it('IDX files: "dataFormat": "idx"', async () => {
    const { model } = await train({ ...tiny, dataDir: idx }, null);
    expect([model.dataset, model.dataFormat]).toEqual(['idx', 'idx']);
    expect(model.description).toMatch(/^Trained by bsnn train --dataset idx on IDX files \(/);
  });

  it('refuses splits too small to train on before an epoch: fewer examples than a batch, or too few to hold out validation', async () => {
    // 30 examples hold out 3 for validation, leaving 27: a batch of 28 would run no batch and export an untrained model.
    await expect(train({ ...tiny, dataDir: idx, batchSize: 28 }, null)).rejects.toThrow(
      '--batch 28: the idx training split has only 27 examples (after holding out validation); give --batch 27 or less',
    );
    const few = join(root, 'few');
    mkdirSync(few);
    writeFileSync(join(few, 'train-images-idx3-ubyte'), encodeIdx([9, 6, 6], bytes(9 * 36)));
    writeFileSync(join(few, 'train-labels-idx1-ubyte'), encodeIdx([9], Uint8Array.from(labels(9))));
    await expect(train({ ...tiny, dataDir: few, batchSize: 2 }, null)).rejects.toThrow(
      'idx: 9 training examples are too few to hold out a validation split (every tenth example); give at least 10',
    );
  });

  it('Yin-Yang and MNIST models are written as before: no dataFormat, the description unchanged', async () => {
    const { model } = await train(SMALL_TRAINING, null);
    expect(model.dataset).toBe('yinyang');
    expect('dataFormat' in model).toBe(false);
    expect(model.description).toMatch(/^Trained by bsnn train --dataset yinyang \(hidden 16,12, /);
  });
});

describe('the "dataFormat" field', () => {
  const base = { ...randomModel({ seed: 2, inputs: 6, layers: [5, 3] }), dataset: 'idx' };

  it('is refused with another data set or an unknown format, naming the field', () => {
    expect(() => validateModel({ ...base, dataset: 'mnist', dataFormat: 'idx' }, 'm')).toThrow(/dataFormat: only applies to "dataset": "idx" \(this model's is "mnist"\)/);
    expect(() => validateModel({ ...base, dataFormat: 'cifar100' }, 'm')).toThrow(/dataFormat/);
  });

  it('leaves the model hash alone (it says what the model was trained on, not what it computes)', () => {
    expect(planModel(validateModel({ ...base, dataFormat: 'cifar10' }, 'm')).modelHash).toBe(planModel(validateModel(base, 'm')).modelHash);
  });

  it('no example model carries it, so their files and hashes are unchanged', () => {
    const dir = join(import.meta.dirname, '..', 'examples');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) expect(readFileSync(join(dir, f), 'utf8')).not.toContain('"dataFormat"');
  });
});

describe('later commands say what the model was trained on', () => {
  const model = validateModel({ ...randomModel({ seed: 4, inputs: CIFAR_PIXELS, layers: [4, 2], encoding: 'direct' }), name: 'colour', dataset: 'idx', dataFormat: 'cifar10' }, 'm');
  const file = join(root, 'colour.json');
  writeFileSync(file, JSON.stringify(model));

  it('--dataset another: the warning names the format', () => {
    const warn = vi.spyOn(console, 'error').mockImplementation(() => {});
    datasetFor('mnist', model, undefined);
    expect(warn).toHaveBeenCalledWith('bsnn: warning: colour was trained on idx (CIFAR-10 binary batches), not mnist');
  });

  it('--data holding another format: a warning; the same format: none', () => {
    const warn = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(chooseInputs({ inputs: 2, inputSeed: 1, data: idx }, model).inputs).toHaveLength(2);
    expect(warn.mock.calls).toEqual([['bsnn: warning: colour was trained on CIFAR-10 binary batches, --data holds IDX files']]);
    warn.mockClear();
    chooseInputs({ inputs: 2, inputSeed: 1, data: cifar }, model);
    expect(warn).not.toHaveBeenCalled();
  });

  it('evaluate without --data names the files it needs', async () => {
    const a = { model: file, split: 'test' as const, samples: 1, curveInputs: 0, seed: 1, json: true };
    await expect(runEvaluate(a)).rejects.toThrow('--data: colour was trained on your own CIFAR-10 binary batches (--dataset idx); say where they are with --data');
  });
});
