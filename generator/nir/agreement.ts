/**
 * How far an imported bsnn model is from the NIR network it came from, measured: both run on the same
 * inputs and the same input events (the bsnn rate encoder's own spikes, semantics §3, are replayed into the
 * float network), and we compare the predicted class and the mean spike rates.
 */
import { GoldenModel, startState } from '../golden/infer.js';
import { quantiseIntensity } from '../ir/quantise.js';
import { planModel } from '../ir/plan.js';
import type { Model } from '../model/schema.js';
import { prng } from '../model/random.js';
import { Lfsr, streamSeed, StreamId } from '../rng/lfsr.js';
import { runFloat, type FloatLayer, type StepEvents } from './float-net.js';

export interface Agreement {
  inputs: number;
  /** Fraction of inputs whose predicted class (argmax, ties to the lowest index) is the same. */
  classAgreement: number;
  /** Per layer: mean spikes per neuron per timestep, float NIR network and bsnn golden model (null for a potential readout). */
  rates: ({ float: number; bsnn: number } | null)[];
  /** Output layer (spiking): mean over inputs and neurons of |rate_float − rate_bsnn|, in spikes per timestep. */
  outputRateError: number | null;
}

/** The input events the golden model sees for one inference (semantics §3), for S·T steps. */
export function inputEvents(model: Model, x: Uint8Array, runSeed: number): StepEvents[][] {
  const runs: StepEvents[][] = [];
  const rng = new Lfsr(startState(streamSeed(model.seed, StreamId.input), runSeed));
  for (let s = 0; s < model.sampling.samples; s++) {
    const steps: StepEvents[] = [];
    for (let t = 0; t < model.timesteps; t++) {
      const e: StepEvents = { idx: [], val: [] };
      for (let i = 0; i < x.length; i++) {
        if (model.input.encoding === 'direct' ? x[i] !== 0 : rng.draw(8) < x[i]) {
          e.idx.push(i);
          e.val.push(model.input.encoding === 'direct' ? x[i] : 1);
        }
      }
      steps.push(e);
    }
    runs.push(steps);
  }
  return runs;
}

const argmax = (a: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
};

/** Seeded random intensities in [0, 1]. */
export function randomIntensities(seed: number, count: number, size: number): number[][] {
  const r = prng(seed);
  return Array.from({ length: count }, () => Array.from({ length: size }, () => r()));
}

/** Run both networks on every input (intensities in [0,1]); input j uses runtime seed j + 1. */
export function measureAgreement(model: Model, float: FloatLayer[], intensities: number[][]): Agreement {
  const golden = new GoldenModel(planModel(model));
  const steps = model.timesteps * model.sampling.samples;
  const L = float.length;
  const potential = model.readout?.mode === 'potential';
  const sums = float.map(() => ({ float: 0, bsnn: 0 }));
  let agree = 0;
  let rateError = 0;
  intensities.forEach((xs, j) => {
    const x = Uint8Array.from(xs, quantiseIntensity);
    const g = golden.infer(x, { seed: j + 1 });
    const f = runFloat(float, inputEvents(model, x, j + 1));
    if (argmax(g.counts) === argmax(f.counts)) agree++;
    float.forEach((layer, l) => {
      sums[l].float += f.spikesPerLayer[l] / (layer.size * steps);
      sums[l].bsnn += g.spikesPerLayer[l] / (layer.size * steps);
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
