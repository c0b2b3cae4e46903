/** What a conv layer costs: cycles (docs/semantics.md §7), activity, energy and resources. */
import type { ConvLayer, PlannedModel } from '../../ir/types.js';
import {
  accumulatePJ,
  drawPJ,
  eventReadPJ,
  eventWritePJ,
  memoryAccessPJ,
  neuronUpdatePJ,
  runtimeSeedDrawPJ,
  spikePJ,
  type ActivityEnergy,
  type EnergyCoefficients,
} from '../../estimate/energy.js';
import { declareMemory } from '../../ir/memory.js';
import { addrBits, countBits } from '../../ir/widths.js';
import { BsnnError } from '../../util/errors.js';
import type { LayerActivity, LayerTraffic } from '../op.js';
import { convGeometryOf, spikeRowBits } from './geometry.js';
import { decompositionStages } from './decompose.js';

/** Bits of a sum pool's output value (a signed word holding 0..qh·qw), or null: or pool and no pool emit spikes. */
export const convValueBits = (L: ConvLayer): number | null => (L.pool?.kind === 'sum' ? countBits(L.pool.size[0] * L.pool.size[1]) + 1 : null);

/**
 * The event phase of one pass (conv.v.hbs S_EV): the list read and the decomposition's stages fill the
 * pipeline, then one cycle per (event, kernel offset) — per (event, offset pair) with two offsets per cycle,
 * kh·⌈kw/2⌉ per event — then the load cycle and 3 to drain the accumulate pipeline; one cycle without events.
 */
export const convEventPhase = (L: ConvLayer, events: number): number => (events === 0 ? 1 : decompositionStages(L) + 4 + events * convGeometryOf(L).eventCycles);

/**
 * Per pass: the event phase; the update scan (one position per cycle, 3 pipeline stages); the pool and emission
 * scan (qh·qw spike rows per window, then one cycle per output event, one closing cycle).
 */
export function convStepBusy(L: ConvLayer, events: number, passSpikes: ArrayLike<number>): number {
  if (L.eventsPerCycle !== 1) throw new BsnnError(`layers[${L.index}].eventsPerCycle: conv2d layers take one event per cycle`);
  const { HW, Q, A } = convGeometryOf(L);
  let busy = 0;
  for (let f = 0; f < L.passes; f++) busy += convEventPhase(L, events) + HW + 3 + Q * A + passSpikes[f] + 1;
  return busy + CONV_STEP_EXTRA;
}

/** Cycles outside the passes (taking step_start). */
const CONV_STEP_EXTRA = 0;

/** Sample start: clear every membrane row (F·Ho·Wo, one per cycle); per-sample, then draw every row once. */
export const convSampleBusy = (L: ConvLayer, perSample: boolean): number => L.passes * convGeometryOf(L).HW + (perSample ? L.passes * L.fanIn + 2 : 0);

/**
 * Every pass reads a row per (event, kernel offset) and its P lanes draw (time ensemble) and go through the
 * accumulate stage (written where the offset lands); per-sample, SAMPLE_WEIGHTS reads every row; every
 * timestep updates every (pass, position, lane).
 */
export function convActivity(L: ConvLayer, plan: PlannedModel, traffic: LayerTraffic): LayerActivity {
  const { F, P, KK, HW } = convGeometryOf(L);
  const perSample = plan.mode === 'per-sample';
  const sampling = perSample ? plan.samples * F * L.fanIn : 0;
  const offsets = F * traffic.events * KK;
  return {
    memReads: offsets + sampling,
    weightDraws: (perSample ? sampling : offsets) * P,
    accUpdates: offsets * P,
    neuronUpdates: plan.samples * plan.timesteps * F * HW * P,
  };
}
export { convStructures } from './resources.js';
/**
 * Energy of a conv layer's activity in one inference (pJ), by category. Memory reads: the probability (or held)
 * row of every (event, offset) and the accumulator row read and written for it; per position update the
 * membrane row read and written and the spike row written; the pool scan's spike row reads. The update is
 * the dense neuron's, per (pass, position, lane).
 */
export function convEnergyPJ(L: ConvLayer, plan: PlannedModel, act: LayerActivity & LayerTraffic, c: EnergyCoefficients): ActivityEnergy {
  const { F, P, KK, HW, Q, A, inputs } = convGeometryOf(L);
  const ST = plan.samples * plan.timesteps;
  const offsets = F * act.events * KK;
  const { prob, held } = L.memories;
  const mem = (width: number, depth: number) => memoryAccessPJ(declareMemory(depth, width), c);
  // Per-sample: each sampling-phase read writes the held row, into both copies when two offsets go per cycle.
  const heldCopies = L.offsetsPerCycle === 2 ? 2 : 1;
  const rowReads = held
    ? offsets * memoryAccessPJ(held, c) + Math.max(0, act.memReads - offsets) * (memoryAccessPJ(prob, c) + heldCopies * memoryAccessPJ(held, c))
    : act.memReads * memoryAccessPJ(prob, c);
  const accRows = 2 * offsets * mem(P * L.accBits, HW);
  const positions = ST * F * HW;
  const updateRows = positions * (2 * mem(P * L.membraneBits, F * HW) + mem(spikeRowBits(P), HW));
  const poolRows = ST * F * Q * A * mem(spikeRowBits(P), HW);
  const noiseBits = L.noise ? L.noise.bits : 0;
  const update = neuronUpdatePJ(
    {
      membraneBits: L.membraneBits,
      accBits: L.accBits,
      passes: F,
      leak: L.leak > 0,
      resetSubtract: L.reset === 'subtract',
      noiseBits,
      noiseTableBits: L.noise ? L.noise.tableBits : 0,
    },
    c,
  );
  const evBits = addrBits(inputs) + (L.inputMax > 1 ? countBits(L.inputMax) : 0);
  const eventWrites = (L.directInput ? act.events / ST : act.events) * eventWritePJ(evBits, inputs, c);
  return {
    memoryReads: rowReads + accRows + updateRows + poolRows,
    weightDraws: act.weightDraws * drawPJ(L.probBits, c),
    runtimeSeed: act.weightDraws * runtimeSeedDrawPJ(L.probBits, P, c) + (noiseBits > 0 ? act.neuronUpdates * runtimeSeedDrawPJ(noiseBits, P, c) : 0),
    accumulate: act.accUpdates * accumulatePJ(L.accBits, c),
    neuronUpdates: act.neuronUpdates * update,
    // output events; the event list written, and read once per pass (then held for the kh·kw offsets)
    spikesAndEvents: act.spikes * spikePJ(addrBits(L.outputs), P, c) + eventWrites + act.events * F * eventReadPJ(evBits, inputs, c),
    encoder: 0,
  };
}
