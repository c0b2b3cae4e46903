/**
 * The trainable network: binary weights w ∈ {−1, +1} with P(w = +1) = sigmoid(a) per synapse, trained by the
 * local reparameterisation trick for discrete weights (Shayer, Levi & Fetaya, "Learning Discrete Weights
 * Using the Local Reparameterization Trick", ICLR 2018): a pre-activation Σ w·x over many independent
 * Bernoulli weights is close to Gaussian with mean Σ (2p−1)·x and variance Σ (1 − (2p−1)²)·x², so one
 * Gaussian draw per neuron replaces a draw per weight and gradients reach p.
 *
 * The forward pass runs the spiking semantics (docs/semantics.md) timestep by timestep, so the exported network
 * is the one trained, not a conversion:
 * - time-ensemble sampling draws fresh weights every timestep: one Gaussian draw of the current per neuron and
 *   timestep (for spike inputs s ∈ {0,1}, the variance is Σ var·s);
 * - integrate-and-fire with subtract reset: v += I + b; spike when v ≥ θ; v −= θ. The spike's gradient is a
 *   triangular surrogate (Zenke & Ganguli, SuperSpike, 2018), the reset is not differentiated;
 * - θ and b are integers in the hardware: they are rounded in the forward pass (straight-through), θ kept ≥ 1;
 * - probabilities are quantised to the layer's k-bit codes in the forward pass (straight-through);
 * - the readout layer integrates its current (potential readout), and the logits are α·(z + b).
 *
 * Units: layer 0 sees 8-bit intensities x8 = 255·x, so its currents are 255× those of x; hidden layers see
 * spike counts per timestep.
 */
import type { NoiseSpec } from '../model/schema.js';
import { tf } from './backend.js';
import { randomNormal2d, randomTable2d, uniformNoise } from './noise.js';
import { DEFAULT_NEURON, trainingNoiseTable, type NeuronConfig, type TrainMode } from './semantics.js';

export interface NetworkShape {
  inputs: number;
  hidden: number[];
  classes: number;
  timesteps: number;
  /** Bits k per probability code: one for every layer, or one per layer (conv layers first, the readout last). */
  probBits: number | number[];
  /** How weights are sampled in training (default time-ensemble). */
  mode?: TrainMode;
  /** Leak, reset and threshold noise of the hidden neurons (default: IF, subtract reset, no noise). */
  neuron?: NeuronConfig;
  /** Each hidden layer's threshold-noise spec, fixed at initialisation (`initialise`); null = none. */
  noise?: (NoiseSpec | null)[];
  /** Image input [channels, rows, columns] (flat CHW), for conv layers. */
  image?: ImageShape;
  /** Conv layers before the dense ones (generator/train/convnet.ts); layer l < conv.length is conv l. */
  conv?: ConvSpec[];
}

/** [channels, rows, columns] of an image input. */
export interface ImageShape {
  c: number;
  h: number;
  w: number;
}

/** A trainable conv layer (semantics §4.1): square kernel, stride and pool window. */
export interface ConvSpec {
  channels: number;
  kernel: number;
  stride: number;
  padding: number;
  pool: { kind: 'or' | 'sum'; size: number } | null;
}

const modeOf = (shape: NetworkShape): TrainMode => shape.mode ?? 'time-ensemble';
const neuronOf = (shape: NetworkShape): NeuronConfig => shape.neuron ?? DEFAULT_NEURON;

/** k of layer l (params index: conv layers, then dense, then the readout). */
export const layerProbBits = (shape: NetworkShape, l: number): number => (Array.isArray(shape.probBits) ? shape.probBits[l] : shape.probBits);

export interface NetworkParams {
  /** Logit of P(w = +1), [fanIn, size] per layer (hidden layers, then the readout). */
  logits: tf.Variable[];
  /** log θ per hidden neuron. */
  logThreshold: tf.Variable[];
  /** b / θ per hidden neuron (the offset of the neuron's activation curve, in units of its threshold). */
  offset: tf.Variable[];
  /** Readout bias (rounded to an integer in the forward pass). */
  readoutBias: tf.Variable;
  /** log α, the readout's inverse temperature. */
  logScale: tf.Variable;
}

/** Current scale of layer l's inputs: 8-bit intensities for the first layer, spikes after. */
export const inputScale = (l: number) => (l === 0 ? 255 : 1);

/** value(x) in the forward pass, grad(dy, x) in the backward pass (a straight-through estimator). */
export function straightThrough(value: (x: tf.Tensor) => tf.Tensor, grad: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor = (dy) => dy): (x: tf.Tensor) => tf.Tensor {
  const f = (x: tf.Tensor, save: (t: tf.Tensor[]) => void) => {
    save([x]);
    return { value: value(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => grad(dy, saved[0]) };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;
}

export const roundSte = straightThrough(tf.round);

/**
 * x·w with its gradients computed on explicitly transposed operands: the wasm backend's matMul with a
 * transpose flag (what the built-in gradient uses) runs about 15× slower than a transpose and a plain matMul.
 */
export const matMulFast = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: (t: tf.Tensor[]) => void) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, [xs, ws]: tf.Tensor2D[]) => [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** x·w for a constant x (the data, into the first layer): only w's gradient is computed. */
export const matMulData = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: (t: tf.Tensor[]) => void) => {
  save([x]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, [xs]: tf.Tensor2D[]) => [tf.zerosLike(xs), tf.matMul(tf.transpose(xs), dy)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** The product for layer l's input: the data (layer 0) needs no gradient. */
const inputProduct = (l: number) => (l === 0 ? matMulData : matMulFast);

/**
 * P(w = +1) quantised as semantics §2 does (levels q/2^k below the top code, the top code meaning 1), with a
 * straight-through gradient.
 */
export function quantisedProbability(a: tf.Tensor, k: number): tf.Tensor {
  const p = tf.sigmoid(a);
  const levels = 1 << k;
  return straightThrough((x) => {
    const low = tf.div(tf.minimum(tf.round(tf.mul(x, levels)), levels - 2), levels);
    return tf.where(tf.greater(x, (levels - 1) / levels), tf.onesLike(x), low);
  })(p);
}

/** Integer θ ≥ 1 and bias b of hidden layer l, as the hardware gets them. */
export function integerThresholdAndBias(params: NetworkParams, l: number): { theta: tf.Tensor; bias: tf.Tensor } {
  const theta = tf.maximum(roundSte(tf.exp(params.logThreshold[l])), 1);
  return { theta, bias: roundSte(tf.mul(params.offset[l], theta)) };
}

export interface ForwardOptions {
  /** Draw the Gaussian noise of the weight samples (training); off gives the mean network. */
  sample: boolean;
  /** Every weight at its more likely sign (the deterministic baseline of the evaluator). */
  deterministic?: boolean;
  /** Seed of the Gaussian draws (required when sampling). */
  seed?: number;
}

/** Mean weights 2p − 1 of layer l (or the more likely sign, ±1) and their variances 1 − (2p − 1)². */
export function weightMoments(shape: NetworkShape, params: NetworkParams, l: number, deterministic: boolean | undefined): { mu: tf.Tensor2D; variance: tf.Tensor2D } {
  const p = quantisedProbability(params.logits[l], layerProbBits(shape, l));
  const soft = tf.sub(tf.mul(p, 2), 1);
  // A deterministic network trained as one: the sign forward, the gradient of 2p − 1 backward (straight-through).
  const mu = (deterministic ? tf.sub(tf.mul(tf.cast(tf.greaterEqual(p, 0.5), 'float32'), 2), 1) : modeOf(shape) === 'deterministic' ? signSte(soft) : soft) as tf.Tensor2D;
  return { mu, variance: tf.sub(1, tf.square(mu)) as tf.Tensor2D };
}

/** ±1 by sign (0 → +1, as p ≥ ½ → +1 in the evaluator and the export), identity gradient. */
const signSte = straightThrough((x) => tf.sub(tf.mul(tf.cast(tf.greaterEqual(x, 0), 'float32'), 2), 1));

/** Whether every weight is a fixed sign in this pass (a deterministic network, trained or projected). */
export const fixedSigns = (shape: NetworkShape, opts: ForwardOptions) => opts.deterministic === true || modeOf(shape) === 'deterministic';

/** Whether a pass draws weight noise: sampling on, and a network whose weights are random. */
export const drawsWeights = (shape: NetworkShape, opts: ForwardOptions) => opts.sample && !opts.deterministic && modeOf(shape) !== 'deterministic';

/**
 * Layer l's input current for inputs `input` (one timestep), one Gaussian draw of it when sampling: mean
 * Σ μ·x, variance Σ var·x² (x² = x for spikes). `average` draws the mean of `average` such timesteps instead.
 */
export function layerCurrent(shape: NetworkShape, params: NetworkParams, l: number, input: tf.Tensor2D, opts: ForwardOptions, average = 1, noiseSeed = 0, held = false): tf.Tensor2D {
  const { mu, variance } = weightMoments(shape, params, l, opts.deterministic);
  const s = inputScale(l);
  const mm = inputProduct(l);
  const product = tf.mul(mm(input, mu), s) as tf.Tensor2D;
  const mean = l === 0 && fixedSigns(shape, opts) ? (roundSte(product) as tf.Tensor2D) : product;
  if (!drawsWeights(shape, opts)) return mean;
  // Σ w·x has variance Σ var·x²; spikes have x² = x, except a count of spikes through held weights (per-sample).
  const second = l === 0 || held ? tf.square(input) : input;
  const v = tf.mul(mm(second as tf.Tensor2D, variance), (s * s) / average);
  const noise = randomNormal2d(mean.shape, noiseSeed);
  return tf.add(mean, tf.mul(tf.sqrt(tf.add(v, 1e-6)), noise)) as tf.Tensor2D;
}

/** Heaviside step with a triangular surrogate gradient of half-width θ (SuperSpike-style), for v − θ scaled by 1/θ. */
export const spikeFn = straightThrough(
  (u) => tf.cast(tf.greaterEqual(u, 0), 'float32'),
  (dy, u) => tf.mul(dy, tf.relu(tf.sub(1, tf.abs(u)))),
);

/** Identity forward, no gradient: the reset is not differentiated through (as is usual for surrogate-gradient SNNs). */
export const detach = straightThrough((x) => tf.clone(x), (dy) => tf.zerosLike(dy));

/**
 * Spike of a neuron with threshold noise: v ≥ θ + η with η drawn from the layer's table, the gradient the noise
 * distribution's density at u = v − θ (noise-driven learning: the derivative of the expected spike).
 */
export function noisySpike(spec: NoiseSpec): (u: tf.Tensor, eta: tf.Tensor) => tf.Tensor {
  const density = (u: tf.Tensor): tf.Tensor => {
    if (spec.kind === 'logistic') {
      const e = tf.sigmoid(tf.div(u, spec.scale));
      return tf.div(tf.mul(e, tf.sub(1, e)), spec.scale);
    }
    const half = (1 << (spec.bits - 1)) * spec.scale;
    return tf.div(tf.cast(tf.logicalAnd(tf.greaterEqual(u, -half), tf.less(u, half)), 'float32'), 2 * half);
  };
  return tf.customGrad(((u: tf.Tensor, eta: tf.Tensor, save: (t: tf.Tensor[]) => void) => {
    save([u, eta]);
    return {
      value: tf.cast(tf.greaterEqual(u, eta), 'float32'),
      gradFunc: (dy: tf.Tensor, [us, es]: tf.Tensor[]) => [tf.mul(dy, density(us)), tf.zerosLike(es)],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (u: tf.Tensor, eta: tf.Tensor) => tf.Tensor;
}

/** floor(x) forward, identity backward: the leak v >> λ of integer membranes, on real ones. */
export const floorSte = straightThrough(tf.floor);

/**
 * One held weight sample per example (per-sample mode, layers with spike inputs): w − μ for w ∈ {±1} drawn with
 * P(+1) = p, as [batch, fanIn, size]. Its product with the spikes adds to the mean current, so the draw is
 * exact (no Gaussian approximation) and held for all T timesteps; gradients reach p through μ (straight-through).
 */
export function heldWeightNoise(shape: NetworkShape, params: NetworkParams, l: number, batch: number, seed: number): tf.Tensor3D {
  const p = tf.tidy(() => quantisedProbability(params.logits[l], layerProbBits(shape, l)));
  const pv = p.dataSync() as Float32Array;
  const [fanIn, size] = p.shape as [number, number];
  p.dispose();
  const u = uniformNoise(batch * pv.length, seed);
  const eps = new Float32Array(u.length);
  for (let b = 0, k = 0; b < batch; b++) {
    for (let i = 0; i < pv.length; i++, k++) eps[k] = (u[k] < pv[i] ? 1 : -1) - (2 * pv[i] - 1);
  }
  return tf.tensor3d(eps, [batch, fanIn, size]);
}

/** Spikes [batch, fanIn] through held weight deviations [batch, fanIn, size]; the gradient reaches the spikes only. */
export const heldProduct = tf.customGrad(((s: tf.Tensor2D, eps: tf.Tensor3D, save: (t: tf.Tensor[]) => void) => {
  save([eps]);
  const [B, n] = s.shape;
  return {
    value: tf.reshape(tf.matMul(tf.reshape(s, [B, 1, n]), eps), [B, eps.shape[2]]),
    gradFunc: (dy: tf.Tensor2D, [e]: tf.Tensor3D[]) => [
      tf.reshape(tf.matMul(tf.reshape(dy, [B, 1, e.shape[2]]), tf.transpose(e, [0, 2, 1])), [B, n]),
      tf.zerosLike(e),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (s: tf.Tensor2D, eps: tf.Tensor3D) => tf.Tensor2D;

/**
 * Logits [batch, classes] for inputs x ∈ [0,1] [batch, inputs], by running the T timesteps of docs/semantics.md:
 * leak, integrate, compare with θ (+ threshold noise), reset on a spike. Weights per the training mode: a fresh
 * sample (one Gaussian draw of the current) every timestep, one sample held for all T timesteps (per-sample),
 * or fixed signs (deterministic). The readout sums its current over T, so its draws add up to one Gaussian.
 */
export function forward(shape: NetworkShape, params: NetworkParams, x: tf.Tensor2D, opts: ForwardOptions): { logits: tf.Tensor2D } {
  const T = shape.timesteps;
  const neuron = neuronOf(shape);
  const weightsDrawn = drawsWeights(shape, opts);
  const held = modeOf(shape) === 'per-sample';
  const thresholdNoise = (l: number) => (opts.sample ? (shape.noise?.[l] ?? null) : null);
  if ((weightsDrawn || shape.noise?.some((n) => n)) && opts.sample && opts.seed === undefined) throw new Error('forward: a sampled pass needs a noise seed');
  const seed = (l: number, t: number) => ((opts.seed ?? 0) + 1009 * l + t) >>> 0;
  const noiseSeed = (l: number, t: number) => (seed(l, t) ^ 0x9e3779b9) >>> 0;
  const B = x.shape[0];
  // Spike trains between layers: one [batch, size] tensor per timestep; the direct input is the same every step.
  let train: tf.Tensor2D[] = Array.from({ length: T }, () => x);
  for (let l = 0; l < shape.hidden.length; l++) {
    const { theta, bias } = integerThresholdAndBias(params, l);
    const invTheta = tf.reciprocal(theta);
    // A constant input (the first layer) has one mean and spread; spike inputs change every step.
    const steady = l === 0 ? steadyCurrent(shape, params, x, opts) : null;
    const eps = !steady && held && weightsDrawn ? heldWeightNoise(shape, params, l, B, seed(l, 0)) : null;
    const noise = thresholdNoise(l);
    const spikeOf = noise ? noisySpike(noise) : null;
    const table = noise ? trainingNoiseTable(noise) : null;
    let v: tf.Tensor = tf.zeros([B, shape.hidden[l]]);
    const out: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const current = steady
        ? steady.spread
          ? tf.add(steady.mean, tf.mul(steady.spread, randomNormal2d(steady.mean.shape, seed(l, held ? 0 : t))))
          : steady.mean
        : eps
          ? tf.add(layerCurrent(shape, params, l, train[t], { sample: false }), heldProduct(train[t], eps))
          : layerCurrent(shape, params, l, train[t], opts, 1, seed(l, t));
      if (neuron.leak > 0) v = tf.sub(v, floorSte(tf.div(v, 2 ** neuron.leak)));
      v = tf.add(tf.add(v, current), bias);
      const s = (
        spikeOf ? spikeOf(tf.sub(v, theta), randomTable2d(table!, noise!.bits, [B, shape.hidden[l]], noiseSeed(l, t))) : spikeFn(tf.mul(tf.sub(v, theta), invTheta))
      ) as tf.Tensor2D;
      v = neuron.reset === 'zero' ? tf.mul(v, tf.sub(1, detach(s))) : tf.sub(v, detach(tf.mul(s, theta)));
      out.push(s);
    }
    train = out;
  }
  const L = shape.hidden.length;
  // Σ_t of the readout current: inputs summed over time. Fresh draws add up to one Gaussian of T× the variance;
  // a held sample (per-sample) multiplies the summed input, whose square then sets the variance.
  const summed = L === 0 ? tf.mul(x, T) : tf.addN(train);
  const z = layerCurrent(shape, params, L, summed as tf.Tensor2D, opts, L === 0 && !held ? T : 1, seed(L, 0), held);
  const logits = tf.mul(tf.add(tf.div(z, T), roundSte(params.readoutBias)), tf.exp(params.logScale)) as tf.Tensor2D;
  return { logits };
}

/**
 * The first layer's current for a constant (direct) input: its mean, and the standard deviation of one
 * timestep's draw (null when not sampling). The weight moments are computed once for both.
 */
function steadyCurrent(shape: NetworkShape, params: NetworkParams, x: tf.Tensor2D, opts: ForwardOptions): { mean: tf.Tensor2D; spread: tf.Tensor2D | null } {
  const { mu, variance } = weightMoments(shape, params, 0, opts.deterministic);
  const s = inputScale(0);
  const product = tf.mul(matMulData(x, mu), s) as tf.Tensor2D;
  // Fixed ±1 weights on 8-bit inputs give an integer current; x/255·255 in float32 misses it by rounding
  // error, which decides ties v = θ. Rounding (straight-through) makes the membrane the hardware's exactly.
  const mean = fixedSigns(shape, opts) ? (roundSte(product) as tf.Tensor2D) : product;
  if (!drawsWeights(shape, opts)) return { mean, spread: null };
  return { mean, spread: tf.sqrt(tf.add(tf.mul(matMulData(tf.square(x) as tf.Tensor2D, variance), s * s), 1e-6)) as tf.Tensor2D };
}

/**
 * KL(Bernoulli(σ(a)) ‖ Bernoulli(½)) = ln 2 + p·a − softplus(a) per logit a, summed. Its gradient is
 * a·p·(1 − p), given directly: autodiff through softplus costs more than the rest of the weight-sized ops.
 */
const klOfLogits = tf.customGrad(((a: tf.Tensor, save: (t: tf.Tensor[]) => void) => {
  save([a]);
  const p = tf.sigmoid(a);
  return {
    value: tf.sum(tf.sub(tf.add(tf.mul(p, a), Math.LN2), tf.softplus(a))),
    gradFunc: (dy: tf.Tensor, [as]: tf.Tensor[]) => {
      const q = tf.sigmoid(as);
      return [tf.mul(dy, tf.mul(as, tf.mul(q, tf.sub(1, q))))];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (a: tf.Tensor) => tf.Scalar;

/** Σ over weights of KL(Bernoulli(p) ‖ Bernoulli(½)) = ln 2 − H(p), the prior term of the variational objective. */
export function klToUniform(params: NetworkParams): tf.Scalar {
  return tf.addN(params.logits.map((a) => klOfLogits(a))) as tf.Scalar;
}
