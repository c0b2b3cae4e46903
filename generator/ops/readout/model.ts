/** The potential readout layer's fields: validation, planning, its part of the model hash and the manifest. */
import type { LayerSpec } from '../../model/schema.js';
import { signedBitsFor } from '../../ir/noise.js';
import { readoutValueBits } from '../../ir/widths.js';
import type { ReadoutLayer, SynapseCore } from '../../ir/types.js';
import type { JsonPath, ProblemSink } from '../op.js';
import { synapseHashHead, synapseKnobsHead } from '../synapses/plan.js';
import { checkPerNeuron } from '../synapses/validate.js';

export function validateReadout(spec: LayerSpec, at: (...rest: PropertyKey[]) => JsonPath, problems: ProblemSink): void {
  // No membrane: a threshold is ignored, but a given one is range-checked as a spiking layer's would be
  // (semantics §4), so a model does not carry a value that would be refused the day the layer spikes.
  const B = spec.membraneBits;
  const why = `ignored on the potential readout layer, but a threshold is at least 1 and fits the ${B}-bit membrane`;
  if (!checkPerNeuron(spec, 'threshold', 1, 2 ** (B - 1) - 1, why, at, problems)) return;
  // The bias is added into the signed vote counters, which the planner refuses wider than 32 bits: a bias
  // word of 31 signed bits is the most that can ever plan.
  checkPerNeuron(spec, 'bias', -(2 ** 30), 2 ** 30 - 1, 'a readout bias fits 31 signed bits, under the 32-bit vote counters', at, problems);
}

export function planReadout(_spec: LayerSpec, core: SynapseCore): ReadoutLayer {
  // Bias words as wide as the biases need.
  const biasBits = Math.max(2, signedBitsFor(core.bias));
  return { ...core, kind: 'readout', biasBits, datapathBits: readoutValueBits(core.accBits, biasBits) };
}

/**
 * The hash of a readout layer: the fields a spiking layer hashes, with the values the readout layer always had
 * when it was a flag on that layer (no leak, subtract, no noise, all-zero thresholds, bias words for the
 * membrane), so that models keep their hash.
 */
export function readoutHashFields(L: ReadoutLayer) {
  const fields = {
    ...synapseHashHead(L),
    leak: 0,
    reset: 'subtract',
    membraneBits: L.biasBits,
    accBits: L.accBits,
    inputMax: L.inputMax,
    noise: null,
    readout: true,
  };
  return { fields, arrays: [L.probRows, new Int32Array(L.size), L.bias, L.weightSeeds] };
}

/** The manifest entry, in the shape of a spiking layer's (fixed values where the readout has none). */
export function readoutKnobs(L: ReadoutLayer) {
  return {
    ...synapseKnobsHead(L),
    membraneBits: L.biasBits,
    accBits: L.accBits,
    leak: 0,
    reset: 'subtract',
    noise: null,
  };
}
