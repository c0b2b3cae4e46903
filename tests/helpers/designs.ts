/** Shared builders for tests: random models through validation and planning, as users' models go. */
import { planModel } from '../../generator/ir/plan.js';
import type { PlannedModel } from '../../generator/ir/types.js';
import { validateModel } from '../../generator/model/load.js';
import { randomModel, type RandomModelOptions } from '../../generator/model/random.js';
import { randomConvModel, type RandomConvOptions } from '../../generator/ops/conv/random.js';

export function plannedRandom(o: RandomModelOptions): PlannedModel {
  return planModel(validateModel(randomModel(o), `random model ${o.seed}`));
}

/**
 * The co-simulation matrix: together these cover k = 1..8; P = 1, P | N, P ∤ N, P ≥ N; 1 to 3 layers; both
 * sampling modes; threshold noise off, uniform and logistic; leak on and off; both resets; both encodings; one
 * and two events per cycle (odd and even event counts, both modes, both encodings).
 */
export const COSIM_MATRIX: RandomModelOptions[] = [
  { seed: 101, inputs: 6, layers: [4], lanes: [1], probBits: 1 },
  { seed: 102, inputs: 5, layers: [6], lanes: [3], probBits: 2, leak: 1 },
  { seed: 103, inputs: 7, layers: [5], lanes: [2], eventsPerCycle: [2], probBits: 3, reset: 'zero' },
  { seed: 104, inputs: 4, layers: [3], lanes: [8], probBits: 4, encoding: 'direct' },
  { seed: 105, inputs: 8, layers: [7], lanes: [7], probBits: 5, mode: 'per-sample', samples: 2 },
  { seed: 106, inputs: 6, layers: [8, 3], lanes: [4, 1], probBits: [6, 7], noise: { kind: 'uniform', bits: 2, scale: 1 } },
  { seed: 107, inputs: 9, layers: [10, 4], lanes: [3, 4], eventsPerCycle: [2, 2], probBits: [8, 8], leak: 2, reset: 'zero' },
  { seed: 108, inputs: 5, layers: [6, 2], lanes: [6, 5], eventsPerCycle: [2, 1], probBits: [4, 1], encoding: 'direct', bias: true },
  { seed: 109, inputs: 6, layers: [9, 5, 3], lanes: [3, 2, 3], probBits: [2, 3, 4], mode: 'per-sample' },
  { seed: 110, inputs: 4, layers: [5, 5, 2], lanes: [1, 5, 2], eventsPerCycle: [1, 2, 2], probBits: [7, 6, 5], noise: { kind: 'logistic', bits: 4, scale: 2 } },
  { seed: 111, inputs: 10, layers: [12, 6, 3], lanes: [4, 4, 4], probBits: [8, 2, 1], leak: 3, bias: true, timesteps: 6 },
  { seed: 112, inputs: 3, layers: [4, 4], lanes: [2, 2], eventsPerCycle: [2, 2], probBits: [3, 3], mode: 'per-sample', encoding: 'direct', samples: 3, timesteps: 2 },
  { seed: 113, inputs: 7, layers: [8], lanes: [16], probBits: 6, noise: { kind: 'uniform', bits: 3, scale: 2 }, reset: 'zero' },
  { seed: 114, inputs: 5, layers: [7, 3], lanes: [2, 3], probBits: [5, 8], membraneBits: 6, leak: 1 },
  { seed: 115, inputs: 12, layers: [6, 4], lanes: [6, 4], probBits: [4, 4], mode: 'per-sample', noise: { kind: 'logistic', bits: 5, scale: 1.5 } },
  { seed: 116, inputs: 4, layers: [3, 3, 3], lanes: [3, 1, 2], probBits: [1, 1, 1], encoding: 'direct', reset: 'zero' },
  { seed: 117, inputs: 8, layers: [11], lanes: [4], probBits: 7, samples: 2, timesteps: 3, bias: true },
  { seed: 118, inputs: 6, layers: [5, 5], lanes: [5, 5], probBits: [2, 6], leak: 4, membraneBits: 8 },
  { seed: 119, inputs: 2, layers: [2], lanes: [2], probBits: 8, timesteps: 8, noise: { kind: 'uniform', bits: 1, scale: 3 } },
  { seed: 120, inputs: 16, layers: [8, 4], lanes: [8, 2], probBits: [3, 5], mode: 'per-sample', leak: 2, reset: 'zero' },
  { seed: 121, inputs: 5, layers: [9, 4, 2], lanes: [4, 3, 1], eventsPerCycle: [2, 2, 1], probBits: [6, 4, 2], encoding: 'direct', noise: { kind: 'logistic', bits: 3, scale: 3 } },
  { seed: 122, inputs: 7, layers: [1], lanes: [1], probBits: 4, timesteps: 5 },
  { seed: 123, inputs: 3, layers: [6, 3], lanes: [4, 4], probBits: [8, 3], mode: 'per-sample', samples: 2, bias: true, leak: 1 },
  { seed: 124, inputs: 9, layers: [7, 7], lanes: [3, 7], probBits: [5, 5], membraneBits: 5, reset: 'zero', bias: true },
  { seed: 125, inputs: 6, layers: [4, 6, 4], lanes: [4, 3, 5], probBits: [2, 7, 8], codes: true, noise: { kind: 'uniform', bits: 2, scale: 1 } },
  { seed: 126, inputs: 8, layers: [10, 3], lanes: [5, 2], eventsPerCycle: [2, 2], probBits: [4, 4], encoding: 'direct', mode: 'per-sample', leak: 2, noise: { kind: 'uniform', bits: 4, scale: 1 } },
];

export { randomConvModel, type RandomConvOptions, type RandomConvSpec } from '../../generator/ops/conv/random.js';

export function plannedConv(o: RandomConvOptions): PlannedModel {
  return planModel(validateModel(randomConvModel(o), `random conv model ${o.seed}`));
}
