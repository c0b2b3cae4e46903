/**
 * What ±1 weights and the integer membrane cannot hold, refused before and after binarisation with the NIR
 * nodes and datasets it comes from: the bsnn model the user never sees would otherwise be blamed
 * (`layers[0].threshold: 1e+30 is outside 1..8388607`, or a NaN code after r·weight overflowed).
 */
import { DenseLayerSchema } from '../model/schema.js';
import { BsnnError } from '../util/errors.js';
import type { ChainLayer } from './graph.js';
import { label } from './graph.js';
import type { FloatLayer } from './float-net.js';
import type { IntegerLayer, StepGain } from './binarise.js';

/** The widest membrane the bsnn/1 format allows, and the readout bias's width (ops/readout/model.ts). */
export const MAX_MEMBRANE_BITS = DenseLayerSchema.shape.membraneBits.unwrap().maxValue ?? 24;
const READOUT_BIAS_BITS = 31;

// Four significant digits, without trailing zeros: 2, 0.04, 1e+30.
const num = (x: number) => String(+x.toPrecision(4));
const unitOf = (L: FloatLayer) => (L.conv ? 'channel' : 'neuron');
const gainName = (L: FloatLayer) => (L.kind === 'IF' ? 'r' : '(dt/τ)·r');

/** Before binarisation: g·W (the current one input adds) or the constant input overflows; names both nodes and both factors. */
export function checkOverflow(c: ChainLayer, L: FloatLayer, gain: StepGain, source: string): void {
  const { g, gw, c: constant } = gain;
  for (let n = 0; n < L.size; n++) {
    const row = L.weight.subarray(n * L.fanIn, (n + 1) * L.fanIn);
    const i = row.findIndex((w) => !Number.isFinite(gw[n] * w));
    if (i >= 0) throw new BsnnError(`${source}: ${label(c.neuron)}: ${gainName(L)} = ${num(g[n])} times the weight ${num(row[i])} of ${label(c.synapse)} overflows to ${gw[n] * row[i]} (${unitOf(L)} ${n})`);
    if (!Number.isFinite(constant[n])) throw new BsnnError(`${source}: ${label(c.neuron)}: its constant input ${gainName(L)}·bias${L.kind === 'IF' ? '' : ' + (dt/τ)·v_leak'} overflows to ${constant[n]} (${unitOf(L)} ${n}; bias ${num(L.bias[n])} of ${label(c.synapse)})`);
  }
}

/**
 * A layer whose every g·W is 0 (binarise counts such rows) passes no current: ±1 weights have no zero, and
 * p = 1/2 would make it random, not silent. (One all-zero row is documented: it borrows the layer's scale,
 * docs/nir.md "Binarisation".) Not called when a bsnn export's codes agree with the weights: then p = 1/2 is
 * what the model held.
 */
export function checkSilent(c: ChainLayer, L: FloatLayer, ints: IntegerLayer, source: string): void {
  if (ints.stats.zeroRows < L.size) return;
  const why = 'the layer passes no current, which ±1 weights cannot represent (p = 1/2 would make it random)';
  if (L.weight.every((w) => w === 0)) throw new BsnnError(`${source}: ${label(c.synapse)}: dataset 'weight' is all 0: ${why}`);
  if (L.r.every((r) => r === 0)) throw new BsnnError(`${source}: ${label(c.neuron)}: dataset 'r' is 0 for every ${unitOf(L)}: ${why}`);
  throw new BsnnError(`${source}: ${label(c.synapse)} → ${label(c.neuron)}: ${gainName(L)}·weight is 0 for every weight (zero weights, r = 0, or an underflow): ${why}`);
}

/**
 * After binarisation: thresholds and biases, in units of α, fit the membrane (`bits`: the file's
 * membraneBits, else the widest), or for the potential readout its 31-bit bias.
 */
export function checkIntegers(c: ChainLayer, L: FloatLayer, gain: StepGain, ints: IntegerLayer, readout: boolean, bits: number, source: string): void {
  const { c: constant } = gain;
  const top = readout ? 2 ** (READOUT_BIAS_BITS - 1) - 1 : 2 ** (bits - 1) - 1;
  const where = readout ? `the readout's ${READOUT_BIAS_BITS}-bit bias` : `the ${bits}-bit membrane`;
  for (let n = 0; n < L.size; n++) {
    const a = ints.scale[n];
    if (!readout && ints.threshold[n] > top) {
      throw new BsnnError(`${source}: ${label(c.neuron)}: v_threshold/α = ${num(L.vThreshold[n])}/${num(a)} = ${num(L.vThreshold[n] / a)} does not fit ${where} (at most ${top}; ${unitOf(L)} ${n}): its weights are too small next to its threshold`);
    }
    if (Math.abs(ints.bias[n]) > top) {
      const what = `${gainName(L)}·bias${L.kind === 'IF' ? '' : ' + (dt/τ)·v_leak'}`;
      throw new BsnnError(`${source}: ${label(c.neuron)}: the constant input (${what})/α = ${num(constant[n])}/${num(a)} = ${num(constant[n] / a)} does not fit ${where} (at most ${top} in size; ${unitOf(L)} ${n}, bias of ${label(c.synapse)})`);
    }
  }
}
