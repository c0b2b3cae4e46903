/** The potential readout layer (the last layer of a `"readout": {"mode": "potential"}` model), in one place. */
import type { ReadoutLayer } from '../../ir/types.js';
import type { LayerOp } from '../op.js';
import { synapseActivity, synapseSampleBusy } from '../synapses/cost.js';
import { readoutEnergyPJ, readoutStepBusy, readoutStructures } from './cost.js';
import { emitReadout } from './emit.js';
import { ReadoutRuntime } from './golden.js';
import { planReadout, readoutHashFields, readoutKnobs, validateReadout } from './model.js';

export const readoutOp: LayerOp<ReadoutLayer> = {
  kind: 'readout',
  validate: validateReadout,
  plan: planReadout,
  hashFields: readoutHashFields,
  manifestKnobs: readoutKnobs,
  // no thresholds to mismatch
  withThresholdMismatch: (L) => L,
  runtime: (L, plan, scratch) => new ReadoutRuntime(L, plan, scratch),
  emit: emitReadout,
  ports: (L) => ({ valueBits: L.datapathBits }),
  randomStreams: (L) => [{ name: 'weight', bits: L.probBits, seeds: L.weightSeeds }],
  outputPass: (L, n) => Math.floor(n / L.lanes),
  stepBusy: readoutStepBusy,
  sampleBusy: synapseSampleBusy,
  activity: synapseActivity,
  structures: readoutStructures,
  energyPJ: readoutEnergyPJ,
};
