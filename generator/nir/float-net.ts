/**
 * The supported NIR subset as a floating-point, discrete-time network (docs/nir.md "Discrete time"), and
 * its executor: the reference that an imported bsnn model is measured against.
 *
 * Per timestep, for each layer: I = W·s + b (Affine; Linear has b = 0; Conv2d: W ⊛ s + b per channel), then
 *   IF:  v ← v + r·I                                  (per step, as Sinabs and snnTorch step it)
 *   LIF: v ← v + (dt/τ)·(v_leak − v + r·I)            (forward Euler of τ·dv/dt = v_leak − v + r·I)
 *   LI:  the LIF update without a threshold; the readout is Σ_t v
 * and IF/LIF spike when v ≥ v_threshold, then v ← v − v_threshold (subtract) or v ← v_reset (zero).
 * A conv layer's spikes may then be pooled: SumPool2d (the window's count), AvgPool2d (count / area) or
 * SumPool2d → Threshold (1 if any spike: bsnn's "or" pool). Flatten is the CHW index, so it does nothing.
 */
import type { Shape3 } from '../ir/types.js';

export type NeuronKind = 'IF' | 'LIF' | 'LI';
export type FloatPoolKind = 'sum' | 'avg' | 'or';

/** A Conv2d layer's geometry (semantics §4.1), and its pool. */
export interface FloatConv {
  inShape: Shape3;
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  /** The neurons: channels × Ho × Wo. */
  convShape: Shape3;
  pool: { kind: FloatPoolKind; size: [number, number] } | null;
  /** What leaves the layer (convShape, pooled). */
  outShape: Shape3;
}

export interface FloatLayer {
  kind: NeuronKind;
  /** The NIR neuron node this layer came from. */
  node: string;
  /** Inputs per neuron: the fan-in (dense) or C_in·kh·kw (conv). */
  fanIn: number;
  /** Neurons (dense) or output channels (conv): the parameters below have one value for each. */
  size: number;
  /** [size][fanIn], row-major; conv rows in (c_in, ky, kx) order, as PyTorch flattens weight[c_out]. */
  weight: Float64Array;
  bias: Float64Array;
  /** dt/τ per neuron; 0 for IF. */
  decay: Float64Array;
  r: Float64Array;
  vLeak: Float64Array;
  vThreshold: Float64Array;
  reset: 'subtract' | 'zero';
  vReset: Float64Array;
  /** Conv2d geometry; absent for a dense layer. */
  conv?: FloatConv;
  /**
   * The factor bsnn's integer input values carry relative to this network's (1/area after an AvgPool2d, which
   * bsnn maps as a sum pool); binarisation folds it into the weights. The executor ignores it. Default 1.
   */
  inputScale?: number;
}

export interface FloatRun {
  /** Output events (spikes) of the last layer per output, or Σ_t v of the LI readout, over all runs. */
  counts: Float64Array;
  /** Output events per layer over all runs (spikes; a pooled conv layer's non-empty windows; 0 for LI). */
  spikesPerLayer: Float64Array;
}

/** Input events of one timestep: indices and their values (1 for a spike, the intensity for direct input). */
export interface StepEvents {
  idx: number[];
  val: number[];
}

const volume = (s: Shape3) => s.c * s.h * s.w;

/** Distinct output event indices of a layer (what the bsnn golden model counts events over). */
export const outputsOf = (L: FloatLayer): number => (L.conv ? volume(L.conv.outShape) : L.size);

/** Membranes per layer: one per neuron, or per (channel, position). */
const statesOf = (L: FloatLayer): number => (L.conv ? volume(L.conv.convShape) : L.size);

/** The neuron update of one membrane with input I; returns [new v, spiked]. */
function neuron(L: FloatLayer, n: number, vn: number, I: number): [number, boolean] {
  vn = L.kind === 'IF' ? vn + L.r[n] * I : vn + L.decay[n] * (L.vLeak[n] - vn + L.r[n] * I);
  if (L.kind === 'LI' || vn < L.vThreshold[n]) return [vn, false];
  return [L.reset === 'subtract' ? vn - L.vThreshold[n] : L.vReset[n], true];
}

/** I = W·s + b of every neuron of a dense layer. */
function denseInput(L: FloatLayer, s: StepEvents): Float64Array {
  const I = Float64Array.from(L.bias);
  for (let n = 0; n < L.size; n++) {
    const row = n * L.fanIn;
    for (let e = 0; e < s.idx.length; e++) I[n] += L.weight[row + s.idx[e]] * s.val[e];
  }
  return I;
}

/** I = W ⊛ s + b of every (channel, position) of a conv layer: each event scattered through the kernel. */
function convInput(L: FloatLayer, g: FloatConv, s: StepEvents): Float64Array {
  const { h: H, w: W } = g.inShape;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [ph, pw] = g.padding;
  const { h: Ho, w: Wo } = g.convShape;
  const HW = Ho * Wo;
  const I = new Float64Array(L.size * HW);
  for (let n = 0; n < L.size; n++) I.fill(L.bias[n], n * HW, (n + 1) * HW);
  for (let e = 0; e < s.idx.length; e++) {
    const i = s.idx[e];
    const c = Math.floor(i / (H * W));
    const y = Math.floor((i % (H * W)) / W);
    const x = i % W;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        const ny = y + ph - ky;
        const nx = x + pw - kx;
        if (ny < 0 || nx < 0 || ny % sh !== 0 || nx % sw !== 0 || ny / sh >= Ho || nx / sw >= Wo) continue;
        const p = (ny / sh) * Wo + nx / sw;
        const r = (c * kh + ky) * kw + kx;
        for (let n = 0; n < L.size; n++) I[n * HW + p] += L.weight[n * L.fanIn + r] * s.val[e];
      }
    }
  }
  return I;
}

/** A conv layer's spikes through its pool: one event per non-empty window, valued by the pool kind. */
function pooled(g: FloatConv, spikes: Uint8Array): StepEvents {
  const { c: C, h: Ho, w: Wo } = g.convShape;
  const { h: Hp, w: Wp } = g.outShape;
  const [qh, qw] = g.pool!.size;
  const out: StepEvents = { idx: [], val: [] };
  for (let n = 0; n < C; n++) {
    for (let py = 0; py < Hp; py++) {
      for (let px = 0; px < Wp; px++) {
        let k = 0;
        for (let dy = 0; dy < qh; dy++) for (let dx = 0; dx < qw; dx++) k += spikes[n * Ho * Wo + (py * qh + dy) * Wo + px * qw + dx];
        if (k === 0) continue;
        out.idx.push((n * Hp + py) * Wp + px);
        out.val.push(g.pool!.kind === 'sum' ? k : g.pool!.kind === 'avg' ? k / (qh * qw) : 1);
      }
    }
  }
  return out;
}

/** One timestep of one layer: updates v in place, returns the output events and adds LI potentials to counts. */
function stepLayer(L: FloatLayer, v: Float64Array, s: StepEvents, counts: Float64Array | null): StepEvents {
  const I = L.conv ? convInput(L, L.conv, s) : denseInput(L, s);
  const per = L.conv ? L.conv.convShape.h * L.conv.convShape.w : 1;
  const spikes = new Uint8Array(v.length);
  for (let at = 0; at < v.length; at++) {
    const [vn, spiked] = neuron(L, Math.floor(at / per), v[at], I[at]);
    v[at] = vn;
    if (L.kind === 'LI' && counts) counts[at] += vn;
    spikes[at] = spiked ? 1 : 0;
  }
  if (L.conv?.pool) return pooled(L.conv, spikes);
  const idx: number[] = [];
  spikes.forEach((x, at) => x && idx.push(at));
  return { idx, val: idx.map(() => 1) };
}

/** Run the network on input events: events[run][t] is timestep t of one run (a sample), v starting at 0 each run. */
export function runFloat(layers: FloatLayer[], events: StepEvents[][]): FloatRun {
  const last = layers.length - 1;
  const counts = new Float64Array(outputsOf(layers[last]));
  const spikesPerLayer = new Float64Array(layers.length);
  for (const run of events) {
    const v = layers.map((L) => new Float64Array(statesOf(L)));
    for (const step of run) {
      let s = step;
      layers.forEach((L, l) => {
        s = stepLayer(L, v[l], s, l === last ? counts : null);
        spikesPerLayer[l] += s.idx.length;
        if (l === last && L.kind !== 'LI') for (const n of s.idx) counts[n]++;
      });
    }
  }
  return { counts, spikesPerLayer };
}
