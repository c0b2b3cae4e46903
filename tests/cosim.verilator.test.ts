import { describe, expect, it } from 'vitest';
import { cosim } from '../generator/cosim/run.js';
import { randomInputs } from '../generator/model/random.js';
import { COSIM_MATRIX, plannedRandom } from './helpers/designs.js';

// Verilator with a C++ harness: the fast simulator must agree with the golden model and with Icarus,
// cycle counts included.
describe('RTL equals the golden model bit for bit (Verilator)', () => {
  for (const seed of [109, 121, 126]) {
    const o = COSIM_MATRIX.find((m) => m.seed === seed)!;
    it(`seed ${seed}: ${o.layers.length} layers, ${o.mode ?? 'time-ensemble'}, ${o.encoding ?? 'rate'}`, () => {
      const p = plannedRandom(o);
      const inputs = randomInputs(seed, 30, p.input.size);
      const v = cosim(p, { simulator: 'verilator', inputs, allLayers: true });
      expect(v.first?.what).toBeUndefined();
      expect(v.mismatched).toBe(0);
      expect(v.compared).toBe(30);
      expect(v.spikesCompared).toBeGreaterThan(0);
      const i = cosim(p, { simulator: 'iverilog', inputs: inputs.slice(0, 5), allLayers: true });
      expect(i.mismatched).toBe(0);
      expect(v.cycles.slice(0, 5)).toEqual(i.cycles);
    });
  }
});
