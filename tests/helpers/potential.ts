/**
 * Networks with a potential readout (docs/semantics.md §4, §5): the last layer does not spike, its acc + b are
 * summed into signed votes. Together: direct and rate input, both sampling modes, P = 1, P | N, P ∤ N, P > N,
 * one to three layers, biases (negative ones included), hidden-layer noise and leak, S > 1, one or more passes.
 */
import type { RandomModelOptions } from '../../generator/model/random.js';

export const POTENTIAL_MATRIX: RandomModelOptions[] = [
  { seed: 201, inputs: 6, layers: [5, 3], lanes: [2, 2], probBits: [3, 4], readout: 'potential', bias: true },
  { seed: 202, inputs: 4, layers: [3], lanes: [8], probBits: 4, encoding: 'direct', readout: 'potential', temperature: 2.5 },
  { seed: 203, inputs: 7, layers: [10, 4], lanes: [4, 3], eventsPerCycle: [2, 2], probBits: [5, 6], mode: 'per-sample', samples: 2, readout: 'potential', bias: true, leak: 1 },
  { seed: 204, inputs: 5, layers: [7], lanes: [1], probBits: 2, encoding: 'direct', mode: 'per-sample', samples: 2, timesteps: 3, readout: 'potential', bias: true },
  { seed: 205, inputs: 8, layers: [9, 6, 5], lanes: [3, 4, 2], eventsPerCycle: [2, 1, 2], probBits: [4, 7, 8], readout: 'potential', noise: { kind: 'logistic', bits: 3, scale: 2 }, timesteps: 5 },
  { seed: 206, inputs: 6, layers: [8, 10], lanes: [4, 10], eventsPerCycle: [1, 2], probBits: [1, 3], encoding: 'direct', readout: 'potential', bias: true, samples: 3, timesteps: 2 },
];
