/** The inputs estimate and cosim run: the first --inputs examples of a data set's test split, or random vectors. */
import { randomInputs } from '../model/random.js';
import { loadSplit, type DatasetName } from '../train/datasets.js';
import { BsnnError } from '../util/errors.js';

export interface InputChoice {
  inputs: number;
  inputSeed: number;
  dataset?: DatasetName;
  data?: string;
}

/** The inputs, and what they are in words (reports say which inputs their figures come from). */
export function chooseInputs(a: InputChoice, size: number): { inputs: Uint8Array[]; source: string } {
  if (!Number.isInteger(a.inputs) || a.inputs < 1) throw new BsnnError(`--inputs: ${a.inputs} is not a positive integer`);
  if (!Number.isInteger(a.inputSeed)) throw new BsnnError(`--input-seed: ${a.inputSeed} is not an integer`);
  if (!a.dataset) {
    const inputs = randomInputs(a.inputSeed, a.inputs, size);
    return { inputs, source: `${inputs.length} random 8-bit input vectors (seed ${a.inputSeed})` };
  }
  const inputs = loadSplit(a.dataset, 'test', { dir: a.data }).inputs.slice(0, a.inputs);
  if (inputs.some((x) => x.length !== size)) throw new BsnnError(`--dataset: ${a.dataset} inputs have ${inputs[0].length} values, the model takes ${size}`);
  return { inputs, source: `the first ${inputs.length} inputs of the ${a.dataset} test split` };
}
