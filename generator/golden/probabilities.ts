/**
 * Predictive probabilities of a potential readout (docs/semantics.md §5): p = softmax(τ · counts / (S·T)).
 * The hardware never computes this; evaluators do. Spike-count readouts have their own estimator (eval/metrics.ts).
 */
import type { PlannedModel } from '../ir/types.js';

/** softmax(temperature · counts / steps), computed without overflow (the largest term is e^0). */
export function potentialProbabilities(counts: ArrayLike<number>, steps: number, temperature: number): Float64Array {
  if (!(steps > 0) || !(temperature > 0)) throw new RangeError(`steps (${steps}) and temperature (${temperature}) must be positive`);
  const z = Float64Array.from(counts, (c) => (temperature * c) / steps);
  const max = z.reduce((m, v) => Math.max(m, v), -Infinity);
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += z[c] = Math.exp(z[c] - max);
  for (let c = 0; c < z.length; c++) z[c] /= sum;
  return z;
}

/** The probabilities a potential-readout plan assigns to its counts (S·T and τ from the plan). */
export function planProbabilities(plan: PlannedModel, counts: ArrayLike<number>): Float64Array {
  if (plan.readout !== 'potential') throw new RangeError('planProbabilities: the model reads out spike counts, not potentials (see eval/metrics.ts)');
  return potentialProbabilities(counts, plan.samples * plan.timesteps, plan.temperature);
}
