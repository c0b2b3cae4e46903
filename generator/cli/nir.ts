/** `bsnn import model.nir --out model.json` and `bsnn export model.json --nir out.nir`. */
import { readFileSync } from 'node:fs';
import { loadModel, parseJson } from '../model/load.js';
import { BsnnError } from '../util/errors.js';
import { measureAgreement } from '../nir/agreement.js';
import { exportModelToNir, importNir } from '../nir/import.js';
import { writeFileAtomically } from '../util/atomic.js';
import { formatReport } from '../nir/report.js';

type ImportArgs = { nir: string; out: string; dt?: number; timesteps?: number; probBits?: number; seed?: number; name?: string; reset?: 'subtract' | 'zero'; clip?: number; check: number; checkSeed: number; checkInputs?: string };

function readInputs(file: string, size: number): number[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BsnnError(`--check-inputs: ${file}: cannot read (${(e as Error).message})`);
  }
  const v = parseJson(text, file);
  if (!Array.isArray(v)) throw new BsnnError(`--check-inputs: ${file}: expected an array of inputs`);
  v.forEach((row, j) => {
    if (!Array.isArray(row) || row.length !== size || !row.every((x) => typeof x === 'number' && x >= 0 && x <= 1)) {
      throw new BsnnError(`--check-inputs: ${file}: [${j}] is not an array of ${size} intensities in [0,1]`);
    }
  });
  return v as number[][];
}

function checkOptions(a: ImportArgs): void {
  const positiveInt = (v: number | undefined, flag: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new BsnnError(`${flag}: ${v} is not a positive integer`);
  };
  positiveInt(a.timesteps, '--timesteps');
  positiveInt(a.probBits, '--prob-bits');
  if (a.dt !== undefined && !(a.dt > 0)) throw new BsnnError(`--dt: ${a.dt} is not a positive number of seconds`);
  if (a.clip !== undefined && !(a.clip > 0 && a.clip <= 1)) throw new BsnnError(`--clip: ${a.clip} is not in (0, 1]`);
  if (!(Number.isInteger(a.check) && a.check >= 0)) throw new BsnnError(`--check: ${a.check} is not a non-negative integer`);
}

export async function runImport(a: ImportArgs): Promise<void> {
  checkOptions(a);
  const opts = { dt: a.dt, timesteps: a.timesteps, probBits: a.probBits, seed: a.seed, name: a.name, reset: a.reset, clip: a.clip };
  // The input size is known only after conversion, so user inputs are read and measured afterwards, and
  // the model is written last: a bad inputs file leaves nothing behind.
  const r = await importNir(a.nir, opts, { count: a.checkInputs ? 0 : a.check, seed: a.checkSeed });
  const agreement = a.checkInputs ? measureAgreement(r.plan, r.float, readInputs(a.checkInputs, r.model.input.size)) : r.agreement;
  writeFileAtomically(a.out, r.json);
  console.log(formatReport(r.report, agreement));
  console.log(`bsnn: wrote ${a.out} (model ${r.modelHash.slice(0, 16)}, ${r.model.layers.length} layers)`);
}

export async function runExport(a: { model: string; nir: string; dt: number }): Promise<void> {
  if (!(a.dt > 0)) throw new BsnnError(`--dt: ${a.dt} is not a positive number of seconds`);
  const model = loadModel(a.model);
  await exportModelToNir(model, a.nir, a.dt);
  console.log(`bsnn: wrote ${a.nir} (NIR, ${model.layers.length} layers, dt = ${a.dt} s; probability codes in /bsnn/layers/<l>/prob_codes)`);
}
