/** The small training run the training tests share: a Yin-Yang network with non-trivial weights in seconds. */
import type { TrainConfig } from '../../generator/train/run.js';

export const SMALL_TRAINING: TrainConfig = {
  dataset: 'yinyang',
  hidden: [16, 12],
  timesteps: 6,
  probBits: 4,
  epochs: 2,
  batchSize: 64,
  learningRate: 0.02,
  klWeight: 0.05,
  shift: 0,
  seed: 3,
  name: 'small',
};
