/** `bsnn import` and `bsnn export` as library calls: read, convert, validate, measure; write atomically. */
import { validateModel } from '../model/load.js';
import { BsnnError } from '../util/errors.js';
import { planModel } from '../ir/plan.js';
import type { PlannedModel } from '../ir/types.js';
import type { Model } from '../model/schema.js';
import { writeFileAtomically } from '../util/atomic.js';
import { randomIntensities } from '../model/random.js';
import { measureAgreement, type Agreement } from './agreement.js';
import { convertNir, type ConversionReport, type ImportOptions } from './convert.js';
import { exportNir, EXPORT_DT } from './export.js';
import { readNir, writeNir } from './hdf5.js';
import type { FloatLayer } from './float-net.js';

export interface CheckOptions {
  /** Inputs to measure agreement on: intensities in [0,1], or a count of seeded random ones. */
  inputs?: number[][];
  count?: number;
  seed?: number;
}

export interface NirImport {
  model: Model;
  /** The model as written: deterministic JSON, one line per layer field. */
  json: string;
  modelHash: string;
  /** The model planned (its hash, and the golden model the agreement ran). */
  plan: PlannedModel;
  float: FloatLayer[];
  report: ConversionReport;
  agreement: Agreement | null;
}

/**
 * The converted model validated; a refusal names the NIR nodes of each layer it mentions, since the user
 * knows the NIR file, not the JSON that was never written (a threshold too large for the membrane, say).
 */
function validated(json: unknown, file: string, report: ConversionReport): Model {
  try {
    return validateModel(json, `${file} (imported)`);
  } catch (e) {
    if (!(e instanceof BsnnError)) throw e;
    const mentioned = new Set([...e.message.matchAll(/(?:^|\n {2})layers\[(\d+)\]/g)].map((m) => Number(m[1])));
    const nodes = [...mentioned].filter((l) => report.layers[l]).map((l) => `layers[${l}] is node '${report.layers[l].synapse}' → node '${report.layers[l].neuron}'`);
    if (/(?:^|\n {2})input\./.test(e.message)) nodes.unshift(`input is node '${report.input}'`);
    throw nodes.length === 0 ? e : new BsnnError(`${e.message}\n  (${nodes.join('; ')})`);
  }
}

/** Read a NIR file and convert it; measure agreement unless check.count is 0 and no inputs are given. */
export async function importNir(file: string, opts: ImportOptions = {}, check: CheckOptions = {}): Promise<NirImport> {
  const nir = await readNir(file);
  const { model: json, float, report } = convertNir(nir, file, opts);
  const model = validated(json, file, report);
  const plan = planModel(model);
  const inputs = check.inputs ?? randomIntensities(check.seed ?? 1, check.count ?? 100, model.input.size);
  const agreement = inputs.length > 0 ? measureAgreement(plan, float, inputs) : null;
  return { model, json: JSON.stringify(json) + '\n', modelHash: plan.modelHash, plan, float, report, agreement };
}

/** importNir, then write the model JSON whole or not at all. */
export async function importNirToFile(file: string, out: string, opts: ImportOptions = {}, check: CheckOptions = {}): Promise<NirImport> {
  const r = await importNir(file, opts, check);
  writeFileAtomically(out, r.json);
  return r;
}

/** Write a model as NIR (mean weights, neuron parameters, and the bsnn extras under /bsnn). */
export async function exportModelToNir(model: Model, out: string, dt = EXPORT_DT): Promise<void> {
  await writeNir(out, exportNir(model, dt));
}
