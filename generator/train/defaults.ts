/**
 * What the command line shows before anything heavy loads: the data set names and the training defaults.
 * Kept free of tfjs and zod so that `bsnn --help` starts fast (generator/cli/main.ts loads runners lazily).
 */
import type { TrainConfig } from './run.js';

export const DATASETS = ['yinyang', 'mnist', 'idx'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Defaults per data set: what `bsnn train --dataset X` uses when a flag is not given. */
export const TRAIN_DEFAULTS: Record<DatasetName, Omit<TrainConfig, 'dataset' | 'name' | 'dataDir'>> = {
  yinyang: { hidden: [256, 256], timesteps: 16, probBits: 4, epochs: 80, batchSize: 64, learningRate: 0.03, klWeight: 0.01, shift: 0, seed: 1 },
  // 32 lanes for the 512 hidden neurons: 16 passes instead of 64, so an image takes about a quarter of the cycles.
  // Shifts of ±1 pixel: without them the golden model scored 97.08 % on the test set (20 epochs), with ±2 the
  // network underfits (96.93 %); ±1 gave 97.75 % at 20 epochs and 98.12 % at 40 (examples/README.md).
  mnist: { hidden: [512], timesteps: 8, probBits: 4, epochs: 40, batchSize: 100, learningRate: 0.01, klWeight: 0.001, shift: 1, seed: 1, lanes: [32, 10] },
  idx: { hidden: [512], timesteps: 8, probBits: 4, epochs: 12, batchSize: 100, learningRate: 0.01, klWeight: 0.05, shift: 0, seed: 1 },
};

/**
 * `--arch conv`: how examples/mnist_conv.json was made (examples/README.md, "W4"), every value a default that a
 * flag overrides: 1×28×28 direct → conv 5×5, 32 channels, sum-pool 2 → conv 5×5, 64 channels, sum-pool 2 →
 * dense 256 → potential readout; trained at T 4 (a conv layer's neurons cost T times its positions to train) on
 * a 14-epoch schedule with ±1-pixel shifts, written to run T 8 (a time ensemble averages more weight samples the
 * longer it runs); a lane per channel, 32 lanes for the dense layer.
 */
export const CONV_ARCH = { conv: '32c5/sum2,64c5/sum2', hidden: '256', timesteps: 4, runTimesteps: 8, epochs: 14, shift: 1, lanes: '32,64,32,10' } as const;
