/**
 * Users' own data sets (`--dataset idx --data <where>`). `<where>` is
 * - a folder holding MNIST-named IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-…; each
 *   optionally .gz),
 * - a folder holding CIFAR-10 binary batches (data_batch_<n>.bin, test_batch.bin; or its cifar-10-batches-bin/
 *   subfolder),
 * - a folder holding a `bsnn-data.json` manifest, or that manifest file itself, naming files of any name:
 *
 *   { "format": "idx", "train": { "images": "x.idx.gz", "labels": "y.idx" }, "test": { ... }, "layout": "hwc" }
 *   { "format": "cifar10", "train": ["data_batch_1.bin", ...], "test": ["test_batch.bin"] }
 *
 *   Paths are relative to the manifest's folder; either split may be left out until it is asked for.
 *
 * IDX images may have 2 dimensions (count × values: plain vectors), 3 (count × rows × cols: one channel) or 4
 * (count × rows × cols × channels with layout "hwc", the default, or count × channels × rows × cols with
 * "chw"). Every input is the bytes of one example in file order; the layout only says which byte is where.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ModelSchema, type DataFormat } from '../model/schema.js';
import { BsnnError } from '../util/errors.js';
import { CIFAR_CHANNELS, CIFAR_SIDE, locateCifar, readCifar } from './cifar.js';
import { readIdx } from './idx.js';

export const MANIFEST_NAME = 'bsnn-data.json';

export interface ImageShape {
  rows: number;
  cols: number;
  channels: number;
  /** Byte order of a multi-channel image: hwc (channels innermost) or chw (planes). */
  layout: 'hwc' | 'chw';
}

export interface UserSet {
  inputs: Uint8Array[];
  labels: Uint8Array;
  /** null for plain vectors (2-dimensional IDX). */
  shape: ImageShape | null;
  /** What was read, for messages. */
  source: string;
  /** The files' format (recorded in a model trained on them). */
  format: DataFormat;
}

export type UserSplit = 'train' | 'test';

const IdxPair = z.strictObject({ images: z.string().min(1), labels: z.string().min(1) });
// Without its own message a union that matches neither says only "Invalid input".
const Files = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'expected a file name or a list of file names' });
const Manifest = z.discriminatedUnion('format', [
  z.strictObject({ format: z.literal('idx'), train: IdxPair.optional(), test: IdxPair.optional(), layout: z.enum(['hwc', 'chw']).optional() }),
  z.strictObject({ format: z.literal('cifar10'), train: Files.optional(), test: Files.optional() }),
]);
type Manifest = z.infer<typeof Manifest>;

const MNIST_NAMES: Record<UserSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** The largest input a bsnn/1 model takes (its input.size): bigger examples are refused before hours of training. */
const MAX_INPUTS = ModelSchema.shape.input.shape.size.maxValue!;

function manifestText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, ''); // a byte-order mark, as some Windows editors write
  } catch (e) {
    throw new BsnnError(`${file}: not a readable JSON data manifest (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // --data naming a data file itself: JSON.parse's message would quote its binary bytes.
  if (/[\x00-\x08\x0e-\x1f]/.test(text)) {
    throw new BsnnError(`${file}: a binary file, not a JSON data manifest: --data takes the folder holding the data files, or a ${MANIFEST_NAME} naming them`);
  }
  return text;
}

function readManifest(file: string): Manifest {
  const text = manifestText(file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // One line: JSON.parse's message may quote the file, line breaks and all.
    throw new BsnnError(`${file}: not a readable JSON data manifest (${(e as Error).message.replace(/\s+/g, ' ')})`);
  }
  const r = Manifest.safeParse(json);
  if (!r.success) {
    const problems = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new BsnnError(`${file}: not a valid data manifest (${problems.join('; ')}); see docs/training.md "Your own data"`);
  }
  return r.data;
}

/** One split of the data at `where` (a folder or a manifest file). */
export function loadUserSplit(where: string, split: UserSplit): UserSet {
  const set = readUserSplit(where, split);
  // One class gives a network of one output, which the trainer cannot fit (tfjs fails deep inside oneHot).
  if (split === 'train' && set.labels.length > 0 && set.labels.every((l) => l === set.labels[0])) {
    throw new BsnnError(`${set.source}: every label is ${set.labels[0]}: a training split needs examples of at least 2 classes`);
  }
  return set;
}

function readUserSplit(where: string, split: UserSplit): UserSet {
  if (!existsSync(where)) throw new BsnnError(`--data: ${where} does not exist`);
  if (statSync(where).isFile()) return fromManifest(where, readManifest(where), split);
  const manifest = join(where, MANIFEST_NAME);
  if (existsSync(manifest)) return fromManifest(manifest, readManifest(manifest), split);
  const pick = (name: string) => [join(where, name), join(where, name + '.gz')].find((f) => existsSync(f));
  const images = pick(MNIST_NAMES[split].images);
  const labels = pick(MNIST_NAMES[split].labels);
  if (images && labels) return idxSet(images, labels, 'hwc');
  const cifar = locateCifar(where);
  if (cifar?.[split].length) return cifarSet(cifar[split]);
  const found = images || labels ? ` (found ${images ?? labels} without its ${images ? 'labels' : 'images'} file)` : '';
  throw new BsnnError(
    `--data: ${where} has no ${split} split${found}: expected ${MNIST_NAMES[split].images} and ${MNIST_NAMES[split].labels} (IDX, optionally .gz), ` +
      `CIFAR-10 binary ${split === 'train' ? 'data_batch_<n>.bin' : 'test_batch.bin'}, or a ${MANIFEST_NAME} manifest naming the files (docs/training.md)`,
  );
}

function fromManifest(file: string, m: Manifest, split: UserSplit): UserSet {
  const at = (p: string) => resolve(dirname(file), p);
  const entry = m[split];
  if (!entry) throw new BsnnError(`${file}: the manifest has no "${split}" entry`);
  if (m.format === 'cifar10') return cifarSet((typeof entry === 'string' ? [entry] : (entry as string[])).map(at));
  const pair = entry as z.infer<typeof IdxPair>;
  return idxSet(at(pair.images), at(pair.labels), m.layout ?? 'hwc');
}

function cifarSet(files: string[]): UserSet {
  const d = readCifar(files);
  return { ...d, shape: { rows: CIFAR_SIDE, cols: CIFAR_SIDE, channels: CIFAR_CHANNELS, layout: 'chw' }, source: files.join(', '), format: 'cifar10' };
}

/** Images of 2, 3 or 4 dimensions and their labels (1 dimension), counts checked against each other. */
export function idxSet(imagesPath: string, labelsPath: string, layout: 'hwc' | 'chw'): UserSet {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (labels.dims.length !== 1) {
    throw new BsnnError(`${labelsPath}: a labels file must have 1 dimension (count, magic 0x00000801), this one has ${labels.dims.length} (${labels.dims.join('×') || 'scalar'})`);
  }
  const [count, ...rest] = images.dims;
  if (rest.length < 1 || rest.length > 3) {
    throw new BsnnError(
      `${imagesPath}: an images file must have 2 to 4 dimensions (count × values, count × rows × cols, or count × rows × cols × channels), this one has ${images.dims.length} (${images.dims.join('×') || 'scalar'})`,
    );
  }
  if (labels.dims[0] !== count) throw new BsnnError(`dimension mismatch: ${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.dims[0]} labels`);
  const size = rest.reduce((a, b) => a * b, 1);
  if (size === 0) throw new BsnnError(`${imagesPath}: examples of ${rest.join('×')} = 0 values`);
  if (size > MAX_INPUTS) throw new BsnnError(`${imagesPath}: examples of ${rest.join('×')} = ${size} values; a bsnn model takes at most ${MAX_INPUTS}`);
  let shape: ImageShape | null = null;
  if (rest.length === 2) shape = { rows: rest[0], cols: rest[1], channels: 1, layout };
  if (rest.length === 3) shape = layout === 'hwc' ? { rows: rest[0], cols: rest[1], channels: rest[2], layout } : { rows: rest[1], cols: rest[2], channels: rest[0], layout };
  const inputs = Array.from({ length: count }, (_, i) => images.data.slice(i * size, (i + 1) * size));
  return { inputs, labels: labels.data.slice(), shape, source: `${imagesPath}, ${labelsPath}`, format: 'idx' };
}
