/**
 * Checkpoints: after every epoch the parameters, the optimiser's moments and the history are written (atomically)
 * beside the output, so an interrupted `bsnn train` resumes at the next epoch and ends where an
 * uninterrupted run would. A checkpoint records the run's configuration; one from a different
 * configuration is refused rather than silently mixed in.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomically } from '../util/atomic.js';
import { BsnnError } from '../util/errors.js';
import { tf } from './backend.js';
import type { EpochReport, TrainerState } from './trainer.js';
import { paramList } from './trainer.js';

const FORMAT = 'bsnn-checkpoint/1';

interface StoredTensor {
  shape: number[];
  /** Adam's iteration count is int32; everything else float32. */
  dtype: 'float32' | 'int32';
  /** little-endian, base64 */
  data: string;
}

interface CheckpointFile {
  format: typeof FORMAT;
  config: unknown;
  epoch: number;
  history: EpochReport[];
  params: StoredTensor[];
  optimizer: { name: string; tensor: StoredTensor }[];
}

/** Where a run writing `out` keeps its checkpoint unless told otherwise (`--checkpoint`). */
export const checkpointPath = (out: string) => `${out}.checkpoint.json`;

function store(t: tf.Tensor): StoredTensor {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new Error(`checkpoint: cannot store a ${t.dtype} tensor`);
  const v = t.dataSync() as Float32Array | Int32Array;
  return { shape: t.shape, dtype: t.dtype, data: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
}

function restore(s: StoredTensor): tf.Tensor {
  const b = Buffer.from(s.data, 'base64');
  const bytes = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  return s.dtype === 'int32' ? tf.tensor(new Int32Array(bytes), s.shape, 'int32') : tf.tensor(new Float32Array(bytes), s.shape, 'float32');
}

export async function saveCheckpoint(path: string, config: unknown, state: TrainerState, history: EpochReport[]): Promise<void> {
  const weights = await state.optimizer.getWeights();
  const file: CheckpointFile = {
    format: FORMAT,
    config,
    epoch: state.epoch,
    history,
    params: paramList(state.params).map(store),
    optimizer: weights.map((w) => ({ name: w.name, tensor: store(w.tensor) })),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomically(path, JSON.stringify(file));
}

/** Restore the checkpoint at `path` into `state` if it exists; returns its history, or null when there is none. */
export async function loadCheckpoint(path: string, config: unknown, state: TrainerState): Promise<EpochReport[] | null> {
  if (!existsSync(path)) return null;
  let file: CheckpointFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as CheckpointFile;
  } catch (e) {
    throw new BsnnError(`${path}: not a readable checkpoint (${(e as Error).message}); delete it or pass --restart`);
  }
  if (file.format !== FORMAT) throw new BsnnError(`${path}: not a ${FORMAT} file; delete it or pass --restart`);
  if (JSON.stringify(file.config) !== JSON.stringify(config)) {
    throw new BsnnError(`${path} was written by a run with other options (${JSON.stringify(file.config)}); pass the same options to resume, or --restart`);
  }
  const vars = paramList(state.params);
  if (file.params.length !== vars.length) throw new BsnnError(`${path}: holds ${file.params.length} parameter tensors, expected ${vars.length}`);
  vars.forEach((v, i) => v.assign(restore(file.params[i])));
  await state.optimizer.setWeights(file.optimizer.map((w) => ({ name: w.name, tensor: restore(w.tensor) })));
  state.epoch = file.epoch;
  return file.history;
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
}
