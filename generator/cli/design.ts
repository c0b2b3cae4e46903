/**
 * The runners of gen-rtl, cosim, simulate and make-random (imported by main.ts when one of them runs).
 * The emitter and the co-simulation are imported once the options and the model are checked: the emitter
 * brings ts-morph (the TypeScript compiler, about a second to load), which a refused option, or simulate, need not wait for.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CosimProgress } from '../cosim/run.js';
import type { SimulatorName } from '../cosim/simulators.js';
import { runGolden, type GoldenRuns } from '../cosim/trace.js';
import { buildClock, clockVersusFmax, foldingClockMHz, parseClock, roundingNote, type BuildClock, type ClockRequest } from '../board/clock.js';
import { findPart } from '../board/part.js';
import { readTimingRecord, timingKey } from '../estimate/timing-record.js';
import { resolveTarget } from '../board/target.js';
import { GoldenModel } from '../golden/infer.js';
import { planModel, type PlanOptions } from '../ir/plan.js';
import { quantiseIntensity } from '../ir/quantise.js';
import type { PlannedModel } from '../ir/types.js';
import { loadModel, validateModel } from '../model/load.js';
import { prng, randomModel } from '../model/random.js';
import type { DatasetName } from '../train/defaults.js';
import { checkReplaceable, writeFolderAtomically } from '../util/atomic.js';
import { BsnnError } from '../util/errors.js';
import { lanesForTarget } from './fold.js';
import { chooseInputs, type InputChoice } from './inputs.js';
import { foldingOption, positiveIntList, type FoldingArgs } from './options.js';
import { progressBar } from './progress.js';

export function plannedFrom(file: string, a: FoldingArgs, extra: Omit<PlanOptions, 'lanes' | 'eventsPerCycle' | 'offsetsPerCycle'> = {}): PlannedModel {
  const model = loadModel(file);
  return planModel(model, { ...extra, ...foldingOption(model, a) });
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

export interface GenRtlArgs extends FoldingArgs {
  model: string;
  out: string;
  targetUs?: string;
  board?: string;
  part?: string;
  clockMhz?: string | number;
  dataset?: DatasetName;
  data?: string;
}

/** --clock-mhz auto: the fastest FCLK at or below the estimate's Fmax, from its record or a timing run now. */
async function autoClock(plan: PlannedModel, req: ClockRequest): Promise<BuildClock> {
  // Loaded here: the estimator (and Yosys behind it) is for auto only, not for every gen-rtl, cosim or simulate.
  const { estimatedFmax } = await import('../estimate/estimate.js');
  const t = await estimatedFmax(plan, {
    onSynthesis: () => console.error('bsnn: --clock-mhz auto: no Fmax recorded for this design by bsnn estimate; running the timing estimate (Yosys synth_xilinx) now'),
  });
  return buildClock(req, t.fmaxMHz);
}

/**
 * What gen-rtl says about its clock: met or not checked (and how to check) on stdout, beside what it wrote;
 * missed on stderr, loudly, with by how much and the clock that meets it.
 */
function reportClock(clock: BuildClock, core: { path: string; content: string }[]): void {
  const rec = readTimingRecord(timingKey(core));
  if (!rec) {
    console.log(
      `bsnn: clock ${clock.mhz} MHz (${clock.source}) is not checked: no Fmax of this design is recorded yet. ` +
        `Run bsnn estimate on the same model and lanes to record it (then gen-rtl checks), or give --clock-mhz auto`,
    );
    return;
  }
  const c = clockVersusFmax(clock.mhz, rec.fmaxMHz);
  if (c.meets) console.log(`bsnn: clock ${c.text} (the estimate's Fmax recorded for this design)`);
  else console.error(`bsnn: WARNING: FCLK_CLK0 ${c.text}. build.tcl stops if Vivado's implementation misses it too.`);
}

export async function runGenRtl(a: GenRtlArgs): Promise<void> {
  if (a.out.trim() === '') throw new BsnnError('--out: give the output folder, e.g. --out rtl-out/mymodel');
  if (a.offsetsPerCycle !== undefined && a.targetUs !== undefined) throw new BsnnError('--target-us: give either --offsets-per-cycle or --target-us, not both');
  if ((a.lanes !== undefined || a.eventsPerCycle !== undefined) && a.targetUs !== undefined) {
    throw new BsnnError('--target-us: give either --lanes / --events-per-cycle or --target-us, not both');
  }
  // Board, part and clock first: a bad flag is reported before the model is even read.
  const target = resolveTarget({ board: a.board, part: a.part });
  const req = parseClock(a.clockMhz);
  const model = loadModel(a.model);
  let folding = foldingOption(model, a);
  // An --out that may not be replaced is refused before the search, synthesis (auto) and generation below.
  checkReplaceable(resolve(a.out));
  if (a.targetUs !== undefined) {
    // the activity that decides the lanes: 16 inputs of the data set (the model's own), else random vectors
    const { inputs, source } = chooseInputs({ inputs: 16, inputSeed: 1, dataset: a.dataset, data: a.data }, model);
    folding = lanesForTarget(model, a.targetUs, findPart(target.part)!, foldingClockMHz(req), inputs, source);
  }
  const plan = planModel(model, folding);
  const clock = req.kind === 'auto' ? await autoClock(plan, req) : buildClock(req);
  const note = roundingNote(req, clock);
  if (note) console.error(`bsnn: ${note}`);
  const { generateDesign } = await import('../emit/design.js');
  const design = generateDesign(plan, { board: a.board, part: a.part, clock });
  writeFolderAtomically(a.out, design.files);
  const where = target.board ? `board ${target.board.name}, part ${target.part}` : `part ${target.part}, no board`;
  console.log(`bsnn: wrote ${design.files.length} files for ${design.top} to ${a.out} (model ${plan.modelHash.slice(0, 16)}, ${where}, FCLK_CLK0 ${clock.mhz} MHz)`);
  reportClock(clock, design.core);
}

export interface CosimArgs extends InputChoice, FoldingArgs {
  model: string;
  sim: SimulatorName;
  runSeed: string;
  allLayers: boolean;
  throughAxi: boolean;
  work?: string;
  vcd?: string;
  maxVcdMb: number;
}

/** A VCD holds every flip-flop's every change: refuse one that would fill the disk before simulating. */
function refuseLargeVcd(vcdBytes: number, golden: GoldenRuns, maxVcdMb: number): void {
  const n = golden.inputs.length;
  const mb = vcdBytes / 1e6;
  const perInput = mb / n;
  if (mb > maxVcdMb) {
    const fit = Math.floor(maxVcdMb / perInput);
    throw new BsnnError(
      `--vcd: the VCD would be up to about ${Math.round(mb)} MB (${n} inputs, up to ${Math.round(perInput)} MB each), over --max-vcd-mb ${maxVcdMb}; ` +
        (fit >= 1 ? `use --inputs ${fit} or fewer (a few inputs are enough for report_power), or raise --max-vcd-mb` : 'raise --max-vcd-mb'),
    );
  }
  console.error(`bsnn cosim: the VCD will be up to about ${Math.round(mb)} MB`);
}

export async function runCosim(a: CosimArgs): Promise<void> {
  if (!(a.maxVcdMb > 0)) throw new BsnnError(`--max-vcd-mb: ${a.maxVcdMb} is not a positive number`);
  const model = loadModel(a.model);
  const plan = planModel(model, foldingOption(model, a));
  const { inputs, source } = chooseInputs(a, model);
  if (a.throughAxi) {
    if (a.sim !== 'iverilog' || a.vcd || a.allLayers) throw new BsnnError('--through-axi: runs in Icarus and compares results, not spikes (drop --sim verilator, --vcd and --all-layers)');
    console.error(`bsnn cosim: ${source}, through the AXI wrapper in Icarus`);
    const { cosimAxi } = await import('../cosim/axi.js');
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
  // --vcd: the golden runs come first (their cycles size the VCD), and cosim compares with the same runs.
  const golden = a.vcd ? runGolden(plan, inputs, seeds, { activity: true }) : undefined;
  const { cosimAsync, cosimSummary, estimateVcdBytes } = await import('../cosim/run.js');
  if (golden) refuseLargeVcd(estimateVcdBytes(plan, golden), golden, a.maxVcdMb);
  // Steps on stderr as they start (compiling and simulating can take minutes); a bar on a terminal.
  const bar = progressBar('simulating [{bar}] {value}/{total} inputs | eta {eta_formatted}');
  let stage = '';
  const onProgress = (p: CosimProgress) => {
    if (p.done !== undefined && p.total !== undefined) bar.update(p.done, p.total, {});
    if (p.stage === stage) return;
    bar.stop();
    stage = p.stage;
    console.error(`bsnn cosim: ${p.stage}${p.total !== undefined ? ` ${source} in ${a.sim}` : ''}`);
  };
  const r = await cosimAsync(plan, { simulator: a.sim, inputs, seeds, allLayers: a.allLayers, workDir: a.work, vcdFile: a.vcd, golden, onProgress });
  bar.stop();
  if (a.vcd) console.log(`bsnn: switching activity written to ${a.vcd} (dut scope bsnn_tb/dut)`);
  if (r.first) console.log(`first divergence: input ${r.first.input}, ${r.first.what}`);
  console.log(cosimSummary(plan, r, a.allLayers));
  if (r.mismatched > 0) process.exitCode = 1;
}

export function runSimulate(a: FoldingArgs & { model: string; input: string; trace: boolean; json: boolean }): void {
  const plan = plannedFrom(a.model, a);
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
}

export function runMakeRandom(a: { inputs: number; layers: string; seed: number; name?: string; timesteps: number; probBits: number; out: string }): void {
  const layers = positiveIntList('--layers', a.layers);
  const json = randomModel({ seed: a.seed, name: a.name, inputs: a.inputs, layers, timesteps: a.timesteps, probBits: a.probBits });
  validateModel(json, '--layers/--inputs');
  writeFileSync(a.out, JSON.stringify(json) + '\n');
  console.log(`bsnn: wrote ${a.out}`);
}
