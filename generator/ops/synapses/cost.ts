/**
 * What the synaptic core costs, for every layer kind: the event pipeline's cycles (docs/semantics.md §7), its
 * activity (memory reads, weight draws, accumulations) and the energy of that activity.
 */
import { addrBits } from '../../ir/widths.js';
import type { PlannedModel, SynapticLayer } from '../../ir/types.js';
import {
  accumulatePJ,
  drawPJ,
  eventReadPJ,
  eventWritePJ,
  memoryAccessPJ,
  runtimeSeedDrawPJ,
  type EnergyCoefficients,
} from '../../estimate/energy.js';
import type { LayerActivity, LayerTraffic } from '../op.js';

/**
 * Cycles the event pipeline of one pass takes: issue (one cycle per event, or per pair of events when the
 * layer takes two per cycle), three stages and drain; or one cycle for no events.
 */
export const eventPipeline = (L: SynapticLayer, events: number) => (events === 0 ? 1 : Math.ceil(events / L.eventsPerCycle) + 4);


/** Cycles at the start of a sample: clear (one cycle per pass), then per-sample draw every row once. */
export const synapseSampleBusy = (L: SynapticLayer, perSample: boolean): number => L.passes + (perSample ? L.passes * L.fanIn + 2 : 0);

/** Every pass reads a row per event and its P lanes draw and accumulate; per-sample, SAMPLE_WEIGHTS reads every row. */
export function synapseActivity(L: SynapticLayer, plan: PlannedModel, traffic: LayerTraffic): LayerActivity {
  const F = L.passes;
  const P = L.lanes;
  const perSample = plan.mode === 'per-sample';
  const sampling = perSample ? plan.samples * F * L.fanIn : 0; // rows read and drawn in SAMPLE_WEIGHTS
  return {
    memReads: F * traffic.events + sampling,
    weightDraws: (perSample ? sampling : F * traffic.events) * P,
    accUpdates: F * traffic.events * P,
    neuronUpdates: plan.samples * plan.timesteps * F * P,
  };
}

/** Energy of the synaptic core's activity (pJ per inference), by category. */
export function synapseEnergyPJ(L: SynapticLayer, plan: PlannedModel, act: LayerActivity & LayerTraffic, c: EnergyCoefficients) {
  const F = L.passes;
  const { prob, held } = L.memories;
  const evBits = addrBits(L.fanIn) + (L.directInput ? 8 : 0);
  // Time-ensemble: every read is a probability row (P·k bits). Per-sample: the event pipeline reads held rows
  // (P bits) once per event per pass; the rest are sampling-phase probability reads, each followed by a
  // held-row write.
  let memoryReads: number;
  if (held) {
    const heldAccess = memoryAccessPJ(held, c);
    const heldReads = act.events * F;
    const probReads = Math.max(0, act.memReads - heldReads);
    memoryReads = heldReads * heldAccess + probReads * (memoryAccessPJ(prob, c) + heldAccess);
  } else {
    memoryReads = act.memReads * memoryAccessPJ(prob, c);
  }
  return {
    memoryReads,
    weightDraws: act.weightDraws * drawPJ(L.probBits, c),
    runtimeSeed: act.weightDraws * runtimeSeedDrawPJ(L.probBits, L.lanes, c),
    accumulate: act.accUpdates * accumulatePJ(L.accBits, c),
    /**
     * Events written into the layer's list (direct input: once per inference, then replayed), and read once per
     * pass (kept apart: the kinds add them in this order).
     */
    eventWrites: (L.directInput ? act.events / (plan.samples * plan.timesteps) : act.events) * eventWritePJ(evBits, L.fanIn, c),
    eventReads: act.events * F * eventReadPJ(evBits, L.fanIn, c),
  };
}
