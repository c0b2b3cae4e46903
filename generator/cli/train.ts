/** `bsnn train`: fit a binary-weight Bayesian SNN on a data set and write it as a bsnn/1 model. */
import { resolve } from 'node:path';
import { MODEL_NAME } from '../model/schema.js';
import { removeCheckpoint } from '../train/checkpoint.js';
import type { DatasetName } from '../train/datasets.js';
import { CONV_ARCH } from '../train/defaults.js';
import type { ConvSpec } from '../train/network.js';
import { TRAIN_DEFAULTS, checkpointOf, describeConv, describeProbBits, train, type TrainConfig } from '../train/run.js';
import { writeFileAtomically } from '../util/atomic.js';
import { BsnnError } from '../util/errors.js';
import { positiveIntList, probBitsList } from './options.js';
import { progressBar } from './progress.js';
import { DEFAULT_NEURON, NOISE_KINDS, TRAIN_MODES, type NeuronConfig, type NoiseKind, type TrainMode } from '../train/semantics.js';

export interface TrainArgs {
  dataset: DatasetName;
  data?: string;
  out: string;
  hidden?: string;
  arch?: 'dense' | 'conv';
  conv?: string;
  timesteps?: number;
  /** One k for every layer, or a comma-separated k per layer. */
  probBits?: number | string;
  epochs?: number;
  shift?: number;
  batch?: number;
  lr?: number;
  kl?: number;
  seed?: number;
  name?: string;
  lanes?: string;
  mode?: TrainMode;
  samples?: number;
  leak?: number;
  reset?: NeuronConfig['reset'];
  noise?: NoiseKind;
  noiseBits?: number;
  noiseStd?: number;
  stopAfter?: number;
  runTimesteps?: number;
  checkpoint?: string;
  restart: boolean;
}

/** --checkpoint: a file other than the model it writes. */
function checkpointFile(path: string, out: string): string {
  if (path.trim() === '') throw new BsnnError('--checkpoint: give the checkpoint file, e.g. --checkpoint runs/m.checkpoint.json');
  if (resolve(path) === resolve(out)) throw new BsnnError(`--checkpoint: ${path} is the model file --out writes; give another file`);
  return path;
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
  const arch = a.arch ?? 'dense';
  if (arch !== 'dense' && arch !== 'conv') throw new BsnnError(`--arch: "${arch}" is not dense or conv`);
  // --arch conv brings CONV_ARCH's defaults; its lanes belong to its own network.
  const archConv = arch === 'conv';
  const convText = a.conv ?? (archConv ? CONV_ARCH.conv : undefined);
  const conv = convText === undefined ? [] : parseConv(convText);
  const hiddenText = a.hidden ?? (archConv ? CONV_ARCH.hidden : undefined);
  const hidden = hiddenText === undefined ? (conv.length ? [] : d.hidden) : hiddenText.trim() === '0' ? [] : positiveIntList('--hidden', hiddenText);
  const layers = conv.length + hidden.length + 1;
  const archNetwork = convText === CONV_ARCH.conv && hidden.join(',') === CONV_ARCH.hidden;
  const defaultLanes = conv.length ? (archNetwork ? positiveIntList('lanes', CONV_ARCH.lanes) : undefined) : d.lanes;
  const runTimesteps = a.runTimesteps ?? (archConv && a.timesteps === undefined ? CONV_ARCH.runTimesteps : undefined);
  const lanes = a.lanes === undefined ? (defaultLanes?.length === layers ? defaultLanes : undefined) : positiveIntList('--lanes', a.lanes);
  if (lanes && lanes.length !== layers) throw new BsnnError(`--lanes: gives ${lanes.length} values, the network has ${layers} layers`);
  const name = a.name ?? (conv.length ? `${a.dataset}_conv` : a.dataset);
  if (!MODEL_NAME.test(name)) throw new BsnnError(`--name: "${name}" must be a Verilog identifier (a letter, then letters, digits or _; at most 40)`);
  return {
    dataset: a.dataset,
    dataDir: a.data,
    hidden,
    timesteps: int('timesteps', a.timesteps, conv.length ? CONV_ARCH.timesteps : d.timesteps, 1, 65535),
    probBits: a.probBits === undefined ? d.probBits : probBitsList('--prob-bits', a.probBits, layers),
    epochs: int('epochs', a.epochs, archConv ? CONV_ARCH.epochs : d.epochs, 1, 100000),
    batchSize: int('batch', a.batch, d.batchSize, 1, 100000),
    learningRate: pos('lr', a.lr, d.learningRate),
    klWeight: pos('kl', a.kl, d.klWeight),
    shift: int('shift', a.shift, archConv ? CONV_ARCH.shift : d.shift, 0, 8),
    seed: int('seed', a.seed, d.seed, 0, 0xffffffff),
    name,
    lanes,
    ...(conv.length ? { conv } : {}),
    ...(a.stopAfter !== undefined ? { stopAfter: int('stop-after', a.stopAfter, 1, 1, 100000) } : {}),
    ...(runTimesteps !== undefined ? { runTimesteps: int('run-timesteps', runTimesteps, 1, 1, 65535) } : {}),
    ...(a.checkpoint !== undefined ? { checkpoint: checkpointFile(a.checkpoint, a.out) } : {}),
    ...semanticsConfig(a, int),
  };
}

/** `--conv 16c5/or2,32c5p2s2/sum2`: channels c kernel [s stride] [p padding] [/or q | /sum q], per layer. */
export function parseConv(text: string): ConvSpec[] {
  return text.split(',').map((part, i) => {
    const m = /^(\d+)c(\d+)(?:s(\d+))?(?:p(\d+))?(?:\/(or|sum)(\d+))?$/.exec(part.trim());
    if (!m) throw new BsnnError(`--conv: layer ${i + 1} "${part}" is not <channels>c<kernel>[s<stride>][p<padding>][/or<q>|/sum<q>], e.g. 16c5/or2`);
    const [channels, kernel, stride, padding, q] = [m[1], m[2], m[3] ?? '1', m[4] ?? '0', m[6]].map((v) => (v === undefined ? undefined : Number(v)));
    const bad = (what: string) => new BsnnError(`--conv: layer ${i + 1} "${part}": ${what}`);
    if (channels! < 1 || channels! > 4096) throw bad('channels must be 1..4096');
    if (kernel! < 1 || kernel! > 32) throw bad('kernel must be 1..32');
    if (stride! < 1 || stride! > 32) throw bad('stride must be 1..32');
    if (padding! >= kernel!) throw bad('padding must be below the kernel size');
    if (q !== undefined && (q < 1 || q > 32)) throw bad('pool size must be 1..32');
    return { channels: channels!, kernel: kernel!, stride: stride!, padding: padding!, pool: q === undefined ? null : { kind: m[5] as 'or' | 'sum', size: q } };
  });
}

type IntCheck = (flag: string, v: number | undefined, def: number, lo: number, hi: number) => number;

/** --mode, --samples and the neuron flags; defaults are left out so a default run's checkpoint key is unchanged. */
function semanticsConfig(a: TrainArgs, int: IntCheck): Pick<TrainConfig, 'mode' | 'samples' | 'neuron'> {
  const mode = a.mode ?? 'time-ensemble';
  if (!TRAIN_MODES.includes(mode)) throw new BsnnError(`--mode: "${mode}" is not one of ${TRAIN_MODES.join(', ')}`);
  if (a.reset !== undefined && a.reset !== 'subtract' && a.reset !== 'zero') throw new BsnnError(`--reset: "${a.reset}" is not subtract or zero`);
  const noise = a.noise ?? 'none';
  if (!NOISE_KINDS.includes(noise)) throw new BsnnError(`--noise: "${noise}" is not one of ${NOISE_KINDS.join(', ')}`);
  const noiseStd = a.noiseStd ?? DEFAULT_NEURON.noiseStd;
  if (!(Number.isFinite(noiseStd) && noiseStd > 0 && noiseStd <= 10)) throw new BsnnError(`--noise-std: ${noiseStd} is not a number in (0, 10]`);
  const neuron: NeuronConfig = {
    leak: int('leak', a.leak, 0, 0, 16),
    reset: a.reset ?? 'subtract',
    noise,
    noiseBits: int('noise-bits', a.noiseBits, DEFAULT_NEURON.noiseBits, 1, 8),
    noiseStd,
  };
  const samples = int('samples', a.samples, 4, 1, 255);
  const plainNeuron = JSON.stringify(neuron) === JSON.stringify(DEFAULT_NEURON) || (neuron.leak === 0 && neuron.reset === 'subtract' && noise === 'none');
  return {
    ...(mode !== 'time-ensemble' ? { mode } : {}),
    ...(mode === 'per-sample' ? { samples } : {}),
    ...(plainNeuron ? {} : { neuron }),
  };
}

export async function runTrain(a: TrainArgs): Promise<void> {
  if (a.out.trim() === '') throw new BsnnError('--out: give the model file to write, e.g. --out examples/mnist.json');
  const config = trainConfig(a);
  const ckpt = checkpointOf(config, a.out)!;
  if (a.restart) removeCheckpoint(ckpt);
  const bar = progressBar('epoch {epoch} [{bar}] {percentage}% | loss {loss} | acc {acc} | eta {eta_formatted}');
  const r = await train(config, a.out, {
    onStart: ({ backend, resumedAt, epochs, batches }) =>
      console.error(
        `bsnn train: ${config.dataset}, ${config.conv ? `conv ${describeConv(config.conv)}, ` : ''}hidden ${config.hidden.join(',') || 'none'}, T ${config.timesteps}, k ${describeProbBits(config.probBits)}, ${epochs} epochs × ${batches} batches, tfjs ${backend}` +
          (resumedAt > 0 ? `; resuming after epoch ${resumedAt} from ${ckpt}` : ''),
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
  // A run stopped early keeps its checkpoint, so it can be continued to --epochs.
  if (!(config.stopAfter && config.stopAfter < config.epochs)) removeCheckpoint(ckpt);
  console.log(
    `bsnn: wrote ${a.out}: validation accuracy ${(100 * r.validationAccuracy).toFixed(2)}% on ${r.validationInputs} inputs (bit-exact golden model), ` +
      `temperature ${r.temperature}, ${(r.seconds / 60).toFixed(1)} min`,
  );
}
