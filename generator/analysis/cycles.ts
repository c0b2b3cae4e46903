/**
 * Cycle model: clock cycles per inference of the generated RTL, from the planned IR and the golden model's
 * activity (events into and spikes out of every layer at every timestep). An analysis pass: it reads, it
 * returns figures, it changes nothing. docs/semantics.md §7 states the timing it encodes; the tests hold it
 * to the cycle counts measured in simulation.
 */
import type { InferenceResult } from '../golden/infer.js';
import type { PlannedLayer, PlannedModel } from '../ir/types.js';

/** A control step of the top level that waits for a unit busy for `busy` cycles costs busy + 3 cycles. */
const waited = (busy: number) => busy + 3;

/** Cycles the event pipeline of one pass takes: issue, two stages and drain, or one cycle for no events. */
const eventPipeline = (events: number) => (events === 0 ? 1 : events + 3);

/**
 * Cycles a layer is busy for one timestep with `events` input events and `spikes` output spikes. A spiking
 * layer: per pass the event pipeline, 3 update stages and one cycle to close the emission, plus a cycle per
 * spike. The potential readout layer: per pass the event pipeline and one cycle to latch acc + b, plus one
 * cycle per neuron to pass its value on.
 */
export function layerStepBusy(L: PlannedLayer, events: number, spikes: number): number {
  if (L.readout) return L.passes * (eventPipeline(events) + 1) + L.size;
  return L.passes * (eventPipeline(events) + 3 + 1) + spikes;
}

/** Cycles a layer is busy at the start of a sample: clear membranes, then (per-sample) draw the weights. */
export function layerSampleBusy(L: PlannedLayer, perSample: boolean): number {
  return L.passes + (perSample ? L.passes * L.fanIn + 2 : 0);
}

export interface CycleBreakdown {
  total: number;
  /** Cycles spent in each layer's timesteps (waiting included), summed over the inference. */
  perLayer: number[];
  encoder: number;
  sampling: number;
  readout: number;
}

export function predictCycles(plan: PlannedModel, act: InferenceResult): CycleBreakdown {
  if (!act.eventsIn || !act.spikesOut) throw new Error('predictCycles needs golden activity: infer(x, { activity: true })');
  const T = plan.timesteps;
  const perSample = plan.mode === 'per-sample';
  const encBusy = plan.input.size + 2;
  const sampleBusy = Math.max(...plan.layers.map((L) => layerSampleBusy(L, perSample)));
  const perLayer = plan.layers.map(() => 0);
  let encoder = 0;
  let sampling = 0;
  let other = 1; // the cycle that takes the start pulse
  for (let s = 0; s < plan.samples; s++) {
    sampling += waited(sampleBusy);
    for (let t = 0; t < T; t++) {
      encoder += waited(encBusy);
      plan.layers.forEach((L, l) => {
        perLayer[l] += waited(layerStepBusy(L, act.eventsIn![l][s * T + t], act.spikesOut![l][s * T + t]));
      });
      other += 1; // end-of-timestep bookkeeping
    }
  }
  const readout = plan.outputs; // argmax scan, one class per cycle
  const total = other + sampling + encoder + perLayer.reduce((a, b) => a + b, 0) + readout;
  return { total, perLayer, encoder, sampling, readout };
}
