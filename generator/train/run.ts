/**
 * `bsnn train` as a library call: data → trained parameters → bsnn/1 model, with the temperature fitted and
 * the accuracy measured on the held-out validation split by the bit-exact golden model.
 */
import { fitTemperature } from '../eval/calibrate.js';
import { argmax } from '../eval/metrics.js';
import { planModel } from '../ir/plan.js';
import type { ModelInput } from '../model/schema.js';
import { validateModel } from '../model/load.js';
import { GoldenModel } from '../golden/infer.js';
import { useBackend, type BackendName } from './backend.js';
import { checkpointPath, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { checkShift, checkSplitSizes, formatInWords, toMatrix, trainingSplits, type DatasetName, type LabelledSet } from './datasets.js';
import { exportModel } from './export.js';
import { createTrainer, initialise, meanNetworkAccuracy, trainEpoch, type EpochReport, type TrainOptions } from './trainer.js';
import type { ConvSpec, ImageShape, NetworkShape } from './network.js';
import { BsnnError } from '../util/errors.js';
import type { NeuronConfig, TrainMode } from './semantics.js';

export interface TrainConfig extends TrainOptions {
  dataset: DatasetName;
  dataDir?: string;
  hidden: number[];
  timesteps: number;
  /** k for every layer, or one per layer (conv layers first, the readout last). */
  probBits: number | number[];
  name: string;
  lanes?: number[];
  /** Weight sampling the network is trained for (default time-ensemble). */
  mode?: TrainMode;
  /** Hidden neurons' leak, reset and threshold noise (default: IF, subtract, no noise). */
  neuron?: NeuronConfig;
  /** Weight samples S the exported per-sample model runs (default 1). */
  samples?: number;
  /**
   * Stop after this many epochs of the `epochs`-epoch schedule (the learning rate is that of the full run): the
   * model is the run's checkpoint after that epoch. Not part of the checkpoint key, so a run can be stopped early.
   */
  stopAfter?: number;
  /** Conv layers before the `hidden` dense layers (image data only; convnet.ts). */
  conv?: ConvSpec[];
  /**
   * Timesteps the written model runs (default `timesteps`). The training is the same, so it is not part of
   * the checkpoint key: a time ensemble draws fresh weights every timestep, and running longer than it was
   * trained averages more weight samples.
   */
  runTimesteps?: number;
  /** Where the checkpoint is kept (default `<out>.checkpoint.json`); not part of the checkpoint key. */
  checkpoint?: string;
}

export { TRAIN_DEFAULTS } from './defaults.js';

export interface TrainEvents {
  onStart?: (info: { backend: BackendName; resumedAt: number; epochs: number; batches: number }) => void;
  onBatch?: (epoch: number, done: number, total: number, loss: number, acc: number) => void;
  onEpoch?: (r: EpochReport) => void;
  onStage?: (stage: string) => void;
}

export interface TrainResult {
  model: ModelInput;
  history: EpochReport[];
  /** Golden-model accuracy on the validation split, and the fitted temperature. */
  validationAccuracy: number;
  validationInputs: number;
  temperature: number;
  seconds: number;
}

/** The checkpoint key: everything that changes the trained result. */
const configKey = (c: TrainConfig) => ({ ...c, lanes: undefined, name: undefined, stopAfter: undefined, runTimesteps: undefined, checkpoint: undefined });

/** The checkpoint file of a run writing `out` (none when it writes no file). */
export const checkpointOf = (c: TrainConfig, out: string | null) => c.checkpoint ?? (out === null ? null : checkpointPath(out));

/** Conv layers as `--conv` spells them: 16c5/or2,32c5/or2. */
export function describeConv(conv: ConvSpec[]): string {
  return conv.map((c) => `${c.channels}c${c.kernel}${c.stride !== 1 ? `s${c.stride}` : ''}${c.padding ? `p${c.padding}` : ''}${c.pool ? `/${c.pool.kind}${c.pool.size}` : ''}`).join(',');
}

/** The training semantics in the model's description, when they differ from the defaults. */
function describeSemantics(c: TrainConfig): string {
  const parts: string[] = [];
  if (c.mode && c.mode !== 'time-ensemble') parts.push(`mode ${c.mode}${c.mode === 'per-sample' ? ` (S ${c.samples ?? 1})` : ''}`);
  const n = c.neuron;
  if (n?.leak) parts.push(`leak ${n.leak}`);
  if (n && n.reset !== 'subtract') parts.push(`reset ${n.reset}`);
  if (n && n.noise !== 'none') parts.push(`${n.noise} threshold noise (${n.noiseBits} bits, σ ${n.noiseStd}·median θ)`);
  return parts.map((p) => `, ${p}`).join('');
}

/** An image data set's [channels, rows, cols]: one-channel images or channel planes (CHW), as conv layers read them. */
function imageShape(set: LabelledSet, name: DatasetName): ImageShape {
  if (!set.image) {
    throw new BsnnError(
      `--conv: conv layers need image data, one-channel images or channel planes (CHW, e.g. CIFAR-10); the ${name} inputs (${set.size} values each) are ` +
        'plain vectors or channels-last (hwc) images, whose channels interleave pixel by pixel (IDX images can be written as channel planes, with "layout": "chw" in the manifest)',
    );
  }
  return { c: set.image.channels ?? 1, h: set.image.rows, w: set.image.cols };
}

/** The network a configuration trains on a data set (the input size, classes and image shape come from the data). */
export function networkShape(config: TrainConfig, set: LabelledSet): NetworkShape {
  return {
    inputs: set.size,
    hidden: config.hidden,
    classes: set.classes,
    timesteps: config.timesteps,
    probBits: config.probBits,
    mode: config.mode,
    neuron: config.neuron,
    ...(config.conv?.length ? { conv: config.conv, image: imageShape(set, config.dataset) } : {}),
  };
}

/** k as the command line takes it: one value, or one per layer comma-separated. */
export const describeProbBits = (k: number | number[]): string => [k].flat().join(',');

export async function train(config: TrainConfig, out: string | null, events: TrainEvents = {}): Promise<TrainResult> {
  const t0 = performance.now();
  const backend = await useBackend();
  const splits = trainingSplits(config.dataset, { dir: config.dataDir });
  const { train: trainSet, validation } = splits;
  checkShift(trainSet, config.shift, config.dataset);
  const shape = networkShape(config, trainSet);
  checkSplitSizes(splits, config.batchSize, config.dataset);
  const params = initialise(shape, trainSet, config.seed);
  const state = createTrainer(shape, params, config);
  const ckpt = checkpointOf(config, out);
  const history = (ckpt && (await loadCheckpoint(ckpt, configKey(config), state))) || [];
  const matrix = toMatrix(trainSet);
  const validationMatrix = toMatrix(validation);
  events.onStart?.({ backend, resumedAt: state.epoch, epochs: config.epochs, batches: Math.floor(trainSet.inputs.length / config.batchSize) });
  const last = Math.min(config.epochs, config.stopAfter ?? config.epochs);
  while (state.epoch < last) {
    const e0 = performance.now();
    const epoch = state.epoch;
    const r = trainEpoch(state, trainSet, matrix, config, (d, t, l, a) => events.onBatch?.(epoch, d, t, l, a));
    const report: EpochReport = {
      epoch: state.epoch,
      loss: r.loss,
      trainAccuracy: r.accuracy,
      validationAccuracy: meanNetworkAccuracy(state, validation, validationMatrix),
      seconds: (performance.now() - e0) / 1000,
    };
    history.push(report);
    events.onEpoch?.(report);
    if (ckpt) await saveCheckpoint(ckpt, configKey(config), state, history);
  }

  events.onStage?.('fitting the readout temperature on the validation split (golden model)');
  const runT = config.runTimesteps ?? config.timesteps;
  const runShape: NetworkShape = { ...shape, timesteps: runT };
  const draft = exportModel(runShape, params, { name: config.name, description: '', seed: config.seed, temperature: 1, lanes: config.lanes, samples: config.samples });
  const plan = planModel(validateModel(draft, 'trained model'));
  const golden = new GoldenModel(plan);
  const counts = validation.inputs.map((x) => golden.infer(x).counts);
  const temperature = fitTemperature(counts, validation.labels, plan.samples * plan.timesteps);
  const model = exportModel(runShape, params, {
    name: config.name,
    description:
      `Trained by bsnn train --dataset ${config.dataset}${trainSet.format ? ` on ${formatInWords(trainSet.format)}` : ''} (${config.conv?.length ? `conv ${describeConv(config.conv)}, ` : ''}hidden ${config.hidden.join(',') || 'none'}, T ${config.timesteps}${runT !== config.timesteps ? ` (runs ${runT})` : ''}, k ${describeProbBits(config.probBits)}, ` +
      `${config.epochs} epochs${last < config.epochs ? ` (stopped after ${last})` : ''}, batch ${config.batchSize}, lr ${config.learningRate}, KL weight ${config.klWeight}, shift ${config.shift}, seed ${config.seed}` +
      `${describeSemantics(config)}).`,
    dataset: config.dataset,
    dataFormat: trainSet.format,
    seed: config.seed,
    temperature,
    lanes: config.lanes,
    samples: config.samples,
  });
  // The temperature does not change the counts: the draft's counts give the final model's accuracy.
  let correct = 0;
  counts.forEach((c, i) => (correct += argmax(c) === validation.labels[i] ? 1 : 0));
  const validationAccuracy = correct / counts.length;
  return { model, history, validationAccuracy, validationInputs: validation.inputs.length, temperature, seconds: (performance.now() - t0) / 1000 };
}
