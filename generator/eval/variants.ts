/**
 * The networks evaluated beside the Bayesian model, and the perturbations, as transformations of the planned
 * IR (the golden model runs them as it runs any plan). Only the evaluator uses these plans: their model hash
 * still names the original model.
 */
import { codeProbability, quantiseProbability } from '../ir/quantise.js';
import type { PlannedModel } from '../ir/types.js';
import { opOf } from '../ops/registry.js';
import { prng } from '../model/random.js';
import { BsnnError } from '../util/errors.js';

/** Every weight set to its more likely sign (P(+1) ≥ ½ → +1): a deterministic binary SNN. */
export function deterministicPlan(plan: PlannedModel): PlannedModel {
  return {
    ...plan,
    layers: plan.layers.map((L) => {
      const full = (1 << L.probBits) - 1;
      return { ...L, probRows: L.probRows.map((q) => (codeProbability(q, L.probBits) >= 0.5 ? full : 0)) };
    }),
  };
}

/** The per-sample Bayesian ensemble: S weight samples, each held for T timesteps. */
export function perSamplePlan(plan: PlannedModel, samples: number): PlannedModel {
  if (!Number.isInteger(samples) || samples < 1 || samples > 255) throw new BsnnError(`--samples: ${samples} is not an integer 1..255`);
  return { ...plan, mode: 'per-sample', samples };
}

/**
 * Conv layers with one kernel sample per timestep, used at every position (semantics §4.1's alternative to a
 * fresh weight per use): the same model otherwise. Null when the model has no conv layer or is not a time ensemble.
 */
export function sharedKernelPlan(plan: PlannedModel): PlannedModel | null {
  if (plan.mode !== 'time-ensemble' || !plan.layers.some((L) => L.kind === 'conv2d')) return null;
  return { ...plan, layers: plan.layers.map((L) => (L.kind === 'conv2d' ? { ...L, kernelSample: 'per-timestep' as const } : L)) };
}

/** The same model run for T' timesteps (T' ≤ T reads the first T' timesteps of a time-ensemble run). */
export function timestepsPlan(plan: PlannedModel, timesteps: number): PlannedModel {
  return { ...plan, timesteps };
}

export const PERTURBATIONS = ['weight-flip', 'input-noise', 'threshold'] as const;
export type PerturbationKind = (typeof PERTURBATIONS)[number];

export interface Perturbation {
  kind: PerturbationKind;
  /** weight-flip: fraction of weights; input-noise: σ in intensity units [0,1]; threshold: relative σ. */
  level: number;
}

/** "weight-flip=0.1" or "input-noise=0,0.1,0.2" → perturbations; names the bad part. */
export function parsePerturbations(specs: readonly string[]): Perturbation[] {
  const out: Perturbation[] = [];
  for (const spec of specs) {
    const m = /^([a-z-]+)=(.+)$/.exec(spec.trim());
    if (!m) throw new BsnnError(`--perturb: "${spec}" is not kind=level (kinds: ${PERTURBATIONS.join(', ')})`);
    const kind = m[1] as PerturbationKind;
    if (!PERTURBATIONS.includes(kind)) throw new BsnnError(`--perturb: unknown kind "${m[1]}" in "${spec}" (kinds: ${PERTURBATIONS.join(', ')})`);
    for (const part of m[2].split(',')) {
      const level = Number(part);
      const max = kind === 'weight-flip' ? 1 : 10;
      if (part.trim() === '' || !Number.isFinite(level) || level < 0 || level > max) {
        throw new BsnnError(`--perturb: level "${part}" of ${kind} is not a number in [0, ${max}]`);
      }
      out.push({ kind, level });
    }
  }
  return out;
}

/** A standard normal draw from a uniform PRNG (Box–Muller). */
export function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** Flip the sign of a fraction of the weights: P(+1) = p becomes 1 − p (re-quantised to the layer's codes). */
export function flipWeights(plan: PlannedModel, fraction: number, seed: number): PlannedModel {
  const rnd = prng(seed);
  return {
    ...plan,
    layers: plan.layers.map((L) => ({
      ...L,
      probRows: L.probRows.map((q) => (rnd() < fraction ? quantiseProbability(1 - codeProbability(q, L.probBits), L.probBits) : q)),
    })),
  };
}

/** Threshold mismatch: each spiking neuron's θ becomes max(1, round(θ·(1 + σ·N(0,1)))). */
export function mismatchThresholds(plan: PlannedModel, sigma: number, seed: number): PlannedModel {
  const rnd = prng(seed);
  return {
    ...plan,
    layers: plan.layers.map((L) =>
      opOf(L).withThresholdMismatch(L, (th) => Math.max(1, Math.round(th * (1 + sigma * gaussian(rnd))))),
    ),
  };
}

/** Gaussian input noise: x/255 + σ·N(0,1), clipped to [0,1], back to 8 bits. */
export function noisyInputs(inputs: readonly Uint8Array[], sigma: number, seed: number): Uint8Array[] {
  const rnd = prng(seed);
  return inputs.map((x) => Uint8Array.from(x, (v) => Math.min(255, Math.max(0, Math.round(v + 255 * sigma * gaussian(rnd))))));
}
