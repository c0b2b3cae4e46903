/**
 * The inputs estimate and cosim run: the first --inputs examples of a data set's test split (--dataset, else the
 * model's own), or random vectors.
 */
import { randomInputs } from '../model/random.js';
import type { DataFormat, Model } from '../model/schema.js';
import { checkDataFits, formatInWords, loadSplit, trainedOn, type DatasetName, type SplitName } from '../train/datasets.js';
import { BsnnError } from '../util/errors.js';

export interface InputChoice {
  inputs: number;
  inputSeed: number;
  dataset?: DatasetName;
  data?: string;
}

/**
 * The data set to use: --dataset, else the one the model records (unless it is your own IDX files and --data
 * does not say where they are). Says on stderr when --dataset differs from what the model was trained on.
 */
export function datasetFor(given: DatasetName | undefined, model: Model, data: string | undefined): { dataset?: DatasetName; recorded: boolean } {
  if (given && model.dataset && given !== model.dataset) console.error(`bsnn: warning: ${model.name} was trained on ${trainedOn(model)}, not ${given}`);
  if (given) return { dataset: given, recorded: false };
  if (model.dataset && (model.dataset !== 'idx' || data !== undefined)) return { dataset: model.dataset, recorded: true };
  return { recorded: false };
}

/** Says on stderr when --data holds files of another format than the model records (IDX vs CIFAR-10). */
export function warnIfOtherFormat(model: Model, set: { format?: DataFormat }): void {
  if (!model.dataFormat || !set.format || set.format === model.dataFormat) return;
  console.error(`bsnn: warning: ${model.name} was trained on ${formatInWords(model.dataFormat)}, --data holds ${formatInWords(set.format)}`);
}

/** How errors name a split: by --data when it was given, else by the data set. */
export const dataName = (dataset: DatasetName, data: string | undefined, split: SplitName): string =>
  `${data !== undefined ? `--data ${data}` : dataset} (${split} split)`;

/** The inputs, and what they are in words (reports say which inputs their figures come from). */
export function chooseInputs(a: InputChoice, model: Model): { inputs: Uint8Array[]; source: string; random: boolean } {
  if (!Number.isInteger(a.inputs) || a.inputs < 1) throw new BsnnError(`--inputs: ${a.inputs} is not a positive integer`);
  if (!Number.isInteger(a.inputSeed)) throw new BsnnError(`--input-seed: ${a.inputSeed} is not an integer`);
  const size = model.input.size;
  const { dataset, recorded } = datasetFor(a.dataset, model, a.data);
  if (!dataset) {
    const inputs = randomInputs(a.inputSeed, a.inputs, size);
    return { inputs, source: `${inputs.length} random 8-bit input vectors (seed ${a.inputSeed})`, random: true };
  }
  const test = loadSplit(dataset, 'test', { dir: a.data });
  warnIfOtherFormat(model, test);
  checkDataFits(model, test, dataName(dataset, a.data, 'test'));
  const inputs = test.inputs.slice(0, a.inputs);
  return { inputs, source: `the first ${inputs.length} inputs of the ${dataset} test split${recorded ? ' (the data set the model records)' : ''}`, random: false };
}
