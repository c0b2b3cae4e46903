import { describe, expect, it } from 'vitest';
import { cosimAsync } from '../generator/cosim/run.js';
import { prng, randomInputs } from '../generator/model/random.js';
import { COSIM_MATRIX, plannedRandom } from './helpers/designs.js';
import { POTENTIAL_MATRIX } from './helpers/potential.js';

// Verilator with a C++ harness: the fast simulator must agree with the golden model and with Icarus,
// cycle counts included.
describe('RTL equals the golden model bit for bit (Verilator)', () => {
  // 203 and 206: potential readout (signed votes through the C++ harness)
  for (const seed of [109, 121, 126, 203, 206]) {
    const o = [...COSIM_MATRIX, ...POTENTIAL_MATRIX].find((m) => m.seed === seed)!;
    it(`seed ${seed}: ${o.layers.length} layers, ${o.mode ?? 'time-ensemble'}, ${o.encoding ?? 'rate'}, ${o.readout ?? 'spikes'} readout`, async () => {
      const p = plannedRandom(o);
      const inputs = randomInputs(seed, 30, p.input.size);
      // a random runtime seed per input (seeded), the first 0
      const rnd = prng(seed ^ 0x51ed);
      const seeds = inputs.map((_, i) => (i === 0 ? 0 : Math.floor(rnd() * 2 ** 32)));
      // asynchronous: a Verilator build blocks for seconds, and the test worker must keep answering meanwhile
      const v = await cosimAsync(p, { simulator: 'verilator', inputs, seeds, allLayers: true });
      expect(v.first?.what).toBeUndefined();
      expect(v.mismatched).toBe(0);
      expect(v.compared).toBe(30);
      expect(v.spikesCompared).toBeGreaterThan(0);
      const i = await cosimAsync(p, { simulator: 'iverilog', inputs: inputs.slice(0, 5), seeds: seeds.slice(0, 5), allLayers: true });
      expect(i.mismatched).toBe(0);
      expect(v.cycles.slice(0, 5)).toEqual(i.cycles);
    });
  }
});
