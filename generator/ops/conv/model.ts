/** The conv layer's fields: validation, planning, its part of the model hash and the manifest. */
import type { LayerSpec, Model } from '../../model/schema.js';
import type { LayerShape } from '../../model/shapes.js';
import type { ConvLayer, SynapseCore } from '../../ir/types.js';
import type { JsonPath, ProblemSink } from '../op.js';
import { BsnnError } from '../../util/errors.js';
import { planSpiking, spikingHashFields, spikingKnobs, validateDense } from '../dense/model.js';
import { synapseHashHead, synapseKnobsHead } from '../synapses/plan.js';

/** Thresholds, biases and noise are checked as a dense layer's, per channel; the shapes were checked by the loader. */
export function validateConv(spec: LayerSpec, at: (...rest: PropertyKey[]) => JsonPath, problems: ProblemSink): void {
  validateDense(spec, at, problems);
}

export function planConv(spec: LayerSpec, core: SynapseCore, model: Model, shape: LayerShape): ConvLayer {
  if (spec.type !== 'conv2d' || !shape.conv || !shape.inShape) throw new RangeError(`layers[${core.index}] is not a conv2d layer`);
  if (core.eventsPerCycle !== 1) throw new BsnnError(`layers[${core.index}]: conv2d layers take one event per cycle (eventsPerCycle 2 is for dense layers)`);
  return { ...core, kind: 'conv2d', ...planSpiking(spec, core, model), inShape: shape.inShape, ...shape.conv, kernelSample: 'per-use' };
}

const geometry = (L: ConvLayer) => ({ inShape: L.inShape, kernel: L.kernel, stride: L.stride, padding: L.padding, pool: L.pool });

export function convHashFields(L: ConvLayer) {
  const fields = {
    kind: L.kind,
    ...synapseHashHead(L),
    ...geometry(L),
    ...spikingHashFields(L),
    ...(L.kernelSample === 'per-timestep' ? { kernelSample: L.kernelSample } : {}),
  };
  return { fields, arrays: [L.probRows, L.threshold, L.bias, L.weightSeeds] };
}

export function convKnobs(L: ConvLayer) {
  return { kind: L.kind, ...synapseKnobsHead(L), ...geometry(L), outShape: L.outShape, ...spikingKnobs(L) };
}
