/** The spiking layer's fields: validation, planning, its part of the model hash and the manifest. */
import type { LayerSpec, Model } from '../../model/schema.js';
import { streamSeed, StreamId } from '../../rng/lfsr.js';
import { noiseTable, signedBitsFor } from '../../ir/noise.js';
import { datapathBits } from '../../ir/widths.js';
import type { DenseLayer, PlannedNoise, SpikingNeurons, SynapseCore, SynapticLayer } from '../../ir/types.js';
import type { JsonPath, ProblemSink } from '../op.js';
import { perNeuron, synapseHashHead, synapseKnobsHead } from '../synapses/plan.js';
import { checkPerNeuron } from '../synapses/validate.js';

export function validateDense(spec: LayerSpec, at: (...rest: PropertyKey[]) => JsonPath, problems: ProblemSink): void {
  const maxV = 2 ** (spec.membraneBits - 1) - 1;
  const B = spec.membraneBits;
  if (checkPerNeuron(spec, 'threshold', 1, maxV, `a threshold is at least 1 and fits the ${B}-bit membrane`, at, problems)) {
    checkPerNeuron(spec, 'bias', -maxV - 1, maxV, `a bias fits the ${B}-bit membrane`, at, problems);
  }
  const noise = spec.noise;
  if (noise?.kind === 'uniform' && !Number.isInteger(noise.scale)) {
    problems.add(at('noise', 'scale'), `${noise.scale} is not an integer: uniform noise steps by whole membrane units (semantics §2)`);
  }
}

function planNoise(spec: LayerSpec, core: SynapseCore, model: Model): PlannedNoise | null {
  if (!spec.noise) return null;
  const table = noiseTable(spec.noise);
  return {
    kind: spec.noise.kind,
    bits: spec.noise.bits,
    scale: spec.noise.scale,
    table,
    tableBits: signedBitsFor(table),
    seeds: Uint32Array.from({ length: core.lanes }, (_, j) => streamSeed(model.seed, StreamId.noise(core.index, j))),
  };
}

/** The spiking neurons' planned fields (dense and conv layers share them; per neuron or per channel). */
export function planSpiking(spec: LayerSpec, core: SynapseCore, model: Model): SpikingNeurons & { datapathBits: number } {
  const noise = planNoise(spec, core, model);
  return {
    threshold: perNeuron(spec.threshold, core.size, 1),
    leak: spec.leak,
    reset: spec.reset,
    membraneBits: spec.membraneBits,
    datapathBits: datapathBits(spec.membraneBits, core.accBits, noise ? noise.tableBits : 1),
    noise,
  };
}

export function planDense(spec: LayerSpec, core: SynapseCore, model: Model): DenseLayer {
  return { ...core, kind: 'dense', ...planSpiking(spec, core, model) };
}

/** The spiking neurons' hash fields, after the synaptic core's (the order keeps existing hashes). */
export function spikingHashFields(L: SynapticLayer & SpikingNeurons) {
  return {
    leak: L.leak,
    reset: L.reset,
    membraneBits: L.membraneBits,
    accBits: L.accBits,
    inputMax: L.inputMax,
    noise: L.noise ? { kind: L.noise.kind, bits: L.noise.bits, table: Array.from(L.noise.table) } : null,
  };
}

export function denseHashFields(L: DenseLayer) {
  return { fields: { ...synapseHashHead(L), ...spikingHashFields(L) }, arrays: [L.probRows, L.threshold, L.bias, L.weightSeeds] };
}

/** The spiking neurons' manifest knobs, after the synaptic core's. */
export function spikingKnobs(L: SynapticLayer & SpikingNeurons) {
  return {
    membraneBits: L.membraneBits,
    accBits: L.accBits,
    leak: L.leak,
    reset: L.reset,
    noise: L.noise ? { kind: L.noise.kind, bits: L.noise.bits, scale: L.noise.scale } : null,
  };
}

export function denseKnobs(L: DenseLayer) {
  return { ...synapseKnobsHead(L), ...spikingKnobs(L) };
}
