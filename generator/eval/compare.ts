/**
 * `bsnn evaluate --compare`: several trained models measured on the same inputs by the bit-exact golden
 * model, each run as its file says (its own sampling mode, S and T): accuracy, NLL, ECE, entropy, spikes and
 * synaptic events per inference, timesteps per inference, the accuracy and ECE after T' = 1..T timesteps, the
 * accuracy under perturbations, and the float mean network's accuracy as a reference.
 */
import type { PlannedModel } from '../ir/types.js';
import { checkDataFits, type LabelledSet } from '../train/datasets.js';
import { BsnnError } from '../util/errors.js';
import { runVariant, type VariantResult } from './evaluate.js';
import { MeanNetwork } from './meanfield.js';
import { flipWeights, mismatchThresholds, noisyInputs, timestepsPlan, type Perturbation } from './variants.js';

export interface ComparedModel extends VariantResult {
  /** The file the model came from (or its name). */
  label: string;
  model: string;
  modelHash: string;
  /** The sampling mode, or `deterministic` when every weight is a fixed sign. */
  mode: string;
  /** Float mean network (weights 2p − 1, real arithmetic): a reference, not the hardware. */
  meanNetworkAccuracy: number;
  timestepCurve: { timesteps: number; accuracy: number; ece: number }[];
  perturbations: (Perturbation & { accuracy: number; ece: number })[];
}

export interface Comparison {
  n: number;
  curveInputs: number;
  models: ComparedModel[];
}

export interface CompareOptions {
  perturbations?: Perturbation[];
  /** Inputs (the first ones) for the timestep curves; 0 = none. */
  curveInputs?: number;
  seed?: number;
  onProgress?: (done: number, total: number, stage: string) => void;
}

/** One model: as given, its curves, its perturbations (seeded alike for every model, so all see the same noise). */
function compareOne(plan: PlannedModel, label: string, data: LabelledSet, opts: CompareOptions): ComparedModel {
  const { inputs, labels } = data;
  const seed = opts.seed ?? 1;
  const progress = opts.onProgress;
  const main = runVariant(plan, inputs, labels, `${label}`, progress);
  const nCurve = Math.min(opts.curveInputs ?? 0, inputs.length);
  const sub = inputs.slice(0, nCurve);
  const subLabels = labels.slice(0, nCurve);
  const timestepCurve =
    nCurve === 0
      ? []
      : Array.from({ length: plan.timesteps }, (_, t) => {
          const r = runVariant(timestepsPlan(plan, t + 1), sub, subLabels, `${label} T=${t + 1}`, progress);
          return { timesteps: t + 1, accuracy: r.accuracy, ece: r.ece };
        });
  const perturbations = (opts.perturbations ?? []).map((p, i) => {
    if (p.level === 0) return { ...p, accuracy: main.accuracy, ece: main.ece };
    const s = (seed + 7919 * (i + 1)) >>> 0;
    const stage = `${label} ${p.kind}=${p.level}`;
    const r =
      p.kind === 'input-noise'
        ? runVariant(plan, noisyInputs(inputs, p.level, s), labels, stage, progress)
        : runVariant(p.kind === 'weight-flip' ? flipWeights(plan, p.level, s) : mismatchThresholds(plan, p.level, s), inputs, labels, stage, progress);
    return { ...p, accuracy: r.accuracy, ece: r.ece };
  });
  return {
    label,
    model: plan.name,
    modelHash: plan.modelHash,
    mode: fixedSigns(plan) ? 'deterministic' : plan.mode,
    ...main,
    meanNetworkAccuracy: new MeanNetwork(plan).accuracy(inputs, labels),
    timestepCurve,
    perturbations,
  };
}

/** Every code 0 or all-ones: the weights are fixed signs, whatever the sampling mode says. */
function fixedSigns(plan: PlannedModel): boolean {
  return plan.layers.every((L) => L.probRows.every((q) => q === 0 || q === (1 << L.probBits) - 1));
}

export function compareModels(models: { plan: PlannedModel; label: string }[], data: LabelledSet, opts: CompareOptions = {}): Comparison {
  if (models.length === 0) throw new BsnnError('--compare: no models to compare');
  for (const m of models) checkDataFits(m.plan, data, `the data set for ${m.label}`, m.plan.outputs);
  return {
    n: data.inputs.length,
    curveInputs: Math.min(opts.curveInputs ?? 0, data.inputs.length),
    models: models.map((m) => compareOne(m.plan, m.label, data, opts)),
  };
}
