/**
 * The analytical resource model of a layer's module (docs/estimation.md): the synaptic core every kind shares
 * (event list, probability ROM, held weights, weight draws, accumulators, control) plus the part after the
 * accumulators that each kind describes (`NeuronPart`). Same block names as real synthesis (`blocksFromStat`).
 */
import { addrBits, countBits } from '../../ir/widths.js';
import type { PlannedModel, SynapticLayer } from '../../ir/types.js';
import { emptyResources } from '../../estimate/cells.js';
import type { Resources } from '../../estimate/types.js';
import { weightDrawsPerCycle } from './plan.js';
import { mapMemory, type MemoryMapping, type MemorySpec } from '../../estimate/libmap.js';
import {
  distinctVaryingColumns,
  lfsrResources,
  log2c,
  memoryRegisters,
  romLaneLuts,
  romMuxLaneLuts,
  trailingZeros,
  varyingColumns,
  WEIGHT_COMPARE_LUTS,
  type BlockStructure,
} from '../../estimate/structure.js';

/**
 * Lanes whose results can reach an output. With one pass the pass counter is constant, so padding lanes
 * (P > N) never spike and Yosys removes everything they compute; with several passes they serve real neurons.
 */

/** The block RAM and LUT RAM of a set of mapped memories (every other count 0). */
export function memoryResources(memories: readonly MemoryMapping[]): Resources {
  const r = emptyResources();
  for (const m of memories) {
    r.bram18 += m.bram18;
    r.bram36 += m.bram36;
    r.lutAsMemory += m.lutAsMemory;
  }
  return r;
}

export const liveLanes = (L: SynapticLayer): number => (L.passes === 1 ? Math.min(L.lanes, L.size) : L.lanes);

/**
 * Probability ROM: bit lanes (lane j, code bit b) that differ between rows, and lanes whose weight bit is a
 * constant (the code never changes and is 0, a certain -1, or all ones, a certain +1).
 */
function probLanes(L: SynapticLayer): { varying: number; constantWeightLanes: number; binaryLanes: number } {
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

/** Per-neuron values of `bits` each in pass rows (padding neurons 0): bit (f, c) of lane floor(c / bits). */
export function rowBit(values: Int32Array, L: SynapticLayer, bits: number): (f: number, c: number) => number {
  const P = L.lanes;
  return (f, c) => {
    const n = f * P + Math.floor(c / bits);
    return n < values.length ? (values[n] >>> c % bits) & 1 : 0;
  };
}

/** A read-only row memory addressed by the pass (thresholds, biases), as memory_libmap sees it. */
export function rowMemory(L: SynapticLayer, name: string, values: Int32Array, bits: number): MemorySpec {
  return {
    name: `layer${L.index}.${name}`,
    depth: L.passes,
    width: varyingColumns(L.passes, L.lanes * bits, rowBit(values, L, bits)),
    rom: true,
    transparent: false,
    block: false,
  };
}

/** The synaptic core's memories: event list, probability ROM and (per-sample) held weights. */
export interface SynapseMemories {
  ev: MemorySpec;
  prob: MemorySpec;
  held: MemorySpec | null;
}

export function synapseMemories(L: SynapticLayer, mode: PlannedModel['mode'], lanes = probLanes(L)): SynapseMemories {
  // The probability rows are read twice per cycle when both events of a pair draw.
  const drawsPerCycle = weightDrawsPerCycle(L, mode);
  const rows = L.passes * L.fanIn;
  const name = (m: string) => `layer${L.index}.${m}`;
  const { prob, held } = L.memories;
  // Two events per cycle: the list is two banks (even and odd entries) of half the depth each.
  const evDepth = L.eventsPerCycle === 2 ? Math.ceil(L.fanIn / 2) : L.fanIn;
  return {
    ev: { name: name('evmem'), depth: evDepth, width: addrBits(L.fanIn) + (L.directInput ? 8 : 0), rom: false, transparent: false, block: false },
    prob: { name: name('probmem'), depth: rows, width: lanes.varying, rom: true, transparent: false, block: prob.block, readPorts: drawsPerCycle },
    held: held ? { name: name('heldmem'), depth: rows, width: liveLanes(L) - lanes.constantWeightLanes, rom: false, transparent: false, block: held.block } : null,
  };
}

/** What one layer's blocks need of its synaptic core, computed once. */
export interface SynapseAnalysis {
  live: number;
  mems: SynapseMemories;
  ev: MemoryMapping;
  prob: MemoryMapping;
  held: MemoryMapping | null;
  /**
   * Weight streams whose draw reaches a weight. Not needed: every stream when k = 1 (w = q), a lane whose code
   * never changes and is 0 or all ones, and, when the probability ROM is logic (identical bit lanes merged, so
   * the tools see q = {x, .., x}), a lane whose codes are only ever 0 or all ones: w = x there.
   */
  weightStreams: number;
  /** Lanes whose weight never changes (a code that is always 0 or always all ones): their weight registers go. */
  constantWeightLanes: number;
  /** Events per cycle: 2 doubles the event-list banks, the row reads and the weight registers. */
  events: 1 | 2;
  /** Weight draws per lane per cycle: 2 when two events per cycle are drawn (time ensemble), else 1. */
  drawsPerCycle: 1 | 2;
}

export function analyseSynapses(L: SynapticLayer, mode: PlannedModel['mode']): SynapseAnalysis {
  const lanes = probLanes(L);
  const mems = synapseMemories(L, mode, lanes);
  const prob = mapMemory(mems.prob);
  const live = liveLanes(L);
  return {
    live,
    mems,
    ev: mapMemory(mems.ev),
    prob,
    held: mems.held ? mapMemory(mems.held) : null,
    weightStreams: L.probBits === 1 ? 0 : live - (prob.kind === 'logic' ? lanes.binaryLanes : lanes.constantWeightLanes),
    constantWeightLanes: lanes.constantWeightLanes,
    events: L.eventsPerCycle,
    drawsPerCycle: weightDrawsPerCycle(L, mode),
  };
}

/** What a kind adds after the accumulators (its template's neuron or readout part). */
export interface NeuronPart {
  /** One-hot FSM states of the module, S_SMP excluded (Yosys recodes the state register). */
  states: number;
  /** Flip-flops of the part's own registers. */
  ff: number;
  /** Membranes (a RAM addressed by the pass), if any. */
  membranes: MemoryMapping | null;
  /** Read-only rows addressed by the pass (thresholds, biases), with the values and word width behind them. */
  rows: { mapping: MemoryMapping; values: Int32Array; bits: number }[];
  /** One threshold-noise table per live lane, if any. */
  noiseTable: MemoryMapping | null;
  /** Random streams of the part (per live lane), their name (as the op's `randomStreams`) and bits per draw. */
  streams: { name: string; count: number; bits: number } | null;
  /** The part's fitted features (estimate/analytical.ts COEF.datapath), in COEF's order. */
  features: Record<string, number>;
}

/**
 * The runtime-seed logic (semantics §1.2): one runtime-seed LFSR for the weight streams in use and one for the
 * part's streams, and per stream in use a registered lock-up match and a k- or m-bit XOR. Streams Yosys removes
 * (weights that never need a draw) take their share with them.
 */
function runtimeSeedStructure(L: SynapticLayer, an: SynapseAnalysis, part: NeuronPart): { lfsrs: number; lfsrBits: number; streams: number; streamBits: number } {
  const w = an.weightStreams;
  const n = part.streams?.count ?? 0;
  const m = part.streams?.bits ?? 0;
  // Two draws per cycle: the shared weight LFSR has k more leap XORs, each weight stream a second k-bit XOR.
  const draws = an.drawsPerCycle;
  return {
    lfsrs: (w > 0 ? 1 : 0) + (n > 0 ? 1 : 0),
    lfsrBits: (w > 0 ? draws * L.probBits : 0) + (n > 0 ? m : 0),
    streams: w + n,
    streamBits: draws * w * L.probBits + n * m,
  };
}

/** The layer's `layer<l>/datapath` block. */
export function layerStructure(plan: PlannedModel, L: SynapticLayer, an: SynapseAnalysis, part: NeuronPart): BlockStructure {
  const P = L.lanes;
  const F = L.passes;
  const M = L.fanIn;
  const A = L.accBits;
  const k = L.probBits;
  const { live, ev, prob, held } = an;
  const v = part.membranes;
  const perSample = plan.mode === 'per-sample';
  const rows = F * M;
  const ew = countBits(M);
  const ow = addrBits(L.size);
  const fw = addrBits(F);
  const rw = addrBits(rows);
  const multiPass = F > 1;
  // Logic ROMs: identical bit lanes share their logic and their read register (opt_merge).
  const probLogicLanes =
    prob.kind === 'logic' ? distinctVaryingColumns(rows, live * k, (r, c) => (L.probRows[r * P + Math.floor(c / k)] >>> c % k) & 1).size : 0;
  const rowLanes = new Set<string>();
  for (const r of part.rows) if (r.mapping.kind === 'logic') distinctVaryingColumns(F, P * r.bits, rowBit(r.values, L, r.bits), rowLanes);

  let ff = 0;
  ff += part.states + (perSample ? 1 : 0); // state, one-hot (FSM recoding)
  ff += 1; // busy
  ff += multiPass ? fw : 0; // f (always 0 with one pass)
  // row_base and pass_base step by M and P from 0: their trailing-zero bits are constant; one pass, all constant.
  ff += multiPass ? Math.max(0, rw - trailingZeros(M)) + Math.max(0, ow - trailingZeros(P)) : 0;
  // Two events per cycle (an.events = 2) doubles the per-event registers: ev_q, the valids, the values, the
  // weights, the held row; prob_q too when both events draw.
  const E = an.events;
  ff += 3 * ew; // wr_ptr, n_ev, e
  ff += E * (ev.spec.depth > 1 ? memoryRegisters(ev, true) : ev.spec.width * 2); // ev_q (a one-word list is two registers)
  ff += 3 * E; // p1_v, p2_v, p3_v
  // val2, val3. Two events per cycle: Yosys 0.23 makes each 8-bit value chain ev_q → val2 → val3 (three
  // deep, two chains) a shift register: 48 flip-flops become 16 SRLs (4 direct-input designs, every one).
  const srlValues = L.directInput && E === 2;
  ff += L.directInput && !srlValues ? 16 : 0;
  ff -= srlValues ? 16 : 0;
  ff += E * (live - an.constantWeightLanes); // w_q, the registered weights
  ff += perSample ? countBits(rows) + 1 + rw : 0; // smp_addr, sp_v, sp_addr
  ff += an.drawsPerCycle * (prob.kind === 'logic' ? probLogicLanes : memoryRegisters(prob, true)); // prob_q
  ff += an.drawsPerCycle === 2 && an.weightStreams > 0 ? 1 : 0; // w_half
  ff += held ? E * memoryRegisters(held, true) : 0; // held_q
  ff += live * A; // accumulators
  ff += part.ff;
  ff += 1 + ow; // out_valid, out_idx
  if (v) {
    ff += memoryRegisters(v, false); // membranes in flip-flops, or block RAM transparency
    // LUT RAM membranes: the address register extracted from the read port (merged with f for two passes).
    ff += v.kind === 'lutram' && F > 2 ? fw : 0;
  }
  const seed = runtimeSeedStructure(L, an, part);
  ff += 32 * seed.lfsrs + seed.streams;
  // Rows addressed by f: a logic ROM with one read register per distinct bit lane.
  ff += rowLanes.size;
  for (const r of part.rows) ff += r.mapping.kind === 'logic' ? 0 : memoryRegisters(r.mapping, true);

  const noise = part.noiseTable;
  // Two events per cycle: two event-list banks, two copies of the held rows; the probability ROM's second read
  // port shares a block RAM's second port (logic ROMs are doubled in the romProb features below).
  const dup = <T>(m: T): T[] => (E === 2 ? [m, m] : [m]);
  const memories = [...dup(ev), prob, ...(held ? dup(held) : []), ...(v ? [v] : []), ...part.rows.map((r) => r.mapping), ...(noise ? Array.from({ length: live }, () => noise) : [])];
  const exact = memoryResources(memories);
  exact.ff = ff;
  exact.lutAsMemory += srlValues ? 16 : 0;
  exact.lut = exact.lutAsMemory;

  const aProb = log2c(rows);
  let memMux = 0;
  for (const m of [...dup(ev), ...(held ? dup(held) : []), ...(v ? [v] : []), ...Array(an.drawsPerCycle).fill(prob)]) {
    if (m.kind === 'lutram' || m.kind === 'bram') memMux += (m.multA - 1) * m.spec.width;
  }
  const draws = an.drawsPerCycle;
  const features: Record<string, number> = {
    one: 1,
    // per live lane: weight draw, accumulator, the kind's part after it
    wcmp: draws * an.weightStreams * WEIGHT_COMPARE_LUTS[k],
    acc: live * A,
    accDirect: L.directInput ? live * A : 0,
    // two events per cycle (fitted on their own, see COEF): per bit of a lane's second draw (its compare, the
    // runtime-seed XOR, the row's register fan-out), and per lane the 8-bit pair sum of direct input
    drawPair: draws === 2 ? an.weightStreams * k : 0,
    pairDirect: E === 2 && L.directInput ? live : 0,
    ...part.features,
    // sum bits above the accumulator (sign extension and carry)
    sumHigh: live * Math.max(0, L.datapathBits - A - 2),
    // transparent LUT RAM / block RAM membranes: a bypass mux per bit
    vBypass: v && (v.kind === 'lutram' || v.kind === 'bram') ? v.spec.width : 0,
    // counters, address adders and compares
    ctrl: 3 * ew + (multiPass ? fw + rw + ow : 0) + (perSample ? countBits(rows) + 2 * rw : 0) + ow + rw,
    // logic ROMs, in LUT equivalents per distinct bit lane
    romProb: prob.kind === 'logic' ? draws * probLogicLanes * (perSample ? romMuxLaneLuts(rows) : romLaneLuts(rows)) : 0,
    romProbF7: prob.kind === 'logic' && aProb >= 7 ? draws * probLogicLanes * 2 ** (aProb - 7) : 0,
    romProbF8: prob.kind === 'logic' && aProb >= 8 ? draws * probLogicLanes * 2 ** (aProb - 8) : 0,
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

/** The LFSR instances Yosys keeps: an instance whose draw is never used goes with its module. */
export function rngStructures(L: SynapticLayer, an: SynapseAnalysis, part: NeuronPart): BlockStructure[] {
  const out: BlockStructure[] = [];
  if (an.weightStreams > 0) {
    out.push({ block: `layer${L.index}/weight rng`, layer: L.index, kind: 'rng', exact: lfsrResources(L.probBits, an.weightStreams, an.drawsPerCycle === 2), features: {}, memories: [] });
  }
  if (part.streams) {
    out.push({ block: `layer${L.index}/${part.streams.name} rng`, layer: L.index, kind: 'rng', exact: lfsrResources(part.streams.bits, part.streams.count), features: {}, memories: [] });
  }
  return out;
}

/** Every block of a layer: its datapath and its random-number generators. */
export function layerBlocks(plan: PlannedModel, L: SynapticLayer, part: (an: SynapseAnalysis) => NeuronPart): BlockStructure[] {
  const an = analyseSynapses(L, plan.mode);
  const p = part(an);
  return [layerStructure(plan, L, an, p), ...rngStructures(L, an, p)];
}
