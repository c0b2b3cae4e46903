/**
 * Training speed (tfjs wasm, one thread): seconds per training step (batch 100, forward, BPTT backward and the
 * Adam update) of the networks `bsnn train --dataset mnist` makes, each from a `bsnn train` command line, so
 * the figures are those of the runs examples/README.md records. A step's time times 550 is an epoch.
 */
import { trainConfig, type TrainArgs } from '../generator/cli/train.js';
import { useBackend } from '../generator/train/backend.js';
import { loadSplit, toMatrix, type LabelledSet } from '../generator/train/datasets.js';
import { networkShape } from '../generator/train/run.js';
import { createTrainer, initialise, trainEpoch } from '../generator/train/trainer.js';

/**
 * The networks timed: the examples' command lines, the first conv example's network, and the sum-pool network
 * with a dense layer at T 4 and 8. Targets: an epoch (550 steps) of the dense example in about a minute, of a
 * 16/32-channel conv network at T 4 in 5 minutes, at T 8 (or with W4's twice the channels at T 4) in 10, on one core.
 */
export const TIMED: { what: string; args: Partial<TrainArgs>; targetS: number }[] = [
  { what: 'dense 784-512-10, T 8 (examples/mnist.json)', args: { hidden: '512', timesteps: 8 }, targetS: 0.12 },
  { what: '--arch conv (W4, examples/mnist_conv.json), T 4', args: { arch: 'conv' }, targetS: 1.1 },
  { what: '16c5/or2,32c5/or2 (the first conv example), T 4', args: { arch: 'conv', conv: '16c5/or2,32c5/or2', hidden: '0', lanes: '16,32,10' }, targetS: 0.55 },
  { what: '16c5/sum2,32c5/sum2 + dense 256, T 4', args: { arch: 'conv', conv: '16c5/sum2,32c5/sum2', hidden: '256', lanes: '16,32,32,10' }, targetS: 0.55 },
  { what: '16c5/sum2,32c5/sum2 + dense 256, T 8', args: { arch: 'conv', conv: '16c5/sum2,32c5/sum2', hidden: '256', lanes: '16,32,32,10', timesteps: 8 }, targetS: 1.1 },
];

const STEPS = 6;

/** MNIST's training split, read once for every network timed (each takes its first batch). */
let firstImages: LabelledSet | null = null;

/** Median seconds per step over `STEPS` steps on the first MNIST training images, after one warm-up step. */
export async function trainStepSeconds(args: Partial<TrainArgs>): Promise<number> {
  await useBackend();
  const config = trainConfig({ dataset: 'mnist', out: 'unused.json', restart: false, ...args });
  firstImages ??= loadSplit('mnist', 'train');
  const set: LabelledSet = { ...firstImages, inputs: firstImages.inputs.slice(0, config.batchSize), labels: firstImages.labels.slice(0, config.batchSize) };
  const shape = networkShape(config, set);
  const state = createTrainer(shape, initialise(shape, set, config.seed, set.inputs.length), config);
  const matrix = toMatrix(set);
  const times: number[] = [];
  for (let s = 0; s <= STEPS; s++) {
    const t0 = performance.now();
    trainEpoch(state, set, matrix, config);
    if (s > 0) times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
