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
