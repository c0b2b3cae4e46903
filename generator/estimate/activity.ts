/**
 * Activity of the hardware per inference, from the bit-exact golden model: events, spikes, memory reads,
 * weight draws, accumulations, neuron updates and cycles, averaged over a set of inputs. An analysis pass.
 */
import { predictCycles } from '../analysis/cycles.js';
import { streamedInterval } from '../analysis/stream.js';
import { GoldenModel } from '../golden/infer.js';
import type { PlannedModel } from '../ir/types.js';
import { opOf } from '../ops/registry.js';
import type { Activity } from './types.js';

export function measureActivity(plan: PlannedModel, inputs: Uint8Array[]): Activity {
  if (inputs.length === 0) throw new RangeError('measureActivity needs at least one input');
  const g = new GoldenModel(plan);
  const nL = plan.layers.length;
  const zeros = () => new Array<number>(nL).fill(0);
  const a: Activity = {
    inputs: inputs.length,
    eventsPerLayer: zeros(),
    spikesPerLayer: zeros(),
    memReadsPerLayer: zeros(),
    weightDrawsPerLayer: zeros(),
    accUpdatesPerLayer: zeros(),
    neuronUpdatesPerLayer: zeros(),
    synapticOps: 0,
    cyclesPerInference: 0,
    streamedCyclesPerInference: 0,
  };
  for (const x of inputs) {
    const r = g.infer(x, { activity: true });
    const c = predictCycles(plan, r, x);
    a.cyclesPerInference += c.total;
    a.streamedCyclesPerInference += streamedInterval(plan, c);
    a.synapticOps += r.synapticEvents;
    plan.layers.forEach((L, l) => {
      const events = r.eventsIn![l].reduce((s, v) => s + v, 0);
      const act = opOf(L).activity(L, plan, { events, spikes: r.spikesPerLayer[l] });
      a.eventsPerLayer[l] += events;
      a.spikesPerLayer[l] += r.spikesPerLayer[l];
      a.memReadsPerLayer[l] += act.memReads;
      a.weightDrawsPerLayer[l] += act.weightDraws;
      a.accUpdatesPerLayer[l] += act.accUpdates;
      a.neuronUpdatesPerLayer[l] += act.neuronUpdates;
    });
  }
  const n = inputs.length;
  const mean = (v: number[]) => v.map((x) => x / n);
  return {
    inputs: n,
    eventsPerLayer: mean(a.eventsPerLayer),
    spikesPerLayer: mean(a.spikesPerLayer),
    memReadsPerLayer: mean(a.memReadsPerLayer),
    weightDrawsPerLayer: mean(a.weightDrawsPerLayer),
    accUpdatesPerLayer: mean(a.accUpdatesPerLayer),
    neuronUpdatesPerLayer: mean(a.neuronUpdatesPerLayer),
    synapticOps: a.synapticOps / n,
    cyclesPerInference: a.cyclesPerInference / n,
    streamedCyclesPerInference: a.streamedCyclesPerInference / n,
  };
}
