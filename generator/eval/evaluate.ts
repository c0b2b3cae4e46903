/**
 * `bsnn evaluate`: run the bit-exact golden model over a labelled split and measure accuracy, NLL, ECE,
 * predictive entropy and spikes per inference — for the model as given (the Bayesian time-ensemble), the
 * deterministic binary SNN, and the per-sample Bayesian ensemble — plus the same under perturbations.
 */
import { votesAreValues } from '../ops/registry.js';
import type { PlannedModel } from '../ir/types.js';
import { checkDataFits, type LabelledSet } from '../train/datasets.js';
import { evaluatePotentials, evaluateVotes, type Metrics, type ReliabilityBin } from './metrics.js';
import { deterministicPlan, flipWeights, mismatchThresholds, noisyInputs, perSamplePlan, sharedKernelPlan, timestepsPlan, type Perturbation } from './variants.js';
import { DEFAULT_BASELINE_SAMPLES } from './defaults.js';
import { goldenRuns, votesPerTimestep } from './parallel.js';

export interface VariantResult {
  accuracy: number;
  nll: number;
  ece: number;
  entropy: number;
  confidence: number;
  /** Spikes of every layer (hidden and, for a spike readout, output), per inference. */
  spikesPerInference: number;
  spikesPerLayer: number[];
  synapticEventsPerInference: number;
  timesteps: number;
  samples: number;
  seconds: number;
  reliability: ReliabilityBin[];
}

export interface PerturbationResult extends Perturbation {
  bayesian: Pick<VariantResult, 'accuracy' | 'nll' | 'ece' | 'spikesPerInference'>;
  deterministic: Pick<VariantResult, 'accuracy' | 'nll' | 'ece' | 'spikesPerInference'>;
}

export interface EvaluationReport extends VariantResult {
  model: string;
  modelHash: string;
  n: number;
  readout: string;
  /** sharedKernel: conv layers with one kernel sample per timestep instead of a fresh weight per use (conv models only). */
  baselines: { deterministic: VariantResult; perSample: VariantResult; sharedKernel?: VariantResult };
  perturbations: PerturbationResult[];
  /** Accuracy of the model run for T' = 1..T timesteps (on the first `n` inputs). */
  timestepCurve?: { n: number; points: { timesteps: number; accuracy: number; ece: number }[] };
}

export interface EvaluateOptions {
  /** Weight samples of the per-sample baseline (default 4). */
  samples?: number;
  perturbations?: Perturbation[];
  /** Inputs for the accuracy-vs-timesteps curve (0 = none). */
  timestepCurveInputs?: number;
  /** Seed of the perturbations' random draws. */
  seed?: number;
  /** Progress: called with (done, total, stage) as inputs complete. */
  onProgress?: (done: number, total: number, stage: string) => void;
}

export { DEFAULT_BASELINE_SAMPLES };

function metricsOf(plan: PlannedModel, counts: Int32Array[], labels: Uint8Array): Metrics {
  return votesAreValues(plan)
    ? evaluatePotentials(counts, labels, plan.temperature / (plan.samples * plan.timesteps))
    : evaluateVotes(counts, labels);
}

/** Run one plan over the inputs. */
export function runVariant(
  plan: PlannedModel,
  inputs: readonly Uint8Array[],
  labels: Uint8Array,
  stage = 'model',
  onProgress?: EvaluateOptions['onProgress'],
): VariantResult {
  const t0 = performance.now();
  // On every core (eval/parallel.ts); the same numbers for any number of workers.
  const { counts, spikesPerLayer, synapticEvents: synaptic } = goldenRuns(plan, inputs, { stage, onProgress });
  const seconds = (performance.now() - t0) / 1000;
  const m = metricsOf(plan, counts, labels);
  const n = inputs.length;
  const perLayer = Array.from(spikesPerLayer, (s) => s / n);
  return {
    accuracy: m.accuracy,
    nll: m.nll,
    ece: m.ece,
    entropy: m.entropy,
    confidence: m.confidence,
    spikesPerInference: perLayer.reduce((a, b) => a + b, 0),
    spikesPerLayer: perLayer,
    synapticEventsPerInference: synaptic / n,
    timesteps: plan.timesteps,
    samples: plan.samples,
    seconds,
    reliability: m.reliability,
  };
}

const brief = (r: VariantResult) => ({ accuracy: r.accuracy, nll: r.nll, ece: r.ece, spikesPerInference: r.spikesPerInference });

export function evaluate(plan: PlannedModel, data: LabelledSet, opts: EvaluateOptions = {}): EvaluationReport {
  checkDataFits(plan, data, 'the data set', plan.outputs);
  const { inputs, labels } = data;
  const seed = opts.seed ?? 1;
  const progress = opts.onProgress;
  const main = runVariant(plan, inputs, labels, 'Bayesian', progress);
  const det = deterministicPlan(plan);
  const deterministic = runVariant(det, inputs, labels, 'deterministic', progress);
  const perSample = runVariant(perSamplePlan(plan, opts.samples ?? DEFAULT_BASELINE_SAMPLES), inputs, labels, 'per-sample', progress);
  const shared = sharedKernelPlan(plan);
  const sharedKernel = shared ? runVariant(shared, inputs, labels, 'kernel per timestep', progress) : undefined;

  const perturbations: PerturbationResult[] = (opts.perturbations ?? []).map((p, i) => {
    // Level 0 of every kind leaves inputs and plans as they are: the unperturbed runs already give it.
    if (p.level === 0) return { ...p, bayesian: brief(main), deterministic: brief(deterministic) };
    const s = (seed + 7919 * (i + 1)) >>> 0;
    const stage = `${p.kind}=${p.level}`;
    if (p.kind === 'input-noise') {
      const noisy = noisyInputs(inputs, p.level, s);
      return { ...p, bayesian: brief(runVariant(plan, noisy, labels, stage, progress)), deterministic: brief(runVariant(det, noisy, labels, stage, progress)) };
    }
    const perturb = (q: PlannedModel) => (p.kind === 'weight-flip' ? flipWeights(q, p.level, s) : mismatchThresholds(q, p.level, s));
    // The deterministic network gets the same flips/offsets as the Bayesian one: its codes are derived after.
    const bayes = perturb(plan);
    return { ...p, bayesian: brief(runVariant(bayes, inputs, labels, stage, progress)), deterministic: brief(runVariant(deterministicPlan(bayes), inputs, labels, stage, progress)) };
  });

  let timestepCurve: EvaluationReport['timestepCurve'];
  const nCurve = Math.min(opts.timestepCurveInputs ?? 0, inputs.length);
  if (nCurve > 0) {
    const subLabels = labels.slice(0, nCurve);
    // One run that records the votes after every timestep, not one run per T'.
    timestepCurve = {
      n: nCurve,
      points: votesPerTimestep(plan, inputs.slice(0, nCurve), progress).map((counts, t) => {
        const m = metricsOf(timestepsPlan(plan, t + 1), counts, subLabels);
        return { timesteps: t + 1, accuracy: m.accuracy, ece: m.ece };
      }),
    };
  }

  return {
    model: plan.name,
    modelHash: plan.modelHash,
    n: inputs.length,
    readout: plan.readout,
    ...main,
    baselines: { deterministic, perSample, ...(sharedKernel ? { sharedKernel } : {}) },
    perturbations,
    ...(timestepCurve ? { timestepCurve } : {}),
  };
}
