import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictCycles } from '../generator/analysis/cycles.js';
import { cosim } from '../generator/cosim/run.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { randomInputs } from '../generator/model/random.js';
import { COSIM_MATRIX, plannedRandom } from './helpers/designs.js';

describe('the co-simulation matrix covers what the RTL must support', () => {
  const plans = COSIM_MATRIX.map(plannedRandom);
  const layers = plans.flatMap((p) => p.layers.map((L) => ({ p, L })));
  it('has at least 25 networks', () => expect(plans.length).toBeGreaterThanOrEqual(25));
  it('covers k = 1..8', () => expect(new Set(layers.map(({ L }) => L.probBits))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8])));
  it('covers P = 1, P | N, P ∤ N and P ≥ N', () => {
    expect(layers.some(({ L }) => L.lanes === 1)).toBe(true);
    expect(layers.some(({ L }) => L.lanes > 1 && L.lanes < L.size && L.size % L.lanes === 0)).toBe(true);
    expect(layers.some(({ L }) => L.size % L.lanes !== 0 && L.lanes < L.size)).toBe(true);
    expect(layers.some(({ L }) => L.lanes > L.size)).toBe(true);
    expect(layers.some(({ L }) => L.lanes === L.size)).toBe(true);
  });
  it('covers 1 to 3 layers, both modes, both encodings, noise, leak, resets, samples', () => {
    expect(new Set(plans.map((p) => p.layers.length))).toEqual(new Set([1, 2, 3]));
    expect(new Set(plans.map((p) => p.mode))).toEqual(new Set(['time-ensemble', 'per-sample']));
    expect(new Set(plans.map((p) => p.input.encoding))).toEqual(new Set(['rate', 'direct']));
    expect(new Set(layers.map(({ L }) => L.noise?.kind ?? 'none'))).toEqual(new Set(['none', 'uniform', 'logistic']));
    expect(new Set(layers.map(({ L }) => L.leak > 0))).toEqual(new Set([true, false]));
    expect(new Set(layers.map(({ L }) => L.reset))).toEqual(new Set(['subtract', 'zero']));
    expect(plans.some((p) => p.samples > 1 && p.mode === 'per-sample')).toBe(true);
    expect(plans.some((p) => p.samples > 1 && p.mode === 'time-ensemble')).toBe(true);
  });
});

describe('RTL equals the golden model bit for bit (Icarus Verilog)', () => {
  for (const o of COSIM_MATRIX) {
    const p = plannedRandom(o);
    const shape = [p.input.size, ...p.layers.map((L) => `${L.size}/P${L.lanes}/k${L.probBits}`)].join('-');
    it(`seed ${o.seed}: ${shape} ${p.mode} ${p.input.encoding}`, () => {
      const inputs = randomInputs(o.seed, 4, p.input.size);
      const r = cosim(p, { simulator: 'iverilog', inputs, allLayers: true });
      expect(r.first?.what).toBeUndefined();
      expect(r.mismatched).toBe(0);
      expect(r.compared).toBe(4);
      // Not vacuous: the trace has spikes to compare, and every inference reported its cycle count.
      expect(r.spikesCompared).toBeGreaterThan(0);
      expect(r.cycles.every((c) => c !== undefined && c > 0)).toBe(true);
      // The cycle model (docs/semantics.md §7) predicts the measured cycles exactly.
      const g = new GoldenModel(p);
      expect(inputs.map((x) => predictCycles(p, g.infer(x, { activity: true })).total)).toEqual(r.cycles);
    });
  }
});

describe('cosim --vcd: switching activity for Vivado report_power', () => {
  it('writes a VCD of the core with value changes, and stays bit-exact', () => {
    const o = COSIM_MATRIX[5];
    const p = plannedRandom(o);
    const dir = mkdtempSync(join(tmpdir(), 'bsnn-vcd-'));
    try {
      const vcd = join(dir, 'activity.vcd');
      const r = cosim(p, { simulator: 'iverilog', inputs: randomInputs(1, 2, p.input.size), vcdFile: vcd });
      expect(r.mismatched).toBe(0);
      const text = readFileSync(vcd, 'utf8');
      expect(text).toMatch(/\$scope module dut \$end/);
      expect(text).toMatch(/\$var \w+ 1 \S+ clk \$end/);
      expect((text.match(/^#\d+$/gm) ?? []).length).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
