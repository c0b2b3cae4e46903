/**
 * AXI co-simulation: the core inside its AXI wrapper (templates/axi_wrapper.v.hbs), driven by sim/tb_axi.v.hbs
 * in Icarus Verilog through the stream and register interfaces, with random TVALID gaps and TREADY
 * back-pressure. Classes and votes are compared with the golden model, cycles with the cycle model (exact),
 * register reads with what the register map promises.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { predictCycles } from '../analysis/cycles.js';
import { streamedInterval } from '../analysis/stream.js';
import { AXI_CONTROL, AXI_CONTROL_RESET, AXI_ID_FORMAT, AXI_STATUS, axiModuleName, emitAxiWrapper, modelHashWords } from '../emit/axi.js';
import { generateDesign } from '../emit/design.js';
import { render } from '../emit/templates.js';
import { GoldenModel } from '../golden/infer.js';
import { votesAreValues } from '../ops/registry.js';
import type { PlannedModel } from '../ir/types.js';
import { SIM_DIR } from '../util/paths.js';
import { runIcarus } from './simulators.js';
import { writeFiles } from '../util/atomic.js';

export interface AxiCosimOptions {
  /** Keep build products here; default a temporary folder that is removed afterwards. */
  workDir?: string;
  /** Seed of the testbench's $random (TVALID gaps and TREADY back-pressure). */
  seed?: number;
  /**
   * Runtime seed the testbench writes to SEED before the aborted input: every inference after it runs with it
   * (the first, input 0, runs with SEED's reset value 0). Default 0x9e3779b9 ^ seed.
   */
  runSeed?: number;
  /** Tests of the testbench itself: rewrite the wrapper's Verilog before simulation (e.g. inject a fault). */
  patchWrapper?: (verilog: string) => string;
}

export interface AxiResult {
  cls: number;
  counts: number[];
  cycles?: number;
}

export interface AxiCosimResult {
  /** Every difference from the golden model, the cycle model or the register map, and every protocol failure. */
  mismatches: string[];
  /** Results in the order they left m_axis: input 0, inputs 0..N-1 (the aborted run gives none), input 0. */
  results: AxiResult[];
  /** Which input each result belongs to. */
  inputOf: number[];
  /** The runtime seed (SEED register) each result ran with: 0 for the first, the written one after. */
  seedOf: number[];
  /** Register reads of the testbench, by check name. */
  registers: Record<string, number>;
  /** Cycles with TVALID high and TREADY low on m_axis (the back-pressure the check saw). */
  stalls: number;
  /** Idle cycles inserted between input beats. */
  gaps: number;
  /** The throughput run: the cycle of each launch of the core (inputs streamed back to back). */
  launches: number[];
  /** The throughput run: input beats taken while the core ran (samples overlapping inferences). */
  overlapBeats: number;
  /** The testbench reached its end. */
  finished: boolean;
  workDir?: string;
}

function benchContext(plan: PlannedModel, nInputs: number, seed: number, budget: number, runSeed: number) {
  const M = plan.input.size;
  return {
    top: axiModuleName(plan.name),
    M,
    mMax: M - 1,
    C: plan.outputs,
    lastBeat: plan.outputs + 1,
    nInputs,
    nMax: nInputs - 1,
    totalMax: nInputs * M - 1,
    abortInput: nInputs > 1 ? 1 : 0,
    seedIn: (seed >>> 0) % 0x7fffffff,
    seedOut: ((seed >>> 0) ^ 0x2545f491) % 0x7fffffff,
    maxCycles: budget,
    signedVotes: plan.signedVotes,
    runSeedHex: (runSeed >>> 0).toString(16).padStart(8, '0'),
  };
}

export function parseAxiTrace(text: string) {
  const results = new Map<number, AxiResult>();
  const registers: Record<string, number> = {};
  const fails: string[] = [];
  const counters: Record<string, number> = {};
  const launches: number[] = [];
  const frees: number[] = [];
  let finished = false;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f[0] === '') continue;
    if (f[0] === 'END') finished = true;
    else if (f[0] === 'FAIL') fails.push(line.trim().slice(5));
    else if (f[0] === 'REG') registers[f[1]] = parseInt(f[2], 16) >>> 0;
    else if (f[0] === 'R') results.set(Number(f[1]), { cls: Number(f[2]), counts: f.slice(3).map(Number) });
    else if (f[0] === '#' && f[1] === 'cycles') {
      const r = results.get(Number(f[2]));
      if (r) r.cycles = Number(f[3]);
    } else if (f[0] === '#' && f[1] === 'launch') launches.push(Number(f[2]));
    else if (f[0] === '#' && f[1] === 'free') frees.push(Number(f[2]));
    else if (f[0] === '#') counters[f[1]] = Number(f[2]);
  }
  const n = results.size === 0 ? 0 : Math.max(...results.keys()) + 1;
  return { results: Array.from({ length: n }, (_, k) => results.get(k)), registers, fails, counters, launches, frees, finished };
}

/**
 * The throughput run (inputs streamed back to back, no gaps, no back-pressure): the cycles from each launch of
 * the core to the next, and to the moment its inputs are free, against the cycle model.
 */
function streamedMismatches(plan: PlannedModel, expected: { interval: number; inputsFreeAfter: number }[], launches: number[], frees: number[]): string[] {
  const out: string[] = [];
  if (launches.length !== expected.length) return [`throughput run: ${launches.length} launches, expected ${expected.length}`];
  const direct = plan.input.encoding === 'direct';
  // rate input frees the inputs only at done, where the wrapper no longer looks at in_free
  if (frees.length !== (direct ? expected.length : 0)) out.push(`throughput run: in_free rose ${frees.length} times, expected ${direct ? expected.length : 0}`);
  expected.forEach((e, i) => {
    if (direct && frees[i] !== undefined && frees[i] - launches[i] !== e.inputsFreeAfter)
      out.push(`throughput run, input ${i}: inputs free ${frees[i] - launches[i]} cycles after launch, expected ${e.inputsFreeAfter}`);
    if (i + 1 < launches.length && launches[i + 1] - launches[i] !== e.interval)
      out.push(`throughput run, input ${i}: ${launches[i + 1] - launches[i]} cycles to the next launch, expected ${e.interval}`);
  });
  return out;
}

/** Run the AXI testbench on `inputs` and compare. Needs iverilog. */
export function cosimAxi(plan: PlannedModel, inputs: Uint8Array[], opts: AxiCosimOptions = {}): AxiCosimResult {
  if (inputs.length === 0) throw new RangeError('cosimAxi needs at least one input');
  const keep = opts.workDir !== undefined;
  const work = keep ? resolve(opts.workDir!) : mkdtempSync(join(tmpdir(), 'bsnn-axi-'));
  try {
    const golden = new GoldenModel(plan);
    const potential = votesAreValues(plan);
    const runSeed = (opts.runSeed ?? (0x9e3779b9 ^ (opts.seed ?? 1))) >>> 0;
    // result 0 runs with SEED's reset value 0, every later one with runSeed
    const expectedFor = (x: Uint8Array, seed: number) => {
      const r = golden.infer(x, { activity: true, seed });
      // SPIKES: output spikes (the votes), or when the votes sum the output layer's values the hidden layers' spikes
      const perLayer = Array.from(r.spikesPerLayer);
      const spikes = potential ? perLayer.slice(0, -1).reduce((a, b) => a + b, 0) : perLayer[perLayer.length - 1];
      const c = predictCycles(plan, r, x);
      return { cls: r.cls, counts: Array.from(r.counts), cycles: c.total, spikes, inputsFreeAfter: c.inputsFreeAfter, interval: streamedInterval(plan, c) };
    };
    const expected = inputs.map((x) => expectedFor(x, runSeed));
    const first = expectedFor(inputs[0], 0);
    const design = generateDesign(plan);
    const wrapper = emitAxiWrapper(plan);
    if (opts.patchWrapper) wrapper.content = opts.patchWrapper(wrapper.content);
    // gen-rtl already emits the wrapper; use this (possibly fault-injected) copy in its place.
    const files = design.files.map((f) => (f.path === wrapper.path ? wrapper : f));
    const designDir = join(work, 'design');
    rmSync(designDir, { recursive: true, force: true });
    writeFiles(designDir, files);
    const rtlFiles = files.filter((f) => f.path.endsWith('.v')).map((f) => join(designDir, f.path));
    const maxCyc = Math.max(...expected.map((e) => e.cycles));
    const budget = 20_000 + (inputs.length + 3) * (maxCyc + 30 * (plan.input.size + plan.outputs + 2)) * 2;
    const bench = join(work, 'tb_axi.v');
    writeFileSync(bench, render(SIM_DIR, 'tb_axi.v.hbs', benchContext(plan, inputs.length, opts.seed ?? 1, budget, runSeed)));
    const inputsFile = join(work, 'inputs.hex');
    writeFileSync(inputsFile, inputs.map((x) => Array.from(x, (b) => b.toString(16).padStart(2, '0')).join('\n')).join('\n') + '\n');
    const traceFile = join(work, 'trace.axi.txt');
    rmSync(traceFile, { force: true });
    runIcarus({ designDir, workDir: work, top: axiModuleName(plan.name), rtlFiles, bench, inputsFile, traceFile });

    const t = parseAxiTrace(readFileSync(traceFile, 'utf8'));
    const mismatches = [...t.fails];
    if (!t.finished) mismatches.push('the testbench did not reach its end');

    // results: input 0, then all inputs, input 0, all inputs again (the throughput run)
    const inputOf = [0, ...inputs.map((_, i) => i), 0, ...inputs.map((_, i) => i)];
    const expectedOf = (k: number) => (k === 0 ? first : expected[inputOf[k]]);
    inputOf.forEach((inp, k) => {
      const e = expectedOf(k);
      const g = t.results[k];
      if (!g) return void mismatches.push(`result ${k} (input ${inp}): missing`);
      if (g.cls !== e.cls || g.counts.join(' ') !== e.counts.join(' '))
        mismatches.push(`result ${k} (input ${inp}): expected class ${e.cls} votes [${e.counts.join(' ')}], got class ${g.cls} votes [${g.counts.join(' ')}]`);
      if (g.cycles !== e.cycles) mismatches.push(`result ${k} (input ${inp}): expected ${e.cycles} cycles, got ${g.cycles}`);
    });
    if (t.results.length > inputOf.length) mismatches.push(`${t.results.length} results on m_axis, expected ${inputOf.length}`);
    mismatches.push(...streamedMismatches(plan, expected, t.launches, t.frees));

    // registers
    const hash = modelHashWords(plan);
    const N = inputs.length;
    const checks: [string, number, number?][] = [
      // [name, expected, mask]
      ['ID_FORMAT', AXI_ID_FORMAT],
      ['TIMESTEPS', plan.timesteps],
      ['SAMPLES', plan.samples],
      ['SEED', 0],
      ['MODEL_SEED', plan.seed >>> 0],
      ['SEED_WRITTEN', runSeed],
      ['MODEL_SEED_AFTER_WRITE', plan.seed >>> 0],
      ['SEED_AFTER_SOFT', runSeed],
      ...hash.map((w, i) => [`MODEL_HASH${i}`, w] as [string, number]),
      ['CONTROL_RESET', AXI_CONTROL_RESET],
      ['STATUS_RESET', 0],
      ['UNMAPPED', 0],
      ['TIMESTEPS_AFTER_WRITE', plan.timesteps],
      ['CONTROL_AFTER_START', AXI_CONTROL_RESET],
      ['STATUS_DONE', AXI_STATUS.done],
      ['INFERENCES_1', 1],
      ['CYCLES_0', first.cycles],
      ['SPIKES_0', first.spikes],
      ['RESULT_0', first.cls],
      ['INFERENCES_LATER', 1],
      ['RESULTS_LATER', 1],
      ['IRQ_DISABLED', 0],
      ['IRQ_ON', 1],
      ['STATUS_W1C_DONE', 0],
      ['IRQ_AFTER_W1C', 0],
      ...(plan.input.size >= 2 ? [['STATUS_EARLY', AXI_STATUS.error] as [string, number]] : []),
      ['STATUS_W1C_ERR', 0],
      ['STATUS_MISSING', AXI_STATUS.error],
      ['INFERENCES_AFTER_ERR', 1],
      ['STATUS_CLEARED', 0],
      ['CONTROL_AFTER_SOFT', AXI_CONTROL_RESET],
      ['STATUS_AFTER_SOFT', 0],
      ['INFERENCES_AFTER_SOFT', 0],
      ['RESULTS_AFTER_SOFT', 1],
      ['INFERENCES_END', N],
      ['STATUS_END', AXI_STATUS.done],
      ['STATUS_LOADED', AXI_STATUS.sampleLoaded],
      ['INFERENCES_LOADED', N],
      ['S_TREADY_LOADED', 0],
      ['CONTROL_FINAL', AXI_CONTROL.startOnStream],
      ['INFERENCES_FINAL', N + 1],
    ];
    for (const [name, want, mask] of checks) {
      const got = t.registers[name];
      if (got === undefined) mismatches.push(`register check ${name}: not read`);
      else if (((got & (mask ?? 0xffffffff)) >>> 0) !== want >>> 0)
        mismatches.push(`register check ${name}: expected 0x${(want >>> 0).toString(16)}, got 0x${got.toString(16)}`);
    }
    return {
      mismatches,
      results: t.results.filter((r): r is AxiResult => r !== undefined),
      inputOf,
      seedOf: inputOf.map((_, k) => (k === 0 ? 0 : runSeed)),
      registers: t.registers,
      stalls: t.counters.stalls ?? 0,
      gaps: t.counters.gaps ?? 0,
      launches: t.launches,
      overlapBeats: t.counters.overlap ?? 0,
      finished: t.finished,
      workDir: keep ? work : undefined,
    };
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}
