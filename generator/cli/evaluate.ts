/** `bsnn evaluate`: accuracy, calibration and spikes of a model on a data set, by the bit-exact golden model. */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compareModels, type Comparison } from '../eval/compare.js';
import { comparisonPlots } from '../eval/compare-plots.js';
import { evaluate, type EvaluationReport, type VariantResult } from '../eval/evaluate.js';
import { setGoldenWorkers } from '../eval/parallel.js';
import { evaluationPlots } from '../eval/plots.js';
import { parsePerturbations } from '../eval/variants.js';
import { planModel } from '../ir/plan.js';
import type { PlannedModel } from '../ir/types.js';
import { loadModel } from '../model/load.js';
import type { Model } from '../model/schema.js';
import { checkDataFits, formatInWords, loadSplit, type DatasetName, type SplitName } from '../train/datasets.js';
import { writeFileAtomically } from '../util/atomic.js';
import { BsnnError } from '../util/errors.js';
import { dataName, datasetFor, warnIfOtherFormat } from './inputs.js';
import { progressBar } from './progress.js';

interface EvaluateArgs {
  model: string;
  dataset?: DatasetName;
  data?: string;
  split: SplitName;
  limit?: number;
  samples: number;
  perturb?: string[];
  plots?: string;
  curveInputs: number;
  seed: number;
  workers?: number;
  json: boolean;
  compare?: string[];
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

function row(name: string, v: VariantResult): string {
  return `${name.padEnd(28)} ${pct(v.accuracy).padStart(8)} ${v.nll.toFixed(4).padStart(8)} ${pct(v.ece).padStart(8)} ${v.entropy.toFixed(3).padStart(8)} ${v.spikesPerInference.toFixed(1).padStart(10)} ${v.seconds.toFixed(1).padStart(7)} s`;
}

function printText(r: EvaluationReport, source: string): void {
  console.log(`${r.model} on ${source}: ${r.n} inputs, T ${r.timesteps}, readout ${r.readout} (bit-exact golden model)`);
  console.log(`${'network'.padEnd(28)} ${'accuracy'.padStart(8)} ${'NLL'.padStart(8)} ${'ECE'.padStart(8)} ${'entropy'.padStart(8)} ${'spikes/inf'.padStart(10)} ${'time'.padStart(9)}`);
  console.log(row('Bayesian (time ensemble)', r));
  console.log(row('deterministic', r.baselines.deterministic));
  console.log(row(`per-sample ensemble (S=${r.baselines.perSample.samples})`, r.baselines.perSample));
  if (r.baselines.sharedKernel) console.log(row('kernel sample per timestep', r.baselines.sharedKernel));
  if (r.perturbations.length) {
    console.log('perturbation               Bayesian acc  deterministic acc');
    for (const p of r.perturbations) console.log(`${`${p.kind}=${p.level}`.padEnd(26)} ${pct(p.bayesian.accuracy).padStart(12)} ${pct(p.deterministic.accuracy).padStart(18)}`);
  }
}

function printComparison(c: Comparison, source: string): void {
  console.log(`${c.n} inputs of ${source} (bit-exact golden model; each model run as its file says)`);
  const head = ['model', 'mode', 'S·T', 'accuracy', 'NLL', 'ECE', 'entropy', 'spikes/inf', 'syn. events/inf', 'mean net (float)'];
  console.log(head.join(' | '));
  for (const m of c.models) {
    console.log(
      [m.label, m.mode, m.samples * m.timesteps, pct(m.accuracy), m.nll.toFixed(4), pct(m.ece), m.entropy.toFixed(3), m.spikesPerInference.toFixed(1), m.synapticEventsPerInference.toFixed(0), pct(m.meanNetworkAccuracy)].join(' | '),
    );
  }
  for (const m of c.models) {
    if (m.timestepCurve.length) console.log(`${m.label} accuracy after T' = 1..: ${m.timestepCurve.map((p) => pct(p.accuracy)).join(' ')}; ECE: ${m.timestepCurve.map((p) => pct(p.ece)).join(' ')}`);
    for (const p of m.perturbations) console.log(`${m.label} ${p.kind}=${p.level}: ${pct(p.accuracy)}`);
  }
}

/** The split, checked against every model (the first says which format it expects), cut to --limit inputs. */
function limitedSplit(dataset: DatasetName, a: EvaluateArgs, models: { model: Model; plan: PlannedModel }[]) {
  const full = loadSplit(dataset, a.split, { dir: a.data });
  warnIfOtherFormat(models[0].model, full);
  for (const { model, plan } of models) checkDataFits(model, full, dataName(dataset, a.data, a.split), plan.outputs);
  return a.limit ? { ...full, inputs: full.inputs.slice(0, a.limit), labels: full.labels.slice(0, a.limit) } : full;
}

/** A progress bar whose line restarts at each stage of the run. */
function stageProgress() {
  const bar = progressBar('{stage} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}');
  let stage = '';
  const onProgress = (done: number, total: number, s: string) => {
    if (s !== stage) bar.stop();
    stage = s;
    bar.update(done, total, { stage: s });
  };
  return { onProgress, stop: () => bar.stop() };
}

function writePlots(dir: string, plots: { file: string; svg: string }[]): void {
  mkdirSync(dir, { recursive: true });
  for (const p of plots) writeFileAtomically(join(dir, p.file), p.svg);
  console.error(`bsnn: wrote ${plots.map((p) => p.file).join(', ')} to ${dir}`);
}

/** No --dataset and none to default to: ask for --data when the model was trained on your own files. */
function noDataset(model: Model): BsnnError {
  if (model.dataset === 'idx') {
    return new BsnnError(`--data: ${model.name} was trained on your own ${model.dataFormat ? formatInWords(model.dataFormat) : 'files'} (--dataset idx); say where they are with --data`);
  }
  return new BsnnError(`--dataset: ${model.name} does not record the data set it was trained on; give --dataset`);
}

/** --compare: the positional model and every compared one (none: the positional model alone), on the same inputs. */
async function runCompare(a: EvaluateArgs, perturbations: ReturnType<typeof parsePerturbations>): Promise<void> {
  const files = [a.model, ...(a.compare ?? [])];
  const models = files.map((f) => ({ file: f, model: loadModel(f) }));
  const dataset = datasetFor(a.dataset, models[0].model, a.data).dataset;
  if (!dataset) throw noDataset(models[0].model);
  const plans = models.map((m) => planModel(m.model));
  const data = limitedSplit(dataset, a, models.map((m, i) => ({ model: m.model, plan: plans[i] })));
  const progress = stageProgress();
  const c = compareModels(
    models.map((m, i) => ({ plan: plans[i], label: basename(m.file).replace(/\.json$/, '') })),
    data,
    {
      perturbations,
      seed: a.seed,
      curveInputs: a.curveInputs,
      onProgress: progress.onProgress,
    },
  );
  progress.stop();
  if (a.plots) writePlots(a.plots, await comparisonPlots(c));
  if (a.json) console.log(JSON.stringify({ dataset, split: a.split, ...c }));
  else printComparison(c, `${dataset} ${a.split}`);
}

export async function runEvaluate(a: EvaluateArgs): Promise<void> {
  const perturbations = parsePerturbations(a.perturb ?? []);
  if (a.limit !== undefined && (!Number.isInteger(a.limit) || a.limit < 1)) throw new BsnnError(`--limit: ${a.limit} is not a positive integer`);
  if (!Number.isInteger(a.curveInputs) || a.curveInputs < 0) throw new BsnnError(`--curve-inputs: ${a.curveInputs} is not a non-negative integer`);
  if (a.workers !== undefined) setGoldenWorkers(a.workers);
  if (a.compare !== undefined) return runCompare(a, perturbations);
  const model = loadModel(a.model);
  const dataset = datasetFor(a.dataset, model, a.data).dataset;
  if (!dataset) throw noDataset(model);
  const plan = planModel(model);
  const data = limitedSplit(dataset, a, [{ model, plan }]);
  const progress = stageProgress();
  const report = evaluate(plan, data, {
    samples: a.samples,
    perturbations,
    seed: a.seed,
    timestepCurveInputs: a.plots ? a.curveInputs : 0,
    onProgress: progress.onProgress,
  });
  progress.stop();
  if (a.plots) writePlots(a.plots, await evaluationPlots(report));
  if (a.json) console.log(JSON.stringify({ dataset, split: a.split, ...report }));
  else printText(report, `${dataset} ${a.split}`);
}
