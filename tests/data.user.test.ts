/**
 * Users' own data sets (issue 16, issue 12 item 5): IDX files of any name and channel count through a manifest,
 * CIFAR-10 binary batches, MNIST-named folders, and the seeded shuffled validation split — on small files
 * written here.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR_PIXELS, CIFAR_RECORD, encodeCifar } from '../generator/data/cifar.js';
import { encodeIdx } from '../generator/data/idx.js';
import { loadUserSplit } from '../generator/data/user.js';
import { randomModel } from '../generator/model/random.js';
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
