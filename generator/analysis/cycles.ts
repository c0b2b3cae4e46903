/**
 * Cycle model: clock cycles per inference of the generated RTL, from the planned IR and the golden model's
 * activity (events into and spikes out of every layer at every timestep). An analysis pass: it reads, it
 * returns figures, it changes nothing. docs/semantics.md §7 states the timing it encodes; the tests hold it
 * to the cycle counts measured in simulation.
 */
import type { InferenceResult } from '../golden/infer.js';
import type { PlannedModel } from '../ir/types.js';
import { opOf } from '../ops/registry.js';
import { encoderBusy } from './encoder.js';

/** A control step of the top level that waits for a unit busy for `busy` cycles costs busy + 3 cycles. */
const waited = (busy: number) => busy + 3;

export interface CycleBreakdown {
  total: number;
  /** Cycles spent in each layer's timesteps (waiting included), summed over the inference. */
  perLayer: number[];
  encoder: number;
  sampling: number;
  readout: number;
  /**
   * Cycles from the start edge until the core reads its inputs no more (in_free rises: direct input, after
   * the first timestep's scan; rate input reads them to the end, so the total).
   */
  inputsFreeAfter: number;
}

/**
 * Cycles of one inference on input `x` (the 8-bit intensities the host wrote: the direct-input encoder's scan
 * depends on where the nonzero ones are), given the golden model's activity on it.
 */
export function predictCycles(plan: PlannedModel, act: InferenceResult, x: ArrayLike<number>): CycleBreakdown {
  if (!act.eventsIn || !act.spikesPerPass) throw new Error('predictCycles needs golden activity: infer(x, { activity: true })');
  const T = plan.timesteps;
  const perSample = plan.mode === 'per-sample';
  const encBusy = encoderBusy(plan, x);
  const replay = plan.input.encoding === 'direct';
  const sampleBusy = Math.max(...plan.layers.map((L) => opOf(L).sampleBusy(L, perSample)));
  const perLayer = plan.layers.map(() => 0);
  let encoder = 0;
  let sampling = 0;
  let other = 1; // the cycle that takes the start pulse
  for (let s = 0; s < plan.samples; s++) {
    sampling += waited(sampleBusy);
    for (let t = 0; t < T; t++) {
      // Direct input: layer 0 replays the list the encoder wrote at the first timestep; the top passes by.
      encoder += replay && (s > 0 || t > 0) ? 1 : waited(encBusy);
      plan.layers.forEach((L, l) => {
        const first = (s * T + t) * L.passes;
        perLayer[l] += waited(opOf(L).stepBusy(L, act.eventsIn![l][s * T + t], act.spikesPerPass![l].subarray(first, first + L.passes)));
      });
      other += 1; // end-of-timestep bookkeeping
    }
  }
  const readout = plan.outputs + 1; // argmax scan, one class per cycle, the compare a cycle behind the read
  const total = other + sampling + encoder + perLayer.reduce((a, b) => a + b, 0) + readout;
  // the start edge, the first sample's sampling wait, the scan's wait, and the S_LAYER cycle that raises in_free
  const inputsFreeAfter = replay ? 2 + waited(sampleBusy) + waited(encBusy) : total;
  return { total, perLayer, encoder, sampling, readout, inputsFreeAfter };
}
