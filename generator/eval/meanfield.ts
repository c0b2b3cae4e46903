/**
 * The float mean network of a model: every weight at its mean 2p − 1 (p from the layer's code), real
 * arithmetic, the same neurons (threshold, bias, leak, reset; threshold noise at its mean, none) and readout.
 * It is the reference the sampled binary network approximates — what the Bayesian weights average to — and
 * is not something the hardware runs; `bsnn evaluate --compare` reports its accuracy beside the golden model's.
 */
import { codeProbability } from '../ir/quantise.js';
import type { PlannedLayer, PlannedModel } from '../ir/types.js';
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

export class MeanNetwork {
  private readonly weights: Float64Array[][];

  constructor(readonly plan: PlannedModel) {
    this.weights = plan.layers.map(meanWeights);
  }

  /** acc + b of every neuron of layer l for its input values. */
  private currents(l: number, events: Float64Array): Float64Array {
    const L = this.plan.layers[l];
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
    const input = Float64Array.from(x, (v) => (plan.input.encoding === 'rate' ? v / 255 : v));
    const v = plan.layers.map((L) => new Float64Array(L.size));
    const counts = new Float64Array(plan.outputs);
    // Direct input is the same every timestep: layer 0's currents are computed once.
    const first = plan.input.encoding === 'direct' ? this.currents(0, input) : null;
    for (let t = 0; t < plan.timesteps; t++) {
      let events = input;
      for (let l = 0; l < plan.layers.length; l++) {
        const L = plan.layers[l];
        const out = new Float64Array(L.size);
        const currents = l === 0 && first ? first : this.currents(l, events);
        for (let n = 0; n < L.size; n++) {
          const acc = currents[n];
          if (L.kind === 'readout') {
            counts[n] += acc;
            continue;
          }
          let m = v[l][n];
          if (L.leak > 0) m -= Math.floor(m / 2 ** L.leak);
          m += acc;
          if (m >= L.threshold[n]) {
            out[n] = 1;
            m = L.reset === 'zero' ? 0 : m - L.threshold[n];
          }
          v[l][n] = m;
        }
        events = out;
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
