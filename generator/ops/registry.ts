/**
 * The layer kinds and their ops. The table is typed over every kind of PlannedLayer: a kind without an op
 * does not compile.
 */
import type { Model } from '../model/schema.js';
import type { LayerKind, PlannedLayer, PlannedModel } from '../ir/types.js';
import { denseOp } from './dense/op.js';
import type { LayerOp } from './op.js';
import { readoutOp } from './readout/op.js';
import { convOp } from './conv/op.js';

const OPS: { readonly [K in LayerKind]: LayerOp<Extract<PlannedLayer, { kind: K }>> } = {
  dense: denseOp,
  readout: readoutOp,
  conv2d: convOp,
};

export function opOf<L extends PlannedLayer>(L: L): LayerOp<L> {
  return OPS[L.kind as LayerKind] as unknown as LayerOp<L>;
}

export const opOfKind = <K extends LayerKind>(kind: K): LayerOp<Extract<PlannedLayer, { kind: K }>> => OPS[kind];

/**
 * The votes are sums of the output layer's values (a potential readout), not counts of its output events:
 * what the output layer's op says of its ports.
 */
export function votesAreValues(plan: PlannedModel): boolean {
  const out = plan.layers[plan.layers.length - 1];
  return opOf(out).ports(out).valueBits !== null;
}

/**
 * The kind of `model.layers[l]` in the bsnn/1 format: the last layer of a potential readout is the readout
 * kind; every other layer spikes, as its `type` says.
 */
export function layerKindOf(model: Model, l: number): LayerKind {
  if (model.readout?.mode === 'potential' && l === model.layers.length - 1) return 'readout';
  return model.layers[l].type === 'conv2d' ? 'conv2d' : 'dense';
}
