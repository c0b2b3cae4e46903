/**
 * The analytical resource model's building blocks: a block's structure (exact parts and features for the
 * fitted parts), the exact LFSR cells, memory registers and ROM sizes, and the blocks that are not layers
 * (encoder, control). Each layer kind builds its own blocks from these (generator/ops/<kind>/resources.ts).
 */
import { encoderWords } from '../analysis/encoder.js';
import { addrBits, countBits } from '../ir/widths.js';
import type { PlannedModel } from '../ir/types.js';
import { emptyResources } from './cells.js';
import { mapMemory, type MemoryMapping, type MemorySpec } from './libmap.js';
import type { Resources } from './types.js';

/** Bit lanes of a row-major table (rows × width bits, `bit(r, c)`) that take more than one value. */
export function varyingColumns(rows: number, width: number, bit: (r: number, c: number) => number): number {
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
export function distinctVaryingColumns(rows: number, width: number, bit: (r: number, c: number) => number, into = new Set<string>()): Set<string> {
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
 * The encoder's input memory: rate coding one byte per input; direct input one 72-bit word per 8 inputs (a
 * byte and its nonzero flag per lane, written lane by lane: a 9-bit write enable), whose lanes past M are never
 * written when there is a single word (Yosys drops them).
 */
export function encoderMemory(plan: PlannedModel): MemorySpec {
  const M = plan.input.size;
  if (plan.input.encoding === 'rate') return { name: 'encoder.inmem', depth: M, width: 8, rom: false, transparent: false, block: false };
  return { name: 'encoder.mem', depth: encoderWords(M).words, width: 9 * Math.min(8, M), rom: false, transparent: false, block: false, byte: 9 };
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

/**
 * Yosys 0.23 synth_xilinx of `<name>_lfsr_k<k>x2` (lfsr_leap.v.hbs with a second draw per cycle): 32 flip-flops,
 * the k-, 2k- and 3k-step leap XORs and the two k-bit draw muxes on `half`.
 */
export const LFSR_PAIR_CELLS: Readonly<Record<number, { lut: number; muxf7: number; muxf8: number }>> = {
  1: { lut: 7, muxf7: 0, muxf8: 0 },
  2: { lut: 16, muxf7: 0, muxf8: 0 },
  3: { lut: 29, muxf7: 2, muxf8: 0 },
  4: { lut: 42, muxf7: 4, muxf8: 0 },
  5: { lut: 66, muxf7: 12, muxf8: 2 },
  6: { lut: 81, muxf7: 18, muxf8: 5 },
  7: { lut: 79, muxf7: 4, muxf8: 2 },
  8: { lut: 100, muxf7: 5, muxf8: 1 },
};

export function lfsrResources(k: number, count: number, pair = false): Resources {
  const c = (pair ? LFSR_PAIR_CELLS : LFSR_CELLS)[k];
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

export const log2c = (x: number) => Math.ceil(Math.log2(Math.max(1, x)));
export const trailingZeros = (x: number) => {
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
export function memoryRegisters(m: MemoryMapping, readRegister: boolean): number {
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
export const WEIGHT_COMPARE_LUTS = [0, 0, 1, 1, 4, 5, 6, 7, 10];

/** LUTs of one bit lane of a logic ROM of `depth` words behind a plain address (a LUT6 covers 64 words). */
export const romLaneLuts = (depth: number): number => (depth <= 8 ? 0.5 : 2 ** Math.max(0, log2c(depth) - 6));
/**
 * The same behind a two-way address mux (the per-sample probability ROM, the row ROMs behind f's next value):
 * abc does not share the mux, the ROM grows about fourfold past 64 words (Yosys runs of bimodal ROMs).
 */
export const romMuxLaneLuts = (depth: number): number => (depth <= 8 ? 0.9 : depth <= 32 ? 1.4 : depth <= 64 ? 1.8 : 0.075 * depth);

/**
 * The direct-input scan's logic (encoder.v.hbs): measured, not fitted. Yosys 0.23 synth_xilinx of the encoder
 * alone: with two or more words 108..126 logic LUTs on M = 9, 16, 33, 64, 100, 200, 256, 400, 512, 513, 784
 * (mean 120; the flags, the lowest-lane pick, the byte AND-OR and the counters do not grow with M), 12..23
 * MUXF7, 1..3 MUXF8; with one word (M ≤ 8, the word in flip-flops) 17, 60, 98, 118 LUTs at M = 1, 4, 7, 8
 * (least squares: 3 + 14·M). CARRY4: the word counter's increment and compare, none up to 2 bits (assumed
 * from those runs: ⌈bits/4⌉ above).
 */
function directScanCells(M: number, raBits: number): { lut: number; carry4: number; muxf7: number; muxf8: number } {
  const oneWord = M <= 8;
  return { lut: oneWord ? 3 + 14 * M : 120, carry4: raBits > 2 ? Math.ceil(raBits / 4) : 0, muxf7: oneWord ? 8 : 14, muxf8: 1 };
}

function directEncoderStructure(plan: PlannedModel): BlockStructure {
  const M = plan.input.size;
  const iw = addrBits(M);
  const words = encoderWords(M).words;
  const raBits = countBits(words);
  const mem = mapMemory(encoderMemory(plan));
  const cells = directScanCells(M, raBits);
  const exact = { ...emptyResources(), lut: cells.lut, carry4: cells.carry4, muxf7: cells.muxf7, muxf8: cells.muxf8 };
  exact.ff = memoryRegisters(mem, true); // x_q (and the word, when in flip-flops)
  // ra, base, taken, cv, last_q, busy, out_valid, out_idx, out_val
  exact.ff += raBits + Math.max(0, iw - 3) + 8 + 1 + (M % 8 !== 0 ? 1 : 0) + 1 + 1 + iw + 8;
  exact.bram18 += mem.bram18;
  exact.bram36 += mem.bram36;
  exact.lutAsMemory += mem.lutAsMemory;
  exact.lut += mem.lutAsMemory;
  // a memory split in depth adds a read mux (the encoder fit's coefficient per mux input bit)
  const features: Record<string, number> = { memMux: mem.kind !== 'logic' ? (mem.multA - 1) * mem.spec.width : 0 };
  return { block: 'encoder', layer: null, kind: 'encoder', exact, features, memories: [mem] };
}

export function encoderStructure(plan: PlannedModel): BlockStructure {
  if (plan.input.encoding === 'direct') return directEncoderStructure(plan);
  const M = plan.input.size;
  const rate = true;
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
  const neuronBits = Math.max(...plan.layers.map((L) => addrBits(L.outputs))); // the trace index (top.v.hbs)
  // state stays binary (3 bits, not recoded); Yosys keeps cls more flip-flops beside the class counter.
  let ff = 3 + cls;
  ff += 3; // after_wait
  ff += sBits + tBits + layerBits;
  ff += 4 + nL; // seed_load, sample_start, enc_start, pulse, step_start
  ff += 32; // seed_q, the runtime seed (semantics §1.2)
  ff += 2; // busy, done
  ff += cls + cnt + cls; // result_class, best, c
  ff += cnt + cls + 1; // vote_q, c_q, arg_v: the argmax compares a registered vote
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

