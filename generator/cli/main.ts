/** The `bsnn` command line. Each command is a thin shell over the library; errors for users are BsnnError. */
import { writeFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { cosimAxi } from '../cosim/axi.js';
import { cosim } from '../cosim/run.js';
import type { SimulatorName } from '../cosim/simulators.js';
import { generateDesign } from '../emit/design.js';
import { DEFAULT_CLOCK_MHZ } from '../board/clock.js';
import { resolveTarget } from '../board/target.js';
import { GoldenModel } from '../golden/infer.js';
import { planModel, type PlanOptions } from '../ir/plan.js';
import { quantiseIntensity } from '../ir/quantise.js';
import type { PlannedModel } from '../ir/types.js';
import { loadModel, validateModel } from '../model/load.js';
import { prng, randomInputs, randomModel } from '../model/random.js';
import { writeFolderAtomically } from '../util/atomic.js';
import { BsnnError } from '../util/errors.js';
import { estimateCommand, runEstimate } from './estimate.js';
import { evaluateCommand, runEvaluate } from './evaluate.js';
import { runTrain, trainCommand } from './train.js';
import { exportCommand, importCommand, runExport, runImport } from './nir.js';

function parseLanes(v: string | undefined): PlanOptions['lanes'] {
  if (v === undefined) return undefined;
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.some((p) => !Number.isInteger(p) || p < 1)) throw new BsnnError(`--lanes: "${v}" is not a positive integer or a comma-separated list of them`);
  return parts.length === 1 ? parts[0] : parts;
}

function plannedFrom(file: string, lanes: string | undefined): PlannedModel {
  const model = loadModel(file);
  const l = parseLanes(lanes);
  if (Array.isArray(l) && l.length !== model.layers.length) throw new BsnnError(`--lanes: gives ${l.length} values, the model has ${model.layers.length} layers`);
  return planModel(model, { lanes: l });
}

/** "0.1,0.8,..." (intensities in [0,1]) → 8-bit inputs. */
function parseInput(v: string, size: number): Uint8Array {
  const parts = v.split(',').map((s) => s.trim());
  if (parts.length !== size) throw new BsnnError(`--input: has ${parts.length} values, the model expects ${size}`);
  return Uint8Array.from(parts, (s, i) => {
    const x = Number(s);
    if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) || !(x >= 0 && x <= 1)) throw new BsnnError(`--input: value ${i + 1} ("${s}") is not a number in [0,1]`);
    return quantiseIntensity(x);
  });
}

const withLanes = <T>(y: Argv<T>) =>
  y.option('lanes', { type: 'string', describe: 'override lanes P: one number for every layer, or one per layer (4,2)' });

export function buildCli(argv: string[]) {
  return yargs(argv)
    .scriptName('bsnn')
    .strict()
    .demandCommand(1, 'name a command')
    .command(
      'gen-rtl <model>',
      'generate Verilog, memory images and a manifest',
      (y) =>
        withLanes(y)
          .positional('model', { type: 'string', demandOption: true, describe: 'bsnn/1 model JSON' })
          .option('out', { type: 'string', demandOption: true, describe: 'output folder (replaced as a whole when generation succeeds)' })
          .option('board', { type: 'string', describe: 'pynq-z2 (default), zedboard, zybo-z7-20, zybo-z7-10: part, board preset and XDC' })
          .option('part', { type: 'string', describe: 'any Zynq-7000 part, e.g. xc7z030sbg485-1 (no board preset, no board XDC)' })
          .option('clock-mhz', { type: 'number', describe: `PL clock FCLK_CLK0 in the Vivado block design (default ${DEFAULT_CLOCK_MHZ})` }),
      (a) => {
        if (a.out.trim() === '') throw new BsnnError('--out: give the output folder, e.g. --out rtl-out/mymodel');
        // Board and part first: a bad flag is reported before the model is even read.
        const target = resolveTarget({ board: a.board, part: a.part });
        const plan = plannedFrom(a.model, a.lanes);
        const design = generateDesign(plan, { board: a.board, part: a.part, clockMHz: a.clockMhz });
        writeFolderAtomically(a.out, design.files);
        const where = target.board ? `board ${target.board.name}, part ${target.part}` : `part ${target.part}, no board`;
        console.log(`bsnn: wrote ${design.files.length} files for ${design.top} to ${a.out} (model ${plan.modelHash.slice(0, 16)}, ${where})`);
      },
    )
    .command(
      'cosim <model>',
      'simulate the generated RTL and compare every spike with the golden model',
      (y) =>
        withLanes(y)
          .positional('model', { type: 'string', demandOption: true })
          .option('sim', { choices: ['iverilog', 'verilator'] as const, default: 'iverilog' as const, describe: 'simulator' })
          .option('inputs', { type: 'number', default: 20, describe: 'number of random 8-bit input vectors' })
          .option('input-seed', { type: 'number', default: 1, describe: 'seed of the random inputs' })
          .option('run-seed', { type: 'string', default: '0', describe: 'runtime seed on the core\'s seed port: a 32-bit number for every input, or "random" for one per input (from --input-seed)' })
          .option('all-layers', { type: 'boolean', default: false, describe: 'compare hidden-layer spikes too' })
          .option('through-axi', { type: 'boolean', default: false, describe: 'drive the AXI wrapper (streams with TVALID gaps and TREADY back-pressure, AXI4-Lite registers, interrupt; Icarus) and compare every result with the golden model' })
          .option('work', { type: 'string', describe: 'keep simulator files in this folder' })
          .option('vcd', { type: 'string', describe: 'write the core\'s switching activity as VCD (iverilog), for Vivado report_power' }),
      (a) => {
        if (!Number.isInteger(a.inputs) || a.inputs < 1) throw new BsnnError(`--inputs: ${a.inputs} is not a positive integer`);
        if (!Number.isInteger(a.inputSeed)) throw new BsnnError(`--input-seed: ${a.inputSeed} is not an integer`);
        const plan = plannedFrom(a.model, a.lanes);
        const inputs = randomInputs(a.inputSeed, a.inputs, plan.input.size);
        if (a.throughAxi) {
          if (a.sim !== 'iverilog' || a.vcd || a.allLayers) throw new BsnnError('--through-axi: runs in Icarus and compares results, not spikes (drop --sim verilator, --vcd and --all-layers)');
          const r = cosimAxi(plan, inputs, { workDir: a.work, seed: a.inputSeed });
          for (const m of r.mismatches.slice(0, 10)) console.log(`mismatch: ${m}`);
          console.log(`cosim through AXI (iverilog): ${r.results.length} results compared with the golden model and the cycle model, ${r.mismatches.length} mismatched${r.mismatches.length === 0 ? ' — bit-exact' : ''}`);
          if (r.mismatches.length > 0) process.exitCode = 1;
          return;
        }
        const runSeed = a.runSeed.trim();
        const fixed = Number(runSeed);
        if (runSeed !== 'random' && !(/^(0x[0-9a-f]+|\d+)$/i.test(runSeed) && fixed <= 0xffffffff)) throw new BsnnError(`--run-seed: "${a.runSeed}" is not a 32-bit unsigned integer or "random"`);
        const rnd = prng(a.inputSeed ^ 0x51ed5eed);
        const seeds = inputs.map(() => (runSeed === 'random' ? Math.floor(rnd() * 2 ** 32) : fixed));
        const r = cosim(plan, { simulator: a.sim as SimulatorName, inputs, seeds, allLayers: a.allLayers, workDir: a.work, vcdFile: a.vcd });
        if (a.vcd) console.log(`bsnn: switching activity written to ${a.vcd} (dut scope bsnn_tb/dut)`);
        if (r.first) console.log(`first divergence: input ${r.first.input}, ${r.first.what}`);
        const what = a.allLayers ? 'all layers' : 'output layer';
        console.log(`cosim (${r.simulator}, ${what}): ${r.compared} inputs compared, ${r.mismatched} mismatched, ${r.spikesCompared} spikes checked${r.mismatched === 0 ? ' — bit-exact' : ''}`);
        if (r.mismatched > 0) process.exitCode = 1;
      },
    )
    .command(
      'simulate <model>',
      'run the golden model on one input',
      (y) =>
        withLanes(y)
          .positional('model', { type: 'string', demandOption: true })
          .option('input', { type: 'string', demandOption: true, describe: 'comma-separated intensities in [0,1]' })
          .option('trace', { type: 'boolean', default: false, describe: 'list every spike (sample, timestep, layer, neuron)' })
          .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' }),
      (a) => {
        const plan = plannedFrom(a.model, a.lanes);
        const x = parseInput(a.input, plan.input.size);
        const r = new GoldenModel(plan).infer(x, { trace: a.trace });
        const spikes = Array.from(r.spikesPerLayer).reduce((s, v) => s + v, 0);
        if (a.json) {
          const out: Record<string, unknown> = {
            class: r.cls,
            votes: Array.from(r.counts),
            spikesPerLayer: Array.from(r.spikesPerLayer),
            spikes,
            inputEvents: r.inputEvents,
            synapticEvents: r.synapticEvents,
          };
          if (r.trace) out.trace = r.trace.neuron.map((n, i) => [r.trace!.sample[i], r.trace!.timestep[i], r.trace!.layer[i], n]);
          console.log(JSON.stringify(out));
          return;
        }
        if (r.trace) {
          console.log('sample timestep layer neuron');
          r.trace.neuron.forEach((n, i) => console.log(`${r.trace!.sample[i]} ${r.trace!.timestep[i]} ${r.trace!.layer[i]} ${n}`));
        }
        console.log(`class ${r.cls}`);
        console.log(`votes ${Array.from(r.counts).join(' ')}`);
        console.log(`spikes ${spikes} (per layer ${Array.from(r.spikesPerLayer).join(' ')}), input events ${r.inputEvents}`);
      },
    )
    .command(
      'estimate <model>',
      'resources, timing, throughput, power and energy before Vivado runs (or a sweep over --lanes/--prob-bits)',
      (y) => estimateCommand(y),
      async (a) => runEstimate(a as Parameters<typeof runEstimate>[0]),
    )
    .command(
      'train',
      'train a binary-weight Bayesian SNN (tfjs) and write it as a bsnn/1 model',
      (y) => trainCommand(y),
      async (a) => runTrain(a as Parameters<typeof runTrain>[0]),
    )
    .command(
      'evaluate <model>',
      'accuracy, NLL, ECE, entropy and spikes per inference on a data set (golden model), with baselines and perturbations',
      (y) => evaluateCommand(y),
      async (a) => runEvaluate(a as Parameters<typeof runEvaluate>[0]),
    )
    .command('import <nir>', 'convert a NIR file (Affine/Linear + IF/LIF/LI) into a bsnn/1 model, with a conversion report', (y) => importCommand(y), async (a) => runImport(a as Parameters<typeof runImport>[0]))
    .command('export <model>', 'write a bsnn/1 model as NIR (mean weights, neuron parameters, probability codes under /bsnn)', (y) => exportCommand(y), async (a) => runExport(a as Parameters<typeof runExport>[0]))
    .command(
      'make-random',
      'write a random bsnn/1 model (for smoke tests before a trained model exists)',
      (y) =>
        y
          .option('inputs', { type: 'number', demandOption: true })
          .option('layers', { type: 'string', demandOption: true, describe: 'layer sizes, e.g. 32,3' })
          .option('seed', { type: 'number', default: 1 })
          .option('name', { type: 'string' })
          .option('timesteps', { type: 'number', default: 8 })
          .option('prob-bits', { type: 'number', default: 4 })
          .option('out', { type: 'string', demandOption: true }),
      (a) => {
        const layers = a.layers.split(',').map(Number);
        const json = randomModel({ seed: a.seed, name: a.name, inputs: a.inputs, layers, timesteps: a.timesteps, probBits: a.probBits });
        validateModel(json, '--layers/--inputs');
        writeFileSync(a.out, JSON.stringify(json) + '\n');
        console.log(`bsnn: wrote ${a.out}`);
      },
    )
    .fail((msg, err, y) => {
      if (err) throw err;
      console.error(`bsnn: ${msg}\n`);
      y.showHelp();
      process.exit(2);
    })
    .help();
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli(argv).parseAsync();
  } catch (e) {
    if (e instanceof BsnnError) {
      console.error(`bsnn: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}

await main(hideBin(process.argv));
