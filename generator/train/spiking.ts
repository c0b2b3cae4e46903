/**
 * A conv layer's T timesteps of neurons (and its pool) as one op with a hand-written backward pass (BPTT), in
 * plain JavaScript. The same arithmetic as network.ts' tf ops — v += I + b (after the leak); spike when v ≥ θ
 * (+ η, threshold noise drawn from the layer's table); subtract or zero reset, not differentiated; the
 * triangular surrogate relu(1 − |u|) of u = (v − θ)/θ, or with threshold noise its density at v − θ — but the
 * wasm backend spends ~10 ms per op on a conv layer's million neurons, and a timestep needs dozens of ops.
 *
 * Layout: rows n = b·Ho·Wo + oy·Wo + ox (NHWC), channels c innermost; timesteps outermost ([T, N, C]).
 */
import type { NoiseSpec } from '../model/schema.js';
import { tf } from './backend.js';
import { normalNoiseInto, tableDraws } from './noise.js';
import { noiseDensity, trainingNoiseTable, type NeuronConfig } from './semantics.js';

export interface SpikingSpec {
  T: number;
  /** Examples B and the convolution's output Ho × Wo (rows N = B·Ho·Wo). */
  B: number;
  Ho: number;
  Wo: number;
  C: number;
  /** The current is the same every timestep (the direct input): mean and spread are [N, C], not [T, N, C]. */
  steady: boolean;
  neuron: NeuronConfig;
  pool: { kind: 'or' | 'sum'; size: number } | null;
  /** Seed of timestep t's Gaussian draws. */
  seed: (t: number) => number;
  /** Threshold noise of a sampled pass: the layer's table, and the seed of timestep t's draws from it. */
  noise?: { spec: NoiseSpec; seed: (t: number) => number } | null;
}

interface Trace {
  /** Membrane after integrating (before the reset), spikes, and the draws, each [T, N, C]. */
  v: Float32Array;
  s: Uint8Array;
  z: Float32Array | null;
}

/** Forward: spikes of every timestep, [T, N, C]; the trace the backward pass needs. */
function run(spec: SpikingSpec, mean: Float32Array, spread: Float32Array | null, theta: Float32Array, bias: Float32Array): Trace {
  const { T, C, neuron } = spec;
  const NC = spec.B * spec.Ho * spec.Wo * C;
  const v = new Float32Array(T * NC);
  const s = new Uint8Array(T * NC);
  const z = spread ? new Float32Array(T * NC) : null;
  const state = new Float64Array(NC);
  const leak = neuron.leak > 0 ? 2 ** neuron.leak : 0;
  const table = spec.noise ? trainingNoiseTable(spec.noise.spec) : null;
  for (let t = 0; t < T; t++) {
    const off = t * NC;
    const m0 = spec.steady ? 0 : off;
    if (z) normalNoiseInto(z.subarray(off, off + NC), spec.seed(t));
    const eta = table ? tableDraws(table, spec.noise!.spec.bits, NC, spec.noise!.seed(t)) : null;
    for (let i = 0, c = 0; i < NC; i++, c = c + 1 === C ? 0 : c + 1) {
      let x = state[i];
      if (leak) x -= Math.floor(x / leak);
      x += mean[m0 + i] + (z ? spread![m0 + i] * z[off + i] : 0) + bias[c];
      v[off + i] = x;
      if (x >= theta[c] + (eta ? eta[i] : 0)) {
        s[off + i] = 1;
        x = neuron.reset === 'zero' ? 0 : x - theta[c];
      }
      state[i] = x;
    }
  }
  return { v, s, z };
}

/** Gradients of mean, spread, θ and b from the spikes' gradient dS [T, N, C] (BPTT). */
function backward(spec: SpikingSpec, tr: Trace, dS: Float32Array, theta: Float32Array): { dMean: Float32Array; dSpread: Float32Array | null; dTheta: Float32Array; dBias: Float32Array } {
  const { T, C, neuron } = spec;
  const NC = spec.B * spec.Ho * spec.Wo * C;
  const dMean = new Float32Array(spec.steady ? NC : T * NC);
  const dSpread = tr.z ? new Float32Array(dMean.length) : null;
  const dTheta = new Float64Array(C);
  const dBias = new Float64Array(C);
  const carry = new Float64Array(NC);
  // v − floor(v/2^λ) has the gradient 1 − 2^−λ (the floor straight-through, as network.ts).
  const keep = neuron.leak > 0 ? 1 - 2 ** -neuron.leak : 1;
  const zero = neuron.reset === 'zero';
  // With threshold noise the spike's gradient is the noise density at v − θ (network.ts noisySpike).
  const density = spec.noise ? noiseDensity(spec.noise.spec) : null;
  for (let t = T - 1; t >= 0; t--) {
    const off = t * NC;
    const m0 = spec.steady ? 0 : off;
    for (let i = 0, c = 0; i < NC; i++, c = c + 1 === C ? 0 : c + 1) {
      const th = theta[c];
      const x = tr.v[off + i];
      const ds = dS[off + i];
      // The spike's gradient: the density of η at v − θ (in v, and −1× in θ), or the surrogate relu(1 − |u|) of
      // u = (v − θ)/θ (1/θ in v, −v/θ² in θ).
      const g = density ? density(x - th) : Math.max(0, 1 - Math.abs((x - th) / th));
      // dL/dv_t: through this step's spike, and through the (detached) reset into the next step.
      const after = carry[i] * keep;
      const dv = ds * (density ? g : g / th) + (zero && tr.s[off + i] ? 0 : after);
      carry[i] = dv;
      dBias[c] += dv;
      dTheta[c] -= density ? ds * g : (ds * g * x) / (th * th);
      dMean[m0 + i] += dv;
      if (dSpread) dSpread[m0 + i] += dv * tr.z![off + i];
    }
  }
  return { dMean, dSpread, dTheta: Float32Array.from(dTheta), dBias: Float32Array.from(dBias) };
}

/** The pool of semantics §4.1 on spikes [T, B, Ho, Wo, C]: [T, B, Hp, Wp, C], "or" (max) or "sum". */
function poolForward(spec: SpikingSpec, s: Uint8Array): Float32Array {
  const { T, B, Ho, Wo, C } = spec;
  const q = spec.pool!.size;
  const Hp = Math.floor(Ho / q);
  const Wp = Math.floor(Wo / q);
  const out = new Float32Array(T * B * Hp * Wp * C);
  const or = spec.pool!.kind === 'or';
  for (let tb = 0, o = 0; tb < T * B; tb++) {
    for (let py = 0; py < Hp; py++) {
      for (let px = 0; px < Wp; px++, o += C) {
        for (let dy = 0; dy < q; dy++) {
          for (let dx = 0; dx < q; dx++) {
            const at = ((tb * Ho + py * q + dy) * Wo + px * q + dx) * C;
            for (let c = 0; c < C; c++) out[o + c] += s[at + c];
          }
        }
        if (or) for (let c = 0; c < C; c++) out[o + c] = out[o + c] > 0 ? 1 : 0;
      }
    }
  }
  return out;
}

/**
 * The pool's backward pass: "sum" passes the window's gradient to each position; "or", as 1 − Π(1 − s), gives
 * a position the gradient when every other position of its window is silent.
 */
function poolBackward(spec: SpikingSpec, s: Uint8Array, dy: Float32Array): Float32Array {
  const { T, B, Ho, Wo, C } = spec;
  const q = spec.pool!.size;
  const Hp = Math.floor(Ho / q);
  const Wp = Math.floor(Wo / q);
  const dS = new Float32Array(s.length);
  const or = spec.pool!.kind === 'or';
  const count = new Int32Array(C);
  for (let tb = 0, o = 0; tb < T * B; tb++) {
    for (let py = 0; py < Hp; py++) {
      for (let px = 0; px < Wp; px++, o += C) {
        // The window's top-left position; a row down adds Wo·C.
        const corner = ((tb * Ho + py * q) * Wo + px * q) * C;
        if (or) {
          count.fill(0);
          for (let dy = 0; dy < q; dy++) for (let dx = 0; dx < q; dx++) for (let c = 0, a = corner + (dy * Wo + dx) * C; c < C; c++) count[c] += s[a + c];
        }
        for (let dy2 = 0; dy2 < q; dy2++) {
          for (let dx = 0; dx < q; dx++) {
            const a = corner + (dy2 * Wo + dx) * C;
            if (!or) {
              for (let c = 0; c < C; c++) dS[a + c] = dy[o + c];
              continue;
            }
            // Others silent: the window holds no spike, or only this one.
            for (let c = 0; c < C; c++) dS[a + c] = count[c] === s[a + c] ? dy[o + c] : 0;
          }
        }
      }
    }
  }
  return dS;
}

/**
 * The op: (mean, spread, θ, b) → spikes [T·N, C], or the pooled maps [T·B, Hp, Wp, C]; gradients to all four.
 * `spread` null: no weight noise (the mean network, or fixed signs).
 */
export function spikingLayer(spec: SpikingSpec, mean: tf.Tensor2D, spread: tf.Tensor2D | null, theta: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const { T, B, Ho, Wo, C } = spec;
  const q = spec.pool?.size ?? 1;
  const outShape = spec.pool ? [T * B, Math.floor(Ho / q), Math.floor(Wo / q), C] : [T * B * Ho * Wo, C];
  const th = theta.dataSync() as Float32Array;
  const op = tf.customGrad(((m: tf.Tensor, sp: tf.Tensor, thT: tf.Tensor, bT: tf.Tensor) => {
    const tr = run(spec, m.dataSync() as Float32Array, spread ? (sp.dataSync() as Float32Array) : null, th, bT.dataSync() as Float32Array);
    const out = spec.pool ? poolForward(spec, tr.s) : Float32Array.from(tr.s);
    return {
      value: tf.tensor(out, outShape),
      gradFunc: (dy: tf.Tensor) => {
        const d = dy.dataSync() as Float32Array;
        const g = backward(spec, tr, spec.pool ? poolBackward(spec, tr.s, d) : d, th);
        return [tf.tensor(g.dMean, m.shape), g.dSpread ? tf.tensor(g.dSpread, sp.shape) : tf.zerosLike(sp), tf.tensor(g.dTheta, thT.shape), tf.tensor(g.dBias, bT.shape)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.Tensor;
  return op(mean, spread ?? tf.zerosLike(mean), theta, bias);
}
