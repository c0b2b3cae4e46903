/** The conv layer's fields: validation, planning, its part of the model hash and the manifest. */
import type { LayerSpec, Model } from '../../model/schema.js';
import type { LayerShape } from '../../model/shapes.js';
import { datapathBits } from '../../ir/widths.js';
import type { ConvLayer, SynapseCore } from '../../ir/types.js';
import type { JsonPath, ProblemSink } from '../op.js';
import { BsnnError } from '../../util/errors.js';
import { planNoise, validateDense } from '../dense/model.js';
import { perNeuron, synapseHashHead, synapseKnobsHead } from '../synapses/plan.js';

/** Thresholds, biases and noise are checked as a dense layer's, per channel; the shapes were checked by the loader. */
export function validateConv(spec: LayerSpec, at: (...rest: PropertyKey[]) => JsonPath, problems: ProblemSink): void {
  validateDense(spec, at, problems);
}

export function planConv(spec: LayerSpec, core: SynapseCore, model: Model, shape: LayerShape): ConvLayer {
  if (spec.type !== 'conv2d' || !shape.conv || !shape.inShape) throw new RangeError(`layers[${core.index}] is not a conv2d layer`);
  if (core.eventsPerCycle !== 1) throw new BsnnError(`layers[${core.index}]: conv2d layers take one event per cycle (eventsPerCycle 2 is for dense layers)`);
  const noise = planNoise(spec, core, model);
  const g = shape.conv;
  return {
    ...core,
    kind: 'conv2d',
    threshold: perNeuron(spec.threshold, core.size, 1),
    leak: spec.leak,
    reset: spec.reset,
    membraneBits: spec.membraneBits,
    datapathBits: datapathBits(spec.membraneBits, core.accBits, noise ? noise.tableBits : 1),
    noise,
    inShape: shape.inShape,
    kernel: g.kernel,
    stride: g.stride,
    padding: g.padding,
    convShape: g.convShape,
    pool: g.pool,
    outShape: g.outShape,
    kernelSample: 'per-use',
  };
}

const geometry = (L: ConvLayer) => ({ inShape: L.inShape, kernel: L.kernel, stride: L.stride, padding: L.padding, pool: L.pool });

export function convHashFields(L: ConvLayer) {
  const fields = {
    kind: L.kind,
    ...synapseHashHead(L),
    ...geometry(L),
    leak: L.leak,
    reset: L.reset,
    membraneBits: L.membraneBits,
    accBits: L.accBits,
    inputMax: L.inputMax,
    noise: L.noise ? { kind: L.noise.kind, bits: L.noise.bits, table: Array.from(L.noise.table) } : null,
    ...(L.kernelSample === 'per-timestep' ? { kernelSample: L.kernelSample } : {}),
  };
  return { fields, arrays: [L.probRows, L.threshold, L.bias, L.weightSeeds] };
}

export function convKnobs(L: ConvLayer) {
  return {
    kind: L.kind,
    ...synapseKnobsHead(L),
    ...geometry(L),
    outShape: L.outShape,
    membraneBits: L.membraneBits,
    accBits: L.accBits,
    leak: L.leak,
    reset: L.reset,
    noise: L.noise ? { kind: L.noise.kind, bits: L.noise.bits, scale: L.noise.scale } : null,
  };
}
