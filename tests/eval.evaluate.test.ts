import type { PlannedModel } from '../generator/ir/types.js';
import { describe, expect, it } from 'vitest';
import { fitTemperature } from '../generator/eval/calibrate.js';
import { evaluate } from '../generator/eval/evaluate.js';
import { evaluatePotentials, softmaxProbabilities } from '../generator/eval/metrics.js';
import { deterministicPlan, flipWeights, mismatchThresholds, noisyInputs, parsePerturbations, perSamplePlan } from '../generator/eval/variants.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { codeProbability } from '../generator/ir/quantise.js';
import { prng } from '../generator/model/random.js';
import { plannedConv, plannedRandom } from './helpers/designs.js';
import { errorOf } from './helpers/errors.js';

const plan = plannedRandom({ seed: 77, inputs: 12, layers: [10, 3], timesteps: 6, encoding: 'direct', readout: 'potential', bias: true });
const rnd = prng(5);
const data = {
  inputs: Array.from({ length: 60 }, () => Uint8Array.from({ length: 12 }, () => Math.floor(rnd() * 256))),
  labels: Uint8Array.from({ length: 60 }, () => Math.floor(rnd() * 3)),
  size: 12,
  classes: 3,
};

describe('softmax probabilities and temperature scaling', () => {
  it('softmax of a hand case', () => {
    const p = softmaxProbabilities([2, 0, -2], 0.5);
    const e = [Math.exp(1), 1, Math.exp(-1)];
    const z = e[0] + e[1] + e[2];
    e.forEach((v, i) => expect(p[i]).toBeCloseTo(v / z, 12));
  });

  it('NLL and accuracy of potentials: a hand case', () => {
    const m = evaluatePotentials([[4, 0], [0, 4]], [0, 1], 0.25);
    const p = 1 / (1 + Math.exp(-1));
    expect(m.accuracy).toBe(1);
    expect(m.nll).toBeCloseTo(-Math.log(p), 12);
  });

  it('recovers the temperature that generated the labels', () => {
    const r = prng(9);
    const counts: number[][] = [];
    const labels: number[] = [];
    const trueScale = 0.3;
    for (let i = 0; i < 4000; i++) {
      const c = [0, 1, 2].map(() => Math.round((r() - 0.5) * 40));
      const p = softmaxProbabilities(c, trueScale);
      const u = r();
      labels.push(u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2);
      counts.push(c);
    }
    const t = fitTemperature(counts, labels, 1);
    expect(Math.abs(t - trueScale) / trueScale).toBeLessThan(0.1);
  });
});

describe('evaluate: the model, its baselines and perturbations on the golden model', () => {
  const r = evaluate(plan, data, { samples: 3, perturbations: parsePerturbations(['weight-flip=0,1', 'input-noise=0', 'threshold=0']) });

  it('the main result is the golden model on the inputs', () => {
    const g = new GoldenModel(plan);
    let correct = 0;
    data.inputs.forEach((x, i) => (correct += g.infer(x).cls === data.labels[i] ? 1 : 0));
    expect(r.accuracy).toBe(correct / 60);
    expect(r.n).toBe(60);
    expect(r.spikesPerLayer).toHaveLength(2);
    expect(r.spikesPerLayer[1]).toBe(0); // the readout layer does not spike
  });

  it('the deterministic baseline has only certain weights, the per-sample one S samples', () => {
    const d = deterministicPlan(plan);
    for (const L of d.layers) for (const q of L.probRows) expect([0, 1]).toContain(codeProbability(q, L.probBits));
    expect(r.baselines.perSample.samples).toBe(3);
    expect(perSamplePlan(plan, 3).mode).toBe('per-sample');
  });

  it('level-0 perturbations change nothing; a flip turns P(+1) = p into 1 − p, within one code step', () => {
    const zero = r.perturbations.filter((p) => p.level === 0);
    expect(zero).toHaveLength(3);
    for (const p of zero) {
      expect(p.bayesian.accuracy).toBe(r.accuracy);
      expect(p.deterministic.accuracy).toBe(r.baselines.deterministic.accuracy);
    }
    // evaluate reuses the unperturbed runs for level 0, which holds because every transform is then the identity:
    expect(flipWeights(plan, 0, 5).layers.map((L) => L.probRows)).toEqual(plan.layers.map((L) => L.probRows));
    const thresholds = (p: PlannedModel) => p.layers.map((L) => ('threshold' in L ? L.threshold : null));
    expect(thresholds(mismatchThresholds(plan, 0, 5))).toEqual(thresholds(plan));
    expect(noisyInputs(data.inputs, 0, 5)).toEqual(data.inputs);
    const flipped = flipWeights(plan, 1, 1);
    plan.layers.forEach((L, l) =>
      L.probRows.forEach((q, a) =>
        expect(Math.abs(codeProbability(flipped.layers[l].probRows[a], L.probBits) - (1 - codeProbability(q, L.probBits)))).toBeLessThanOrEqual(2 ** -L.probBits),
      ),
    );
  });

  it('input noise is seeded and stays in 0..255', () => {
    const a = noisyInputs(data.inputs, 0.3, 4);
    expect(noisyInputs(data.inputs, 0.3, 4)).toEqual(a);
    expect(a.flatMap((x) => Array.from(x)).every((v) => v >= 0 && v <= 255)).toBe(true);
    expect(a).not.toEqual(data.inputs);
  });

  it('bad --perturb specs name the problem', () => {
    expect(errorOf(() => parsePerturbations(['weight-flip'])).message).toMatch(/kind=level/);
    expect(errorOf(() => parsePerturbations(['wobble=0.1'])).message).toMatch(/unknown kind "wobble"/);
    expect(errorOf(() => parsePerturbations(['weight-flip=2'])).message).toMatch(/level "2" of weight-flip/);
  });

  // The library's callers get the CLI's checks (one checkDataFits), named "the data set".
  it('refuses data the model cannot take: size, a label without an output, a conv model\'s image shape', () => {
    const small = { ...data, size: 11, inputs: data.inputs.map((x) => x.slice(0, 11)) };
    expect(errorOf(() => evaluate(plan, small)).message).toMatch(new RegExp(`^the data set: examples of 11 values, model ${plan.name} takes 12$`));
    const labels = Uint8Array.from(data.labels);
    labels[7] = 3;
    expect(errorOf(() => evaluate(plan, { ...data, labels, classes: 4 })).message).toBe(`the data set: example 7 has label 3, model ${plan.name} has 3 outputs (classes 0..2)`);
    const conv = plannedConv({ seed: 3, shape: [1, 3, 4], encoding: 'direct', convs: [{ channels: 2, kernel: 2 }], dense: [3] });
    expect(errorOf(() => evaluate(conv, data)).message).toMatch(/^the data set: not channel planes \(plain vectors or channels-last images\), model .+ takes 1×3×4/);
    expect(errorOf(() => evaluate(conv, { ...data, image: { rows: 4, cols: 3 } })).message).toMatch(/^the data set: images of 1×4×3, model .+ takes 1×3×4 \(channels × rows × cols\)$/);
  });
});
