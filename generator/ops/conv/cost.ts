/** What a conv layer costs: cycles (docs/semantics.md §7), activity, energy and resources. */
import type { ConvLayer, PlannedModel } from '../../ir/types.js';
import type { ActivityEnergy, EnergyCoefficients } from '../../estimate/energy.js';
import type { BlockStructure } from '../../estimate/structure.js';
import { countBits } from '../../ir/widths.js';
import { BsnnError } from '../../util/errors.js';
import type { LayerActivity, LayerTraffic } from '../op.js';
import { convGeometryOf } from './geometry.js';

const notYet = (what: string): never => {
  throw new BsnnError(`conv2d layers: ${what} is not built yet (issue 12); the golden model (evaluate) supports them`);
};

/** Bits of a sum pool's output value (a signed word holding 0..qh·qw), or null: or pool and no pool emit spikes. */
export const convValueBits = (L: ConvLayer): number | null => (L.pool?.kind === 'sum' ? countBits(L.pool.size[0] * L.pool.size[1]) + 1 : null);

/**
 * The event phase of one pass (conv.v.hbs S_EV): 5 cycles to fill the decomposition pipeline, one cycle per
 * (event, kernel offset), 3 to drain the accumulate pipeline; one cycle without events.
 */
export const convEventPhase = (L: ConvLayer, events: number): number => (events === 0 ? 1 : 8 + events * convGeometryOf(L).KK);

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
export const convStructures = (_plan: PlannedModel, _L: ConvLayer): BlockStructure[] => notYet('the resource model');
export const convEnergyPJ = (_L: ConvLayer, _plan: PlannedModel, _act: LayerActivity & LayerTraffic, _c: EnergyCoefficients): ActivityEnergy => notYet('the energy model');
