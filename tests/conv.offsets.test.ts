/**
 * The conv layer's offsetsPerCycle knob (docs/engine.md "Conv layers", semantics §7): how it reaches the plan
 * (model field, planner option, --offsets-per-cycle), what it leaves alone (the hash and arithmetic of models at
 * 1), the cycle and resource models, and the folding search's use of it. The RTL against the golden model:
 * conv.block.test.ts and cosim.conv.test.ts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseFolding } from '../generator/analysis/folding.js';
import { findPart } from '../generator/board/part.js';
import { offsetsPerCycleOption } from '../generator/cli/options.js';
import { estimateResources } from '../generator/estimate/analytical.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import type { ConvLayer, PlannedModel } from '../generator/ir/types.js';
import { validateModel } from '../generator/model/load.js';
import { randomConvModel, type RandomConvOptions } from '../generator/ops/conv/random.js';
import { convActivity, convEnergyPJ, convEventPhase } from '../generator/ops/conv/cost.js';
import { ENERGY_28NM, memoryAccessPJ } from '../generator/estimate/energy.js';
import type { LayerTraffic } from '../generator/ops/op.js';
import { randomInputs } from '../generator/model/random.js';
import { loadModel } from '../generator/model/load.js';
import { exportModelToNir, importNir } from '../generator/nir/import.js';
import { scratch } from './helpers/nir.js';

const NET: RandomConvOptions = {
  seed: 91,
  shape: [2, 8, 8],
  convs: [
    { channels: 4, kernel: 5, padding: 2, lanes: 2, pool: { kind: 'or', size: 2 } },
    { channels: 3, kernel: [3, 4], stride: [1, 2], lanes: 3 },
  ],
  dense: [3],
  timesteps: 3,
};
const model = (o: RandomConvOptions = NET) => validateModel(randomConvModel(o), `random conv model ${o.seed}`);
const convLayers = (p: PlannedModel) => p.layers.filter((L): L is ConvLayer => L.kind === 'conv2d');
const knob = (v: 1 | 2 | undefined): RandomConvOptions => ({ ...NET, convs: NET.convs.map((c) => ({ ...c, offsetsPerCycle: v })) });

describe('offsetsPerCycle in the model and the planner', () => {
  it('defaults to 1; 1 given keeps the hash of a model without the field, 2 is another design', () => {
    const none = planModel(model());
    const one = planModel(model(knob(1)));
    const two = planModel(model(knob(2)));
    expect(convLayers(none).map((L) => L.offsetsPerCycle)).toEqual([1, 1]);
    expect(convLayers(two).map((L) => L.offsetsPerCycle)).toEqual([2, 2]);
    expect(one.modelHash).toBe(none.modelHash);
    expect(two.modelHash).not.toBe(none.modelHash);
  });

  it('the planner option: one number for every conv layer, or per layer; dense layers keep none', () => {
    const all = planModel(model(), { offsetsPerCycle: 2 });
    expect(convLayers(all).map((L) => L.offsetsPerCycle)).toEqual([2, 2]);
    expect(all.modelHash).toBe(planModel(model(knob(2))).modelHash);
    expect(convLayers(planModel(model(knob(2)), { offsetsPerCycle: [1, 2, 1] })).map((L) => L.offsetsPerCycle)).toEqual([1, 2]);
  });

  it('bad values are refused, naming the field or flag', () => {
    expect(() => validateModel({ ...randomConvModel(NET), layers: randomConvModel(knob(2)).layers.map((l, i) => (i === 0 ? { ...l, offsetsPerCycle: 3 } : l)) })).toThrow(/layers\[0\]\.offsetsPerCycle/);
    expect(() => planModel(model(), { offsetsPerCycle: 3 })).toThrow(/offsetsPerCycle: 3 for layer 0; it is 1 or 2/);
    expect(() => planModel(model(), { offsetsPerCycle: [1, 1, 2] })).toThrow(/offsetsPerCycle: layer 2 is dense/);
    expect(() => offsetsPerCycleOption(model(), '3')).toThrow(/--offsets-per-cycle: "3": each value is 1 or 2/);
    expect(() => offsetsPerCycleOption(model(), '2,2')).toThrow(/--offsets-per-cycle: 2 values for 3 layers/);
    expect(() => offsetsPerCycleOption(model(), '2,2,2')).toThrow(/--offsets-per-cycle: layer 2 is dense/);
    expect(offsetsPerCycleOption(model(), '2')).toEqual([2, 2, 1]);
    expect(offsetsPerCycleOption(model(), '1,2,1')).toEqual([1, 2, 1]);
  });
});

describe('offsetsPerCycle in the cycle and resource models', () => {
  it('an event takes kh·⌈kw/2⌉ cycles instead of kh·kw; the golden model does not change', () => {
    const one = planModel(model());
    const two = planModel(model(knob(2)));
    const [a1, b1] = convLayers(one);
    const [a2, b2] = convLayers(two);
    // 5x5: 25 → 15 per event; 3x4: 12 → 6
    expect(convEventPhase(a1, 10) - convEventPhase(a2, 10)).toBe(10 * (25 - 15));
    expect(convEventPhase(b1, 10) - convEventPhase(b2, 10)).toBe(10 * (12 - 6));
    expect(convEventPhase(a2, 0)).toBe(1);
    const x = randomInputs(3, 1, one.input.size)[0];
    expect(Array.from(new GoldenModel(two).infer(x, { seed: 5 }).counts)).toEqual(Array.from(new GoldenModel(one).infer(x, { seed: 5 }).counts));
  });

  it('two offsets per cycle cost logic (a second draw, a second adder per lane and bank), no DSP', () => {
    const r1 = estimateResources(planModel(model())).total;
    const r2 = estimateResources(planModel(model(knob(2)))).total;
    expect(r2.lut).toBeGreaterThan(r1.lut);
    expect(r2.ff).toBeGreaterThan(r1.ff);
    expect(r2.dsp).toBe(0);
  });
});

describe('offsetsPerCycle in the energy model', () => {
  it('per-sample: every sampling-phase draw writes both held copies when two offsets go per cycle', () => {
    const perSample = (v: 1 | 2): RandomConvOptions => ({ ...knob(v), mode: 'per-sample', samples: 2 });
    const memoryPJ = (v: 1 | 2) => {
      const plan = planModel(model(perSample(v)));
      const L = convLayers(plan)[0];
      const traffic: LayerTraffic = { events: 10, spikes: 0 };
      const act = { ...convActivity(L, plan, traffic), ...traffic };
      return { e: convEnergyPJ(L, plan, act, ENERGY_28NM).memoryReads, L, plan };
    };
    const one = memoryPJ(1);
    const two = memoryPJ(2);
    expect(one.L.memories.held).toBeDefined();
    // The same sampling reads (S·F·M) in both; at 2 each also writes the second held copy.
    const sampling = one.plan.samples * one.L.passes * one.L.fanIn;
    const extra = sampling * memoryAccessPJ(two.L.memories.held!, ENERGY_28NM);
    expect(extra).toBeGreaterThan(0);
    expect(two.e - one.e).toBeCloseTo(extra, 6);
  });
});

describe('the folding search takes two offsets per cycle for conv layers', () => {
  it('the fastest design within the part: conv layers at two offsets per cycle, dense layers never', () => {
    const small: RandomConvOptions = { seed: 92, shape: [1, 8, 8], convs: [{ channels: 4, kernel: 3, padding: 1, pool: { kind: 'or', size: 2 } }], dense: [3], timesteps: 2 };
    const m = model(small);
    const c = chooseFolding(m, randomInputs(4, 3, m.input.size), { part: findPart('xc7z020')!, clockMHz: 100 });
    expect(c.path[0].offsetsPerCycle).toEqual([1, 1]);
    expect(c.offsetsPerCycle).toEqual([2, 1]);
    expect(convLayers(c.plan).map((L) => L.offsetsPerCycle)).toEqual([2]);
  });
});

describe('offsetsPerCycle through NIR (/bsnn/settings)', () => {
  const dir = scratch();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('bsnn → NIR → bsnn keeps the knob, and so the hash, of examples/mnist_conv.json with conv 2 at 2', async () => {
    const model = loadModel(fileURLToPath(new URL('../examples/mnist_conv.json', import.meta.url)));
    const two = { ...model, layers: model.layers.map((l, i) => (i === 1 && l.type === 'conv2d' ? { ...l, offsetsPerCycle: 2 } : l)) };
    const file = join(dir, 'mnist_conv_o2.nir');
    await exportModelToNir(two, file);
    const back = await importNir(file, {}, { count: 0 });
    expect(back.modelHash).toBe(planModel(two).modelHash);
    expect(back.modelHash).not.toBe(planModel(model).modelHash);
  });
});
