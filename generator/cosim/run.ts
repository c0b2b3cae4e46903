/** bsnn cosim: generate the design, simulate it on inputs, compare every spike with the golden model. */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDesign } from '../emit/design.js';
import { predictCycles } from '../analysis/cycles.js';
import { estimateResources } from '../estimate/analytical.js';
import { topPortWidths } from '../emit/verilog.js';
import { render } from '../emit/templates.js';
import type { PlannedModel } from '../ir/types.js';
import { BsnnError } from '../util/errors.js';
import { SIM_DIR } from '../util/paths.js';
import { runIcarus, runIcarusAsync, runVerilator, runVerilatorAsync, type SimRun, type SimulatorName } from './simulators.js';
import { compareTraces, parseTrace, runGolden, traceLines, type Comparison, type GoldenRuns } from './trace.js';
import { writeFiles } from '../util/atomic.js';
import { votesAreValues } from '../ops/registry.js';

export interface CosimOptions {
  simulator: SimulatorName;
  inputs: Uint8Array[];
  /** Runtime seed of each inference (the core's `seed` port, docs/semantics.md §1.2); default all 0. */
  seeds?: number[];
  /** Compare hidden-layer spikes too. */
  allLayers?: boolean;
  /** Keep build products here; default a temporary folder that is removed afterwards. */
  workDir?: string;
  /** Icarus only: write a VCD of the core's switching activity (for Vivado report_power). */
  vcdFile?: string;
  /**
   * The golden model's runs of these inputs and seeds (`runGolden`), when the caller has them already (the CLI
   * runs them first for --vcd's size estimate), so the golden model runs once.
   */
  golden?: GoldenRuns;
  /** cosimAsync: each step as it starts, and inputs simulated so far (about once a second) while simulating. */
  onProgress?: (p: CosimProgress) => void;
}

export interface CosimProgress {
  stage: string;
  done?: number;
  total?: number;
}

export interface CosimResult extends Comparison {
  simulator: SimulatorName;
  /** Cycles per inference measured in simulation. */
  cycles: (number | undefined)[];
  workDir?: string;
}

function benchContext(plan: PlannedModel, top: string, nInputs: number) {
  const M = plan.input.size;
  const w = topPortWidths(plan);
  return {
    top,
    M,
    C: plan.outputs,
    nInputs,
    nMax: nInputs - 1,
    total: nInputs * M,
    totalMax: nInputs * M - 1,
    iwMsb: w.inAddr - 1,
    iwBits: w.inAddr,
    clsMsb: w.cls - 1,
    clsBits: w.cls,
    cntMsb: w.votes - 1,
    cntBits: w.votes,
    signedVotes: plan.signedVotes,
    layerMsb: w.layer - 1,
    neuronMsb: w.neuron - 1,
    sMsb: w.sample - 1,
    tMsb: w.timestep - 1,
  };
}

/** A prepared co-simulation: the design, bench, inputs and seeds on disk, ready for a simulator. */
interface Prepared {
  run: SimRun;
  work: string;
  keep: boolean;
  seeds: number[];
}

function prepare(plan: PlannedModel, opts: CosimOptions): Prepared {
  if (opts.inputs.length === 0) throw new RangeError('cosim needs at least one input');
  const seeds = opts.seeds ?? opts.inputs.map(() => 0);
  if (seeds.length !== opts.inputs.length) throw new RangeError(`cosim: ${seeds.length} seeds for ${opts.inputs.length} inputs`);
  if (!seeds.every((s) => Number.isInteger(s) && s >= 0 && s <= 0xffffffff)) throw new RangeError('cosim: every seed must be a 32-bit unsigned integer');
  checkGivenRuns(opts, seeds);
  const isIcarus = opts.simulator === 'iverilog';
  if (opts.vcdFile && !isIcarus) throw new BsnnError('--vcd needs --sim iverilog (the Verilator harness is built without tracing)');
  const keep = opts.workDir !== undefined;
  const work = keep ? resolve(opts.workDir!) : mkdtempSync(join(tmpdir(), 'bsnn-cosim-'));
  try {
    const design = generateDesign(plan);
    const designDir = join(work, 'design');
    rmSync(designDir, { recursive: true, force: true });
    writeFiles(designDir, design.files);
    const rtlFiles = design.files.filter((f) => f.path.startsWith('rtl/') && f.path.endsWith('.v')).map((f) => join(designDir, f.path));
    const bench = join(work, isIcarus ? 'tb.v' : 'harness.cpp');
    writeFileSync(bench, render(SIM_DIR, isIcarus ? 'tb.v.hbs' : 'harness.cpp.hbs', benchContext(plan, design.top, opts.inputs.length)));
    const inputsFile = join(work, 'inputs.hex');
    writeFileSync(inputsFile, opts.inputs.map((x) => Array.from(x, (b) => b.toString(16).padStart(2, '0')).join('\n')).join('\n') + '\n');
    const seedsFile = join(work, 'seeds.hex');
    writeFileSync(seedsFile, seeds.map((s) => s.toString(16).padStart(8, '0')).join('\n') + '\n');
    const traceFile = join(work, `trace.${opts.simulator}.txt`);
    rmSync(traceFile, { force: true });
    const vcdFile = opts.vcdFile ? resolve(opts.vcdFile) : undefined;
    return { run: { designDir, workDir: work, top: design.top, rtlFiles, bench, inputsFile, seedsFile, traceFile, vcdFile }, work, keep, seeds };
  } catch (e) {
    if (!keep) rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

/** Golden runs the caller gives must be of these inputs and seeds: checked before anything is simulated. */
function checkGivenRuns(opts: CosimOptions, seeds: number[]): void {
  const given = opts.golden;
  if (!given) return;
  const same = given.inputs === opts.inputs && given.results.length === opts.inputs.length && given.seeds.length === seeds.length && given.seeds.every((s, i) => s === seeds[i]);
  if (!same) throw new RangeError('cosim: the given golden runs are not of these inputs and seeds');
}

/** The simulator's trace against the golden model's. */
function compare(plan: PlannedModel, opts: CosimOptions, p: Prepared): CosimResult {
  const n = opts.inputs.length;
  const runs = opts.golden ?? runGolden(plan, opts.inputs, p.seeds, { activity: true });
  const expectedLines = traceLines(runs);
  writeFileSync(join(p.work, 'trace.golden.txt'), expectedLines.join('\n') + '\n');
  const got = parseTrace(readFileSync(p.run.traceFile, 'utf8').split('\n'), n);
  const expected = parseTrace(expectedLines, n);
  // Given runs without activity cannot feed the cycle model: then spikes and results only.
  const withActivity = runs.results.every((r) => r.eventsIn && r.spikesPerPass);
  const expectedCycles = withActivity ? runs.results.map((r, i) => predictCycles(plan, r, runs.inputs[i]).total) : undefined;
  const cmp = compareTraces(expected, got, plan.layers.length - 1, opts.allLayers ?? false, expectedCycles);
  return { ...cmp, simulator: opts.simulator, cycles: got.cycles, workDir: p.keep ? p.work : undefined };
}

export function cosim(plan: PlannedModel, opts: CosimOptions): CosimResult {
  const p = prepare(plan, opts);
  try {
    if (opts.simulator === 'iverilog') runIcarus(p.run);
    else runVerilator(p.run);
    return compare(plan, opts, p);
  } finally {
    if (!p.keep) rmSync(p.work, { recursive: true, force: true });
  }
}

/** Counts result lines ("R <input> ...") the simulator has written so far, reading only what is new. */
function resultCounter(file: string): () => number {
  let offset = 0;
  let count = 0;
  let last = '\n';
  const buf = Buffer.alloc(1 << 16);
  return () => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return count; // not created yet
    }
    try {
      for (let n; (n = readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n) {
        const text = buf.toString('latin1', 0, n);
        for (let i = 0; i < n; i++) {
          if (text[i] === 'R' && last === '\n') count++;
          last = text[i];
        }
      }
    } finally {
      closeSync(fd);
    }
    return count;
  };
}

/** cosim without blocking the event loop while the simulator runs (for long runs, test workers and the CLI). */
export async function cosimAsync(plan: PlannedModel, opts: CosimOptions): Promise<CosimResult> {
  const say = opts.onProgress ?? (() => {});
  say({ stage: 'generating the design and the testbench' });
  const p = prepare(plan, opts);
  const total = opts.inputs.length;
  const simulated = resultCounter(p.run.traceFile);
  let simulating = false;
  // The simulator's output is buffered, so the count trails the simulation a little; it never runs ahead.
  const timer = setInterval(() => simulating && say({ stage: 'simulating', done: simulated(), total }), 1000);
  try {
    const onStep = (what: string) => {
      simulating = / simulation$/.test(what);
      say(simulating ? { stage: 'simulating', done: 0, total } : { stage: what });
    };
    if (opts.simulator === 'iverilog') await runIcarusAsync(p.run, onStep);
    else await runVerilatorAsync(p.run, onStep);
    simulating = false;
    say({ stage: 'comparing with the golden model' });
    return compare(plan, opts, p);
  } finally {
    clearInterval(timer);
    if (!p.keep) rmSync(p.work, { recursive: true, force: true });
  }
}

/** What was compared, in words: the last line of `bsnn cosim`. */
export function cosimSummary(plan: PlannedModel, r: CosimResult, allLayers: boolean): string {
  const potential = votesAreValues(plan);
  const votes = `class and ${plan.outputs} ${potential ? 'signed votes (potential readout: the output layer does not spike)' : 'votes'} of every input`;
  const spikes = allLayers ? `${r.spikesCompared} spikes of every ${potential ? 'spiking ' : ''}layer` : potential ? '' : `${r.spikesCompared} output spikes`;
  const cycles = r.cyclesCompared ? 'the cycles of every inference against the cycle model' : '';
  const parts = [votes, spikes, cycles].filter(Boolean);
  const what = parts.length > 1 ? `${parts.slice(0, -1).join(', ')}, and ${parts[parts.length - 1]}` : parts[0];
  const verdict = r.mismatched === 0 ? ' — bit-exact' : '';
  return `cosim (${r.simulator}, ${allLayers ? 'all layers' : 'output layer'}): ${r.compared} inputs compared, ${r.mismatched} mismatched; checked: ${what}${verdict}`;
}

/**
 * About how large a VCD of the core is for these golden runs (`runGolden` with activity, so cosim can reuse
 * them): cycles (cycle model) × flip-flops (analytical model) × one byte. Measured with Icarus: 0.47 bytes per
 * cycle and flip-flop (examples/yinyang.json, 2,078 FFs) and 1.00 (examples/mnist.json, 5,031 FFs), so this is
 * an upper estimate within about 2x.
 */
export function estimateVcdBytes(plan: PlannedModel, runs: GoldenRuns): number {
  let cycles = 0;
  runs.results.forEach((r, n) => (cycles += predictCycles(plan, r, runs.inputs[n]).total));
  return cycles * estimateResources(plan).total.ff;
}
