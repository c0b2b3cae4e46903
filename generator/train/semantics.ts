/**
 * What a trained network is trained to be, beyond its shapes: how its weights are sampled (the three networks
 * `bsnn evaluate` compares, each trained for its own semantics) and what its neurons do (leak, reset,
 * threshold noise). Every choice here is one the hardware has (docs/semantics.md), so export writes it into
 * the model as it was trained.
 */
import { noiseTable } from '../ir/noise.js';
import type { NoiseSpec } from '../model/schema.js';

/**
 * - `time-ensemble`: fresh weight samples every timestep (the hardware's time-ensemble mode);
 * - `per-sample`: one weight sample per inference sample, held for its T timesteps (per-sample mode, S samples);
 * - `deterministic`: every weight a fixed ±1 (straight-through binary weights; codes 0 or all-ones).
 */
export const TRAIN_MODES = ['time-ensemble', 'per-sample', 'deterministic'] as const;
export type TrainMode = (typeof TRAIN_MODES)[number];

export const NOISE_KINDS = ['none', 'uniform', 'logistic'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

/** The neuron model of every hidden layer (semantics §4 LAYER_STEP). */
export interface NeuronConfig {
  /** Leak shift λ: v −= v >> λ before integrating; 0 = no leak. */
  leak: number;
  reset: 'subtract' | 'zero';
  /** Threshold noise η[r] added to θ at every compare; `none` = a deterministic threshold. */
  noise: NoiseKind;
  /** m: random bits per draw (the table has 2^m entries). */
  noiseBits: number;
  /**
   * The noise's standard deviation as a fraction of the layer's median threshold at initialisation; turned
   * into the layer's fixed table scale once (`noiseSpecFor`), so training and hardware use one table.
   */
  noiseStd: number;
}

export const DEFAULT_NEURON: NeuronConfig = { leak: 0, reset: 'subtract', noise: 'none', noiseBits: 4, noiseStd: 0.3 };

/**
 * The layer's NoiseSpec for a median initial threshold θ: logistic s = σ·√3/π, uniform step = σ·√12 / 2^m
 * (an integer ≥ 1, as semantics §2 requires). Logistic scales are kept to 4 significant digits so the model
 * file states them exactly.
 */
export function noiseSpecFor(neuron: NeuronConfig, medianThreshold: number): NoiseSpec | null {
  if (neuron.noise === 'none') return null;
  const sigma = neuron.noiseStd * medianThreshold;
  if (neuron.noise === 'uniform') {
    return { kind: 'uniform', bits: neuron.noiseBits, scale: Math.max(1, Math.round((sigma * Math.sqrt(12)) / (1 << neuron.noiseBits))) };
  }
  return { kind: 'logistic', bits: neuron.noiseBits, scale: Math.max(1e-3, Number(((sigma * Math.sqrt(3)) / Math.PI).toPrecision(4))) };
}

/** A layer's NoiseSpec from its initial thresholds (their median), or null without threshold noise. */
export function layerNoiseSpec(neuron: NeuronConfig | undefined, thresholds: ArrayLike<number>): NoiseSpec | null {
  if (!neuron || neuron.noise === 'none') return null;
  const s = Float64Array.from(thresholds).sort();
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return noiseSpecFor(neuron, median);
}

/**
 * The table the training noise is drawn from: the planner's own (generator/ir/noise.ts), so the noise a model
 * is trained with is the noise the RTL draws, entry for entry.
 */
export function trainingNoiseTable(spec: NoiseSpec): Float32Array {
  return Float32Array.from(noiseTable(spec));
}

/**
 * Density of the noise distribution at u = v − θ: d P(spike)/d v for a spike v ≥ θ + η. It is the spike's
 * surrogate gradient in noise-driven training: the gradient of the expected spike is exact for the
 * continuous distribution the table quantises.
 * - logistic(s): σ(u/s)(1 − σ(u/s)) / s;
 * - uniform, step c, 2^m levels from −2^(m−1)·c: 1 / (2^m·c) on [−2^(m−1)·c, 2^(m−1)·c), else 0.
 */
export function noiseDensity(spec: NoiseSpec): (u: number) => number {
  if (spec.kind === 'logistic') {
    return (u) => {
      const e = 1 / (1 + Math.exp(-u / spec.scale));
      return (e * (1 - e)) / spec.scale;
    };
  }
  const half = (1 << (spec.bits - 1)) * spec.scale;
  return (u) => (u >= -half && u < half ? 1 / (2 * half) : 0);
}
