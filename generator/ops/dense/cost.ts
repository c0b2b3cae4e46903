/** What a spiking layer costs: cycles (docs/semantics.md §7), activity, energy and resources. */
import { addrBits } from '../../ir/widths.js';
import type { DenseLayer, PlannedModel } from '../../ir/types.js';
import { counterPJ, neuronUpdatePJ, runtimeSeedDrawPJ, spikePJ, type ActivityEnergy, type EnergyCoefficients } from '../../estimate/energy.js';
import { mapMemory } from '../../estimate/libmap.js';
import { varyingColumns, type BlockStructure } from '../../estimate/structure.js';
import type { LayerActivity, LayerTraffic } from '../op.js';
import { eventPipeline, synapseEnergyPJ } from '../synapses/cost.js';
import { layerBlocks, rowMemory, type NeuronPart } from '../synapses/resources.js';

/**
 * Per pass: the event pipeline, then 3 update stages. A pass's spikes leave one per cycle while the next pass
 * takes its events, and that pass's update waits for the emission to end: its event phase lasts
 * max(pipeline, spikes of the previous pass + 1). After the last pass, its spikes and one closing cycle.
 */
export function denseStepBusy(L: DenseLayer, events: number, passSpikes: ArrayLike<number>): number {
  const pipeline = eventPipeline(L, events);
  let busy = 0;
  for (let f = 0; f < L.passes; f++) busy += (f === 0 ? pipeline : Math.max(pipeline, passSpikes[f - 1] + 1)) + 3;
  return busy + passSpikes[L.passes - 1] + 1;
}

export function denseEnergyPJ(L: DenseLayer, plan: PlannedModel, act: LayerActivity & LayerTraffic, c: EnergyCoefficients): ActivityEnergy {
  const s = synapseEnergyPJ(L, plan, act, c);
  const noiseBits = L.noise ? L.noise.bits : 0;
  const update = neuronUpdatePJ(
    {
      membraneBits: L.membraneBits,
      accBits: L.accBits,
      passes: L.passes,
      leak: L.leak > 0,
      resetSubtract: L.reset === 'subtract',
      noiseBits,
      noiseTableBits: L.noise ? L.noise.tableBits : 0,
    },
    c,
  );
  // The last layer's spikes increment a class counter.
  const vote = L.index === plan.layers.length - 1 ? counterPJ(c) : 0;
  return {
    memoryReads: s.memoryReads,
    weightDraws: s.weightDraws,
    // each weight draw, and each neuron update's noise draw (padding lanes too)
    runtimeSeed: s.runtimeSeed + (noiseBits > 0 ? act.neuronUpdates * runtimeSeedDrawPJ(noiseBits, L.lanes, c) : 0),
    accumulate: s.accumulate,
    neuronUpdates: act.neuronUpdates * update,
    spikesAndEvents: act.spikes * (spikePJ(addrBits(L.size), L.lanes, c) + vote) + s.eventWrites + s.eventReads,
    encoder: 0,
  };
}

/** The update part of dense.v.hbs: spk_q, the three-stage pipeline, membranes, thresholds, biases and noise. */
function denseNeuronPart(L: DenseLayer, live: number): NeuronPart {
  const B = L.membraneBits;
  const W = L.datapathBits;
  const noise = L.noise;
  const biasUsed = L.bias.some((x) => x !== 0);
  const multiPass = L.passes > 1;
  return {
    states: 7,
    // spk_q; sum_q (W bits), vsat_q (B), eta_q (its sign-extension copies merge to the table width)
    ff: live + live * (W + B + (noise ? noise.tableBits : 0)),
    membranes: mapMemory({ name: `layer${L.index}.vmem`, depth: L.passes, width: live * B, rom: false, transparent: true, block: false }),
    rows: [
      { mapping: mapMemory(rowMemory(L, 'thrmem', L.threshold, B)), values: L.threshold, bits: B },
      { mapping: mapMemory(rowMemory(L, 'biasmem', L.bias, B)), values: L.bias, bits: B },
    ],
    // one asynchronous ROM of at most 256 words per lane, always logic (cheaper than any block RAM)
    noiseTable: noise
      ? mapMemory({
          name: `layer${L.index}.eta`,
          depth: 2 ** noise.bits,
          width: varyingColumns(noise.table.length, noise.tableBits, (r, c) => (noise.table[r] >>> c) & 1),
          rom: true,
          transparent: false,
          block: false,
        })
      : null,
    // every live lane draws its threshold noise
    streams: noise ? { name: 'noise', count: live, bits: noise.bits } : null,
    features: {
      updBias: biasUsed ? live * W : 0,
      updBiasRom: biasUsed && multiPass ? live * W : 0,
      updLeak: L.leak > 0 ? live * W : 0,
      updNoise: noise ? live * (noise.tableBits + 2) : 0,
      updSub: L.reset === 'subtract' ? live * W : 0,
      vnext: live * B,
      // past 12 bits Yosys splits the W-bit compares into more carry-chain chunks: a step per lane (B sweeps)
      wide13: W >= 13 ? live : 0,
    },
  };
}

export const denseStructures = (plan: PlannedModel, L: DenseLayer): BlockStructure[] => layerBlocks(plan, L, (an) => denseNeuronPart(L, an.live));
