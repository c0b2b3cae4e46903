/**
 * Users' own data sets (issue 16, issue 12 item 5): IDX files of any name and channel count through a manifest,
 * CIFAR-10 binary batches, MNIST-named folders, and the seeded shuffled validation split — on small files
 * written here.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runEvaluate } from '../generator/cli/evaluate.js';
import { chooseInputs } from '../generator/cli/inputs.js';
import { CIFAR_PIXELS, CIFAR_RECORD, encodeCifar } from '../generator/data/cifar.js';
import { encodeIdx } from '../generator/data/idx.js';
import { loadUserSplit } from '../generator/data/user.js';
import { randomModel } from '../generator/model/random.js';
import { randomConvModel } from '../generator/ops/conv/random.js';
import { loadSplit, trainingSplits } from '../generator/train/datasets.js';
import { errorOf } from './helpers/errors.js';

const root = mkdtempSync(join(tmpdir(), 'bsnn-userdata-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** Pixels that say which record they belong to: record r's bytes are (r·7 + i) mod 256. */
const pixels = (r: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (r * 7 + i) & 0xff);

describe('CIFAR-10 binary batches', () => {
  const d = folder('cifar');
  const batch = (labels: number[], first: number) => encodeCifar(labels, labels.map((_, i) => pixels(first + i, CIFAR_PIXELS)));
  writeFileSync(join(d, 'data_batch_2.bin'), batch([4, 5], 3));
  writeFileSync(join(d, 'data_batch_1.bin'), batch([1, 2, 3], 0));
  writeFileSync(join(d, 'data_batch_10.bin'), batch([9], 5));
  writeFileSync(join(d, 'test_batch.bin'), batch([7, 0], 100));

  it('reads the label byte and the 3072 CHW bytes of every record, batches in numeric order', () => {
    const train = loadUserSplit(d, 'train');
    expect(Array.from(train.labels)).toEqual([1, 2, 3, 4, 5, 9]);
    train.inputs.forEach((x, r) => expect(x).toEqual(pixels(r, CIFAR_PIXELS)));
    expect(train.shape).toEqual({ rows: 32, cols: 32, channels: 3, layout: 'chw' });
    const test = loadSplit('idx', 'test', { dir: d });
    expect(Array.from(test.labels)).toEqual([7, 0]);
    expect(test.size).toBe(3072);
    expect(test.inputs[1]).toEqual(pixels(101, CIFAR_PIXELS));
    expect(test.image).toEqual({ rows: 32, cols: 32, channels: 3 }); // colour planes: --shift moves each alike
  });

  it('finds the batches in the archive\'s cifar-10-batches-bin/ subfolder', () => {
    const top = folder('cifar-archive');
    const sub = join(top, 'cifar-10-batches-bin');
    mkdirSync(sub);
    writeFileSync(join(sub, 'test_batch.bin'), batch([3], 0));
    expect(Array.from(loadUserSplit(top, 'test').labels)).toEqual([3]);
  });

  it('refuses a truncated file, naming it, its size and the partial record', () => {
    const t = folder('cifar-trunc');
    writeFileSync(join(t, 'test_batch.bin'), batch([1, 2], 0).subarray(0, 2 * CIFAR_RECORD - 10));
    expect(errorOf(() => loadUserSplit(t, 'test')).message).toBe(
      `${join(t, 'test_batch.bin')}: truncated CIFAR-10 binary file: 6136 bytes is 1 whole 3073-byte records (1 label + 3072 pixels) and 3063 bytes of record 1`,
    );
  });

  it('says when a file\'s length would fit CIFAR-100 records', () => {
    const t = folder('cifar-100');
    writeFileSync(join(t, 'test_batch.bin'), new Uint8Array(3 * (CIFAR_RECORD + 1)));
    expect(errorOf(() => loadUserSplit(t, 'test')).message).toMatch(
      /test_batch\.bin: truncated CIFAR-10 binary file: 9222 bytes .*; its length would fit 3074-byte CIFAR-100 records, which are not read$/,
    );
  });

  it('takes each split from the first folder that has it: a test_batch.bin beside the archive folder leaves its training batches found', () => {
    const top = folder('cifar-split-folders');
    mkdirSync(join(top, 'cifar-10-batches-bin'));
    writeFileSync(join(top, 'cifar-10-batches-bin', 'data_batch_1.bin'), batch([4, 5], 0));
    writeFileSync(join(top, 'cifar-10-batches-bin', 'test_batch.bin'), batch([6], 0));
    writeFileSync(join(top, 'test_batch.bin'), batch([3], 0));
    expect(Array.from(loadUserSplit(top, 'train').labels)).toEqual([4, 5]);
    expect(Array.from(loadUserSplit(top, 'test').labels)).toEqual([3]);
  });

  it('refuses a label outside 0..9, naming the record', () => {
    const t = folder('cifar-label');
    const bytes = batch([1, 2], 0);
    bytes[CIFAR_RECORD] = 42;
    writeFileSync(join(t, 'test_batch.bin'), bytes);
    expect(errorOf(() => loadUserSplit(t, 'test')).message).toMatch(/test_batch\.bin: record 1 \(byte 3073\) has label 42, not a CIFAR-10 class 0\.\.9/);
  });
});

describe('IDX files of any name and channel count (a manifest)', () => {
  it('reads the files a manifest names, relative to it; 4-dimensional images in hwc and chw', () => {
    const d = folder('idx-any');
    writeFileSync(join(d, 'my-x.idx.gz'), gzipSync(encodeIdx([3, 2, 4, 3], pixels(0, 72))));
    writeFileSync(join(d, 'my-y.idx'), encodeIdx([3], Uint8Array.of(0, 2, 1)));
    writeFileSync(join(d, 'bsnn-data.json'), JSON.stringify({ format: 'idx', train: { images: 'my-x.idx.gz', labels: 'my-y.idx' } }));
    const s = loadUserSplit(d, 'train');
    expect(s.shape).toEqual({ rows: 2, cols: 4, channels: 3, layout: 'hwc' });
    expect(s.inputs[2]).toEqual(pixels(0, 72).slice(48, 72));
    const set = loadSplit('idx', 'train', { dir: d });
    expect([set.size, set.classes, set.image]).toEqual([24, 3, undefined]); // hwc: channels interleave, --shift refused
    const m = join(d, 'chw.json');
    writeFileSync(m, JSON.stringify({ format: 'idx', layout: 'chw', test: { images: 'my-x.idx.gz', labels: 'my-y.idx' } }));
    expect(loadUserSplit(m, 'test').shape).toEqual({ rows: 4, cols: 3, channels: 2, layout: 'chw' });
  });

  it('plain vectors (2 dimensions) and grayscale images (3) from an MNIST-named folder', () => {
    const d = folder('idx-mnist-names');
    writeFileSync(join(d, 't10k-images-idx3-ubyte'), encodeIdx([2, 5], pixels(0, 10)));
    writeFileSync(join(d, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([2], Uint8Array.of(1, 0))));
    const s = loadSplit('idx', 'test', { dir: d });
    expect([s.size, s.classes, s.image]).toEqual([5, 2, undefined]);
    writeFileSync(join(d, 't10k-images-idx3-ubyte'), encodeIdx([2, 3, 3], pixels(0, 18)));
    expect(loadSplit('idx', 'test', { dir: d }).image).toEqual({ rows: 3, cols: 3 });
  });

  it('clear errors: bad manifest fields, a missing split, count mismatch, wrong magic, nothing found', () => {
    const d = folder('idx-bad');
    const m = join(d, 'data.json');
    writeFileSync(m, JSON.stringify({ format: 'idx', train: { images: 'x', label: 'y' } }));
    expect(errorOf(() => loadUserSplit(m, 'train')).message).toMatch(/data\.json: not a valid data manifest \(train.*label/);
    writeFileSync(m, JSON.stringify({ format: 'cifar100', test: 'a.bin' }));
    expect(errorOf(() => loadUserSplit(m, 'test')).message).toMatch(/data\.json: not a valid data manifest \(format/);
    writeFileSync(m, JSON.stringify({ format: 'cifar10', train: ['a.bin'] }));
    expect(errorOf(() => loadUserSplit(m, 'test')).message).toBe(`${m}: the manifest has no "test" entry`);
    writeFileSync(join(d, 'x.idx'), encodeIdx([3, 2, 2], pixels(0, 12)));
    writeFileSync(join(d, 'y.idx'), encodeIdx([2], Uint8Array.of(0, 1)));
    writeFileSync(m, JSON.stringify({ format: 'idx', test: { images: 'x.idx', labels: 'y.idx' } }));
    expect(errorOf(() => loadUserSplit(m, 'test')).message).toBe(`dimension mismatch: ${join(d, 'x.idx')} holds 3 images but ${join(d, 'y.idx')} holds 2 labels`);
    writeFileSync(join(d, 'y.idx'), Uint8Array.of(0x12, 0x34, 8, 1, 0, 0, 0, 3, 0, 1, 2));
    expect(errorOf(() => loadUserSplit(m, 'test')).message).toMatch(/y\.idx: not an IDX file: magic number 0x12340801/);
    const empty = folder('idx-empty');
    expect(errorOf(() => loadSplit('idx', 'test', { dir: empty })).message).toMatch(/has no test split: expected t10k-images-idx3-ubyte .* CIFAR-10 binary test_batch\.bin, or a bsnn-data\.json manifest/);
    expect(errorOf(() => loadSplit('idx', 'test', {})).message).toMatch(/--data: the idx data set needs your data/);
  });
});

describe('malformed data: one line naming the file', () => {
  it('a --data file that is not a manifest, a manifest with a byte-order mark, JSON errors on one line, a cifar10 entry of the wrong form', () => {
    const d = folder('not-a-manifest');
    const x = join(d, 'x.idx');
    writeFileSync(x, encodeIdx([2, 2, 2], pixels(0, 8)));
    writeFileSync(join(d, 'y.idx'), encodeIdx([2], Uint8Array.of(0, 1)));
    expect(errorOf(() => loadUserSplit(x, 'test')).message).toBe(`${x}: a binary file, not a JSON data manifest: --data takes the folder holding the data files, or a bsnn-data.json naming them`);
    const m = join(d, 'bsnn-data.json');
    writeFileSync(m, '\ufeff' + JSON.stringify({ format: 'idx', test: { images: 'x.idx', labels: 'y.idx' } }));
    expect(Array.from(loadUserSplit(d, 'test').labels)).toEqual([0, 1]);
    writeFileSync(m, '\n\n  oops\n{'); // JSON.parse's message quotes this, line breaks and all
    const e = errorOf(() => loadUserSplit(m, 'test')).message;
    expect(e).toMatch(/^\S*bsnn-data\.json: not a readable JSON data manifest \(Unexpected token/);
    expect(e).not.toContain('\n');
    writeFileSync(m, JSON.stringify({ format: 'cifar10', test: { images: 'x.idx', labels: 'y.idx' } }));
    expect(errorOf(() => loadUserSplit(m, 'test')).message).toMatch(/bsnn-data\.json: not a valid data manifest \(test: expected a file name or a list of file names\)/);
  });

  it('a training split of one class, and examples larger than a model takes', () => {
    const d = folder('one-class');
    writeFileSync(join(d, 'x.idx'), encodeIdx([3, 2, 2], pixels(0, 12)));
    writeFileSync(join(d, 'y.idx'), encodeIdx([3], Uint8Array.of(4, 4, 4)));
    const pair = { images: 'x.idx', labels: 'y.idx' };
    writeFileSync(join(d, 'bsnn-data.json'), JSON.stringify({ format: 'idx', train: pair, test: pair }));
    expect(errorOf(() => loadUserSplit(d, 'train')).message).toBe(`${join(d, 'x.idx')}, ${join(d, 'y.idx')}: every label is 4: a training split needs examples of at least 2 classes`);
    expect(Array.from(loadUserSplit(d, 'test').labels)).toEqual([4, 4, 4]); // a test file may hold one class
    writeFileSync(join(d, 'x.idx'), encodeIdx([3, 256, 257], new Uint8Array(3 * 256 * 257)));
    expect(errorOf(() => loadUserSplit(d, 'test')).message).toBe(`${join(d, 'x.idx')}: examples of 256×257 = 65792 values; a bsnn model takes at most 65536`);
  });
});

describe('bsnn evaluate: data a model cannot take, named with --data, the split and the example', () => {
  const d = folder('eval-fit');
  const dense = join(d, 'dense.json');
  writeFileSync(dense, JSON.stringify(randomModel({ seed: 1, inputs: 36, layers: [4, 3] })));
  const conv = join(d, 'conv.json');
  writeFileSync(conv, JSON.stringify(randomConvModel({ seed: 5, shape: [1, 6, 6], convs: [{ channels: 2, kernel: 3 }], dense: [3] })));
  /** A folder of MNIST-named test files: images of `dims`, labels as given. */
  const data = (name: string, dims: number[], labels: number[]) => {
    const f = folder(join('eval-fit', name));
    writeFileSync(join(f, 't10k-images-idx3-ubyte'), encodeIdx(dims, pixels(0, dims.reduce((a, b) => a * b, 1))));
    writeFileSync(join(f, 't10k-labels-idx1-ubyte'), encodeIdx([labels.length], Uint8Array.from(labels)));
    return f;
  };
  const args = (model: string, where: string, compare?: string[]) => ({ model, dataset: 'idx' as const, data: where, split: 'test' as const, samples: 1, curveInputs: 0, seed: 1, json: true, compare });

  it('another input size, a label beyond the outputs (every --compare model checked)', async () => {
    const small = data('small', [2, 5, 5], [0, 1]);
    await expect(runEvaluate(args(dense, small))).rejects.toThrow(`--data ${small} (test split): examples of 25 values, model rand1 takes 36`);
    const label = data('label', [3, 6, 6], [0, 5, 1]);
    await expect(runEvaluate(args(dense, label))).rejects.toThrow(`--data ${label} (test split): example 1 has label 5, model rand1 has 3 outputs (classes 0..2)`);
    await expect(runEvaluate(args(conv, label, [dense]))).rejects.toThrow(/example 1 has label 5, model conv5 has 3 outputs/);
  });

  it('a conv model: same-sized images of another shape, or vectors, are refused rather than run', async () => {
    const wide = data('wide', [2, 4, 9], [0, 1]);
    await expect(runEvaluate(args(conv, wide))).rejects.toThrow(`--data ${wide} (test split): images of 1×4×9, model conv5 takes 1×6×6 (channels × rows × cols)`);
    const vectors = data('vectors', [2, 36], [0, 1]);
    await expect(runEvaluate(args(conv, vectors))).rejects.toThrow(/\(test split\): not channel planes \(plain vectors or channels-last images\), model conv5 takes 1×6×6/);
    // estimate and cosim choose their inputs through the same check
    const convModel = JSON.parse(readFileSync(conv, 'utf8'));
    expect(errorOf(() => chooseInputs({ inputs: 1, inputSeed: 1, dataset: 'idx', data: wide }, convModel)).message).toBe(
      `--data ${wide} (test split): images of 1×4×9, model conv5 takes 1×6×6 (channels × rows × cols)`,
    );
    expect(chooseInputs({ inputs: 1, inputSeed: 1, dataset: 'idx', data: data('square', [2, 6, 6], [0, 1]) }, convModel).inputs).toHaveLength(1);
  });
});

describe('validation split of your own data: seeded shuffle', () => {
  // A training file sorted by class: 40 of class 0, then 40 of 1, then 40 of 2.
  const d = folder('sorted');
  const labels = Uint8Array.from({ length: 120 }, (_, i) => Math.floor(i / 40));
  writeFileSync(join(d, 'train-images-idx3-ubyte'), encodeIdx([120, 2, 2], Uint8Array.from({ length: 480 }, (_, i) => Math.floor(i / 4))));
  writeFileSync(join(d, 'train-labels-idx1-ubyte'), encodeIdx([120], labels));

  it('holds out a tenth of every class, disjoint from training, the same every time', () => {
    const { train, validation } = trainingSplits('idx', { dir: d });
    expect(validation.inputs).toHaveLength(12);
    expect(train.inputs).toHaveLength(108);
    expect([0, 1, 2].map((c) => validation.labels.filter((l) => l === c).length)).toEqual([4, 4, 4]);
    // Each example's first byte is its index in the file: together the splits hold every example once.
    const ids = [...train.inputs, ...validation.inputs].map((x) => x[0]).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 120 }, (_, i) => i));
    validation.inputs.forEach((x, i) => expect(validation.labels[i]).toBe(labels[x[0]]));
    expect(loadSplit('idx', 'validation', { dir: d }).inputs.map((x) => x[0])).toEqual(validation.inputs.map((x) => x[0]));
  });
});

describe('bsnn evaluate on CIFAR-10 files, 1 and 2 workers', () => {
  it('gives the same report whatever the number of workers', () => {
    const d = folder('cli-cifar');
    const n = 150;
    const labels = Array.from({ length: n }, (_, i) => (i * 3) % 10);
    writeFileSync(join(d, 'test_batch.bin'), encodeCifar(labels, labels.map((_, i) => pixels(i, CIFAR_PIXELS))));
    const model = join(d, 'm.json');
    writeFileSync(model, JSON.stringify(randomModel({ seed: 5, inputs: CIFAR_PIXELS, layers: [16, 10], timesteps: 3, encoding: 'direct', readout: 'potential', lanes: [4, 10] })));
    const bin = join(import.meta.dirname, '..', 'bin', 'bsnn.js');
    const run = (w: number) => {
      const p = spawnSync(process.execPath, [bin, 'evaluate', model, '--dataset', 'idx', '--data', d, '--workers', String(w), '--json'], { cwd: d, encoding: 'utf8' });
      expect(p.status, p.stderr).toBe(0);
      const r = JSON.parse(p.stdout);
      const strip = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'seconds').map(([k, x]) => [k, strip(x)])) : v;
      return strip(r) as { n: number };
    };
    const one = run(1);
    expect(one.n).toBe(n);
    expect(run(2)).toEqual(one);
  });
});
