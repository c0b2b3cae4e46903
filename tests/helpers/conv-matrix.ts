/** The conv co-simulation matrix (tests/cosim.conv.test.ts): small random conv networks, each a few seconds. */
import type { RandomConvOptions } from './designs.js';

export const CONV_MATRIX: RandomConvOptions[] = [
  { seed: 301, shape: [1, 6, 6], convs: [{ channels: 3, kernel: 3, padding: 1, lanes: 2, pool: { kind: 'or', size: 2 } }], dense: [4], timesteps: 3 },
  { seed: 302, shape: [2, 7, 7], encoding: 'direct', convs: [{ channels: 4, kernel: 3, stride: 2, lanes: 4 }], dense: [5, 3], denseLanes: [2, 3], timesteps: 2, bias: true },
  { seed: 303, shape: [1, 9, 8], convs: [{ channels: 2, kernel: 3, pool: { kind: 'sum', size: 2 }, lanes: 1 }], dense: [4], denseLanes: [3], timesteps: 3, mode: 'per-sample', samples: 2 },
  { seed: 304, shape: [2, 8, 8], convs: [{ channels: 3, kernel: 3, padding: 1, pool: { kind: 'or', size: 2 }, lanes: 3 }, { channels: 5, kernel: 2, stride: 2, lanes: 2 }], dense: [3], timesteps: 3, noise: { kind: 'uniform', bits: 2, scale: 1 }, leak: 2 },
  { seed: 305, shape: [1, 7, 9], encoding: 'direct', convs: [{ channels: 6, kernel: [3, 2], padding: [1, 0], lanes: 4, pool: { kind: 'sum', size: 2 } }, { channels: 2, kernel: 2, lanes: 2 }], dense: [3], timesteps: 2, readout: 'potential', bias: true, membraneBits: 14 },
  { seed: 306, shape: [3, 5, 5], convs: [{ channels: 4, kernel: 3, stride: 2, padding: 1, lanes: 3 }], dense: [3], timesteps: 4, mode: 'per-sample', reset: 'zero', noise: { kind: 'logistic', bits: 3, scale: 1 } },
];
