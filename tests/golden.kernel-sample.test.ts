/**
 * The two meanings of a Bayesian sample of a shared kernel (docs/semantics.md §4.1): a fresh weight per use
 * (the model's semantics, what the RTL does) and one kernel sample per timestep (evaluate's alternative).
 * On a uniform image every output position sees the same input patch, so one kernel sample per timestep gives
 * every position of a channel the same spikes, and fresh draws per use do not.
 */
import { describe, expect, it } from 'vitest';
import { generateDesign } from '../generator/emit/design.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { sharedKernelPlan } from '../generator/eval/variants.js';
import type { ConvLayer } from '../generator/ir/types.js';

const C = 4;
const side = 6;
const model = (mode: 'time-ensemble' | 'per-sample') =>
  validateModel({
    format: 'bsnn/1',
    name: 'kernel',
    seed: 11,
    timesteps: 6,
    sampling: { mode, samples: 1 },
    input: { size: side * side, encoding: 'direct', shape: [1, side, side] },
    layers: [
      { type: 'conv2d', channels: C, kernel: 3, probBits: 4, prob: Array.from({ length: C }, () => new Array(9).fill(0.5)), threshold: 200, lanes: 2 },
      { size: 2, probBits: 4, prob: [new Array(C * 16).fill(0.5), new Array(C * 16).fill(0.5)], threshold: 2 },
    ],
  });

/** Spikes of layer 0 per (timestep, channel): the set of positions that spiked, as strings. */
function positionsPerChannel(g: GoldenModel): Map<string, Set<number>> {
  const r = g.infer(new Uint8Array(side * side).fill(100), { trace: true });
  const out = new Map<string, Set<number>>();
  r.trace!.neuron.forEach((n, e) => {
    if (r.trace!.layer[e] !== 0) return;
    const key = `${r.trace!.timestep[e]}/${Math.floor(n / 16)}`;
    if (!out.has(key)) out.set(key, new Set());
    out.get(key)!.add(n % 16);
  });
  return out;
}

describe('a shared kernel: fresh weight per use, or one sample per timestep', () => {
  it('one kernel sample per timestep: every position of a channel spikes alike on a uniform image', () => {
    const plan = sharedKernelPlan(planModel(model('time-ensemble')))!;
    expect((plan.layers[0] as ConvLayer).kernelSample).toBe('per-timestep');
    const spikes = positionsPerChannel(new GoldenModel(plan));
    expect(spikes.size).toBeGreaterThan(0);
    for (const set of spikes.values()) expect(set.size).toBe(16);
  });

  it('a fresh weight per use: positions of one channel differ', () => {
    const spikes = positionsPerChannel(new GoldenModel(planModel(model('time-ensemble'))));
    expect([...spikes.values()].some((set) => set.size > 0 && set.size < 16)).toBe(true);
  });

  it('the RTL refuses the variant (it draws a fresh weight per use)', () => {
    const plan = sharedKernelPlan(planModel(model('time-ensemble')))!;
    expect(() => generateDesign(plan)).toThrow(/a kernel sample per timestep is not built in RTL/);
    expect(() => generateDesign(planModel(model('time-ensemble')))).not.toThrow();
  });

  it('per-sample models and models without conv layers have no such variant', () => {
    expect(sharedKernelPlan(planModel(model('per-sample')))).toBeNull();
  });
});
