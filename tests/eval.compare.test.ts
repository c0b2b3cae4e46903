import { describe, expect, it } from 'vitest';
import { compareModels } from '../generator/eval/compare.js';
import { runVariant } from '../generator/eval/evaluate.js';
import { MeanNetwork } from '../generator/eval/meanfield.js';
import { deterministicPlan, perSamplePlan } from '../generator/eval/variants.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { prng } from '../generator/model/random.js';
import { plannedRandom } from './helpers/designs.js';
import { errorOf } from './helpers/errors.js';

// Wide membranes: the float mean network does not saturate, the golden model must not either.
const plan = plannedRandom({ seed: 21, inputs: 12, layers: [10, 3], lanes: [4, 2], timesteps: 6, encoding: 'direct', readout: 'potential', bias: true, membraneBits: 20 });
const rnd = prng(8);
const data = {
  inputs: Array.from({ length: 50 }, () => Uint8Array.from({ length: 12 }, () => Math.floor(rnd() * 256))),
  labels: Uint8Array.from({ length: 50 }, () => Math.floor(rnd() * 3)),
  size: 12,
  classes: 3,
};

describe('the float mean network', () => {
  it('of a network of fixed signs is the golden model itself: the same class for every input', () => {
    const det = deterministicPlan(plan);
    const mean = new MeanNetwork(det);
    const golden = new GoldenModel(det);
    for (const x of data.inputs) expect(mean.classify(x)).toBe(golden.infer(x).cls);
  });

  it('of a spike-readout network with a leak and reset to zero, too', () => {
    const p = deterministicPlan(plannedRandom({ seed: 4, inputs: 12, layers: [9, 4], lanes: [2, 3], timesteps: 5, encoding: 'direct', leak: 2, reset: 'zero', bias: true, membraneBits: 20 }));
    const mean = new MeanNetwork(p);
    const golden = new GoldenModel(p);
    for (const x of data.inputs) expect(mean.classify(x)).toBe(golden.infer(x).cls);
  });
});

describe('bsnn evaluate --compare', () => {
  it('measures every model as given on the same inputs, with curves and perturbations', () => {
    const per = perSamplePlan(plan, 2);
    const c = compareModels(
      [
        { plan, label: 'bayes' },
        { plan: per, label: 'per-sample' },
      ],
      data,
      { curveInputs: 20, perturbations: [{ kind: 'weight-flip', level: 0 }, { kind: 'weight-flip', level: 0.2 }], seed: 3 },
    );
    expect(c.models.map((m) => [m.label, m.mode, m.samples])).toEqual([
      ['bayes', 'time-ensemble', 1],
      ['per-sample', 'per-sample', 2],
    ]);
    expect(c.models[0].accuracy).toBe(runVariant(plan, data.inputs, data.labels).accuracy);
    expect(c.models[1].spikesPerInference).toBe(runVariant(per, data.inputs, data.labels).spikesPerInference);
    // The curve's last point is the model run on the curve's inputs.
    const last = c.models[0].timestepCurve.at(-1)!;
    expect(c.models[0].timestepCurve.map((p) => p.timesteps)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(last.accuracy).toBe(runVariant(plan, data.inputs.slice(0, 20), data.labels.slice(0, 20)).accuracy);
    expect(c.models[0].perturbations[0].accuracy).toBe(c.models[0].accuracy);
    expect(c.models[0].meanNetworkAccuracy).toBeGreaterThanOrEqual(0);
  });

  it('calls a model of fixed signs deterministic', () => {
    expect(compareModels([{ plan: deterministicPlan(plan), label: 'det' }], data).models[0].mode).toBe('deterministic');
  });

  it('names the model that does not fit the data', () => {
    const other = plannedRandom({ seed: 2, inputs: 5, layers: [3], timesteps: 2, encoding: 'direct' });
    expect(errorOf(() => compareModels([{ plan, label: 'a' }, { plan: other, label: 'small' }], data)).message).toMatch(/^the data set for small: examples of \d+ values, model .+ takes 5$/);
    const two = plannedRandom({ seed: 2, inputs: data.size, layers: [2], timesteps: 2, encoding: 'direct' });
    const third = data.labels.findIndex((l) => l >= 2);
    expect(errorOf(() => compareModels([{ plan: two, label: 'two' }], data)).message).toMatch(new RegExp(`^the data set for two: example ${third} has label \\d, model .+ has 2 outputs \\(classes 0\\.\\.1\\)$`));
  });
});
