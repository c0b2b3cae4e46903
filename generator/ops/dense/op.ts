/** The spiking (IF/LIF) dense layer: every answer about it, in one place. */
import type { DenseLayer } from '../../ir/types.js';
import type { LayerOp } from '../op.js';
import { synapseActivity, synapseSampleBusy } from '../synapses/cost.js';
import { denseEnergyPJ, denseStepBusy, denseStructures } from './cost.js';
import { emitDense } from './emit.js';
import { DenseRuntime } from './golden.js';
import { denseHashFields, denseKnobs, planDense, validateDense } from './model.js';

export const denseOp: LayerOp<DenseLayer> = {
  kind: 'dense',
  validate: validateDense,
  plan: planDense,
  hashFields: denseHashFields,
  manifestKnobs: denseKnobs,
  withThresholdMismatch: (L, scale) => ({ ...L, threshold: L.threshold.map(scale) }),
  runtime: (L, plan, scratch) => new DenseRuntime(L, plan, scratch),
  emit: emitDense,
  ports: () => ({ valueBits: null }),
  randomStreams: (L) => [{ name: 'weight', bits: L.probBits, seeds: L.weightSeeds }, ...(L.noise ? [{ name: 'noise', bits: L.noise.bits, seeds: L.noise.seeds }] : [])],
  outputPass: (L, n) => Math.floor(n / L.lanes),
  stepBusy: denseStepBusy,
  sampleBusy: synapseSampleBusy,
  activity: synapseActivity,
  structures: denseStructures,
  energyPJ: denseEnergyPJ,
};
