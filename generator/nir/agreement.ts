/**
 * How far an imported bsnn model is from the NIR network it came from, measured: both run on the same
 * inputs and the same input events (the bsnn rate encoder's own spikes, semantics §3, are replayed into the
 * float network), and we compare the predicted class and the mean spike rates.
 */
import { argmax } from '../eval/metrics.js';
import { GoldenModel } from '../golden/infer.js';
import { quantiseIntensity } from '../ir/quantise.js';
import type { PlannedModel } from '../ir/types.js';
import { votesAreValues } from '../ops/registry.js';
import { outputsOf, runFloat, type FloatLayer } from './float-net.js';

export interface Agreement {
  inputs: number;
  /** Fraction of inputs whose predicted class (argmax, ties to the lowest index) is the same. */
  classAgreement: number;
  /**
   * Per layer: mean output events per output per timestep, float NIR network and bsnn golden model (null for a
   * potential readout). An event is a spike, or for a pooled conv layer a window with at least one spike (what
   * the golden model counts).
   */
  rates: ({ float: number; bsnn: number } | null)[];
  /** Output layer (spiking): mean over inputs and neurons of |rate_float − rate_bsnn|, in spikes per timestep. */
  outputRateError: number | null;
}

/** Run both networks on every input (intensities in [0,1]); input j uses runtime seed j + 1. */
export function measureAgreement(plan: PlannedModel, float: FloatLayer[], intensities: number[][]): Agreement {
  const golden = new GoldenModel(plan);
  const T = plan.timesteps;
  const steps = T * plan.samples;
  const L = float.length;
  const potential = votesAreValues(plan);
  const sums = float.map(() => ({ float: 0, bsnn: 0 }));
  let agree = 0;
  let rateError = 0;
  intensities.forEach((xs, j) => {
    const x = Uint8Array.from(xs, quantiseIntensity);
    const g = golden.infer(x, { seed: j + 1, inputs: true });
    // The golden model's own input events, replayed into the float network sample by sample.
    const events = Array.from({ length: plan.samples }, (_, s) => g.inputTrace!.slice(s * T, (s + 1) * T));
    const f = runFloat(float, events);
    if (g.cls === argmax(f.counts)) agree++;
    float.forEach((layer, l) => {
      sums[l].float += f.spikesPerLayer[l] / (outputsOf(layer) * steps);
      sums[l].bsnn += g.spikesPerLayer[l] / (outputsOf(layer) * steps);
    });
    if (!potential) {
      let e = 0;
      for (let n = 0; n < g.counts.length; n++) e += Math.abs(g.counts[n] - f.counts[n]) / steps;
      rateError += e / g.counts.length;
    }
  });
  const n = intensities.length;
  return {
    inputs: n,
    classAgreement: agree / n,
    rates: sums.map((s, l) => (potential && l === L - 1 ? null : { float: s.float / n, bsnn: s.bsnn / n })),
    outputRateError: potential ? null : rateError / n,
  };
}
