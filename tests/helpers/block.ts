/**
 * Block-level test of one layer module, as finn-rtllib keeps a testbench beside each block: the module alone in
 * Icarus, driven through its event protocol with random event lists, against its op's golden step. What the
 * module emits, how long it is busy and the activity the estimator counts are returned beside what the op
 * predicts, so each layer kind's test states its own checks.
 */
import { expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { emitVerilog } from '../../generator/emit/verilog.js';
import { render } from '../../generator/emit/templates.js';
import { addrBits, countBits } from '../../generator/ir/widths.js';
import type { PlannedModel } from '../../generator/ir/types.js';
import type { LayerActivity } from '../../generator/ops/op.js';
import { opOf } from '../../generator/ops/registry.js';
import { goldenScratch } from '../../generator/ops/synapses/golden.js';
import { prng } from '../../generator/model/random.js';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));

export interface BlockRun {
  /** Output events per (sample, timestep), as "neuron" or "neuron value", in emission order. */
  rtl: string[][];
  golden: string[][];
  /** Busy cycles of each sample start and of each timestep. */
  sampleBusy: number[];
  stepBusy: number[];
  /** What the op's cycle model predicts for the same. */
  predictedSampleBusy: number[];
  predictedStepBusy: number[];
  /** Activity counted in the RTL (probability/held rows read for events, weight draws, accumulations, updates). */
  counted: LayerActivity;
  predicted: LayerActivity;
}

/** The module equals its op: the same output events, busy cycles and activity. */
export function expectEqualToOp(r: BlockRun): void {
  expect(r.rtl).toEqual(r.golden);
  expect(r.stepBusy).toEqual(r.predictedStepBusy);
  expect(r.sampleBusy).toEqual(r.predictedSampleBusy);
  expect(r.counted).toEqual(r.predicted);
}

/** Random event lists: `density` of the inputs active, ascending; values 1..valueMax (1: spikes). */
function eventLists(M: number, steps: number, density: number, valueMax: number, seed: number): { idx: number[]; val: number[] }[] {
  const rnd = prng(seed);
  return Array.from({ length: steps }, () => {
    const idx: number[] = [];
    const val: number[] = [];
    for (let i = 0; i < M; i++) {
      if (rnd() < density) {
        idx.push(i);
        val.push(valueMax > 1 ? 1 + Math.floor(rnd() * valueMax) : 1);
      }
    }
    return { idx, val };
  });
}

/** Drive layer `l` of `plan` for every sample and timestep of the plan, with runtime seed `seed`. */
export async function runBlock(plan: PlannedModel, l: number, opts: { seed: number; density: number; stimulusSeed: number }): Promise<BlockRun> {
  const L = plan.layers[l];
  const op = opOf(L);
  const S = plan.samples;
  const T = plan.timesteps;
  // A conv layer's events index its C·H·W input, a dense layer's its fan-in; values up to the layer's input max.
  const inputs = L.kind === 'conv2d' ? L.inShape.c * L.inShape.h * L.inShape.w : L.fanIn;
  const valued = L.inputMax > 1;
  // Direct input is the same at every timestep, and the module keeps the list it was given once per inference.
  const drawn = eventLists(inputs, L.directInput ? 1 : S * T, opts.density, L.inputMax, opts.stimulusSeed);
  const lists = L.directInput ? Array.from({ length: S * T }, () => drawn[0]) : drawn;

  // The golden side: the op's runtime, step by step.
  const rt = op.runtime(L, plan, goldenScratch(plan));
  rt.reseed(opts.seed);
  const golden: string[][] = [];
  const values = op.ports(L).valueBits;
  const spikes: Int32Array[] = []; // per timestep, by pass
  for (let s = 0; s < S; s++) {
    rt.startSample();
    for (let t = 0; t < T; t++) {
      const { idx, val } = lists[s * T + t];
      const votes = new Int32Array(L.size);
      const n = rt.step(Int32Array.from(idx), valued ? Int32Array.from(val) : null, idx.length, votes);
      const passes = new Int32Array(L.passes);
      for (let e = 0; e < n; e++) passes[op.outputPass(L, rt.outIdx[e])]++;
      spikes.push(passes);
      // events that carry values (a sum pool) print "index value"; a layer that votes prints every vote
      const outVal = rt.outVal;
      if (outVal) golden.push(Array.from(rt.outIdx.subarray(0, n), (i, e) => `${i} ${outVal[e]}`));
      else golden.push(values === null ? Array.from(rt.outIdx.subarray(0, n), String) : Array.from(votes, (v, i) => `${i} ${v}`));
    }
  }

  // The RTL side: the module, its LFSRs and memories, and the testbench.
  const design = emitVerilog(plan);
  const module = `${plan.name}_layer${l}`;
  const files = design.files.filter((f) => f.path.includes('_lfsr_') || f.path.includes(`_layer${l}`));
  const work = mkdtempSync(join(tmpdir(), 'bsnn-block-'));
  try {
    for (const f of files) writeFileSync(join(work, f.path.split('/').pop()!), f.content);
    const words = drawn.flatMap(({ idx, val }) => [idx.length, ...idx.map((i, e) => ((val[e] << 24) | i) >>> 0)]);
    writeFileSync(join(work, 'stim.hex'), words.map((w) => w.toString(16)).join('\n') + '\n');
    const tb = render(HERE, 'layer_tb.v.hbs', {
      module,
      seed: (opts.seed >>> 0).toString(16).padStart(8, '0'),
      iwMsb: addrBits(inputs) - 1,
      iwBits: addrBits(inputs),
      owMsb: addrBits(L.outputs) - 1,
      inValues: valued,
      inValMsb: countBits(L.inputMax) - 1,
      conv: L.kind === 'conv2d',
      values: values !== null,
      valMsb: (values ?? 1) - 1,
      direct: L.directInput,
      perSample: plan.mode === 'per-sample',
      dual: L.eventsPerCycle === 2,
      dualDraw: L.eventsPerCycle === 2 && plan.mode !== 'per-sample',
      convPairs: L.kind === 'conv2d' && L.offsetsPerCycle === 2,
      convPairDraw: L.kind === 'conv2d' && L.offsetsPerCycle === 2 && plan.mode !== 'per-sample',
      persistent: L.directInput,
      stimMax: words.length - 1,
      S,
      T,
    });
    writeFileSync(join(work, 'tb.v'), tb);
    const sources = files.filter((f) => f.path.endsWith('.v')).map((f) => f.path.split('/').pop()!);
    await run('iverilog', ['-g2012', '-o', 'sim', 'tb.v', ...sources], { cwd: work });
    await run('vvp', ['-n', 'sim'], { cwd: work, maxBuffer: 64 << 20 });
    const lines = readFileSync(join(work, 'out.txt'), 'utf8').trim().split('\n');
    const rtl: string[][] = Array.from({ length: S * T }, () => []);
    const sampleBusy: number[] = [];
    const stepBusy: number[] = [];
    let counts: number[] = [];
    for (const line of lines) {
      const [tag, ...w] = line.split(' ');
      const n = w.map(Number);
      if (tag === 'OUT') rtl[n[0] * T + n[1]].push(w.slice(2).join(' '));
      else if (tag === 'SAMPLE') sampleBusy.push(n[1]);
      else if (tag === 'STEP') stepBusy.push(n[2]);
      else if (tag === 'COUNT') counts = n;
    }
    const [rows, accs, draws, updates, sampled] = counts;
    const events = lists.reduce((a, x) => a + x.idx.length, 0);
    return {
      rtl,
      golden,
      sampleBusy,
      stepBusy,
      predictedSampleBusy: Array.from({ length: S }, () => op.sampleBusy(L, plan.mode === 'per-sample')),
      predictedStepBusy: lists.map((x, i) => op.stepBusy(L, x.idx.length, spikes[i])),
      counted: { memReads: rows + sampled, weightDraws: draws * L.lanes, accUpdates: accs * L.lanes, neuronUpdates: updates * L.lanes },
      predicted: op.activity(L, plan, { events, spikes: spikes.reduce((a, p) => a + p.reduce((x, y) => x + y, 0), 0) }),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
