/**
 * Per-event energies for the Zynq-7000 programmable logic (28 nm 7-series fabric), pJ at VCCINT = 1.0 V,
 * typical process: the coefficient set and the energy of each hardware event. The layer ops (generator/ops)
 * price their own activity with these; estimate/power.ts turns the sum into power. Every number has its source
 * or derivation in docs/estimation.md ("Power and energy").
 */
import { clog2, datapathBits } from '../ir/widths.js';
import type { PlannedMemory } from '../ir/types.js';

export interface EnergyCoefficients {
  /** One flip-flop output transition, including its share of the routed output net. */
  ffToggle: number;
  /** One LUT output transition (logic), including its routed output net and carry-chain share. */
  lutToggle: number;
  /** Clock tree, per flip-flop per clock cycle (leaf clock load and local routing). */
  clockPerFF: number;
  /** Clock tree root per cycle: global buffer, spine and row buffers of one clock domain. */
  clockRoot: number;
  /** Block RAM: fixed part of one enabled RAMB18 port access (a RAMB36 access counts as two). */
  bramAccess: number;
  /** Block RAM: additional energy per data bit read. */
  bramPerBit: number;
  /** Probability that a data bit or LUT output changes on an access with fresh random data. */
  toggleProb: number;
}

/** The coefficient set of docs/estimation.md. */
export const ENERGY_28NM: Readonly<EnergyCoefficients> = Object.freeze({
  ffToggle: 0.08,
  lutToggle: 0.15,
  clockPerFF: 0.025,
  clockRoot: 20,
  bramAccess: 4.3,
  bramPerBit: 0.3,
  toggleProb: 0.5,
});

/** Widest RAMB18 port for a memory `depth` deep: 512×36 (SDP), 1K×18, 2K×9, 4K×4, 8K×2, 16K×1. */
function ramb18Width(depth: number): number {
  if (depth <= 512) return 36;
  if (depth <= 1024) return 18;
  if (depth <= 2048) return 9;
  if (depth <= 4096) return 4;
  if (depth <= 8192) return 2;
  return 1;
}

/**
 * One read (or write) of a `width`-bit word from a block RAM memory `depth` deep: every RAMB18 primitive
 * holding a slice of the word is enabled (width-split mapping, no cascade power gating), each pays the fixed
 * access energy, and every data bit pays the per-bit energy.
 */
export function bramAccessPJ(width: number, depth: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const depthSlices = Math.max(1, Math.ceil(depth / 16384));
  const primitives = Math.ceil(width / ramb18Width(Math.min(depth, 16384))) * depthSlices;
  return primitives * c.bramAccess + width * c.bramPerBit;
}

/**
 * One read (or write) of a `width`-bit word from LUT RAM/ROM `depth` deep: ceil(depth/64) 64-bit LUTs per
 * bit whose outputs change with probability ½, a mux tree of one fewer LUT/F7/F8 level per bit, and the
 * address nets (log2 depth of them, one LUT-toggle equivalent each, also with probability ½).
 */
export function lutramAccessPJ(width: number, depth: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const perBit = Math.ceil(depth / 64);
  return c.toggleProb * c.lutToggle * (width * (2 * perBit - 1) + clog2(depth));
}

/** A weight (or noise) draw in one lane: a 32-bit LFSR leap of k ≤ 8 steps and the k-bit comparison r < q. */
export function drawPJ(k: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const stateFlips = 32 * c.toggleProb * c.ffToggle; // an m-sequence state: each bit changes with prob ½
  const leapXor = 2 * k * c.toggleProb * c.lutToggle; // k new bits, ~2 LUTs each after flattening the leap
  const compare = (Math.ceil(k / 2) + 1) * c.toggleProb * c.lutToggle; // carry-chain r < q and the &q term
  return stateFlips + leapXor + compare;
}

/**
 * The runtime seed's share of one lane's k-bit draw (semantics §1.2, ops/synapses/synapse_lanes_open.v.hbs): the lane XORs the k bits of
 * its layer's shared runtime-seed LFSR into its own draw, and that LFSR's own leap (state flips and leap
 * XORs, as in drawPJ) is shared by the P lanes that draw together. With SEED = 0 that LFSR holds zero and none
 * of this toggles: the estimate assumes a non-zero seed, the way a host that re-seeds every run uses it.
 */
export function runtimeSeedDrawPJ(k: number, lanes: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const xor = k * c.toggleProb * c.lutToggle;
  const sharedLfsr = 32 * c.toggleProb * c.ffToggle + 2 * k * c.toggleProb * c.lutToggle;
  return xor + sharedLfsr / lanes;
}

/** One accumulator update in one lane: an A-bit add/subtract and its A-bit register, half the bits change. */
export function accumulatePJ(accBits: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return accBits * c.toggleProb * (c.ffToggle + c.lutToggle);
}

/** Shape of one layer for the neuron-update energy. */
export interface NeuronUpdateShape {
  membraneBits: number;
  accBits: number;
  passes: number;
  leak: boolean;
  resetSubtract: boolean;
  noiseBits: number;
  noiseTableBits: number;
}

/**
 * One neuron update in one lane (docs/semantics.md §4): leak, three-input sum, saturation, threshold compare
 * (with noise), reset and select on the W = max(B, A, η)+2-bit datapath, each unit W LUTs with half of them
 * changing; the membrane, threshold and bias rows read and the membrane row written (LUT RAM, F deep); the
 * accumulator cleared; with threshold noise, an m-bit draw and an η-table lookup.
 */
export function neuronUpdatePJ(s: NeuronUpdateShape, c: EnergyCoefficients = ENERGY_28NM): number {
  const etaBits = s.noiseBits > 0 ? s.noiseTableBits : 1;
  const W = datapathBits(s.membraneBits, s.accBits, etaBits);
  const units =
    2 /* leaked + acc + bias */ +
    2 /* saturate high, low */ +
    1 /* threshold compare */ +
    1 /* next-value select */ +
    (s.leak ? 1 : 0) /* v − (v >> λ) */ +
    (s.resetSubtract ? 2 : 0) /* v − θ and its saturation */ +
    (s.noiseBits > 0 ? 1 : 0); /* θ + η */
  const logic = units * W * c.toggleProb * c.lutToggle;
  const rows = 4 * lutramAccessPJ(s.membraneBits, s.passes, c); // read v, θ, b; write v
  const accClear = s.accBits * c.toggleProb * c.ffToggle;
  const noise = s.noiseBits > 0 ? drawPJ(s.noiseBits, c) + lutramAccessPJ(s.noiseTableBits, 2 ** s.noiseBits, c) : 0;
  return logic + rows + accClear + noise;
}

/** A counter increment: two bits change on average (amortised binary counter), register and adder. */
export const counterPJ = (c: EnergyCoefficients = ENERGY_28NM) => 2 * (c.ffToggle + c.lutToggle);

/** One output spike leaving a layer: lowest-set-lane select, index add and the registered index and valid. */
export function spikePJ(outIdxBits: number, lanes: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return (
    (outIdxBits + Math.ceil(lanes / 4)) * c.toggleProb * c.lutToggle + (outIdxBits + 2) * c.toggleProb * c.ffToggle
  );
}

/** One event written into a layer's event list (LUT RAM, `depth` = M entries) and the write pointer. */
export function eventWritePJ(eventBits: number, depth: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return lutramAccessPJ(eventBits, depth, c) + counterPJ(c);
}

/** One event read from the event list in one pass: the LUT RAM read, its output register, the read counter. */
export function eventReadPJ(eventBits: number, depth: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return lutramAccessPJ(eventBits, depth, c) + eventBits * c.toggleProb * c.ffToggle + counterPJ(c);
}

/**
 * Rate coding: the encoder handling one input in one timestep (docs/semantics.md §3): the 8-bit intensity read
 * (LUT RAM, M deep) into its register, the scan counter, and an 8-bit draw and comparison.
 */
export function encoderScanPJ(inputs: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return lutramAccessPJ(8, inputs, c) + 8 * c.toggleProb * c.ffToggle + counterPJ(c) + drawPJ(8, c);
}

/**
 * Direct input: the encoder reading one word of 8 intensities (templates/encoder.v.hbs): the 72-bit row (8 bytes
 * and their nonzero flags) from block RAM or LUT RAM `words` deep as Yosys maps it, into its register (LUT RAM
 * only: block RAM registers its own output), the word counter and base, and the lane-select logic (assumed:
 * about 8 LUTs over the flags, half toggling). Per word read, whatever its nonzero count.
 */
export function encoderWordPJ(words: number, block: boolean, c: EnergyCoefficients = ENERGY_28NM): number {
  const read = block ? bramAccessPJ(72, words, c) : lutramAccessPJ(72, words, c) + 72 * c.toggleProb * c.ffToggle;
  return read + 2 * counterPJ(c) + 8 * c.toggleProb * c.lutToggle;
}

/**
 * Direct input: one event out of the encoder: the byte picked by the lowest remaining lane (8 AND-OR LUTs), the
 * registered index and value and the taken mask (assumed: each bit toggles with probability ½).
 */
export function encoderEventPJ(idxBits: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return 8 * c.toggleProb * c.lutToggle + (idxBits + 8 + 8) * c.toggleProb * c.ffToggle;
}

/** One access of a planned memory: block RAM where the plan marks it, LUT RAM otherwise. */
export function memoryAccessPJ(m: PlannedMemory, c: EnergyCoefficients = ENERGY_28NM): number {
  return m.block ? bramAccessPJ(m.width, m.depth, c) : lutramAccessPJ(m.width, m.depth, c);
}

/** Energy of one inference by category, pJ, excluding the clock tree and static power. */
export interface ActivityEnergy {
  memoryReads: number;
  weightDraws: number;
  /** The runtime seed's XORs and shared LFSRs on the weight and noise draws. */
  runtimeSeed: number;
  accumulate: number;
  neuronUpdates: number;
  spikesAndEvents: number;
  encoder: number;
}

export const noEnergy = (): ActivityEnergy => ({ memoryReads: 0, weightDraws: 0, runtimeSeed: 0, accumulate: 0, neuronUpdates: 0, spikesAndEvents: 0, encoder: 0 });
