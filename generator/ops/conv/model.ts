/** The conv layer's fields: validation, planning, its part of the model hash and the manifest. */
import type { LayerSpec, Model } from '../../model/schema.js';
import type { LayerShape } from '../../model/shapes.js';
import type { ConvLayer, PlannedLayer, SynapseCore } from '../../ir/types.js';
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
  return { ...core, kind: 'conv2d', ...planSpiking(spec, core, model), inShape: shape.inShape, ...shape.conv, kernelSample: 'per-use', offsetsPerCycle: spec.offsetsPerCycle === 2 ? 2 : 1 };
}

/**
 * The planner's override of a conv layer's offsets per cycle (PlanOptions.offsetsPerCycle; undefined keeps the
 * model's). One number for every layer (`forAll`) leaves the other kinds alone; a per-layer 2 on another kind
 * is refused.
 */
export function withOffsetsPerCycle<L extends PlannedLayer>(layer: L, value: number | undefined, forAll: boolean): L {
  if (value === undefined) return layer;
  if (value !== 1 && value !== 2) throw new BsnnError(`offsetsPerCycle: ${value} for layer ${layer.index}; it is 1 or 2`);
  if (layer.kind !== 'conv2d') {
    if (value === 2 && !forAll) throw new BsnnError(`offsetsPerCycle: layer ${layer.index} is ${layer.kind}, which has no kernel offsets; give 1 for it (dense layers have eventsPerCycle)`);
    return layer;
  }
  return { ...layer, offsetsPerCycle: value };
}

const geometry = (L: ConvLayer) => ({ inShape: L.inShape, kernel: L.kernel, stride: L.stride, padding: L.padding, pool: L.pool });

export function convHashFields(L: ConvLayer) {
  const fields = {
    kind: L.kind,
    ...synapseHashHead(L),
    ...geometry(L),
    ...spikingHashFields(L),
    ...(L.kernelSample === 'per-timestep' ? { kernelSample: L.kernelSample } : {}),
    // two offsets per cycle is another design (same arithmetic); one keeps the hash existing models always had
    ...(L.offsetsPerCycle === 2 ? { offsetsPerCycle: 2 } : {}),
  };
  return { fields, arrays: [L.probRows, L.threshold, L.bias, L.weightSeeds] };
}

export function convKnobs(L: ConvLayer) {
  return { kind: L.kind, ...synapseKnobsHead(L), ...geometry(L), outShape: L.outShape, ...spikingKnobs(L), ...(L.offsetsPerCycle === 2 ? { offsetsPerCycle: 2 } : {}) };
}
