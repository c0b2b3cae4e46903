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
import { tf } from './backend.js';
import { randomNormal2d } from './noise.js';

export interface NetworkShape {
  inputs: number;
  hidden: number[];
  classes: number;
  timesteps: number;
  probBits: number;
}

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
function straightThrough(value: (x: tf.Tensor) => tf.Tensor, grad: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor = (dy) => dy): (x: tf.Tensor) => tf.Tensor {
  const f = (x: tf.Tensor, save: (t: tf.Tensor[]) => void) => {
    save([x]);
    return { value: value(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => grad(dy, saved[0]) };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;
}

const roundSte = straightThrough(tf.round);

/**
 * x·w with its gradients computed on explicitly transposed operands: the wasm backend's matMul with a
 * transpose flag (what the built-in gradient uses) runs about 15× slower than a transpose and a plain matMul.
 */
const matMulFast = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: (t: tf.Tensor[]) => void) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, [xs, ws]: tf.Tensor2D[]) => [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** x·w for a constant x (the data, into the first layer): only w's gradient is computed. */
const matMulData = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, save: (t: tf.Tensor[]) => void) => {
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
function weightMoments(shape: NetworkShape, params: NetworkParams, l: number, deterministic: boolean | undefined): { mu: tf.Tensor2D; variance: tf.Tensor2D } {
  const p = quantisedProbability(params.logits[l], shape.probBits);
  const mu = (deterministic ? tf.sub(tf.mul(tf.cast(tf.greaterEqual(p, 0.5), 'float32'), 2), 1) : tf.sub(tf.mul(p, 2), 1)) as tf.Tensor2D;
  return { mu, variance: tf.sub(1, tf.square(mu)) as tf.Tensor2D };
}

/**
 * Layer l's input current for inputs `input` (one timestep), one Gaussian draw of it when sampling: mean
 * Σ μ·x, variance Σ var·x² (x² = x for spikes). `average` draws the mean of `average` such timesteps instead.
 */
export function layerCurrent(shape: NetworkShape, params: NetworkParams, l: number, input: tf.Tensor2D, opts: ForwardOptions, average = 1, noiseSeed = 0): tf.Tensor2D {
  const { mu, variance } = weightMoments(shape, params, l, opts.deterministic);
  const s = inputScale(l);
  const mm = inputProduct(l);
  const mean = tf.mul(mm(input, mu), s) as tf.Tensor2D;
  if (!opts.sample || opts.deterministic) return mean;
  const second = l === 0 ? tf.square(input) : input;
  const v = tf.mul(mm(second as tf.Tensor2D, variance), (s * s) / average);
  const noise = randomNormal2d(mean.shape, noiseSeed);
  return tf.add(mean, tf.mul(tf.sqrt(tf.add(v, 1e-6)), noise)) as tf.Tensor2D;
}

/** Heaviside step with a triangular surrogate gradient of half-width θ (SuperSpike-style), for v − θ scaled by 1/θ. */
const spikeFn = straightThrough(
  (u) => tf.cast(tf.greaterEqual(u, 0), 'float32'),
  (dy, u) => tf.mul(dy, tf.relu(tf.sub(1, tf.abs(u)))),
);

/** Identity forward, no gradient: the reset is not differentiated through (as is usual for surrogate-gradient SNNs). */
const detach = straightThrough((x) => tf.clone(x), (dy) => tf.zerosLike(dy));

/**
 * Logits [batch, classes] for inputs x ∈ [0,1] [batch, inputs], by running the T timesteps of docs/semantics.md:
 * integrate, compare with θ, subtract θ on a spike; a fresh weight sample (one Gaussian draw of the current)
 * every timestep. The readout sums its current over T, so its draws add up to one Gaussian.
 */
export function forward(shape: NetworkShape, params: NetworkParams, x: tf.Tensor2D, opts: ForwardOptions): { logits: tf.Tensor2D } {
  const T = shape.timesteps;
  if (opts.sample && !opts.deterministic && opts.seed === undefined) throw new Error('forward: a sampled pass needs a noise seed');
  const seed = (l: number, t: number) => ((opts.seed ?? 0) + 1009 * l + t) >>> 0;
  // Spike trains between layers: one [batch, size] tensor per timestep; the direct input is the same every step.
  let train: tf.Tensor2D[] = Array.from({ length: T }, () => x);
  for (let l = 0; l < shape.hidden.length; l++) {
    const { theta, bias } = integerThresholdAndBias(params, l);
    const invTheta = tf.reciprocal(theta);
    // A constant input (the first layer) has one mean and spread; spike inputs change every step.
    const steady = l === 0 ? steadyCurrent(shape, params, x, opts) : null;
    let v: tf.Tensor = tf.zeros([x.shape[0], shape.hidden[l]]);
    const out: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const current = steady
        ? steady.spread
          ? tf.add(steady.mean, tf.mul(steady.spread, randomNormal2d(steady.mean.shape, seed(l, t))))
          : steady.mean
        : layerCurrent(shape, params, l, train[t], opts, 1, seed(l, t));
      v = tf.add(tf.add(v, current), bias);
      const s = spikeFn(tf.mul(tf.sub(v, theta), invTheta)) as tf.Tensor2D;
      v = tf.sub(v, detach(tf.mul(s, theta)));
      out.push(s);
    }
    train = out;
  }
  const L = shape.hidden.length;
  // Σ_t of the readout current: inputs summed over time, their draws summed into one Gaussian of T× the variance.
  const summed = L === 0 ? tf.mul(x, T) : tf.addN(train);
  const z = layerCurrent(shape, params, L, summed as tf.Tensor2D, opts, L === 0 ? T : 1, seed(L, 0));
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
  const mean = tf.mul(matMulData(x, mu), s) as tf.Tensor2D;
  if (!opts.sample || opts.deterministic) return { mean, spread: null };
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
