/**
 * Convolutional binary-weight SNNs in training: conv2d layers (docs/semantics.md §4.1), then dense layers and
 * the potential readout, trained by local reparameterisation as the dense network is (network.ts).
 *
 * Time-ensemble draws a fresh weight per use of a kernel entry, so every output neuron (channel, position) sees
 * independent weights: its current is one Gaussian per timestep with mean conv(x, 2p − 1) and variance
 * conv(x², 1 − (2p − 1)²). tfjs tensors are NHWC; the flat index the format uses is CHW, so the last conv
 * output is transposed before it is flattened into the dense layers.
 *
 * Parameters: logits[l] of conv layer l is [kh·kw·C_in, C_out] with rows in (ky, kx, c_in) order (tfjs'
 * filter layout, flattened); export.ts reorders them to the format's (c_in, ky, kx).
 */
import { tf } from './backend.js';
import { randomNormal2d, randomTable2d } from './noise.js';
import { spikingLayer } from './spiking.js';
import { DEFAULT_NEURON, layerNoiseSpec, trainingNoiseTable, type NeuronConfig } from './semantics.js';
import {
  detach,
  drawsWeights,
  fixedSigns,
  floorSte,
  forward,
  heldProduct,
  heldWeightNoise,
  integerThresholdAndBias,
  matMulData,
  matMulFast,
  noisySpike,
  roundSte,
  spikeFn,
  weightMoments,
  type ConvSpec,
  type ForwardOptions,
  type ImageShape,
  type NetworkParams,
  type NetworkShape,
} from './network.js';

/** Shapes of one conv layer: its input, its convolution's output (before the pool) and its output. */
export interface ConvGeometry {
  input: ImageShape;
  conv: { h: number; w: number };
  output: ImageShape;
  /** Rows of its weights, C_in·kh·kw. */
  fanIn: number;
  /** Largest input value: 255 for the direct input, the previous pool's area after a sum pool, else 1. */
  xmax: number;
}

const poolArea = (c: ConvSpec) => (c.pool ? c.pool.size * c.pool.size : 1);

/** Whether a conv layer's output events carry counts (a sum pool over more than one position). */
export const emitsCounts = (c: ConvSpec) => c.pool?.kind === 'sum' && poolArea(c) > 1;

/** The geometry of every conv layer of a network (semantics §4.1 shapes); throws on a layer with no output. */
export function convGeometry(shape: NetworkShape): ConvGeometry[] {
  if (!shape.image) throw new Error('conv layers need an image input shape');
  let s = shape.image;
  let xmax = 255;
  return (shape.conv ?? []).map((c, l) => {
    const ho = Math.floor((s.h + 2 * c.padding - c.kernel) / c.stride) + 1;
    const wo = Math.floor((s.w + 2 * c.padding - c.kernel) / c.stride) + 1;
    const q = c.pool?.size ?? 1;
    const output = { c: c.channels, h: Math.floor(ho / q), w: Math.floor(wo / q) };
    if (ho < 1 || wo < 1 || output.h < 1 || output.w < 1) throw new Error(`conv layer ${l}: a ${s.h}×${s.w} input gives no output (kernel ${c.kernel}, stride ${c.stride}, padding ${c.padding}, pool ${q})`);
    const g = { input: s, conv: { h: ho, w: wo }, output, fanIn: s.c * c.kernel * c.kernel, xmax };
    s = output;
    xmax = emitsCounts(c) ? poolArea(c) : 1;
    return g;
  });
}

/** Values flattened out of the last conv layer (C·H·W), what the first dense layer reads. */
export function flatSize(shape: NetworkShape): number {
  const g = convGeometry(shape);
  const o = g[g.length - 1].output;
  return o.c * o.h * o.w;
}

/**
 * im2col in JavaScript (tf.gather of the patches costs ~100 ms a batch on wasm): NHWC x [B, H, W, C] →
 * [B·Ho·Wo, kh·kw·C] with columns in (ky, kx, c) order (tfjs' filter layout), zero padding.
 */
export function im2col(x: Float32Array, B: number, g: ConvGeometry, c: ConvSpec): Float32Array {
  return patchCopy(x, B, g, c);
}

/**
 * One image's im2col as pairs (NHWC pixel offset, offset in the row matrix) of every in-bounds (position, kernel
 * offset), each the start of C channel values; padding has no pair. Image b adds b·H·W·C and b·Ho·Wo·kh·kw·C.
 */
function patchPairs(g: ConvGeometry, c: ConvSpec): Int32Array {
  const { h: H, w: W, c: C } = g.input;
  const { h: Ho, w: Wo } = g.conv;
  const k = c.kernel;
  const pairs: number[] = [];
  for (let oy = 0, r = 0; oy < Ho; oy++) {
    for (let ox = 0; ox < Wo; ox++, r++) {
      for (let ky = 0; ky < k; ky++) {
        const y = oy * c.stride + ky - c.padding;
        if (y < 0 || y >= H) continue;
        for (let kx = 0; kx < k; kx++) {
          const xx = ox * c.stride + kx - c.padding;
          if (xx >= 0 && xx < W) pairs.push((y * W + xx) * C, (r * k * k + ky * k + kx) * C);
        }
      }
    }
  }
  return Int32Array.from(pairs);
}

/**
 * im2col (rows) over n images, `from` the NHWC pixels, or with `adjoint` its transpose: `from` the rows, each
 * patch value added back to its pixel (col2im, the held kernels' input gradient).
 */
function patchCopy(from: Float32Array, n: number, g: ConvGeometry, c: ConvSpec, adjoint = false): Float32Array {
  const C = g.input.c;
  const pixels = g.input.h * g.input.w * C;
  const rows = g.conv.h * g.conv.w * g.fanIn;
  const pairs = patchPairs(g, c);
  const out = new Float32Array(n * (adjoint ? pixels : rows));
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < pairs.length; i += 2) {
      const p = b * pixels + pairs[i];
      const r = b * rows + pairs[i + 1];
      if (adjoint) for (let ci = 0; ci < C; ci++) out[p + ci] += from[r + ci];
      else for (let ci = 0; ci < C; ci++) out[r + ci] = from[p + ci];
    }
  }
  return out;
}

/**
 * Per-sample mode's held kernels (semantics §4.1: one kernel sample per inference sample, used at every
 * position and timestep): the current conv(x, w_b − μ) of each example b through its own deviation eps[b]
 * [fanIn, C_out], for x [T·B, H, W, C] (timestep outermost), as [T·B·Ho·Wo, C_out]. An im2col and a batched
 * matMul per example; the gradient reaches x (col2im), not eps, as `heldProduct` does for dense layers.
 */
export function heldConv(g: ConvGeometry, c: ConvSpec, T: number, B: number): (x: tf.Tensor4D, eps: tf.Tensor3D) => tf.Tensor2D {
  const P = g.conv.h * g.conv.w;
  // [T·B·P, m] rows (timestep outermost) ⇄ [B, T·P, m] (one matrix per example).
  const byExample = (t: tf.Tensor, m: number) => tf.reshape(tf.transpose(tf.reshape(t, [T, B, P, m]), [1, 0, 2, 3]), [B, T * P, m]) as tf.Tensor3D;
  const byRow = (t: tf.Tensor, m: number) => tf.reshape(tf.transpose(tf.reshape(t, [B, T, P, m]), [1, 0, 2, 3]), [T * B * P, m]) as tf.Tensor2D;
  return tf.customGrad(((x: tf.Tensor4D, eps: tf.Tensor3D, save: (t: tf.Tensor[]) => void) => {
    save([eps]);
    const cols = tf.tensor2d(im2col(x.dataSync() as Float32Array, T * B, g, c), [T * B * P, g.fanIn]);
    return {
      value: byRow(tf.matMul(byExample(cols, g.fanIn), eps), c.channels),
      gradFunc: (dy: tf.Tensor2D, [e]: tf.Tensor3D[]) => {
        // A transposed matMul is slow on the wasm backend: transpose first (docs/training.md).
        const dcols = byRow(tf.matMul(byExample(dy, c.channels), tf.transpose(e, [0, 2, 1])), g.fanIn);
        return [tf.tensor4d(patchCopy(dcols.dataSync() as Float32Array, T * B, g, c, true), x.shape), tf.zerosLike(e)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D, eps: tf.Tensor3D) => tf.Tensor2D;
}

/**
 * The filter gradient Σ_b,o x[b, o·s + kernel offset − p]·dy[b, o] of a conv2d as one convolution: the padded
 * input with batch and channels swapped, [C_in, H, W, B], convolved with dy as the filter, [Ho, Wo, B, C_out],
 * dilated by the stride, gives [C_in, ≥kh, ≥kw, C_out] (rows past the last offset dropped). The wasm backend has
 * no Conv2DBackpropFilter; XNNPACK's conv replaced an im2col in JavaScript and a matMul, which took 45 % of a
 * T = 8 step (docs/training.md, "Speed").
 */
export function conv2dFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, c: ConvSpec): tf.Tensor4D {
  const p = c.padding;
  const k = c.kernel;
  const padded = p > 0 ? tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]) : x;
  const r = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D, tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid', 'NHWC', [c.stride, c.stride]);
  const offsets = r.shape[1] === k && r.shape[2] === k ? r : tf.slice(r, [0, 0, 0, 0], [-1, k, k, -1]);
  return tf.transpose(offsets, [1, 2, 0, 3]) as tf.Tensor4D;
}

/**
 * conv2d(x, w) with gradients on ops the wasm backend has and does fast: the input's by a convolution of dy
 * with the flipped filter (stride 1; Conv2DBackpropInput, ~3× slower, otherwise), the filter's by
 * conv2dFilterGradient.
 */
export function convOp(c: ConvSpec): (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D {
  const strides: [number, number] = [c.stride, c.stride];
  return tf.customGrad(((x: tf.Tensor4D, w: tf.Tensor4D, save: (t: tf.Tensor[]) => void) => {
    save([x, w]);
    return {
      value: tf.conv2d(x, w, strides, c.padding),
      gradFunc: (dy: tf.Tensor4D, [xs, ws]: tf.Tensor4D[]) => {
        const dw = conv2dFilterGradient(xs, dy, c);
        const shape = xs.shape as [number, number, number, number];
        const dx =
          c.stride === 1
            ? tf.conv2d(dy, tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, c.kernel - 1 - c.padding)
            : tf.conv2dTranspose(dy, ws as tf.Tensor4D, shape, strides, c.padding);
        return [dx, dw];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;
}

/** Flat CHW inputs [B, C·H·W] as NHWC [B, H, W, C]. */
const toNHWC = (x: tf.Tensor2D, s: ImageShape) => tf.transpose(tf.reshape(x, [x.shape[0], s.c, s.h, s.w]), [0, 2, 3, 1]) as tf.Tensor4D;

/** NHWC [B, H, W, C] flattened in CHW order [B, C·H·W], as the format indexes a conv layer's outputs. */
export const flattenCHW = (y: tf.Tensor4D) => tf.reshape(tf.transpose(y, [0, 3, 1, 2]), [y.shape[0], -1]) as tf.Tensor2D;

/**
 * The pool of §4.1 on spikes [B, Ho, Wo, C] (stride = size, trailing rows and columns dropped): "sum" adds the
 * window, "or" is 1 − Π(1 − s), which is max(s) on spikes and gives each spike the gradient of the window's
 * other spikes being silent.
 */
export function pool(y: tf.Tensor4D, p: ConvSpec['pool']): tf.Tensor4D {
  if (!p || p.size === 1) return y;
  const [B, Ho, Wo, C] = y.shape;
  const q = p.size;
  const Hp = Math.floor(Ho / q);
  const Wp = Math.floor(Wo / q);
  const cropped = Hp * q === Ho && Wp * q === Wo ? y : tf.slice(y, [0, 0, 0, 0], [B, Hp * q, Wp * q, C]);
  const rows = tf.reshape(cropped, [B * Hp, q, Wp, q * C]);
  const parts: tf.Tensor[] = [];
  for (let dy = 0; dy < q; dy++) {
    const row = tf.reshape(tf.slice(rows, [0, dy, 0, 0], [B * Hp, 1, Wp, q * C]), [B * Hp * Wp, q, C]);
    for (let dx = 0; dx < q; dx++) parts.push(tf.reshape(tf.slice(row, [0, dx, 0], [B * Hp * Wp, 1, C]), [B * Hp * Wp, C]));
  }
  const out = p.kind === 'sum' ? tf.addN(parts) : tf.sub(1, parts.map((s) => tf.sub(1, s)).reduce((a, b) => tf.mul(a, b)));
  return tf.reshape(out, [B, Hp, Wp, C]);
}

/** The spread √(variance) of one draw, or null when the pass draws no weights. */
const spreadOf = (variance: tf.Tensor2D | null) => (variance ? (tf.sqrt(tf.add(variance, 1e-6)) as tf.Tensor2D) : null);

/** Mean and variance of a conv layer's current, [rows, C_out] (one Gaussian per neuron and timestep). */
interface Moments {
  mean: tf.Tensor2D;
  variance: tf.Tensor2D | null;
}

/**
 * The first conv layer on the direct input x ∈ [0,1] (8-bit intensities x·255): im2col once, the mean and the
 * variance of its current once ([B·Ho·Wo, C_out]; the input is the same every timestep).
 */
function directConv(shape: NetworkShape, params: NetworkParams, x: tf.Tensor2D, g: ConvGeometry, opts: ForwardOptions, eps: tf.Tensor3D | null = null): Moments {
  const c = shape.conv![0];
  const B = x.shape[0];
  const { mu, variance } = weightMoments(shape, params, 0, opts.deterministic);
  const nhwc = g.input.c === 1 ? (x.dataSync() as Float32Array) : (toNHWC(x, g.input).dataSync() as Float32Array);
  const cols = tf.tensor2d(im2col(nhwc, B, g, c), [B * g.conv.h * g.conv.w, g.fanIn]);
  const product = tf.mul(matMulData(cols, mu), 255) as tf.Tensor2D;
  // Fixed ±1 weights on 8-bit inputs give an integer current: rounding makes it the hardware's exactly.
  const mean = fixedSigns(shape, opts) ? (roundSte(product) as tf.Tensor2D) : product;
  // Per-sample: each example's exact held kernel, the same at every position (the input needs no gradient).
  if (eps) return { mean: tf.add(mean, tf.mul(heldConv(g, c, 1, B)(tf.tensor4d(nhwc, [B, g.input.h, g.input.w, g.input.c]), eps), 255)) as tf.Tensor2D, variance: null };
  const v = drawsWeights(shape, opts) ? (tf.mul(matMulData(tf.square(cols) as tf.Tensor2D, variance), 255 * 255) as tf.Tensor2D) : null;
  return { mean, variance: v };
}

/**
 * A conv layer on spikes (or counts, after a sum pool) x [n, H, W, C_in]: mean and variance, [n·Ho·Wo, C_out].
 * On spikes (x² = x) both are one convolution with the two filters side by side.
 */
function spikeConv(shape: NetworkShape, params: NetworkParams, l: number, g: ConvGeometry, x: tf.Tensor4D, opts: ForwardOptions, counts: boolean, eps: tf.Tensor3D | null = null): Moments {
  const c = shape.conv![l];
  const { mu, variance } = weightMoments(shape, params, l, opts.deterministic);
  const filter = (w: tf.Tensor2D) => tf.reshape(w, [c.kernel, c.kernel, g.input.c, w.shape[1]]) as tf.Tensor4D;
  const conv = (input: tf.Tensor4D, w: tf.Tensor2D) => tf.reshape(convOp(c)(input, filter(w)), [-1, w.shape[1]]) as tf.Tensor2D;
  if (!drawsWeights(shape, opts)) return { mean: conv(x, mu), variance: null };
  if (eps) return { mean: tf.add(conv(x, mu), heldConv(g, c, x.shape[0] / eps.shape[0], eps.shape[0])(x, eps)) as tf.Tensor2D, variance: null };
  if (counts) return { mean: conv(x, mu), variance: conv(tf.square(x) as tf.Tensor4D, variance) };
  const both = conv(x, tf.concat([mu, variance], 1) as tf.Tensor2D);
  const [mean, v] = tf.split(both, 2, 1) as tf.Tensor2D[];
  return { mean, variance: v };
}

/**
 * The conv layers, all T timesteps at once: the last one's spike (or count) maps, [T·B, Hp, Wp, C] with the
 * timestep outermost. Each layer's neurons run in `spikingLayer` (spiking.ts).
 */
function convStack(shape: NetworkShape, params: NetworkParams, x: tf.Tensor2D, opts: ForwardOptions, seed: (l: number, t: number) => number, noiseSeed: (l: number, t: number) => number): tf.Tensor4D {
  const T = shape.timesteps;
  const neuron = shape.neuron ?? DEFAULT_NEURON;
  const geo = convGeometry(shape);
  const B = x.shape[0];
  let maps: tf.Tensor4D | null = null;
  shape.conv!.forEach((c, l) => {
    const g = geo[l];
    const counts = l > 0 && emitsCounts(shape.conv![l - 1]);
    const eps = heldKernels(shape, params, l, B, opts, seed);
    const m = l === 0 ? directConv(shape, params, x, g, opts, eps) : spikeConv(shape, params, l, g, maps!, opts, counts, eps);
    const { theta, bias } = integerThresholdAndBias(params, l);
    const noise = thresholdNoiseOf(shape, l, opts);
    const spec = {
      T, B, Ho: g.conv.h, Wo: g.conv.w, C: c.channels, steady: l === 0, neuron,
      pool: c.pool && c.pool.size > 1 ? c.pool : null,
      seed: (t: number) => seed(l, t),
      noise: noise ? { spec: noise, seed: (t: number) => noiseSeed(l, t) } : null,
    };
    const out = spikingLayer(spec, m.mean, spreadOf(m.variance), theta, bias);
    maps = tf.reshape(out, [T * B, g.output.h, g.output.w, c.channels]) as tf.Tensor4D;
  });
  return maps!;
}

/** mean + spread·N(0,1), the spread from a variance (one Gaussian per neuron), or the mean when not sampling. */
function draw(mean: tf.Tensor2D, variance: tf.Tensor2D | null, seed: number): tf.Tensor2D {
  if (!variance) return mean;
  return tf.add(mean, tf.mul(tf.sqrt(tf.add(variance, 1e-6)), randomNormal2d(mean.shape, seed))) as tf.Tensor2D;
}

/** Dense layer l's current for inputs x (spikes, or counts whose square is not themselves), one draw. */
function denseCurrent(shape: NetworkShape, params: NetworkParams, l: number, x: tf.Tensor2D, second: tf.Tensor2D, opts: ForwardOptions, seed: number): tf.Tensor2D {
  const { mu, variance } = weightMoments(shape, params, l, opts.deterministic);
  const mean = matMulFast(x, mu);
  return draw(mean, drawsWeights(shape, opts) ? matMulFast(second, variance) : null, seed);
}

/** Per-sample mode, sampling: layer l's held weight deviations w − μ, one exact ±1 sample per example; else null. */
function heldKernels(shape: NetworkShape, params: NetworkParams, l: number, B: number, opts: ForwardOptions, seed: (l: number, t: number) => number): tf.Tensor3D | null {
  return shape.mode === 'per-sample' && drawsWeights(shape, opts) ? heldWeightNoise(shape, params, l, B, seed(l, 0)) : null;
}

/** Layer l's threshold noise in this pass: drawn when sampling, as network.ts `forward` does. */
const thresholdNoiseOf = (shape: NetworkShape, l: number, opts: ForwardOptions) => (opts.sample ? (shape.noise?.[l] ?? null) : null);

/** Dense layer l's current through held weights: the mean weights' current plus the exact deviation (per-sample). */
function heldCurrent(shape: NetworkShape, params: NetworkParams, l: number, x: tf.Tensor2D, eps: tf.Tensor3D): tf.Tensor2D {
  return tf.add(denseCurrent(shape, params, l, x, x, { sample: false }, 0), heldProduct(x, eps)) as tf.Tensor2D;
}

/**
 * One timestep of the neuron of semantics §4 (leak, integrate, spike with a surrogate or against a noisy
 * threshold θ + η, reset), as network.ts.
 */
function neuronStep(v: tf.Tensor, current: tf.Tensor, theta: tf.Tensor, invTheta: tf.Tensor, bias: tf.Tensor, neuron: NeuronConfig, eta: { spike: ReturnType<typeof noisySpike>; draw: tf.Tensor } | null): { v: tf.Tensor; s: tf.Tensor } {
  if (neuron.leak > 0) v = tf.sub(v, floorSte(tf.div(v, 2 ** neuron.leak)));
  v = tf.add(tf.add(v, current), bias);
  const s = eta ? eta.spike(tf.sub(v, theta), eta.draw) : spikeFn(tf.mul(tf.sub(v, theta), invTheta));
  v = neuron.reset === 'zero' ? tf.mul(v, tf.sub(1, detach(s))) : tf.sub(v, detach(tf.mul(s, theta)));
  return { v, s };
}

/**
 * Logits of a network with conv layers for inputs x ∈ [0,1] [batch, C·H·W] (flat CHW): the conv layers, the
 * flattened (CHW) maps into the dense layers, the potential readout summed over T, as network.ts `forward`.
 * Modes: time-ensemble, per-sample (exact held samples, every layer) and deterministic; threshold noise when sampling.
 */
export function forwardConv(shape: NetworkShape, params: NetworkParams, x: tf.Tensor2D, opts: ForwardOptions): { logits: tf.Tensor2D } {
  const T = shape.timesteps;
  const B = x.shape[0];
  const K = shape.conv!.length;
  const neuron = shape.neuron ?? DEFAULT_NEURON;
  if ((drawsWeights(shape, opts) || (opts.sample && shape.noise?.some((n) => n))) && opts.seed === undefined) throw new Error('forwardConv: a sampled pass needs a noise seed');
  const seed = (l: number, t: number) => ((opts.seed ?? 0) + 1009 * l + t) >>> 0;
  const noiseSeed = (l: number, t: number) => (seed(l, t) ^ 0x9e3779b9) >>> 0;
  let counts = emitsCounts(shape.conv![K - 1]);
  const maps = convStack(shape, params, x, opts, seed, noiseSeed);
  let train = tf.split(maps, T, 0).map((m) => flattenCHW(m as tf.Tensor4D));
  shape.hidden.forEach((size, d) => {
    const l = K + d;
    const { theta, bias } = integerThresholdAndBias(params, l);
    const invTheta = tf.reciprocal(theta);
    const noise = thresholdNoiseOf(shape, l, opts);
    const spike = noise ? noisySpike(noise) : null;
    const table = noise ? trainingNoiseTable(noise) : null;
    const eps = heldKernels(shape, params, l, B, opts, seed);
    let v: tf.Tensor = tf.zeros([B, size]);
    train = train.map((input, t) => {
      const eta = spike ? { spike, draw: randomTable2d(table!, noise!.bits, [B, size], noiseSeed(l, t)) } : null;
      const current = eps ? heldCurrent(shape, params, l, input, eps) : denseCurrent(shape, params, l, input, counts ? (tf.square(input) as tf.Tensor2D) : input, opts, seed(l, t));
      const r = neuronStep(v, current, theta, invTheta, bias, neuron, eta);
      v = r.v;
      return r.s as tf.Tensor2D;
    });
    counts = false;
  });
  // Σ_t of the readout current: fresh draws add up to one Gaussian of variance Σ_t Σ var·x_t².
  const L = K + shape.hidden.length;
  const summed = tf.addN(train) as tf.Tensor2D;
  const second = counts ? (tf.addN(train.map((s) => tf.square(s))) as tf.Tensor2D) : summed;
  const eps = heldKernels(shape, params, L, B, opts, seed);
  const z = eps ? heldCurrent(shape, params, L, summed, eps) : denseCurrent(shape, params, L, summed, second, opts, seed(L, 0));
  const logits = tf.mul(tf.add(tf.div(z, T), roundSte(params.readoutBias)), tf.exp(params.logScale)) as tf.Tensor2D;
  return { logits };
}

/** The network's forward pass, conv or dense. */
export function forwardAny(shape: NetworkShape, params: NetworkParams, x: tf.Tensor2D, opts: ForwardOptions): { logits: tf.Tensor2D } {
  return shape.conv?.length ? forwardConv(shape, params, x, opts) : forward(shape, params, x, opts);
}

/**
 * Thresholds and offsets of a conv network from data, as `initialise` does for dense ones: every channel's
 * (or dense neuron's) activation curve spans its mean current ± one standard deviation on the inputs x; the
 * next layer sees this layer's rate at its mean current, pooled. Sets logThreshold, offset and logScale.
 */
/**
 * The rate a conv layer's neurons start at: ½, or under an "or" pool of area A the rate 1 − ½^(1/A) whose "or"
 * is ½. At ½ the "or" of four neurons is 1 most of the time, and a spike gets the pool's gradient only when the
 * window's other neurons are silent, so the layer below would barely learn.
 */
export const orPoolStartRate = (c: ConvSpec) => (c.pool?.kind === 'or' ? 1 - 0.5 ** (1 / poolArea(c)) : 0.5);

export function initialiseConv(shape: NetworkShape, params: NetworkParams, x: tf.Tensor2D): void {
  const T = shape.timesteps;
  const geo = convGeometry(shape);
  const K = shape.conv!.length;
  // Each neuron starts firing at `target` per step at its mean current.
  const rate = (z: tf.Tensor, l: number, target = 0.5) => {
    const { mean, variance } = tf.moments(z, 0);
    const theta = tf.maximum(tf.mul(tf.sqrt(variance), 2), 1);
    params.logThreshold.push(tf.variable(tf.log(theta)));
    // With threshold noise, the layer's table is fixed here from its median initial θ, as for dense networks.
    const noise = layerNoiseSpec(shape.neuron, tf.round(theta).dataSync());
    if (noise) (shape.noise ??= [])[l] = noise;
    params.offset.push(tf.variable(tf.sub(target, tf.div(mean, theta))));
    const { theta: th, bias } = integerThresholdAndBias(params, l);
    return tf.div(tf.clipByValue(tf.floor(tf.mul(tf.div(tf.add(z, bias), th), T)), 0, T), T);
  };
  const det: ForwardOptions = { sample: false };
  let h: tf.Tensor4D | null = null;
  shape.conv!.forEach((c, l) => {
    const g = geo[l];
    const z = l === 0 ? directConv(shape, params, x, g, det).mean : spikeConv(shape, params, l, g, h!, det, false).mean;
    // The rate map, pooled: "or" of rates as 1 − Π(1 − r), "sum" as the window's sum.
    h = pool(tf.reshape(rate(z, l, orPoolStartRate(c)), [x.shape[0], g.conv.h, g.conv.w, c.channels]) as tf.Tensor4D, c.pool);
  });
  let flat = flattenCHW(h!);
  shape.hidden.forEach((_, d) => {
    const z = denseCurrent(shape, params, K + d, flat, flat, det, 0);
    flat = rate(z, K + d) as tf.Tensor2D;
  });
  const zOut = denseCurrent(shape, params, K + shape.hidden.length, flat, flat, det, 0);
  const spread = Math.sqrt(tf.moments(zOut).variance.dataSync()[0]) || 1;
  params.logScale.assign(tf.scalar(Math.log(1 / spread)));
}
