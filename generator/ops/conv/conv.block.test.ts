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
  {
    name: '3 channels in, 3x2 kernel, stride 2, padding [1, 0], or pool 2, logistic noise, leak, biases',
    layer: 0,
    density: 0.5,
    model: { seed: 62, shape: [3, 7, 9], convs: [{ channels: 5, kernel: [3, 2], stride: 2, padding: [1, 0], pool: { kind: 'or', size: 2 }, lanes: 2 }], dense: [2], timesteps: 3, noise: { kind: 'logistic', bits: 3, scale: 1 }, leak: 2, bias: true, membraneBits: 8 },
  },
  {
    name: 'direct input, per-sample (S = 2), sum pool 2x3, one pass (P = C), reset to zero, uniform noise',
    layer: 0,
    density: 0.5,
    model: { seed: 63, shape: [2, 6, 7], encoding: 'direct', convs: [{ channels: 4, kernel: 3, pool: { kind: 'sum', size: [2, 3] }, lanes: 4 }], dense: [3], timesteps: 2, samples: 2, mode: 'per-sample', reset: 'zero', noise: { kind: 'uniform', bits: 2, scale: 1 }, membraneBits: 14 },
  },
  {
    name: 'values in (after a sum pool), stride [1, 2], 1x3 kernel, P > C, one lane per pass otherwise',
    layer: 1,
    density: 0.6,
    model: { seed: 64, shape: [1, 8, 8], convs: [{ channels: 2, kernel: 2, pool: { kind: 'sum', size: 2 }, lanes: 1 }, { channels: 3, kernel: [1, 3], stride: [1, 2], padding: 1, lanes: 4 }], dense: [2], timesteps: 3 },
  },
  {
    name: '1x1 kernel, one lane (3 passes), stride 3, sum pool 1x1, k = 1',
    layer: 0,
    density: 0.7,
    model: { seed: 65, shape: [2, 7, 7], convs: [{ channels: 3, kernel: 1, stride: 3, pool: { kind: 'sum', size: 1 }, lanes: 1, probBits: 1 }], dense: [2], timesteps: 3 },
  },
  {
    name: 'per-sample, odd sizes, 5x5 kernel with padding 2, 8 lanes over 11 channels, or pool 3',
    layer: 0,
    density: 0.3,
    model: { seed: 66, shape: [2, 9, 11], convs: [{ channels: 11, kernel: 5, padding: 2, pool: { kind: 'or', size: 3 }, lanes: 8, probBits: 6 }], dense: [2], timesteps: 2, mode: 'per-sample', thresholdScale: 0.6 },
  },
  {
    name: 'a one-row input (H = 1), 1x3 kernel, stride 2, padding [0, 1]; rate events',
    layer: 0,
    density: 0.6,
    model: { seed: 67, shape: [2, 1, 9], convs: [{ channels: 3, kernel: [1, 3], stride: 2, padding: [0, 1], lanes: 2 }], dense: [2], timesteps: 3 },
  },
  {
    name: 'a one-column input (W = 1), 3x1 kernel, sum pool [2, 1], direct input',
    layer: 0,
    density: 0.8,
    model: { seed: 68, shape: [1, 7, 1], encoding: 'direct', convs: [{ channels: 2, kernel: [3, 1], pool: { kind: 'sum', size: [2, 1] }, lanes: 2 }], dense: [2], timesteps: 2 },
  },
  {
    name: 'a 1x1 output map (the kernel covers the input), 2 passes, per-sample',
    layer: 0,
    density: 0.6,
    model: { seed: 69, shape: [2, 3, 3], convs: [{ channels: 3, kernel: 3, lanes: 2 }], dense: [2], timesteps: 4, mode: 'per-sample', thresholdScale: 0.5 },
  },
];

/**
 * The cases with the layer under test taking two kernel offsets per cycle (offsetsPerCycle 2), and two of its
 * own: many input channels on a small map, so that an event's last pair and the next event's first land on the
 * position just written (the forwarding of both banks; the 1x1 output map hits bank 0 only).
 */
const pairCases = [
  ...cases,
  {
    name: '4 channels in, 2x4 kernel (even kw), stride 1, small map, dense events',
    layer: 0,
    density: 0.8,
    model: { seed: 70, shape: [4, 4, 5], convs: [{ channels: 3, kernel: [2, 4], lanes: 3 }], dense: [2], timesteps: 3, thresholdScale: 0.7 },
  },
  {
    name: '8 channels in on a 3x3 map, 3x3 kernel, padding 1: back-to-back hits on even and odd positions',
    layer: 0,
    density: 0.5,
    model: { seed: 72, shape: [8, 3, 3], convs: [{ channels: 2, kernel: 3, padding: 1, lanes: 2 }], dense: [2], timesteps: 6, thresholdScale: 0.5 },
  },
  {
    name: '3 channels in, 3x3 kernel, stride [2, 1], padding 1, dense events, direct input',
    layer: 0,
    density: 0.9,
    model: { seed: 71, shape: [3, 5, 4], encoding: 'direct', convs: [{ channels: 2, kernel: 3, stride: [2, 1], padding: 1, lanes: 1 }], dense: [2], timesteps: 2 },
  },
].map((c) => ({
  ...c,
  name: `two offsets per cycle: ${c.name}`,
  model: { ...c.model, convs: c.model.convs.map((s, i) => (i === c.layer ? { ...s, offsetsPerCycle: 2 as const } : s)) },
})) as typeof cases;

describe('conv layer block (conv.v.hbs)', () => {
  for (const c of [...cases, ...pairCases]) {
    it(c.name, async () => {
      const plan = plannedConv({ ...c.model, name: 'blk' });
      const L = plan.layers[c.layer];
      expect(L.kind).toBe('conv2d');
      expect(L.kind === 'conv2d' && L.offsetsPerCycle).toBe(c.model.convs[c.layer].offsetsPerCycle ?? 1);
      const r = await runBlock(plan, c.layer, { seed: 0x1234abcd, density: c.density, stimulusSeed: c.model.seed });
      expect(r.golden.flat().length, 'the stimulus makes the layer spike').toBeGreaterThan(0);
      expectEqualToOp(r);
    });
  }
});
