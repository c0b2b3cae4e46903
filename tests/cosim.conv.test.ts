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
import { plannedConv } from './helpers/designs.js';

const plans = CONV_MATRIX.map((o) => ({ o, p: plannedConv(o) }));
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
  [p.input.shape ? `${p.input.shape.c}x${p.input.shape.h}x${p.input.shape.w}` : p.input.size, ...p.layers.map((L) => (L.kind === 'conv2d' ? `conv${L.kernel[0]}s${L.stride[0]}p${L.padding[0]}c${L.size}P${L.lanes}${L.pool ? `-${L.pool.kind}${L.pool.size[0]}` : ''}` : `${L.size}/P${L.lanes}`))].join('-') +
  ` ${p.mode} ${p.input.encoding}`;

describe('conv networks: RTL equals the golden model bit for bit (Icarus Verilog)', () => {
  for (const { o, p } of plans) it(`seed ${o.seed}: ${name(p)}`, () => bitExact(p, o.seed, 'iverilog', 3));
});

describe('conv networks: RTL equals the golden model bit for bit (Verilator)', () => {
  // a Verilator build is ~20 s: one network with direct input, a sum pool into a second conv, a potential readout
  for (const { o, p } of [plans[4]]) it(`seed ${o.seed}: ${name(p)}`, () => bitExact(p, o.seed + 1, 'verilator', 3));
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

describe('generated conv RTL passes verilator --lint-only -Wall', () => {
  for (const { o, p } of plans) {
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
