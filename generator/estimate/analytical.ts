/**
 * Analytical resource model: LUT, FF, CARRY4, MUXF7/8, block RAM and DSP per block, from the planned IR alone,
 * in well under a millisecond per layer (for sweeps over lanes and probBits). The same block names as
 * `blocksFromStat` (real Yosys figures): `control`, `encoder`, `layer<l>/datapath`, `layer<l>/weight rng`,
 * `layer<l>/noise rng`.
 *
 * How each figure is obtained:
 * - Block RAM is exact: every memory of the RTL is described as Yosys sees it at `memory_libmap` (depth, width
 *   after constant bit lanes are removed, ROM or RAM, transparent or not, `*_style = "block"` or not), and the
 *   cost-based choice of Yosys 0.23 `memory_libmap` for `synth_xilinx -family xc7` is replayed
 *   (`mapMemory`): logic, LUT RAM (RAM32M/RAM64M) or RAMB18E1/RAMB36E1, with its geometry.
 * - Flip-flops are counted register by register from the templates (nearly exact).
 * - LFSR leap blocks are exact: their netlist depends only on k (table `LFSR_CELLS`, from Yosys).
 * - The remaining LUT, CARRY4 and MUXF figures are structural features (adder bits, comparator bits, ROM bits,
 *   mux inputs) times coefficients fitted by least squares against Yosys runs (see `COEF`).
 * - DSP is always 0: binary synapses multiply nothing.
 *
 * The pieces live where they belong: memory_libmap in libmap.ts, the shared building blocks and the encoder and
 * control blocks in structure.ts, each layer kind's blocks in its op (generator/ops/<kind>/cost.ts).
 */
import type { PlannedModel } from '../ir/types.js';
import { opOf } from '../ops/registry.js';
import { addResources, emptyResources } from './cells.js';
import { controlStructure, encoderStructure, type BlockStructure } from './structure.js';
import type { BlockResources, Resources } from './types.js';

/** Every block of a design, before the fitted coefficients. */
export function designStructure(plan: PlannedModel): BlockStructure[] {
  const blocks = [controlStructure(plan), encoderStructure(plan)];
  for (const L of plan.layers) blocks.push(...opOf(L).structures(plan, L));
  return blocks;
}

// ---------------------------------------------------------------------------------------------------------
// Fitted coefficients and the estimate
// ---------------------------------------------------------------------------------------------------------

type FittedKind = 'datapath' | 'control' | 'encoder';
type FittedResource = 'lut' | 'carry4' | 'muxf7' | 'muxf8';

/**
 * Per block kind and resource: cells per unit of each feature (a feature absent here has coefficient 0).
 * LUTs here are logic LUTs; LUTs as memory are counted exactly from the memory mapping.
 *
 * How they were fitted: non-negative least squares per block kind and resource, each block weighted by
 * 1/sqrt(max(20, cells)) so that small blocks count, against native Yosys 0.23 `synth_xilinx -family xc7
 * -noiopad` (hierarchical, the flow of generator/synth/yosys.ts) of a calibration set of 160 designs:
 * - 90 random networks (random.ts models; options drawn with mulberry32 from seeds 7 and 8): 4..256 inputs,
 *   1..3 layers of 2..128 neurons, 1..32 lanes (some P > N), k 1..8, both sampling modes, no / uniform /
 *   logistic noise of 1..6 bits, leak, bias, both resets, rate and direct input, B 6..24, T 1..30, S 1..5;
 * - 66 sweeps around single layers (mostly 16 inputs, 8 neurons, 8 lanes): B 6..24 in steps of 1 or 2 in three
 *   configurations, B 8/16/24 x {base, leak, bias, noise, zero reset, direct}, P 1..12, k 1/2/6/8, M 3/40/200,
 *   per-sample, noise kinds;
 * - 4 block-RAM-heavy networks (784-32-10, 784-16 direct, 20-600 with P = 1, 100-256 per-sample).
 * Fit error on design totals (LUTs, logic + memory): in-sample RMS 3.9 %, worst 11.9 %; 5-fold
 * cross-validation RMS 4.4 %, worst 13.7 % (8 of 160 designs beyond 10 %, all small: 300..1800 LUTs).
 * Outside the set: 784-128-10 (P = 8, 2327 LUTs) +3.4 %, 64-64-10 with P = 32 and noise (6019 LUTs) +0.1 %;
 * the held-out networks of tests/estimate.analytical.test.ts -7.8 %..+2.5 %. CARRY4 in-sample RMS 6.0 %.
 * MUXF7 / MUXF8 are small counts and only indicative (RMS 50 % / 180 %). Flip-flops are not fitted: within 2
 * of Yosys on every block but three (+3, +4, +6), 0.13 % RMS on totals; block RAM equal on all 160 designs
 * and on 121 isolated memories (ROM and RAM, 64..40000 words, 1..100 bits, with and without "block").
 */
export const COEF: Readonly<Record<FittedKind, Readonly<Record<FittedResource, Readonly<Record<string, number>>>>>> = {
  datapath: {
    // seed*: fitted separately on the runtime-seed logic alone (Yosys, 18 layers of 10 held-out networks,
    // before and after it was added): 17.5 + 8.7·k per shared LFSR, 7.7 + 0.16·k per stream
    // drawPair, pairDirect: fitted separately on two-events-per-cycle designs alone (Yosys, 11 layers of 8
    // random networks, k 1..8, 4..32 lanes, direct and spike input), as the residual of the rest of the model
    lut: { drawPair: 3.3015, pairDirect: 8.4931, seedLfsr: 17.494, seedLfsrK: 8.683, seedStream: 7.697, seedStreamK: 0.157, one: 10.2348, wcmp: 0.9707, acc: 2.3434, accDirect: 1.3014, updBias: 0.3708, updBiasRom: 0.1746, updLeak: 0.8185, updNoise: 0.6798, updSub: 1.0599, vnext: 1.3008, wide13: 9.2592, sumHigh: 1.7636, vBypass: 0.2568, ctrl: 0.9026, romProb: 0.935, romProbF7: 0.026, romRows: 1.2463, romNoise: 0.7577, memMux: 0.6319 },
    carry4: { wcmp: 0.1287, acc: 0.6275, accDirect: 0.0613, updLeak: 0.0387, updNoise: 0.6316, updSub: 0.3266, wide13: 2.6561, sumHigh: 0.4864, vBypass: 0.0458, ctrl: 0.1587, romProbF8: 0.0818, romRows: 0.0727, memMux: 0.0197 },
    muxf7: { one: 6.5092, wcmp: 0.0431, accDirect: 0.0078, updBiasRom: 0.0205, updLeak: 0.0015, romProb: 0.1714, romProbF7: 0.5294, romRows: 0.1072, memMux: 0.1764 },
    muxf8: { one: 2.9052, wcmp: 0.0157, romProb: 0.0302, romProbF8: 0.3392, romRows: 0.044, memMux: 0.0327 },
  },
  control: {
    lut: { one: 62.02, votes: 0.9212, words: 2.041, count: 2.7854, cls: 1.9718 },
    carry4: { one: 6.5788, count: 0.5506, cls: 0.3479, st: 0.2838 },
    muxf7: { votes: 0.0719, words: 0.3237 },
    muxf8: { words: 0.017, cls: 0.0353, trace: 0.0297 },
  },
  encoder: {
    lut: { one: 10.1095, count: 0.165, memMux: 0.6294 },
    carry4: { one: 1.6098, count: 0.1072 },
    muxf7: { one: 1.9125 },
    muxf8: { one: 0.5187 },
  },
};

function fitted(kind: FittedKind, res: FittedResource, features: Record<string, number>): number {
  const c = COEF[kind][res];
  let x = 0;
  for (const [name, v] of Object.entries(features)) x += v * (c[name] ?? 0);
  return Math.max(0, Math.round(x));
}

function blockResources(s: BlockStructure): Resources {
  const r: Resources = { ...s.exact, lutBySize: {} };
  if (s.kind !== 'rng') {
    r.lut += fitted(s.kind, 'lut', s.features);
    r.carry4 += fitted(s.kind, 'carry4', s.features);
    r.muxf7 += fitted(s.kind, 'muxf7', s.features);
    r.muxf8 += fitted(s.kind, 'muxf8', s.features);
  }
  return r;
}

/**
 * Resources of the generated design, per block and in total, without running synthesis (about a millisecond
 * for a 784-512-512-10 plan). Same blocks as `blocksFromStat`. `lutBySize` is not modelled (empty).
 */
export function estimateResources(plan: PlannedModel): { total: Resources; blocks: BlockResources[] } {
  const blocks: BlockResources[] = designStructure(plan)
    .map((s) => ({ block: s.block, layer: s.layer, resources: blockResources(s) }))
    .sort((a, b) => a.block.localeCompare(b.block));
  const total = blocks.reduce((t, b) => addResources(t, b.resources), emptyResources());
  // Binary synapses add or subtract; nothing multiplies, so no DSP48E1 is ever inferred.
  if (total.dsp !== 0) throw new Error(`analytical model: ${total.dsp} DSP48E1 estimated, the design has no multiplier`);
  return { total, blocks };
}
