/**
 * The float mean network of a model: every weight at its mean 2p − 1 (p from the layer's code), real
 * arithmetic, the same neurons (threshold, bias, leak, reset; threshold noise at its mean, none) and readout.
 * It is the reference the sampled binary network approximates — what the Bayesian weights average to — and
 * is not something the hardware runs; `bsnn evaluate --compare` reports its accuracy beside the golden model's.
 */
import { codeProbability } from '../ir/quantise.js';
import type { ConvLayer, PlannedLayer, PlannedModel } from '../ir/types.js';
import { convTargets } from '../ops/conv/golden.js';
import { argmax } from './metrics.js';

/** Mean weights [neuron][input] of a planned layer (probRows are in lane memory order, semantics §2). */
function meanWeights(L: PlannedLayer): Float64Array[] {
  const out = Array.from({ length: L.size }, () => new Float64Array(L.fanIn));
  for (let f = 0; f < L.passes; f++) {
    for (let i = 0; i < L.fanIn; i++) {
      for (let j = 0; j < L.lanes; j++) {
        const n = f * L.lanes + j;
        if (n < L.size) out[n][i] = 2 * codeProbability(L.probRows[(f * L.fanIn + i) * L.lanes + j], L.probBits) - 1;
      }
    }
  }
  return out;
}

/** Neurons of a layer over all positions (a conv layer's channels at every output position). */
const neuronCount = (L: PlannedLayer) => (L.kind === 'conv2d' ? L.size * L.convShape.h * L.convShape.w : L.size);

/** acc + b of every neuron n·HoWo + p of a conv layer (semantics §4.1) with mean weights. */
function convCurrents(L: ConvLayer, w: Float64Array[], targets: Int32Array, events: Float64Array): Float64Array {
  const HW = L.convShape.h * L.convShape.w;
  const inHW = L.inShape.h * L.inShape.w;
  const KK = L.kernel[0] * L.kernel[1];
  const out = new Float64Array(L.size * HW);
  for (let n = 0; n < L.size; n++) out.fill(L.bias[n], n * HW, (n + 1) * HW);
  for (let i = 0; i < events.length; i++) {
    const x = events[i];
    if (x === 0) continue;
    const c = Math.floor(i / inHW);
    const pin = i - c * inHW;
    for (let o = 0; o < KK; o++) {
      const p = targets[pin * KK + o];
      if (p < 0) continue;
      for (let n = 0; n < L.size; n++) out[n * HW + p] += w[n][c * KK + o] * x;
    }
  }
  return out;
}

/** A conv layer's output events from its spikes s[n·HoWo + p]: pooled ("or": 1, "sum": the count) or as they are. */
function convOutputs(L: ConvLayer, s: Float64Array): Float64Array {
  if (!L.pool) return s;
  const { h: Ho, w: Wo } = L.convShape;
  const { h: Hp, w: Wp } = L.outShape;
  const [qh, qw] = L.pool.size;
  const out = new Float64Array(L.outputs);
  for (let n = 0; n < L.size; n++) {
    for (let py = 0; py < Hp; py++) {
      for (let px = 0; px < Wp; px++) {
        let k = 0;
        for (let dy = 0; dy < qh; dy++) for (let dx = 0; dx < qw; dx++) k += s[n * Ho * Wo + (py * qh + dy) * Wo + px * qw + dx];
        out[(n * Hp + py) * Wp + px] = L.pool.kind === 'or' ? Math.min(k, 1) : k;
      }
    }
  }
  return out;
}

export class MeanNetwork {
  private readonly weights: Float64Array[][];
  private readonly targets: (Int32Array | null)[];

  constructor(readonly plan: PlannedModel) {
    this.weights = plan.layers.map(meanWeights);
    this.targets = plan.layers.map((L) => (L.kind === 'conv2d' ? convTargets(L) : null));
  }

  /** acc + b of every neuron of layer l for its input values. */
  private currents(l: number, events: Float64Array): Float64Array {
    const L = this.plan.layers[l];
    if (L.kind === 'conv2d') return convCurrents(L, this.weights[l], this.targets[l]!, events);
    const out = Float64Array.from(L.bias);
    for (let n = 0; n < L.size; n++) {
      const w = this.weights[l][n];
      let acc = 0;
      for (let i = 0; i < events.length; i++) if (events[i] !== 0) acc += w[i] * events[i];
      out[n] += acc;
    }
    return out;
  }

  /** The class of one 8-bit input (rate-coded inputs enter as their expected spike x/255 every timestep). */
  classify(x: Uint8Array): number {
    const plan = this.plan;
    const input: Float64Array = Float64Array.from(x, (v) => (plan.input.encoding === 'rate' ? v / 255 : v));
    const v = plan.layers.map((L) => new Float64Array(neuronCount(L)));
    const counts = new Float64Array(plan.outputs);
    // Direct input is the same every timestep: layer 0's currents are computed once.
    const first = plan.input.encoding === 'direct' ? this.currents(0, input) : null;
    for (let t = 0; t < plan.timesteps; t++) {
      let events: Float64Array = input;
      for (let l = 0; l < plan.layers.length; l++) {
        const L = plan.layers[l];
        const out = new Float64Array(neuronCount(L));
        const currents = l === 0 && first ? first : this.currents(l, events);
        // A conv layer's neuron n·HoWo + p has the threshold of its channel n.
        const per = L.kind === 'conv2d' ? L.convShape.h * L.convShape.w : 1;
        for (let a = 0; a < out.length; a++) {
          const n = Math.floor(a / per);
          const acc = currents[a];
          if (L.kind === 'readout') {
            counts[n] += acc;
            continue;
          }
          let m = v[l][a];
          if (L.leak > 0) m -= Math.floor(m / 2 ** L.leak);
          m += acc;
          if (m >= L.threshold[n]) {
            out[a] = 1;
            m = L.reset === 'zero' ? 0 : m - L.threshold[n];
          }
          v[l][a] = m;
        }
        events = L.kind === 'conv2d' ? convOutputs(L, out) : out;
        if (L.kind !== 'readout' && l === plan.layers.length - 1) for (let n = 0; n < L.size; n++) counts[n] += out[n];
      }
    }
    return argmax(counts);
  }

  accuracy(inputs: readonly Uint8Array[], labels: ArrayLike<number>): number {
    let correct = 0;
    inputs.forEach((x, i) => (correct += this.classify(x) === labels[i] ? 1 : 0));
    return correct / inputs.length;
  }
}
