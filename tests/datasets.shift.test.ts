/**
 * --shift on colour images: CIFAR-10 batches (three 32×32 planes, CHW) are translated plane by plane, the
 * same (dx, dy) for every channel; data --shift cannot translate is refused instead of trained on unshifted.
 * On small CIFAR-format and IDX files written here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR_PIXELS, encodeCifar } from '../generator/data/cifar.js';
import { encodeIdx } from '../generator/data/idx.js';
import { prng } from '../generator/model/random.js';
import { useBackend } from '../generator/train/backend.js';
import { checkShift, loadSplit, toMatrix, translateInto, type LabelledSet } from '../generator/train/datasets.js';
import type { NetworkShape } from '../generator/train/network.js';
import { train } from '../generator/train/run.js';
import { createTrainer, initialise, trainEpoch } from '../generator/train/trainer.js';
import { errorOf } from './helpers/errors.js';
import { SMALL_TRAINING } from './helpers/train.js';

const root = mkdtempSync(join(tmpdir(), 'bsnn-shift-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder of CIFAR-10 batches: `n` records of seeded random pixels, labels 0, 1, 0, 1, … */
function cifarFolder(name: string, n: number): string {
  const d = join(root, name);
  mkdirSync(d);
  const rnd = prng(11);
  const images = Array.from({ length: n }, () => Uint8Array.from({ length: CIFAR_PIXELS }, () => Math.floor(rnd() * 256)));
  const labels = images.map((_, i) => i % 2);
  writeFileSync(join(d, 'data_batch_1.bin'), encodeCifar(labels, images));
  writeFileSync(join(d, 'test_batch.bin'), encodeCifar(labels.slice(0, 4), images.slice(0, 4)));
  return d;
}

describe('translating channel planes (CHW)', () => {
  // Two 3×4 planes; plane 1's values are plane 0's + 100, so a value that crosses planes shows.
  const img = Float32Array.from({ length: 24 }, (_, i) => (i < 12 ? i + 1 : i - 12 + 101));
  const shifted = (dx: number, dy: number) => {
    const out = new Float32Array(26).fill(-1);
    translateInto(img, 3, 4, dx, dy, out, 1);
    expect([out[0], out[25]]).toEqual([-1, -1]); // writes only its own slot
    return Array.from(out.subarray(1, 25));
  };

  it('moves every plane by the same (dx, dy), zero-filling each plane\'s own edge', () => {
    expect(shifted(0, 0)).toEqual(Array.from(img));
    expect(shifted(1, -1)).toEqual([0, 5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0, 0, 105, 106, 107, 0, 109, 110, 111, 0, 0, 0, 0]);
    // Down by one: plane 1's first row is zeros, not plane 0's last row.
    expect(shifted(0, 1).slice(12, 16)).toEqual([0, 0, 0, 0]);
    expect(shifted(-9, 0).every((v) => v === 0)).toBe(true);
  });

  it('refuses values that are not whole planes', () => {
    expect(() => translateInto(img.subarray(0, 20), 3, 4, 1, 0, new Float32Array(20), 0)).toThrow(/20 values are not whole 3×4 planes/);
  });
});

describe('--shift on CIFAR-10 batches', () => {
  const dir = cifarFolder('cifar', 40);

  it('a CIFAR-10 set is three 32×32 planes to translate, and a translated input is each plane moved alone', () => {
    const set = loadSplit('idx', 'test', { dir });
    expect(set.image).toEqual({ rows: 32, cols: 32, channels: 3 });
    const x = toMatrix(set).subarray(0, CIFAR_PIXELS);
    const out = new Float32Array(CIFAR_PIXELS);
    translateInto(x, 32, 32, 2, -1, out, 0);
    for (let c = 0; c < 3; c++)
      for (let r = 0; r < 32; r++)
        for (let col = 0; col < 32; col++) {
          const from = r + 1 < 32 && col - 2 >= 0 ? x[c * 1024 + (r + 1) * 32 + col - 2] : 0;
          if (out[c * 1024 + r * 32 + col] !== from) throw new Error(`channel ${c} (${r}, ${col}): ${out[c * 1024 + r * 32 + col]} ≠ ${from}`);
        }
  });

  it('reaches the training batches: an epoch with --shift 2 trains other weights than without, the same ones twice', async () => {
    await useBackend();
    const set = loadSplit('idx', 'train', { dir });
    const shape: NetworkShape = { inputs: CIFAR_PIXELS, hidden: [4], classes: 2, timesteps: 2, probBits: 4 };
    const logitsAfterEpoch = (data: LabelledSet, shift: number) => {
      const opts = { ...SMALL_TRAINING, hidden: [4], timesteps: 2, epochs: 1, batchSize: 9, shift };
      const params = initialise(shape, data, 5);
      trainEpoch(createTrainer(shape, params, opts), data, toMatrix(data), opts);
      return Array.from(params.logits[0].dataSync());
    };
    const still = logitsAfterEpoch(set, 0);
    const moved = logitsAfterEpoch(set, 2);
    expect(moved).not.toEqual(still);
    expect(logitsAfterEpoch(set, 2)).toEqual(moved);
  });

  it('conv layers train on the shifted colour planes: the model reads 3×32×32 input', async () => {
    const conv = [{ channels: 2, kernel: 5, stride: 3, padding: 0, pool: null }];
    const { model } = await train({ ...SMALL_TRAINING, dataset: 'idx', dataDir: dir, hidden: [], conv, shift: 1, epochs: 1, batchSize: 9 }, null);
    expect(model.input.shape).toEqual([3, 32, 32]);
    expect(model.description).toMatch(/shift 1/);
  });
});

describe('--shift on data it cannot translate: a clear error, not a run without shifts', () => {
  const idxFolder = (name: string, dims: number[], layout?: 'hwc' | 'chw') => {
    const d = join(root, name);
    mkdirSync(d);
    const count = dims[0];
    writeFileSync(join(d, 'x.idx'), encodeIdx(dims, new Uint8Array(dims.reduce((a, b) => a * b, 1))));
    writeFileSync(join(d, 'y.idx'), encodeIdx([count], Uint8Array.from({ length: count }, (_, i) => i % 2)));
    writeFileSync(join(d, 'bsnn-data.json'), JSON.stringify({ format: 'idx', train: { images: 'x.idx', labels: 'y.idx' }, ...(layout ? { layout } : {}) }));
    return loadSplit('idx', 'train', { dir: d });
  };

  it('plain vectors and channels-last (hwc) images are refused; one-channel, chw and --shift 0 pass', () => {
    const message = (set: LabelledSet) => errorOf(() => checkShift(set, 2, 'idx')).message;
    expect(message(idxFolder('vectors', [20, 12]))).toBe(
      '--shift 2: the idx inputs (12 values each) are not images --shift can translate: it takes one-channel images or channel planes (CHW, e.g. CIFAR-10), not plain vectors or channels-last (hwc) images; use --shift 0',
    );
    const hwc = idxFolder('hwc', [20, 4, 4, 3]);
    expect(hwc.image).toBeUndefined();
    expect(message(hwc)).toMatch(/^--shift 2: the idx inputs \(48 values each\) are not images/);
    expect(() => checkShift(hwc, 0, 'idx')).not.toThrow();
    const chw = idxFolder('chw', [20, 3, 4, 4], 'chw');
    expect(chw.image).toEqual({ rows: 4, cols: 4, channels: 3 });
    expect(() => checkShift(chw, 2, 'idx')).not.toThrow();
    expect(() => checkShift(idxFolder('gray', [20, 4, 4]), 2, 'idx')).not.toThrow();
  });

  it('bsnn train refuses before training: Yin-Yang with --shift 1', async () => {
    await expect(train({ ...SMALL_TRAINING, shift: 1 }, null)).rejects.toThrow(/^--shift 1: the yinyang inputs \(4 values each\) are not images/);
  });
});
