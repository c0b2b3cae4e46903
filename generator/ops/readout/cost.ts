/** What the potential readout layer costs: cycles (docs/semantics.md §7), activity, energy and resources. */
import { addrBits } from '../../ir/widths.js';
import type { PlannedModel, ReadoutLayer } from '../../ir/types.js';
import { accumulatePJ, neuronUpdatePJ, spikePJ, type ActivityEnergy, type EnergyCoefficients } from '../../estimate/energy.js';
import { log2c, type BlockStructure } from '../../estimate/structure.js';
import { mapMemory } from '../../estimate/libmap.js';
import type { LayerActivity, LayerTraffic } from '../op.js';
import { eventPipeline, synapseEnergyPJ } from '../synapses/cost.js';
import { layerBlocks, rowMemory, type NeuronPart } from '../synapses/resources.js';

/** Per pass: the event pipeline and one cycle to latch acc + b; plus one cycle per neuron to pass its value on. */
export const readoutStepBusy = (L: ReadoutLayer, events: number): number => L.passes * (eventPipeline(L, events) + 1) + L.size;

export function readoutEnergyPJ(L: ReadoutLayer, plan: PlannedModel, act: LayerActivity & LayerTraffic, c: EnergyCoefficients): ActivityEnergy {
  const s = synapseEnergyPJ(L, plan, act, c);
  // the latch of acc + b, priced as a neuron update without leak, reset or noise
  const update = neuronUpdatePJ({ membraneBits: L.biasBits, accBits: L.accBits, passes: L.passes, leak: false, resetSubtract: false, noiseBits: 0, noiseTableBits: 0 }, c);
  // every neuron, every timestep: one value leaves the layer (like a spike) and is added to a vote counter
  const values = plan.samples * plan.timesteps * L.size * (spikePJ(addrBits(L.size), L.lanes, c) + accumulatePJ(plan.voteBits, c));
  return {
    memoryReads: s.memoryReads,
    weightDraws: s.weightDraws,
    runtimeSeed: s.runtimeSeed,
    accumulate: s.accumulate,
    neuronUpdates: act.neuronUpdates * update,
    spikesAndEvents: values + s.eventWrites + s.eventReads,
    encoder: 0,
  };
}

/** The value part of readout.v.hbs: val_q, out_val, the lane counter and the bias rows. */
function readoutPart(L: ReadoutLayer, live: number): NeuronPart {
  const W = L.datapathBits;
  return {
    states: 5,
    // val_q (the lanes that reach out_val), out_val, lane
    ff: live * W + W + log2c(L.lanes),
    membranes: null,
    rows: [{ mapping: mapMemory(rowMemory(L, 'biasmem', L.bias, L.biasBits)), values: L.bias, bits: L.biasBits }],
    noiseTable: null,
    streams: null,
    // No neuron update: acc + b and the val_q shift cost about what the accumulator terms already give (Yosys
    // on 7 such designs: readout block -8 %..+15 %, totals -6 %..+1 %).
    features: { updBias: 0, updBiasRom: 0, updLeak: 0, updNoise: 0, updSub: 0, vnext: 0, wide13: 0 },
  };
}

export const readoutStructures = (plan: PlannedModel, L: ReadoutLayer): BlockStructure[] => layerBlocks(plan, L, (an) => readoutPart(L, an.live));
