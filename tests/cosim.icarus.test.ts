import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictCycles } from '../generator/analysis/cycles.js';
import { cosim, cosimAsync } from '../generator/cosim/run.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { prng, randomInputs } from '../generator/model/random.js';
import type { PlannedModel, DenseLayer } from '../generator/ir/types.js';
import { COSIM_MATRIX, plannedRandom } from './helpers/designs.js';
import { POTENTIAL_MATRIX } from './helpers/potential.js';

/**
 * Runtime seeds of the inputs (docs/semantics.md §1.2): 0 (the model's own streams), random ones (seeded), and
 * one equal to a stream's own seed, which would zero that stream and so must give seed(id) itself.
 */
function runSeeds(p: PlannedModel, seed: number, n: number): number[] {
  const rnd = prng(seed ^ 0x2f6b);
  const lockUp = p.input.encoding === 'rate' ? p.input.seed : p.layers[0].weightSeeds[p.layers[0].lanes - 1];
  return Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 2 ? lockUp : Math.floor(rnd() * 2 ** 32)));
}

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
  it('covers two events per cycle in both modes and encodings, after one and two events per cycle', () => {
    const dual = plans.filter((p) => p.layers.some((L) => L.eventsPerCycle === 2));
    expect(new Set(dual.map((p) => p.mode))).toEqual(new Set(['time-ensemble', 'per-sample']));
    expect(new Set(dual.map((p) => p.input.encoding))).toEqual(new Set(['rate', 'direct']));
    expect(dual.some((p) => p.layers.some((L, l) => l > 0 && L.eventsPerCycle === 2 && p.layers[l - 1].eventsPerCycle === 1))).toBe(true);
    expect(dual.some((p) => p.layers.some((L, l) => l > 0 && L.eventsPerCycle === 2 && p.layers[l - 1].eventsPerCycle === 2))).toBe(true);
  });
  it('covers 1 to 3 layers, both modes, both encodings, noise, leak, resets, samples', () => {
    expect(new Set(plans.map((p) => p.layers.length))).toEqual(new Set([1, 2, 3]));
    expect(new Set(plans.map((p) => p.mode))).toEqual(new Set(['time-ensemble', 'per-sample']));
    expect(new Set(plans.map((p) => p.input.encoding))).toEqual(new Set(['rate', 'direct']));
    expect(new Set(layers.map(({ L }) => (L as DenseLayer).noise?.kind ?? 'none'))).toEqual(new Set(['none', 'uniform', 'logistic']));
    expect(new Set(layers.map(({ L }) => (L as DenseLayer).leak > 0))).toEqual(new Set([true, false]));
    expect(new Set(layers.map(({ L }) => (L as DenseLayer).reset))).toEqual(new Set(['subtract', 'zero']));
    expect(plans.some((p) => p.samples > 1 && p.mode === 'per-sample')).toBe(true);
    expect(plans.some((p) => p.samples > 1 && p.mode === 'time-ensemble')).toBe(true);
  });
});

const shapeOf = (p: PlannedModel) => [p.input.size, ...p.layers.map((L) => `${L.size}/P${L.lanes}${L.eventsPerCycle === 2 ? 'x2' : ''}/k${L.probBits}`)].join('-');

/** Four random inputs with runtime seeds, all layers compared in Icarus: no mismatch. */
async function bitExact(p: PlannedModel, seed: number) {
  const inputs = randomInputs(seed, 4, p.input.size);
  const seeds = runSeeds(p, seed, 4);
  const r = await cosimAsync(p, { simulator: 'iverilog', inputs, seeds, allLayers: true });
  expect(r.first?.what).toBeUndefined();
  expect(r.mismatched).toBe(0);
  expect(r.compared).toBe(4);
  return { inputs, seeds, r };
}

describe('RTL equals the golden model bit for bit (Icarus Verilog)', () => {
  for (const o of COSIM_MATRIX) {
    const p = plannedRandom(o);
    const shape = shapeOf(p);
    it(`seed ${o.seed}: ${shape} ${p.mode} ${p.input.encoding}`, async () => {
      const { inputs, seeds, r } = await bitExact(p, o.seed);
      // Not vacuous: the trace has spikes to compare, and every inference reported its cycle count.
      expect(r.spikesCompared).toBeGreaterThan(0);
      expect(r.cycles.every((c) => c !== undefined && c > 0)).toBe(true);
      // The cycle model (docs/semantics.md §7) predicts the measured cycles exactly.
      const g = new GoldenModel(p);
      expect(inputs.map((x, i) => predictCycles(p, g.infer(x, { activity: true, seed: seeds[i] })).total)).toEqual(r.cycles);
    });
  }
});

describe('potential readout: the matrix covers what the RTL must support', () => {
  const plans = POTENTIAL_MATRIX.map(plannedRandom);
  const out = plans.map((p) => p.layers[p.layers.length - 1]);
  it('is all potential readout, direct and rate, both modes, one to three layers', () => {
    expect(plans.every((p) => p.readout === 'potential' && p.signedVotes)).toBe(true);
    expect(new Set(plans.map((p) => p.input.encoding))).toEqual(new Set(['rate', 'direct']));
    expect(new Set(plans.map((p) => p.mode))).toEqual(new Set(['time-ensemble', 'per-sample']));
    expect(new Set(plans.map((p) => p.layers.length))).toEqual(new Set([1, 2, 3]));
    expect(plans.some((p) => p.samples > 1)).toBe(true);
  });
  it('has readout layers with P = 1, P ∤ N, P > N and P = N, biases of both signs', () => {
    expect(out.some((L) => L.lanes === 1)).toBe(true);
    expect(out.some((L) => L.size % L.lanes !== 0 && L.lanes < L.size)).toBe(true);
    expect(out.some((L) => L.lanes > L.size)).toBe(true);
    expect(out.some((L) => L.lanes === L.size)).toBe(true);
    expect(out.some((L) => L.bias.some((b) => b < 0)) && out.some((L) => L.bias.some((b) => b > 0))).toBe(true);
  });
});

describe('potential readout: RTL equals the golden model bit for bit (Icarus Verilog)', () => {
  for (const o of POTENTIAL_MATRIX) {
    const p = plannedRandom(o);
    const shape = shapeOf(p);
    it(`seed ${o.seed}: ${shape} ${p.mode} ${p.input.encoding}, S = ${p.samples}`, async () => {
      const { inputs, seeds, r } = await bitExact(p, o.seed);
      // Not vacuous: signed votes of both signs, and hidden spikes where there are hidden layers.
      const g = new GoldenModel(p);
      const results = inputs.map((x, i) => g.infer(x, { activity: true, seed: seeds[i] }));
      const counts = results.flatMap((e) => Array.from(e.counts));
      expect(counts.some((c) => c < 0) && counts.some((c) => c > 0)).toBe(true);
      if (p.layers.length > 1) expect(r.spikesCompared).toBeGreaterThan(0);
      // The cycle model predicts the measured cycles exactly.
      expect(results.map((e) => predictCycles(p, e).total)).toEqual(r.cycles);
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
