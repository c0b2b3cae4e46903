/**
 * Trained parameters → a bsnn/1 model. Every integer the hardware gets (probability codes, thresholds,
 * biases) is computed by the same tfjs ops the forward pass used, so the exported network is the one trained.
 */
import { noiseTable } from '../ir/noise.js';
import type { DataFormat, LayerInput, ModelInput, NoiseSpec } from '../model/schema.js';
import { convGeometry, emitsCounts, flatSize } from './convnet.js';
import type { DatasetName } from './defaults.js';
import { tf } from './backend.js';
import { DEFAULT_NEURON } from './semantics.js';
import { inputScale, integerThresholdAndBias, layerProbBits, quantisedProbability, type NetworkParams, type NetworkShape } from './network.js';

export interface ExportOptions {
  name: string;
  description: string;
  /** The data set trained on, recorded in the model. */
  dataset?: DatasetName;
  /** With dataset idx: the format of the files read, recorded too. */
  dataFormat?: DataFormat;
  /** Master seed of the model's random streams (semantics §1.2). */
  seed: number;
  /** Inverse temperature of the readout (probabilities = softmax(temperature · counts / (S·T))). */
  temperature: number;
  /** Hardware knob: lanes per layer (optional). */
  lanes?: number[];
  /** Weight samples S of a per-sample model (default 1). */
  samples?: number;
}

/** Largest membrane width the format allows. */
const MAX_MEMBRANE_BITS = 24;

/**
 * Probability codes [neuron][input] of a [fanIn, size] logit matrix; `fixed` (a deterministic network) gives
 * each weight its sign as trained: all-ones (+1) for p ≥ ½, else 0 (−1).
 */
function probabilityCodes(a: tf.Variable, k: number, fixed = false): number[][] {
  const levels = 1 << k;
  const p = tf.tidy(() => tf.transpose(quantisedProbability(a, k)));
  const [n, m] = p.shape as [number, number];
  const v = p.dataSync();
  p.dispose();
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: m }, (_, j) => {
      const x = v[i * m + j];
      if (fixed) return x >= 0.5 ? levels - 1 : 0;
      return x === 1 ? levels - 1 : Math.round(x * levels);
    }),
  );
}

/**
 * Bits that hold the membrane without saturating: it stays below θ + the largest positive current and above
 * T times the most negative one.
 */
function membraneBits(fanIn: number, xmax: number, theta: Int32Array, bias: Int32Array, T: number, noise: NoiseSpec | null): number {
  // Threshold noise lets a spike fire (and subtract θ) up to max|η| below θ, or hold off up to max|η| above it.
  const eta = noise ? Math.max(...Array.from(noiseTable(noise), Math.abs)) : 0;
  let worst = 0;
  for (let n = 0; n < theta.length; n++) worst = Math.max(worst, T * (fanIn * xmax + Math.abs(bias[n])) + theta[n] + eta);
  return Math.min(MAX_MEMBRANE_BITS, Math.ceil(Math.log2(worst + 1)) + 1);
}

/** Integer θ and b of spiking layer l, as the forward pass rounds them. */
function integers(params: NetworkParams, l: number): { th: Int32Array; b: Int32Array } {
  const { theta, bias } = tf.tidy(() => {
    const r = integerThresholdAndBias(params, l);
    return { theta: tf.keep(r.theta), bias: tf.keep(r.bias) };
  });
  const th = Int32Array.from(theta.dataSync(), Math.round);
  const b = Int32Array.from(bias.dataSync(), Math.round);
  tf.dispose([theta, bias]);
  return { th, b };
}

/**
 * The conv layers (semantics §4.1): codes reordered from training's (ky, kx, c_in) rows to the format's
 * (c_in, ky, kx); θ, b and threshold noise per channel.
 */
function convLayers(shape: NetworkShape, params: NetworkParams, opts: ExportOptions): LayerInput[] {
  const fixed = shape.mode === 'deterministic';
  const neuron = shape.neuron ?? DEFAULT_NEURON;
  return convGeometry(shape).map((g, l) => {
    const c = shape.conv![l];
    const k = c.kernel;
    const C = g.input.c;
    const kl = layerProbBits(shape, l);
    const codes = probabilityCodes(params.logits[l], kl, fixed).map((row) =>
      Array.from({ length: row.length }, (_, r) => {
        const ci = Math.floor(r / (k * k));
        const ky = Math.floor((r % (k * k)) / k);
        return row[(ky * k + (r % k)) * C + ci];
      }),
    );
    const { th, b } = integers(params, l);
    const noise = shape.noise?.[l] ?? null;
    return {
      type: 'conv2d' as const,
      channels: c.channels,
      kernel: k,
      stride: c.stride,
      padding: c.padding,
      ...(c.pool ? { pool: { kind: c.pool.kind, size: c.pool.size } } : {}),
      probBits: kl,
      probCodes: codes,
      threshold: Array.from(th),
      bias: Array.from(b),
      leak: neuron.leak,
      reset: neuron.reset,
      membraneBits: membraneBits(g.fanIn, g.xmax, th, b, shape.timesteps, noise),
      ...(noise ? { noise } : {}),
      ...(opts.lanes?.[l] ? { lanes: opts.lanes[l] } : {}),
    };
  });
}

export function exportModel(shape: NetworkShape, params: NetworkParams, opts: ExportOptions): ModelInput {
  const fixed = shape.mode === 'deterministic';
  const neuron = shape.neuron ?? DEFAULT_NEURON;
  // Conv layers come first (params index l < K); the first dense layer reads their flat CHW output.
  const K = shape.conv?.length ?? 0;
  const sizes = [K ? flatSize(shape) : shape.inputs, ...shape.hidden, shape.classes];
  const xmax = (d: number) => (d > 0 ? 1 : K ? (emitsCounts(shape.conv![K - 1]) ? shape.conv![K - 1].pool!.size ** 2 : 1) : inputScale(0));
  const conv = K ? convLayers(shape, params, opts) : [];
  const hidden = shape.hidden.map((size, d) => {
    const l = K + d;
    const { th, b } = integers(params, l);
    const noise = shape.noise?.[l] ?? null;
    const k = layerProbBits(shape, l);
    return {
      size,
      probBits: k,
      probCodes: probabilityCodes(params.logits[l], k, fixed),
      threshold: Array.from(th),
      bias: Array.from(b),
      leak: neuron.leak,
      reset: neuron.reset,
      membraneBits: membraneBits(sizes[d], xmax(d), th, b, shape.timesteps, noise),
      ...(noise ? { noise } : {}),
      ...(opts.lanes?.[l] ? { lanes: opts.lanes[l] } : {}),
    };
  });
  const L = K + shape.hidden.length;
  const readoutBias = Array.from(tf.tidy(() => tf.round(params.readoutBias)).dataSync(), Math.round);
  const kReadout = layerProbBits(shape, L);
  const readout = {
    size: shape.classes,
    probBits: kReadout,
    probCodes: probabilityCodes(params.logits[L], kReadout, fixed),
    bias: readoutBias,
    ...(opts.lanes?.[L] ? { lanes: opts.lanes[L] } : {}),
  };
  return {
    format: 'bsnn/1',
    name: opts.name,
    description: opts.description,
    ...(opts.dataset ? { dataset: opts.dataset } : {}),
    ...(opts.dataset === 'idx' && opts.dataFormat ? { dataFormat: opts.dataFormat } : {}),
    seed: opts.seed >>> 0,
    timesteps: shape.timesteps,
    sampling: shape.mode === 'per-sample' ? { mode: 'per-sample', samples: opts.samples ?? 1 } : { mode: 'time-ensemble', samples: 1 },
    input: { size: shape.inputs, encoding: 'direct', ...(shape.image && K ? { shape: [shape.image.c, shape.image.h, shape.image.w] } : {}) },
    readout: { mode: 'potential', temperature: opts.temperature },
    layers: [...conv, ...hidden, readout],
  } as ModelInput;
}
