/** The spiking 2-D convolution (docs/semantics.md §4.1): every answer about it, in one place. */
import type { ConvLayer } from '../../ir/types.js';
import type { LayerOp } from '../op.js';
import { convActivity, convEnergyPJ, convSampleBusy, convStepBusy, convStructures, convValueBits } from './cost.js';
import { emitConv } from './emit.js';
import { ConvRuntime } from './golden.js';
import { convHashFields, convKnobs, planConv, validateConv } from './model.js';

export const convOp: LayerOp<ConvLayer> = {
  kind: 'conv2d',
  validate: validateConv,
  plan: planConv,
  hashFields: convHashFields,
  manifestKnobs: convKnobs,
  withThresholdMismatch: (L, scale) => ({ ...L, threshold: L.threshold.map(scale) }),
  runtime: (L, plan) => new ConvRuntime(L, plan),
  emit: emitConv,
  ports: (L) => ({ valueBits: convValueBits(L) }),
  randomStreams: (L) => [{ name: 'weight', bits: L.probBits, seeds: L.weightSeeds }, ...(L.noise ? [{ name: 'noise', bits: L.noise.bits, seeds: L.noise.seeds }] : [])],
  outputPass: (L, index) => Math.floor(Math.floor(index / (L.outShape.h * L.outShape.w)) / L.lanes),
  stepBusy: convStepBusy,
  sampleBusy: convSampleBusy,
  activity: convActivity,
  structures: convStructures,
  energyPJ: convEnergyPJ,
};
