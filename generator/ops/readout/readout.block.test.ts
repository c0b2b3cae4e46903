/**
 * readout.v.hbs on its own: the module driven through its event protocol (tests/helpers/block.ts) against the
 * readout op's golden step (acc + b of every neuron, every timestep), cycle model and activity counts.
 */
import { describe, expect, it } from 'vitest';
import { planModel } from '../../ir/plan.js';
import { validateModel } from '../../model/load.js';
import { randomModel, type RandomModelOptions } from '../../model/random.js';
import { expectEqualToOp, runBlock } from '../../../tests/helpers/block.js';

const cases: { name: string; layer: number; density: number; model: RandomModelOptions }[] = [
  {
    name: 'spike events, 3 passes (P ∤ N), biases',
    layer: 1,
    density: 0.5,
    model: { seed: 51, inputs: 5, layers: [12, 7], lanes: [4, 3], probBits: 4, timesteps: 4, readout: 'potential', bias: true },
  },
  {
    name: 'direct input (the only layer), per-sample (S = 2), P > N',
    layer: 0,
    density: 0.5,
    model: { seed: 52, inputs: 10, layers: [3], lanes: [4], probBits: 2, timesteps: 3, samples: 2, mode: 'per-sample', encoding: 'direct', readout: 'potential', bias: true },
  },
  {
    name: 'two events per cycle: spike events, P ∤ N, time ensemble',
    layer: 1,
    density: 0.7,
    model: { seed: 53, inputs: 6, layers: [9, 7], lanes: [3, 3], eventsPerCycle: [1, 2], probBits: 3, timesteps: 3, readout: 'potential', bias: true },
  },
];

describe('readout layer block (readout.v.hbs)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const plan = planModel(validateModel(randomModel({ ...c.model, name: 'blk' })));
      expect(plan.layers[c.layer].kind).toBe('readout');
      const r = await runBlock(plan, c.layer, { seed: 0x0badcafe, density: c.density, stimulusSeed: c.model.seed });
      expect(r.golden.flat().some((e) => e.split(' ')[1] !== '0'), 'some value is not 0').toBe(true);
      expectEqualToOp(r);
    });
  }
});
