/**
 * conv.v.hbs on its own: the module driven through its event protocol (tests/helpers/block.ts) with random event
 * lists against the conv op's golden step (ConvRuntime), cycle model and activity counts.
 */
import { describe, expect, it } from 'vitest';
import { expectEqualToOp, runBlock } from '../../../tests/helpers/block.js';
import { plannedConv, type RandomConvOptions } from '../../../tests/helpers/designs.js';

const cases: { name: string; layer: number; density: number; model: RandomConvOptions }[] = [
  {
    name: '1 channel in, 3x3, stride 1, padding 1, no pool, 2 passes (P ∤ C), rate events',
    layer: 0,
    density: 0.4,
    model: { seed: 61, shape: [1, 5, 6], convs: [{ channels: 3, kernel: 3, padding: 1, lanes: 2 }], dense: [2], timesteps: 3 },
  },
];

describe('conv layer block (conv.v.hbs)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const plan = plannedConv({ ...c.model, name: 'blk' });
      expect(plan.layers[c.layer].kind).toBe('conv2d');
      const r = await runBlock(plan, c.layer, { seed: 0x1234abcd, density: c.density, stimulusSeed: c.model.seed });
      expect(r.golden.flat().length, 'the stimulus makes the layer spike').toBeGreaterThan(0);
      expectEqualToOp(r);
    });
  }
});
