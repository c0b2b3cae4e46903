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
 */
import { BRAM_THRESHOLD_BITS } from '../emit/verilog.js';
import { addrBits, countBits } from '../ir/widths.js';
import type { PlannedLayer, PlannedModel } from '../ir/types.js';
import { addResources, emptyResources } from './cells.js';
import type { BlockResources, Resources } from './types.js';

// ---------------------------------------------------------------------------------------------------------
// Memories: Yosys 0.23 memory_libmap, replayed
// ---------------------------------------------------------------------------------------------------------

/** One memory as `memory_libmap` sees it. */
export interface MemorySpec {
  name: string;
  /** Words (Yosys SIZE). */
  depth: number;
  /** Bits per word after `opt_mem` dropped the bit lanes that never change. */
  width: number;
  /** No write port. */
  rom: boolean;
  /** The read port must see a write of the previous cycle's edge (an asynchronous read behind an address register). */
  transparent: boolean;
  /** `(* ram_style / rom_style = "block" *)`: only block RAM is allowed. */
  block: boolean;
}

export type MemoryKind = 'none' | 'logic' | 'lutram' | 'bram';

export interface MemoryMapping {
  spec: MemorySpec;
  kind: MemoryKind;
  /** Yosys cell the memory became ('' for logic). */
  primitive: string;
  /** memory_libmap's cost of the choice. */
  cost: number;
  /** Physical cells (LUT RAM or block RAM primitives). */
  cells: number;
  bram18: number;
  bram36: number;
  /** LUTs used as memory (RAM32M / RAM64M are 4 LUTs each, RAM64X1D 2, RAM128X1D 4). */
  lutAsMemory: number;
  /** Address ranges the depth is split into (1 = no external read mux). */
  multA: number;
}

interface RamOption {
  id: string;
  kind: 'lutram' | 'bram';
  option: string;
  /** log2 of the depth at the narrowest width. */
  abits: number;
  /** Selectable widths (per port for block RAM, one global width for LUT RAM). */
  dbits: number[];
  cost: number;
  /** Part of the cost that scales with the bits used (`widthscale;` alone in the library means all of it). */
  widthscale: number;
  /** Byte (write enable) granularity; 0 = none. */
  byte: number;
  /** LUT RAM that cannot hold a ROM (prune_rom). */
  pruneRom: boolean;
  /** LUT RAM: the read port is asynchronous (a synchronous read costs an output register, emulated). */
  asyncRead: boolean;
  /** Block RAM primitives per cell. */
  bram18: number;
  bram36: number;
  /** LUTs per LUT RAM cell; for per-bit cells (RAM64X1D) per used bit, see lutPerBit. */
  lutsPerCell: number;
  lutPerBit: boolean;
}

/**
 * The RAM library `synth_xilinx -family xc7` gives memory_libmap (lutrams_xc5v.txt, brams_xc4v.txt with
 * HAS_SIZE_36, HAS_CASCADE, HAS_CONFLICT_BUG, HAS_MIXWIDTH_SDP), in library order: ties go to the first.
 * The single-port LUT RAM is left out: our read and write addresses always differ, so it never applies.
 */
const lutram = (id: string, abits: number, width: number, cost: number, widthscale: number, lutsPerCell: number, lutPerBit = false): RamOption => ({
  id: `$__XILINX_LUTRAM_${id}_`,
  kind: 'lutram',
  option: `ABITS ${abits}`,
  abits,
  dbits: [width],
  cost,
  widthscale,
  byte: 0,
  pruneRom: true,
  asyncRead: true,
  bram18: 0,
  bram36: 0,
  lutsPerCell,
  lutPerBit,
});
const blockram = (id: string, option: string, abits: number, dbits: number[], cost: number, bram18: number, bram36: number): RamOption => ({
  id: `$__XILINX_BLOCKRAM_${id}_`,
  kind: 'bram',
  option,
  abits,
  dbits,
  cost,
  widthscale: 0,
  byte: 9,
  pruneRom: false,
  asyncRead: false,
  bram18,
  bram36,
  lutsPerCell: 0,
  lutPerBit: false,
});
const RAM_LIBRARY: RamOption[] = [
  // dual-port LUT RAM: RAM32M (4 LUTs), RAM64X1D per bit (2 LUTs), RAM128X1D per bit (4 LUTs)
  lutram('DP', 5, 4, 8, 8, 4),
  lutram('DP', 6, 2, 8, 8, 2, true),
  lutram('DP', 7, 1, 8, 8, 4, true),
  // quad-port LUT RAM: RAM32M, RAM64M
  lutram('QP', 5, 2, 7, 7, 4),
  lutram('QP', 6, 1, 7, 7, 4),
  // simple dual-port LUT RAM: RAM32M (6 bits x 32), RAM64M (3 bits x 64)
  lutram('SDP', 5, 6, 8, 7, 4),
  lutram('SDP', 6, 3, 8, 7, 4),
  // block RAM, true dual port: RAMB18E1, RAMB36E1, two cascaded RAMB36E1
  blockram('TDP', 'HALF', 14, [1, 2, 4, 9, 18], 129, 1, 0),
  blockram('TDP', 'FULL', 15, [1, 2, 4, 9, 18, 36], 257, 0, 1),
  blockram('TDP', 'CASCADE', 16, [1, 2, 4, 9], 513, 0, 2),
  // block RAM, simple dual port (mixed widths allowed on 7-series)
  blockram('SDP', 'HALF', 14, [1, 2, 4, 9, 18, 36], 129, 1, 0),
  blockram('SDP', 'FULL', 15, [1, 2, 4, 9, 18, 36, 72], 257, 0, 1),
];

/** memory_libmap's per-bit cost of a memory lowered to logic (synth_xilinx: -logic-cost-rom 0.015625; RAM default 1). */
const LOGIC_COST_ROM = 0.015625;
const LOGIC_COST_RAM = 1;
/** memory_libmap's weights of the soft logic a mapping needs (FACTOR_MUX, FACTOR_DEMUX, FACTOR_EMU). */
const FACTOR_MUX = 0.5;
const FACTOR_DEMUX = 0.5;
const FACTOR_EMU = 2;

interface Geometry {
  cost: number;
  repl: number;
  multA: number;
  unit: number;
}

/** handle_geom for one library option: the cheapest base width (first wins ties). One write port, one read port, no wide ports. */
function geometry(mem: MemorySpec, opt: RamOption, scoreEmu: number): Geometry {
  let best: Geometry | undefined;
  for (let b = 0; b < opt.dbits.length; b++) {
    const unit = opt.dbits[b];
    let effByte = opt.byte === 0 || opt.byte > unit ? unit : opt.byte;
    if (mem.rom) effByte = 1;
    const swizzle = Math.ceil(mem.width / effByte) * effByte;
    const addrs = 2 ** (opt.abits - b);
    const multA = Math.ceil(mem.depth / addrs);
    const repl = Math.ceil((multA * swizzle) / unit);
    const scoreMux = (multA - 1) * mem.width;
    const scoreDemux = !mem.rom && multA !== 1 ? multA : 0;
    let cost = (opt.cost - opt.widthscale) * repl;
    cost += (opt.widthscale * multA * mem.width) / unit;
    cost += scoreMux * FACTOR_MUX + scoreDemux * FACTOR_DEMUX + scoreEmu * FACTOR_EMU;
    if (!best || cost < best.cost) best = { cost, repl, multA, unit };
  }
  return best!;
}

/** The mapping Yosys 0.23 `synth_xilinx -family xc7` chooses for one memory. */
export function mapMemory(mem: MemorySpec): MemoryMapping {
  const base = { spec: mem, cells: 0, bram18: 0, bram36: 0, lutAsMemory: 0, multA: 1 };
  if (mem.depth <= 0 || mem.width <= 0) return { ...base, kind: 'none', primitive: '', cost: 0 };
  const logicCost = mem.width * mem.depth * (mem.rom ? LOGIC_COST_ROM : LOGIC_COST_RAM);
  // Emulation score: one point for the (unshared) read port, three for soft transparency logic.
  const scoreEmu = 1 + (mem.transparent ? 3 : 0);
  let chosen: { opt: RamOption; g: Geometry } | undefined;
  // memory_libmap keeps the logic fallback's cost in an int (truncated); a hard mapping must beat it strictly.
  let best = mem.block ? Infinity : Math.trunc(logicCost);
  for (const opt of RAM_LIBRARY) {
    if (mem.block && opt.kind !== 'bram') continue;
    if (mem.rom && opt.pruneRom) continue;
    const g = geometry(mem, opt, scoreEmu);
    if (g.cost < best) {
      best = g.cost;
      chosen = { opt, g };
    }
  }
  if (!chosen) return { ...base, kind: 'logic', primitive: '', cost: logicCost };
  const { opt, g } = chosen;
  const lutAsMemory = opt.kind === 'lutram' ? (opt.lutPerBit ? g.multA * mem.width * opt.lutsPerCell : g.repl * opt.lutsPerCell) : 0;
  return {
    spec: mem,
    kind: opt.kind,
    primitive: `${opt.id} ${opt.option}`,
    cost: g.cost,
    cells: g.repl,
    bram18: g.repl * opt.bram18,
    bram36: g.repl * opt.bram36,
    lutAsMemory,
    multA: g.multA,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The memories of a planned design
// ---------------------------------------------------------------------------------------------------------

/** Bit lanes of a row-major table (rows × width bits, `bit(r, c)`) that take more than one value. */
function varyingColumns(rows: number, width: number, bit: (r: number, c: number) => number): number {
  if (rows <= 1) return 0;
  let n = 0;
  for (let c = 0; c < width; c++) {
    const b0 = bit(0, c);
    for (let r = 1; r < rows; r++) {
      if (bit(r, c) !== b0) {
        n++;
        break;
      }
    }
  }
  return n;
}

/** Distinct bit-lane patterns among the lanes that vary (identical lanes of a logic ROM share their logic and register). */
function distinctVaryingColumns(rows: number, width: number, bit: (r: number, c: number) => number, into = new Set<string>()): Set<string> {
  if (rows <= 1) return into;
  for (let c = 0; c < width; c++) {
    let s = '';
    let varies = false;
    const b0 = bit(0, c);
    for (let r = 0; r < rows; r++) {
      const b = bit(r, c);
      if (b !== b0) varies = true;
      s += b;
    }
    if (varies) into.add(s);
  }
  return into;
}

/**
 * Lanes whose results can reach an output. With one pass the pass counter is constant, so padding lanes
 * (P > N) never spike and Yosys removes everything they compute; with several passes they serve real neurons.
 */
export const liveLanes = (L: PlannedLayer): number => (L.passes === 1 ? Math.min(L.lanes, L.size) : L.lanes);

/**
 * Probability ROM: bit lanes (lane j, code bit b) that differ between rows, and lanes whose weight bit is a
 * constant (the code never changes and is 0, a certain -1, or all ones, a certain +1).
 */
function probLanes(L: PlannedLayer): { varying: number; constantWeightLanes: number; binaryLanes: number } {
  const P = L.lanes;
  const live = liveLanes(L);
  const k = L.probBits;
  const n = L.passes * L.fanIn * P;
  const mask = (1 << k) - 1;
  const q = L.probRows;
  let varying = 0;
  let constantWeightLanes = 0;
  let binaryLanes = 0;
  for (let j = 0; j < live; j++) {
    // OR and AND of the lane's codes: a bit varies iff it is set in some row and clear in another. Stop as
    // soon as every bit varies and some code is neither 0 nor all ones (nothing more to learn).
    let or = 0;
    let and = mask;
    let nonBinary = false;
    for (let i = j; i < n; i += P) {
      const c = q[i];
      or |= c;
      and &= c;
      if (c !== 0 && c !== mask) nonBinary = true;
      if ((or ^ and) === mask && (nonBinary || k === 1)) break;
    }
    if (!nonBinary) binaryLanes++; // codes only ever 0 or all ones: w = q, the draw is not needed
    let v = or ^ and;
    if (v === 0 && (or === 0 || and === mask)) constantWeightLanes++;
    while (v) {
      varying += v & 1;
      v >>>= 1;
    }
  }
  return { varying, constantWeightLanes, binaryLanes };
}

/** Per-neuron values in pass rows (padding neurons 0): bit (f, c) of lane floor(c / B). */
function rowBit(values: Int32Array, L: PlannedLayer): (f: number, c: number) => number {
  const P = L.lanes;
  const B = L.membraneBits;
  return (f, c) => {
    const n = f * P + Math.floor(c / B);
    return n < values.length ? (values[n] >>> c % B) & 1 : 0;
  };
}

/** Per-neuron values laid out in pass rows (padding neurons 0), B bits each: lanes that vary between passes. */
function rowVaryingColumns(values: Int32Array, L: PlannedLayer): number {
  return varyingColumns(L.passes, L.lanes * L.membraneBits, rowBit(values, L));
}

export interface LayerMemories {
  ev: MemorySpec;
  prob: MemorySpec;
  held: MemorySpec | null;
  v: MemorySpec;
  thr: MemorySpec;
  bias: MemorySpec;
  /** One noise table per lane: an asynchronous ROM of at most 256 words, always logic (cheaper than any block RAM). */
  noise: MemorySpec | null;
}

export function layerMemories(plan: PlannedModel, L: PlannedLayer, lanes = probLanes(L)): LayerMemories {
  const direct = L.index === 0 && plan.input.encoding === 'direct';
  const P = L.lanes;
  const rows = L.passes * L.fanIn;
  const iw = addrBits(L.fanIn);
  const name = (m: string) => `layer${L.index}.${m}`;
  const noise = L.noise
    ? {
        name: name('eta'),
        depth: 2 ** L.noise.bits,
        width: varyingColumns(L.noise.table.length, L.noise.tableBits, (r, c) => (L.noise!.table[r] >>> c) & 1),
        rom: true,
        transparent: false,
        block: false,
      }
    : null;
  return {
    ev: { name: name('evmem'), depth: L.fanIn, width: iw + (direct ? 8 : 0), rom: false, transparent: false, block: false },
    prob: {
      name: name('probmem'),
      depth: rows,
      width: lanes.varying,
      rom: true,
      transparent: false,
      block: rows * P * L.probBits >= BRAM_THRESHOLD_BITS,
    },
    held:
      plan.mode === 'per-sample'
        ? { name: name('heldmem'), depth: rows, width: liveLanes(L) - lanes.constantWeightLanes, rom: false, transparent: false, block: rows * P >= BRAM_THRESHOLD_BITS }
        : null,
    // the potential readout layer has no membranes and no thresholds (width 0: no memory)
    v: { name: name('vmem'), depth: L.passes, width: L.readout ? 0 : liveLanes(L) * L.membraneBits, rom: false, transparent: true, block: false },
    thr: { name: name('thrmem'), depth: L.passes, width: L.readout ? 0 : rowVaryingColumns(L.threshold, L), rom: true, transparent: false, block: false },
    bias: { name: name('biasmem'), depth: L.passes, width: rowVaryingColumns(L.bias, L), rom: true, transparent: false, block: false },
    noise,
  };
}

export function encoderMemory(plan: PlannedModel): MemorySpec {
  return { name: 'encoder.inmem', depth: plan.input.size, width: 8, rom: false, transparent: false, block: false };
}

// ---------------------------------------------------------------------------------------------------------
// LFSR leap blocks: exact (the netlist depends only on k; the seed only picks FDRE or FDSE)
// ---------------------------------------------------------------------------------------------------------

/** Yosys 0.23 synth_xilinx of `<name>_lfsr_k<k>` (lfsr_leap.v.hbs): 32 flip-flops plus the leap XORs. */
export const LFSR_CELLS: Readonly<Record<number, { lut: number; muxf7: number; muxf8: number }>> = {
  1: { lut: 1, muxf7: 0, muxf8: 0 },
  2: { lut: 2, muxf7: 0, muxf8: 0 },
  3: { lut: 3, muxf7: 0, muxf8: 0 },
  4: { lut: 7, muxf7: 2, muxf8: 1 },
  5: { lut: 6, muxf7: 0, muxf8: 0 },
  6: { lut: 10, muxf7: 0, muxf8: 0 },
  7: { lut: 13, muxf7: 0, muxf8: 0 },
  8: { lut: 16, muxf7: 1, muxf8: 0 },
};

/**
 * The encoder's input stream (encoder.v.hbs, inline): the k = 8 LFSR above made loadable with the runtime
 * seed (semantics §1.2): a load-or-shift LUT per state bit, the registered 32-bit match against seed(0).
 * Yosys 0.23 on 7 rate-coded designs: +46..+51 LUTs, +1 FF, +10..19 MUXF7, +5..8 MUXF8 over the plain LFSR.
 */
export const ENCODER_STREAM_CELLS = { lut: 16 + 48, ff: 33, muxf7: 1 + 14, muxf8: 6 } as const;

function lfsrResources(k: number, count: number): Resources {
  const c = LFSR_CELLS[k];
  return { ...emptyResources(), lut: c.lut * count, ff: 32 * count, muxf7: c.muxf7 * count, muxf8: c.muxf8 * count };
}

// ---------------------------------------------------------------------------------------------------------
// Structure of each block: exact parts (flip-flops, memories, LFSRs) and features for the fitted parts
// ---------------------------------------------------------------------------------------------------------

/** A block before the fitted coefficients are applied. */
export interface BlockStructure {
  block: string;
  layer: number | null;
  kind: 'control' | 'encoder' | 'datapath' | 'rng';
  /** Counted exactly: flip-flops, block RAM, LUTs as memory, LFSR cells. */
  exact: Resources;
  /** Inputs of the fitted LUT / CARRY4 / MUXF7 / MUXF8 terms (see COEF). */
  features: Record<string, number>;
  memories: MemoryMapping[];
}

const log2c = (x: number) => Math.ceil(Math.log2(Math.max(1, x)));
const trailingZeros = (x: number) => {
  let n = 0;
  while (x > 0 && x % 2 === 0) {
    x /= 2;
    n++;
  }
  return n;
};

/**
 * Flip-flops a memory's mapping adds: the read-data register of a synchronous port (its own for block RAM),
 * every word of a RAM kept in flip-flops, the registered select of the output mux when block RAM is split in
 * depth, and soft transparency for block RAM (a write-data register and a match bit).
 */
function memoryRegisters(m: MemoryMapping, readRegister: boolean): number {
  const { depth, width } = m.spec;
  switch (m.kind) {
    case 'none':
      return 0;
    case 'logic':
      return (m.spec.rom ? 0 : depth * width) + (readRegister ? width : 0);
    case 'lutram':
      return readRegister ? width : 0;
    case 'bram':
      return log2c(m.multA) + (m.spec.transparent ? width + 1 : 0);
  }
}

/** LUTs of the weight draw `(r < q) | &q` alone, by k (Yosys 0.23 synth_xilinx of the expression between registers). */
const WEIGHT_COMPARE_LUTS = [0, 0, 1, 1, 4, 5, 6, 7, 10];

/** LUTs of one bit lane of a logic ROM of `depth` words behind a plain address (a LUT6 covers 64 words). */
export const romLaneLuts = (depth: number): number => (depth <= 8 ? 0.5 : 2 ** Math.max(0, log2c(depth) - 6));
/**
 * The same behind a two-way address mux (the per-sample probability ROM, the row ROMs behind f's next value):
 * abc does not share the mux, the ROM grows about fourfold past 64 words (Yosys runs of bimodal ROMs).
 */
export const romMuxLaneLuts = (depth: number): number => (depth <= 8 ? 0.9 : depth <= 32 ? 1.4 : depth <= 64 ? 1.8 : 0.075 * depth);

/** What one layer's blocks need, computed once. */
interface LayerAnalysis {
  live: number;
  mems: LayerMemories;
  ev: MemoryMapping;
  prob: MemoryMapping;
  held: MemoryMapping | null;
  v: MemoryMapping;
  thr: MemoryMapping;
  bias: MemoryMapping;
  noise: MemoryMapping | null;
  /**
   * Weight streams whose draw reaches a weight. Not needed: every stream when k = 1 (w = q), a lane whose code
   * never changes and is 0 or all ones, and, when the probability ROM is logic (identical bit lanes merged, so
   * the tools see q = {x, .., x}), a lane whose codes are only ever 0 or all ones: w = x there.
   */
  weightStreams: number;
}

function analyseLayer(plan: PlannedModel, L: PlannedLayer): LayerAnalysis {
  const lanes = probLanes(L);
  const mems = layerMemories(plan, L, lanes);
  const prob = mapMemory(mems.prob);
  const live = liveLanes(L);
  return {
    live,
    mems,
    ev: mapMemory(mems.ev),
    prob,
    held: mems.held ? mapMemory(mems.held) : null,
    v: mapMemory(mems.v),
    thr: mapMemory(mems.thr),
    bias: mapMemory(mems.bias),
    noise: mems.noise ? mapMemory(mems.noise) : null,
    weightStreams: L.probBits === 1 ? 0 : live - (prob.kind === 'logic' ? lanes.binaryLanes : lanes.constantWeightLanes),
  };
}

/**
 * The runtime-seed logic of a layer (layer.v.hbs): one runtime-seed LFSR for the weight streams in use and
 * one for the noise streams (k and m bits per draw), and per stream in use a registered lock-up match and a
 * k- or m-bit XOR. Streams Yosys removes (weights that never need a draw) take their share with them.
 */
function runtimeSeedStructure(L: PlannedLayer, an: LayerAnalysis): { lfsrs: number; lfsrBits: number; streams: number; streamBits: number } {
  const w = an.weightStreams;
  const n = L.noise ? an.live : 0;
  const m = L.noise ? L.noise.bits : 0;
  return {
    lfsrs: (w > 0 ? 1 : 0) + (n > 0 ? 1 : 0),
    lfsrBits: (w > 0 ? L.probBits : 0) + (n > 0 ? m : 0),
    streams: w + n,
    streamBits: w * L.probBits + n * m,
  };
}

export function layerStructure(plan: PlannedModel, L: PlannedLayer, an = analyseLayer(plan, L)): BlockStructure {
  const P = L.lanes;
  const F = L.passes;
  const M = L.fanIn;
  const B = L.membraneBits;
  const A = L.accBits;
  const k = L.probBits;
  const { live, ev, prob, held, v, thr, bias, noise } = an;
  const direct = L.index === 0 && plan.input.encoding === 'direct';
  const perSample = plan.mode === 'per-sample';
  const rows = F * M;
  const ew = countBits(M);
  const ow = addrBits(L.size);
  const fw = addrBits(F);
  const rw = addrBits(rows);
  const etaBits = L.noise ? L.noise.tableBits : 1;
  const W = L.datapathBits;
  const multiPass = F > 1;
  // Logic ROMs: identical bit lanes share their logic and their read register (opt_merge).
  const probLogicLanes =
    prob.kind === 'logic' ? distinctVaryingColumns(rows, live * k, (r, c) => (L.probRows[r * P + Math.floor(c / k)] >>> c % k) & 1).size : 0;
  const rowLanes = new Set<string>();
  if (thr.kind === 'logic') distinctVaryingColumns(F, P * B, rowBit(L.threshold, L), rowLanes);
  if (bias.kind === 'logic') distinctVaryingColumns(F, P * B, rowBit(L.bias, L), rowLanes);

  let ff = 0;
  ff += (perSample ? 8 : 7) - (L.readout ? 2 : 0); // state, one-hot (FSM recoding); the readout layer has no S_SAT, S_WB
  ff += 1; // busy
  ff += multiPass ? fw : 0; // f (always 0 with one pass)
  // row_base and pass_base step by M and P from 0: their trailing-zero bits are constant; one pass, all constant.
  ff += multiPass ? Math.max(0, rw - trailingZeros(M)) + Math.max(0, ow - trailingZeros(P)) : 0;
  ff += 3 * ew; // wr_ptr, n_ev, e
  ff += M > 1 ? memoryRegisters(ev, true) : ev.spec.width * 2; // ev_q (a one-word list is two registers)
  ff += 2; // p1_v, p2_v
  ff += direct ? 8 : 0; // val2
  ff += perSample ? countBits(rows) + 1 + rw : 0; // smp_addr, sp_v, sp_addr
  ff += prob.kind === 'logic' ? probLogicLanes : memoryRegisters(prob, true); // prob_q
  ff += held ? memoryRegisters(held, true) : 0; // held_q
  ff += live * A; // accumulators
  if (L.readout) {
    ff += live * W + W + log2c(P); // val_q (the lanes that reach out_val), out_val, lane
  } else {
    ff += live; // spk_q
    // Update pipeline: sum_q (W bits), vsat_q (B), eta_q (its sign-extension copies merge to the table width).
    ff += live * (W + B + (L.noise ? L.noise.tableBits : 0));
  }
  ff += 1 + ow; // out_valid, out_idx
  ff += memoryRegisters(v, false); // membranes in flip-flops, or block RAM transparency
  // LUT RAM membranes: the address register extracted from the read port (merged with f for two passes).
  ff += v.kind === 'lutram' && F > 2 ? fw : 0;
  // Runtime seed (semantics §1.2): a shared runtime-seed LFSR per group of streams in use, a lock-up match per stream.
  const seed = runtimeSeedStructure(L, an);
  ff += 32 * seed.lfsrs + seed.streams;
  // Threshold and bias rows, both addressed by f: a logic ROM with one read register per distinct bit lane.
  ff += rowLanes.size + (thr.kind === 'logic' ? 0 : memoryRegisters(thr, true)) + (bias.kind === 'logic' ? 0 : memoryRegisters(bias, true));

  const memories = [ev, prob, ...(held ? [held] : []), v, thr, bias, ...(noise ? Array.from({ length: live }, () => noise) : [])];
  const exact = emptyResources();
  exact.ff = ff;
  for (const m of memories) {
    exact.bram18 += m.bram18;
    exact.bram36 += m.bram36;
    exact.lutAsMemory += m.lutAsMemory;
  }
  exact.lut = exact.lutAsMemory;

  const biasUsed = L.bias.some((x) => x !== 0);
  const aProb = log2c(rows);
  let memMux = 0;
  for (const m of [ev, ...(held ? [held] : []), v, prob]) if (m.kind === 'lutram' || m.kind === 'bram') memMux += (m.multA - 1) * m.spec.width;
  const features: Record<string, number> = {
    one: 1,
    // per live lane: weight draw, accumulator, neuron update (W-bit arithmetic), membrane write-back
    wcmp: an.weightStreams * WEIGHT_COMPARE_LUTS[k],
    acc: live * A,
    accDirect: direct ? live * A : 0,
    updBias: biasUsed && !L.readout ? live * W : 0,
    updBiasRom: biasUsed && multiPass && !L.readout ? live * W : 0,
    updLeak: L.leak > 0 ? live * W : 0,
    updNoise: L.noise ? live * (etaBits + 2) : 0,
    updSub: L.reset === 'subtract' && !L.readout ? live * W : 0,
    // The potential readout layer has no neuron update: its acc + b and val_q shift cost about what the
    // accumulator terms already give (Yosys on 7 such designs: readout block -8 %..+15 %, totals -6 %..+1 %).
    vnext: L.readout ? 0 : live * B,
    // past 12 bits Yosys splits the W-bit compares into more carry-chain chunks: a step per lane (B sweeps)
    wide13: W >= 13 && !L.readout ? live : 0,
    // sum bits above the accumulator (sign extension and carry)
    sumHigh: live * Math.max(0, W - A - 2),
    // transparent LUT RAM / block RAM membranes: a bypass mux per bit
    vBypass: v.kind === 'lutram' || v.kind === 'bram' ? v.spec.width : 0,
    // counters, address adders and compares
    ctrl: 3 * ew + (multiPass ? fw + rw + ow : 0) + (perSample ? countBits(rows) + 2 * rw : 0) + ow + rw,
    // logic ROMs, in LUT equivalents per distinct bit lane
    romProb: prob.kind === 'logic' ? probLogicLanes * (perSample ? romMuxLaneLuts(rows) : romLaneLuts(rows)) : 0,
    romProbF7: prob.kind === 'logic' && aProb >= 7 ? probLogicLanes * 2 ** (aProb - 7) : 0,
    romProbF8: prob.kind === 'logic' && aProb >= 8 ? probLogicLanes * 2 ** (aProb - 8) : 0,
    romRows: rowLanes.size * romMuxLaneLuts(F),
    romNoise: noise && noise.kind === 'logic' ? live * noise.spec.width * romLaneLuts(noise.spec.depth) : 0,
    // LUT RAM / block RAM split in depth: the read mux
    memMux,
    // runtime seed: shared LFSRs (their load mux and leap XORs), per stream the lock-up match and the XOR
    seedLfsr: seed.lfsrs,
    seedLfsrK: seed.lfsrBits,
    seedStream: seed.streams,
    seedStreamK: seed.streamBits,
  };
  return { block: `layer${L.index}/datapath`, layer: L.index, kind: 'datapath', exact, features, memories };
}

export function encoderStructure(plan: PlannedModel): BlockStructure {
  const M = plan.input.size;
  const rate = plan.input.encoding === 'rate';
  const iw = addrBits(M);
  const ew = countBits(M);
  const inmem = mapMemory(encoderMemory(plan));
  const exact = emptyResources();
  if (rate) Object.assign(exact, { lut: ENCODER_STREAM_CELLS.lut, ff: ENCODER_STREAM_CELLS.ff, muxf7: ENCODER_STREAM_CELLS.muxf7, muxf8: ENCODER_STREAM_CELLS.muxf8 });
  exact.ff += M > 1 ? memoryRegisters(inmem, true) : 8; // x_q (and the words, when in flip-flops)
  exact.ff += ew + 1 + iw + 1 + 1 + iw + (rate ? 0 : 8); // i, p_v, p_idx, busy, out_valid, out_idx, out_val
  exact.bram18 += inmem.bram18;
  exact.bram36 += inmem.bram36;
  exact.lutAsMemory += inmem.lutAsMemory;
  exact.lut += inmem.lutAsMemory;
  const features: Record<string, number> = {
    one: 1,
    count: ew + iw,
    memMux: inmem.kind !== 'logic' ? (inmem.multA - 1) * 8 : 0,
  };
  return { block: 'encoder', layer: null, kind: 'encoder', exact, features, memories: [inmem] };
}

export function controlStructure(plan: PlannedModel): BlockStructure {
  const nL = plan.layers.length;
  const cls = plan.classBits;
  const cnt = plan.voteBits;
  const sBits = plan.samples > 1 ? countBits(plan.samples - 1) : 0; // s and t stay 0 for one sample / timestep
  const tBits = plan.timesteps > 1 ? countBits(plan.timesteps - 1) : 0;
  const layerBits = addrBits(nL);
  const neuronBits = Math.max(...plan.layers.map((L) => addrBits(L.size)));
  // state stays binary (3 bits, not recoded); Yosys keeps cls more flip-flops beside the class counter.
  let ff = 3 + cls;
  ff += 3; // after_wait
  ff += sBits + tBits + layerBits;
  ff += 4 + nL; // seed_load, sample_start, enc_start, pulse, step_start
  ff += 32; // seed_q, the runtime seed (semantics §1.2)
  ff += 2; // busy, done
  ff += cls + cnt + cls; // result_class, best, c
  ff += 2 ** cls * cnt; // votes: the memory spans the whole class address range
  const exact = emptyResources();
  exact.ff = ff;
  const features: Record<string, number> = {
    one: 1,
    // vote counters in flip-flops: three read muxes (increment, argmax scan, host read) and the write decode
    votes: 2 ** cls * cnt,
    words: 2 ** cls,
    count: cnt,
    cls,
    trace: nL * neuronBits,
    st: sBits + tBits,
  };
  return { block: 'control', layer: null, kind: 'control', exact, features, memories: [] };
}

/** The LFSR instances Yosys keeps: an instance whose draw is never used goes with its module. */
export function rngStructures(plan: PlannedModel, L: PlannedLayer, an = analyseLayer(plan, L)): BlockStructure[] {
  const out: BlockStructure[] = [];
  if (an.weightStreams > 0) {
    out.push({ block: `layer${L.index}/weight rng`, layer: L.index, kind: 'rng', exact: lfsrResources(L.probBits, an.weightStreams), features: {}, memories: [] });
  }
  if (L.noise) {
    // every live lane draws its threshold noise
    out.push({ block: `layer${L.index}/noise rng`, layer: L.index, kind: 'rng', exact: lfsrResources(L.noise.bits, an.live), features: {}, memories: [] });
  }
  return out;
}

/** Every block of a design, before the fitted coefficients. */
export function designStructure(plan: PlannedModel): BlockStructure[] {
  const blocks = [controlStructure(plan), encoderStructure(plan)];
  for (const L of plan.layers) {
    const an = analyseLayer(plan, L);
    blocks.push(layerStructure(plan, L, an), ...rngStructures(plan, L, an));
  }
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
    lut: { seedLfsr: 17.494, seedLfsrK: 8.683, seedStream: 7.697, seedStreamK: 0.157, one: 10.2348, wcmp: 0.9707, acc: 2.3434, accDirect: 1.3014, updBias: 0.3708, updBiasRom: 0.1746, updLeak: 0.8185, updNoise: 0.6798, updSub: 1.0599, vnext: 1.3008, wide13: 9.2592, sumHigh: 1.7636, vBypass: 0.2568, ctrl: 0.9026, romProb: 0.935, romProbF7: 0.026, romRows: 1.2463, romNoise: 0.7577, memMux: 0.6319 },
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
