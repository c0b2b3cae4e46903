/**
 * The CIFAR-10 binary format (www.cs.toronto.edu/~kriz/cifar.html, "binary version"): each file is a list of
 * 3073-byte records, one label byte 0..9 and then 3072 pixel bytes, 1024 red, 1024 green, 1024 blue, each a
 * 32×32 plane row-major (CHW). The training set is data_batch_1.bin .. data_batch_5.bin (10,000 records each),
 * the test set test_batch.bin. Inputs are the 3072 bytes as stored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BsnnError } from '../util/errors.js';

export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
export const CIFAR_PIXELS = CIFAR_CHANNELS * CIFAR_SIDE * CIFAR_SIDE;
export const CIFAR_RECORD = 1 + CIFAR_PIXELS;
export const CIFAR_CLASSES = 10;

export interface CifarSet {
  inputs: Uint8Array[];
  labels: Uint8Array;
}

/** Parse one file's bytes; `file` names it in errors. */
export function parseCifar(bytes: Uint8Array, file: string): CifarSet {
  if (bytes.length === 0) throw new BsnnError(`${file}: empty CIFAR-10 binary file (expected ${CIFAR_RECORD}-byte records)`);
  const over = bytes.length % CIFAR_RECORD;
  const count = Math.floor(bytes.length / CIFAR_RECORD);
  if (over !== 0) {
    // A CIFAR-100 file (2 label bytes) is not truncated: say what it may be rather than leave the user hunting for lost bytes.
    const cifar100 = bytes.length % (CIFAR_RECORD + 1) === 0 ? `; its length would fit ${CIFAR_RECORD + 1}-byte CIFAR-100 records, which are not read` : '';
    throw new BsnnError(
      `${file}: truncated CIFAR-10 binary file: ${bytes.length} bytes is ${count} whole ${CIFAR_RECORD}-byte records (1 label + ${CIFAR_PIXELS} pixels) and ${over} bytes of record ${count}${cifar100}`,
    );
  }
  const labels = new Uint8Array(count);
  const inputs: Uint8Array[] = [];
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD;
    if (bytes[at] >= CIFAR_CLASSES) {
      throw new BsnnError(`${file}: record ${r} (byte ${at}) has label ${bytes[at]}, not a CIFAR-10 class 0..9 (a CIFAR-100 file has 2 label bytes per record and is not read)`);
    }
    labels[r] = bytes[at];
    inputs.push(new Uint8Array(bytes.subarray(at + 1, at + CIFAR_RECORD))); // a copy, and a plain Uint8Array for a Buffer
  }
  return { inputs, labels };
}

/** Read and concatenate files in the order given. */
export function readCifar(files: readonly string[]): CifarSet {
  const inputs: Uint8Array[] = [];
  const labels: number[] = [];
  for (const file of files) {
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch (e) {
      throw new BsnnError(`${file}: cannot read CIFAR-10 binary file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const set = parseCifar(raw, file);
    inputs.push(...set.inputs);
    labels.push(...set.labels);
  }
  return { inputs, labels: Uint8Array.from(labels) };
}

/**
 * The batch files of a CIFAR-10 binary folder (or of its cifar-10-batches-bin/ subfolder, as the archive
 * unpacks): training data_batch_<n>.bin in the order of n, test test_batch.bin. Each split comes from the first
 * of the two folders that has it, so a test_batch.bin beside the unpacked subfolder does not hide the training
 * batches inside it. Null when there are none.
 */
export function locateCifar(dir: string): { train: string[]; test: string[] } | null {
  const found = [dir, join(dir, 'cifar-10-batches-bin')].map(batchesIn);
  const train = found.find((f) => f.train.length)?.train ?? [];
  const test = found.find((f) => f.test.length)?.test ?? [];
  return train.length || test.length ? { train, test } : null;
}

/** The CIFAR-10 batch files directly in one folder (none when it is missing or unreadable). */
function batchesIn(d: string): { train: string[]; test: string[] } {
  let names: string[] = [];
  try {
    names = readdirSync(d);
  } catch {
    // missing or not a folder: no batches here
  }
  const train = names
    .map((n) => /^data_batch_(\d+)\.bin$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => join(d, m[0]));
  return { train, test: names.includes('test_batch.bin') ? [join(d, 'test_batch.bin')] : [] };
}

/** CIFAR-10 records as bytes (tests, and exporting a data set). */
export function encodeCifar(labels: readonly number[], inputs: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR_RECORD);
  labels.forEach((l, r) => {
    if (inputs[r].length !== CIFAR_PIXELS) throw new BsnnError(`encodeCifar: record ${r} has ${inputs[r].length} pixels, not ${CIFAR_PIXELS}`);
    out[r * CIFAR_RECORD] = l;
    out.set(inputs[r], r * CIFAR_RECORD + 1);
  });
  return out;
}
