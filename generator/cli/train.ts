/** `bsnn train`: fit a binary-weight Bayesian SNN on a data set and write it as a bsnn/1 model. */
import { MODEL_NAME } from '../model/schema.js';
import { checkpointPath, removeCheckpoint } from '../train/checkpoint.js';
import type { DatasetName } from '../train/datasets.js';
import { TRAIN_DEFAULTS, train, type TrainConfig } from '../train/run.js';
import { writeFileAtomically } from '../util/atomic.js';
import { BsnnError } from '../util/errors.js';
import { positiveIntList } from './options.js';
import { progressBar } from './progress.js';

export interface TrainArgs {
  dataset: DatasetName;
  data?: string;
  out: string;
  hidden?: string;
  timesteps?: number;
  probBits?: number;
  epochs?: number;
  shift?: number;
  batch?: number;
  lr?: number;
  kl?: number;
  seed?: number;
  name?: string;
  lanes?: string;
  restart: boolean;
}

function check(flag: string, v: number, ok: boolean, what: string): number {
  if (!ok) throw new BsnnError(`--${flag}: ${v} is not ${what}`);
  return v;
}

export function trainConfig(a: TrainArgs): TrainConfig {
  const d = TRAIN_DEFAULTS[a.dataset];
  const int = (flag: string, v: number | undefined, def: number, lo: number, hi: number) =>
    v === undefined ? def : check(flag, v, Number.isInteger(v) && v >= lo && v <= hi, `an integer ${lo}..${hi}`);
  const pos = (flag: string, v: number | undefined, def: number) => (v === undefined ? def : check(flag, v, Number.isFinite(v) && v >= 0, 'a non-negative number'));
  const hidden = a.hidden === undefined ? d.hidden : positiveIntList('--hidden', a.hidden);
  const lanes = a.lanes === undefined ? (d.lanes?.length === hidden.length + 1 ? d.lanes : undefined) : positiveIntList('--lanes', a.lanes);
  if (lanes && lanes.length !== hidden.length + 1) throw new BsnnError(`--lanes: gives ${lanes.length} values, the network has ${hidden.length + 1} layers`);
  const name = a.name ?? a.dataset;
  if (!MODEL_NAME.test(name)) throw new BsnnError(`--name: "${name}" must be a Verilog identifier (a letter, then letters, digits or _; at most 40)`);
  return {
    dataset: a.dataset,
    dataDir: a.data,
    hidden,
    timesteps: int('timesteps', a.timesteps, d.timesteps, 1, 65535),
    probBits: int('prob-bits', a.probBits, d.probBits, 1, 8),
    epochs: int('epochs', a.epochs, d.epochs, 1, 100000),
    batchSize: int('batch', a.batch, d.batchSize, 1, 100000),
    learningRate: pos('lr', a.lr, d.learningRate),
    klWeight: pos('kl', a.kl, d.klWeight),
    shift: int('shift', a.shift, d.shift, 0, 8),
    seed: int('seed', a.seed, d.seed, 0, 0xffffffff),
    name,
    lanes,
  };
}

export async function runTrain(a: TrainArgs): Promise<void> {
  if (a.out.trim() === '') throw new BsnnError('--out: give the model file to write, e.g. --out examples/mnist.json');
  const config = trainConfig(a);
  if (a.restart) removeCheckpoint(a.out);
  const bar = progressBar('epoch {epoch} [{bar}] {percentage}% | loss {loss} | acc {acc} | eta {eta_formatted}');
  const r = await train(config, a.out, {
    onStart: ({ backend, resumedAt, epochs, batches }) =>
      console.error(
        `bsnn train: ${config.dataset}, hidden ${config.hidden.join(',')}, T ${config.timesteps}, ${epochs} epochs × ${batches} batches, tfjs ${backend}` +
          (resumedAt > 0 ? `; resuming after epoch ${resumedAt} from ${checkpointPath(a.out)}` : ''),
      ),
    onBatch: (epoch, done, total, loss, acc) => bar.update(done, total, { epoch: `${epoch + 1}/${config.epochs}`, loss: loss.toFixed(4), acc: acc.toFixed(4) }),
    onEpoch: (e) => {
      bar.stop();
      console.error(
        `epoch ${e.epoch}/${config.epochs}: loss ${e.loss.toFixed(4)}, train accuracy (sampled) ${(100 * e.trainAccuracy).toFixed(2)}%, ` +
          `validation accuracy (mean network) ${(100 * e.validationAccuracy).toFixed(2)}%, ${e.seconds.toFixed(1)} s`,
      );
    },
    onStage: (s) => console.error(`bsnn train: ${s}`),
  });
  writeFileAtomically(a.out, JSON.stringify(r.model) + '\n');
  removeCheckpoint(a.out);
  console.log(
    `bsnn: wrote ${a.out}: validation accuracy ${(100 * r.validationAccuracy).toFixed(2)}% on ${r.validationInputs} inputs (bit-exact golden model), ` +
      `temperature ${r.temperature}, ${(r.seconds / 60).toFixed(1)} min`,
  );
}
