/**
 * Conv networks (docs/semantics.md §4.1) through the whole core: random small conv networks in Icarus and
 * Verilator, every layer bit for bit against the golden model, the measured cycles equal to the cycle model
 * (semantics §7), and through the AXI wrapper.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../generator/emit/verilog.js';
import { estimateResources } from '../generator/estimate/analytical.js';
import { EXAMPLE_CONV } from '../generator/ops/conv/random.js';
import { predictCycles } from '../generator/analysis/cycles.js';
import { cosimAxi } from '../generator/cosim/axi.js';
import { cosimAsync } from '../generator/cosim/run.js';
import { GoldenModel } from '../generator/golden/infer.js';
import type { ConvLayer, PlannedModel } from '../generator/ir/types.js';
import { prng, randomInputs } from '../generator/model/random.js';
import { CONV_MATRIX } from './helpers/conv-matrix.js';
import { plannedConv, type RandomConvOptions } from './helpers/designs.js';

const plans = CONV_MATRIX.map((o) => ({ o, p: plannedConv(o) }));

/** Every conv layer of `o` taking two kernel offsets per cycle (offsetsPerCycle 2). */
const withPairs = (o: RandomConvOptions): RandomConvOptions => ({ ...o, convs: o.convs.map((c) => ({ ...c, offsetsPerCycle: 2 })) });
/**
 * The matrix's networks with two offsets per cycle: 301 (3x3, stride 1, padding 1, one channel in), 304 (stride 1
 * then a 2x2 kernel at stride 2, noise, leak), 305 (a 3x2 kernel: kw even; direct input, a sum pool into a
 * second conv, potential readout), 306 (per-sample, stride 2, three channels in).
 */
const pairPlans = [0, 3, 4, 5].map((i) => ({ o: withPairs(CONV_MATRIX[i]), p: plannedConv(withPairs(CONV_MATRIX[i])) }));
const convs = plans.flatMap(({ p }) => p.layers.filter((L): L is ConvLayer => L.kind === 'conv2d').map((L) => ({ p, L })));

describe('the conv co-simulation matrix covers what the RTL must support', () => {
  it('strides 1 and 2, padding 0 and 1, one and many channels in, or/sum pool and none, several passes', () => {
    expect(new Set(convs.map(({ L }) => L.stride[0]))).toEqual(new Set([1, 2]));
    expect(new Set(convs.map(({ L }) => L.padding[0]))).toEqual(new Set([0, 1]));
    expect(convs.some(({ L }) => L.inShape.c === 1) && convs.some(({ L }) => L.inShape.c > 1)).toBe(true);
    expect(new Set(convs.map(({ L }) => L.pool?.kind ?? 'none'))).toEqual(new Set(['none', 'or', 'sum']));
    expect(convs.some(({ L }) => L.passes > 1)).toBe(true);
    expect(convs.some(({ L }) => L.inShape.h % 2 === 1)).toBe(true);
  });
  it('rate and direct input, both sampling modes, conv after conv, a sum pool into a dense layer, a potential readout', () => {
    expect(new Set(plans.map(({ p }) => p.input.encoding))).toEqual(new Set(['rate', 'direct']));
    expect(new Set(plans.map(({ p }) => p.mode))).toEqual(new Set(['time-ensemble', 'per-sample']));
    expect(plans.some(({ p }) => p.layers[1]?.kind === 'conv2d')).toBe(true);
    expect(plans.some(({ p }) => p.layers.some((L, l) => L.kind === 'dense' && l > 0 && p.layers[l - 1].inputMax >= 1 && L.inputMax > 1))).toBe(true);
    expect(plans.some(({ p }) => p.readout === 'potential')).toBe(true);
  });
});

function runSeeds(seed: number, n: number): number[] {
  const rnd = prng(seed ^ 0x2f6b);
  return Array.from({ length: n }, (_, i) => (i === 0 ? 0 : Math.floor(rnd() * 2 ** 32)));
}

/** Random inputs; direct input gets zero pixels too (the encoder skips them), as images have. */
function inputsFor(p: PlannedModel, seed: number, n: number): Uint8Array[] {
  const xs = randomInputs(seed, n, p.input.size);
  const rnd = prng(seed ^ 0x77);
  if (p.input.encoding === 'direct') for (const x of xs) for (let i = 0; i < x.length; i++) if (rnd() < 0.5) x[i] = 0;
  return xs;
}

async function bitExact(p: PlannedModel, seed: number, simulator: 'iverilog' | 'verilator', n: number) {
  const inputs = inputsFor(p, seed, n);
  const seeds = runSeeds(seed, n);
  const r = await cosimAsync(p, { simulator, inputs, seeds, allLayers: true });
  expect(r.first?.what).toBeUndefined();
  expect(r.mismatched).toBe(0);
  expect(r.compared).toBe(n);
  // Not vacuous: spikes to compare, and the cycle model (semantics §7) equals the measured cycles.
  expect(r.spikesCompared).toBeGreaterThan(0);
  const g = new GoldenModel(p);
  expect(inputs.map((x, i) => predictCycles(p, g.infer(x, { activity: true, seed: seeds[i] }), x).total)).toEqual(r.cycles);
}

const name = (p: PlannedModel) =>
  [p.input.shape ? `${p.input.shape.c}x${p.input.shape.h}x${p.input.shape.w}` : p.input.size, ...p.layers.map((L) => (L.kind === 'conv2d' ? `conv${L.kernel[0]}s${L.stride[0]}p${L.padding[0]}c${L.size}P${L.lanes}${L.offsetsPerCycle === 2 ? 'x2' : ''}${L.pool ? `-${L.pool.kind}${L.pool.size[0]}` : ''}` : `${L.size}/P${L.lanes}`))].join('-') +
  ` ${p.mode} ${p.input.encoding}`;

describe('conv networks: RTL equals the golden model bit for bit (Icarus Verilog)', () => {
  for (const { o, p } of plans) it(`seed ${o.seed}: ${name(p)}`, () => bitExact(p, o.seed, 'iverilog', 3));
});

describe('conv networks: RTL equals the golden model bit for bit (Verilator)', () => {
  // a Verilator build is ~20 s: one network with direct input, a sum pool into a second conv, a potential readout
  for (const { o, p } of [plans[4]]) it(`seed ${o.seed}: ${name(p)}`, () => bitExact(p, o.seed + 1, 'verilator', 3));
});

describe('conv networks taking two kernel offsets per cycle: RTL equals the golden model bit for bit', () => {
  it('every conv layer of them takes two offsets per cycle', () => {
    for (const { p } of pairPlans) for (const L of p.layers) if (L.kind === 'conv2d') expect(L.offsetsPerCycle).toBe(2);
  });
  for (const { o, p } of pairPlans) it(`Icarus, seed ${o.seed}: ${name(p)}`, () => bitExact(p, o.seed, 'iverilog', 3));
  // one Verilator build (the network with direct input, kw even, a sum pool into a second conv)
  it(`Verilator, seed ${pairPlans[2].o.seed}: ${name(pairPlans[2].p)}`, () => bitExact(pairPlans[2].p, pairPlans[2].o.seed + 1, 'verilator', 2));
});

describe('two kernel offsets per cycle are faster at stride 1 and kw >= 3', () => {
  it('in the cycle model and in simulation (Icarus), with the same spikes', async () => {
    const one = plans[0].p;
    const two = pairPlans[0].p;
    expect(one.layers[0].kind === 'conv2d' && one.layers[0].kernel[1]).toBe(3);
    const inputs = inputsFor(one, 11, 2);
    const seeds = runSeeds(11, 2);
    const modelCycles = (p: PlannedModel) => {
      const g = new GoldenModel(p);
      return inputs.map((x, i) => predictCycles(p, g.infer(x, { activity: true, seed: seeds[i] }), x).total);
    };
    const [sim1, sim2] = await Promise.all([one, two].map((p) => cosimAsync(p, { simulator: 'iverilog', inputs, seeds, allLayers: true })));
    for (const r of [sim1, sim2]) expect(r.mismatched).toBe(0);
    expect(sim1.cycles).toEqual(modelCycles(one));
    expect(sim2.cycles).toEqual(modelCycles(two));
    // 3x3 kernel: 3·⌈3/2⌉ = 6 cycles per event instead of 9
    sim2.cycles.forEach((c, i) => expect(c).toBeLessThan(sim1.cycles[i] ?? 0));
    // the same arithmetic: the golden model's outputs do not depend on the knob
    const g1 = new GoldenModel(one);
    const g2 = new GoldenModel(two);
    inputs.forEach((x, i) => expect(Array.from(g2.infer(x, { seed: seeds[i] }).counts)).toEqual(Array.from(g1.infer(x, { seed: seeds[i] }).counts)));
  });
});

describe('conv networks through the AXI wrapper', () => {
  for (const { o, p } of plans.slice(0, 2)) {
    it(`seed ${o.seed}: ${name(p)}`, () => {
      const inputs = inputsFor(p, o.seed + 2, 2);
      const runSeed = 0x9e3779b9 ^ o.seed;
      const r = cosimAxi(p, inputs, { seed: o.seed, runSeed });
      expect(r.mismatches).toEqual([]);
      expect(r.finished).toBe(true);
      const g = new GoldenModel(p);
      const want = r.inputOf.map((i, k) => {
        const e = g.infer(inputs[i], { activity: true, seed: r.seedOf[k] });
        return { cls: e.cls, counts: Array.from(e.counts), cycles: predictCycles(p, e, inputs[i]).total };
      });
      expect(r.results).toEqual(want);
      expect(r.results).toHaveLength(2 * inputs.length + 2);
    });
  }
});

/** A 1×2 output map (Ho·Wo = 2, one-bit positions) whose row steps reach past the map, at both offset knobs. */
const thinMap: RandomConvOptions = { seed: 307, shape: [1, 2, 3], convs: [{ channels: 2, kernel: 2, lanes: 1 }], dense: [3], timesteps: 2 };
const thinPlans = [thinMap, withPairs(thinMap)].map((o) => ({ o, p: plannedConv(o) }));

describe('generated conv RTL passes verilator --lint-only -Wall', () => {
  for (const { o, p } of [...plans, ...pairPlans, ...thinPlans]) {
    it(`seed ${o.seed}: ${name(p)}`, () => {
      const design = emitVerilog(p);
      const dir = mkdtempSync(join(tmpdir(), 'bsnn-conv-lint-'));
      try {
        const rtl = design.files.filter((f) => f.path.endsWith('.v')).map((f) => {
          writeFileSync(join(dir, f.path.split('/').pop()!), f.content);
          return join(dir, f.path.split('/').pop()!);
        });
        const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', design.top, ...rtl], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('the example architecture of issue 12 (docs/engine.md)', () => {
  it('emits Verilog and, by the analytical model, fits an xc7z020 with no DSP', () => {
    const p = plannedConv(EXAMPLE_CONV);
    expect(p.layers.map((L) => L.kind)).toEqual(['conv2d', 'conv2d', 'readout']);
    expect(emitVerilog(p).files.some((f) => f.path.endsWith('_layer1.v'))).toBe(true);
    const { total } = estimateResources(p);
    expect(total.dsp).toBe(0);
    expect(total.lut).toBeLessThan(53_200);
    expect(total.ff).toBeLessThan(106_400);
    expect(total.bram36 + total.bram18 / 2).toBeLessThan(140);
  });
});
