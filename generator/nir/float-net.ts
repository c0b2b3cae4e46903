/**
 * The supported NIR subset as a floating-point, discrete-time network (docs/nir.md "Discrete time"), and
 * its executor: the reference that an imported bsnn model is measured against.
 *
 * Per timestep, for each layer: I = W·s + b (Affine; Linear has b = 0), then
 *   IF:  v ← v + r·I                                  (per step, as Sinabs and snnTorch step it)
 *   LIF: v ← v + (dt/τ)·(v_leak − v + r·I)            (forward Euler of τ·dv/dt = v_leak − v + r·I)
 *   LI:  the LIF update without a threshold; the readout is Σ_t v
 * and IF/LIF spike when v ≥ v_threshold, then v ← v − v_threshold (subtract) or v ← v_reset (zero).
 */

export type NeuronKind = 'IF' | 'LIF' | 'LI';

export interface FloatLayer {
  kind: NeuronKind;
  /** The NIR neuron node this layer came from. */
  node: string;
  fanIn: number;
  size: number;
  /** [size][fanIn], row-major. */
  weight: Float64Array;
  bias: Float64Array;
  /** dt/τ per neuron; 0 for IF. */
  decay: Float64Array;
  r: Float64Array;
  vLeak: Float64Array;
  vThreshold: Float64Array;
  reset: 'subtract' | 'zero';
  vReset: Float64Array;
}

export interface FloatRun {
  /** Output spike counts (IF/LIF last layer) or Σ_t v of the LI readout, over all runs. */
  counts: Float64Array;
  /** Spikes per layer over all runs (0 for an LI readout). */
  spikesPerLayer: Float64Array;
}

/** Input events of one timestep: indices, ascending, and their values (1 for a spike, the intensity for direct input). */
export interface StepEvents {
  idx: number[];
  val: number[];
}

/** Run the network on input events: events[run][t] is timestep t of one run (a sample), v starting at 0 each run. */
export function runFloat(layers: FloatLayer[], events: StepEvents[][]): FloatRun {
  const out = layers[layers.length - 1];
  const counts = new Float64Array(out.size);
  const spikesPerLayer = new Float64Array(layers.length);
  for (const run of events) {
    const v = layers.map((L) => new Float64Array(L.size));
    for (const step of run) {
      let s = step;
      layers.forEach((L, l) => {
        const next: number[] = [];
        for (let n = 0; n < L.size; n++) {
          let I = L.bias[n];
          const row = n * L.fanIn;
          for (let e = 0; e < s.idx.length; e++) I += L.weight[row + s.idx[e]] * s.val[e];
          let vn = v[l][n];
          vn = L.kind === 'IF' ? vn + L.r[n] * I : vn + L.decay[n] * (L.vLeak[n] - vn + L.r[n] * I);
          if (L.kind === 'LI') {
            counts[n] += vn;
          } else if (vn >= L.vThreshold[n]) {
            vn = L.reset === 'subtract' ? vn - L.vThreshold[n] : L.vReset[n];
            next.push(n);
          }
          v[l][n] = vn;
        }
        spikesPerLayer[l] += next.length;
        if (l === layers.length - 1 && L.kind !== 'LI') for (const n of next) counts[n]++;
        s = { idx: next, val: next.map(() => 1) };
      });
    }
  }
  return { counts, spikesPerLayer };
}
