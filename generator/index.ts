/**
 * bsnn as a library: `import { loadModel, planModel, GoldenModel, ... } from 'bsnn'`.
 *
 * The flow is the CLI's: load/validate a bsnn/1 model → plan it → run the golden model, write the RTL,
 * co-simulate, estimate, evaluate; train a model; import from and export to NIR. Errors meant for users are
 * BsnnError (a message that names the field, node or file). Training pulls in tfjs, so `train` loads it on
 * first call only: importing this module stays light.
 */
import { generateDesign, type Design, type DesignOptions } from './emit/design.js';
import { estimate, type EstimateOptions } from './estimate/estimate.js';
import type { EstimateReport } from './estimate/types.js';
import { planModel, type PlanOptions } from './ir/plan.js';
import type { PlannedModel } from './ir/types.js';
import type { Model } from './model/schema.js';
import type { TrainConfig, TrainEvents, TrainResult } from './train/run.js';
import { writeFolderAtomically } from './util/atomic.js';

// Models: the bsnn/1 format, loading with JSON-path errors, random models for smoke tests.
export { FORMAT, ModelSchema, type Model, type ModelInput, type LayerSpec, type LayerInput, type DenseLayerSpec, type ConvLayerSpec } from './model/schema.js';
export { layerShapes, type LayerShape, type Shape3 } from './model/shapes.js';
export { loadModel, validateModel } from './model/load.js';
export { randomModel, randomInputs, type RandomModelOptions } from './model/random.js';
export { BsnnError } from './util/errors.js';

// Planning and the bit-exact golden model.
export { planModel, type PlanOptions } from './ir/plan.js';
export type { PlannedModel, PlannedLayer, DenseLayer, ConvLayer, ReadoutLayer } from './ir/types.js';
export { quantiseIntensity } from './ir/quantise.js';
export { GoldenModel, type InferenceResult, type InferOptions } from './golden/infer.js';

// RTL, co-simulation (Icarus or Verilator), estimates, evaluation.
export { generateDesign, type Design, type DesignOptions } from './emit/design.js';
export { cosim, cosimAsync, type CosimOptions, type CosimResult } from './cosim/run.js';
export { cosimAxi, type AxiCosimOptions, type AxiCosimResult } from './cosim/axi.js';
export { estimate, type EstimateOptions } from './estimate/estimate.js';
export type { EstimateReport } from './estimate/types.js';
export { evaluate, type EvaluateOptions, type EvaluationReport } from './eval/evaluate.js';
/** Worker threads the golden-model runs of evaluate use (default: the machine's cores). */
export { setGoldenWorkers } from './eval/parallel.js';
export { loadSplit, type LabelledSet, type DatasetName, type SplitName } from './train/datasets.js';
export type { TrainConfig, TrainEvents, TrainResult } from './train/run.js';

// NIR interchange.
export { importNir, importNirToFile, exportModelToNir, type NirImport, type CheckOptions } from './nir/import.js';
export { convertNir, type ImportOptions, type ConversionReport } from './nir/convert.js';
export { exportNir } from './nir/export.js';
export { readNir, writeNir, type NirFile } from './nir/hdf5.js';
export { measureAgreement, type Agreement } from './nir/agreement.js';
export { formatReport } from './nir/report.js';

/** gen-rtl to files: plan, generate and write the design folder atomically (what `bsnn gen-rtl` does). */
export function writeDesign(model: Model, outDir: string, opts: DesignOptions & PlanOptions = {}): { plan: PlannedModel; design: Design } {
  const plan = planModel(model, { lanes: opts.lanes, eventsPerCycle: opts.eventsPerCycle, probBits: opts.probBits });
  const design = generateDesign(plan, opts);
  writeFolderAtomically(outDir, design.files);
  return { plan, design };
}

/** Estimate a model; sweeps and fit advice re-plan it with other lanes or probability bits. */
export function estimateModel(model: Model, opts: EstimateOptions): Promise<EstimateReport> {
  return estimate(planModel(model), opts, (lanes, probBits) => planModel(model, { lanes, probBits }));
}

/** Train a model (tfjs, loaded on first call); writes `out` when given, as `bsnn train` does. */
export async function train(config: TrainConfig, out: string | null, events: TrainEvents = {}): Promise<TrainResult> {
  const { train: run } = await import('./train/run.js');
  return run(config, out, events);
}
