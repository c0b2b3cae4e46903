/**
 * dense.v.hbs on its own: the module driven through its event protocol (tests/helpers/block.ts) against the
 * dense op's golden step, cycle model and activity counts.
 */
import { describe, expect, it } from 'vitest';
import { planModel } from '../../ir/plan.js';
import { validateModel } from '../../model/load.js';
import { randomModel, type RandomModelOptions } from '../../model/random.js';
import { expectEqualToOp, runBlock } from '../../../tests/helpers/block.js';

const cases: { name: string; layer: number; density: number; model: RandomModelOptions }[] = [
  {
    name: 'spike events, 4 passes (P ∤ N), logistic noise, leak, subtract',
    layer: 0,
    density: 0.5,
    model: { seed: 41, inputs: 6, layers: [20, 3], lanes: [6, 3], probBits: 4, timesteps: 5, noise: { kind: 'logistic', bits: 4, scale: 2 }, leak: 2, bias: true, membraneBits: 8 },
  },
  {
    name: 'direct input, per-sample (S = 2), uniform noise, reset to zero, P > N',
    layer: 0,
    density: 0.4,
    model: { seed: 42, inputs: 9, layers: [5, 2], lanes: [8, 2], probBits: 3, timesteps: 3, samples: 2, mode: 'per-sample', encoding: 'direct', reset: 'zero', noise: { kind: 'uniform', bits: 2, scale: 1 }, membraneBits: 10 },
  },
  {
    name: 'one lane, k = 1, dense events, no noise',
    layer: 0,
    density: 0.9,
    model: { seed: 43, inputs: 12, layers: [4], lanes: [1], probBits: 1, timesteps: 4 },
  },
  {
    name: 'two events per cycle: spike events, odd and even counts, 3 passes, noise, leak',
    layer: 0,
    density: 0.5,
    model: { seed: 44, inputs: 7, layers: [9, 3], lanes: [4, 3], eventsPerCycle: [2, 1], probBits: 3, timesteps: 6, noise: { kind: 'logistic', bits: 4, scale: 2 }, leak: 1, bias: true, membraneBits: 8 },
  },
  {
    name: 'two events per cycle: direct input, per-sample (held rows read twice per cycle)',
    layer: 0,
    density: 0.6,
    model: { seed: 45, inputs: 5, layers: [6, 2], lanes: [3, 2], eventsPerCycle: [2, 2], probBits: 4, timesteps: 3, samples: 2, mode: 'per-sample', encoding: 'direct', membraneBits: 12 },
  },
  {
    name: 'two events per cycle: direct input, time ensemble, one input',
    layer: 0,
    density: 1,
    model: { seed: 46, inputs: 1, layers: [3, 2], lanes: [3, 2], eventsPerCycle: [2, 1], probBits: 2, timesteps: 4, encoding: 'direct', membraneBits: 12 },
  },
];

describe('dense layer block (dense.v.hbs)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const plan = planModel(validateModel(randomModel({ ...c.model, name: 'blk' })));
      expect(plan.layers[c.layer].kind).toBe('dense');
      const r = await runBlock(plan, c.layer, { seed: 0x1234abcd, density: c.density, stimulusSeed: c.model.seed });
      expect(r.golden.flat().length, 'the stimulus makes the layer spike').toBeGreaterThan(0);
      expectEqualToOp(r);
    });
  }
});
