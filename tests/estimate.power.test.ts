/**
 * The power and energy model of docs/estimation.md ("Power and energy"):
 * - a hand-computed case, every step of the arithmetic written out below from the documented coefficients;
 * - zero activity gives the static + clock floor and nothing else;
 * - doubling every activity count doubles the activity part of dynamic power (cycles fixed), both modes;
 * - energy per inference = total power × latency;
 * - the part table (DS190 capacities), part-name resolution, unknown parts;
 * - memories are declared once by the plan: the emitter marks exactly those for block RAM, the energy model
 *   prices exactly those as block RAM.
 */
import { describe, expect, it } from 'vitest';
import { PART_TABLE, findPart } from '../generator/board/part.js';
import { emitVerilog } from '../generator/emit/verilog.js';
import {
  ENERGY_28NM,
  accumulatePJ,
  bramAccessPJ,
  drawPJ,
  lutramAccessPJ,
  neuronUpdatePJ,
  runtimeSeedDrawPJ,
} from '../generator/estimate/energy.js';
import { POWER_METHOD, activityEnergyPJ, estimatePower, type PowerActivity } from '../generator/estimate/power.js';
import type { Resources } from '../generator/estimate/types.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { randomModel, type RandomModelOptions } from '../generator/model/random.js';
import { emptyResources } from '../generator/estimate/cells.js';

const resources = (ff: number): Resources => ({ ...emptyResources(), ff });
const planOf = (o: Omit<RandomModelOptions, 'seed'>) => planModel(validateModel(randomModel({ seed: 3, ...o })));

/** One layer, 64 → 10 on 10 lanes (one pass), k = 4, B = 16, A = 8, rate coding, S = 1, T = 10. */
const plan = planOf({ inputs: 64, layers: [10], lanes: [10], probBits: 4, membraneBits: 16, timesteps: 10 });

const activity: PowerActivity = {
  inputs: 1,
  eventsPerLayer: [100],
  spikesPerLayer: [20],
  memReadsPerLayer: [100], // events × passes
  weightDrawsPerLayer: [1000], // events × lanes
  accUpdatesPerLayer: [1000],
  neuronUpdatesPerLayer: [100], // lanes × passes × T × S
  synapticOps: 1000,
  cyclesPerInference: 2000,
  streamedCyclesPerInference: 2030,
  encoderScansPerInference: 640, // S × T × M
};

function scaled(a: PowerActivity, s: number): PowerActivity {
  return {
    ...a,
    eventsPerLayer: a.eventsPerLayer.map((x) => x * s),
    spikesPerLayer: a.spikesPerLayer.map((x) => x * s),
    memReadsPerLayer: a.memReadsPerLayer.map((x) => x * s),
    weightDrawsPerLayer: a.weightDrawsPerLayer.map((x) => x * s),
    accUpdatesPerLayer: a.accUpdatesPerLayer.map((x) => x * s),
    neuronUpdatesPerLayer: a.neuronUpdatesPerLayer.map((x) => x * s),
    synapticOps: a.synapticOps * s,
    encoderScansPerInference: (a.encoderScansPerInference ?? 0) * s,
  };
}

const item = (p: ReturnType<typeof estimatePower>, name: string) => p.breakdown.find((b) => b.item === name)!.mW;

describe('power: hand-computed case', () => {
  // Coefficients (pJ): FF toggle 0.08, LUT toggle 0.15, toggle probability ½ → ½·LUT = 0.075, ½·FF = 0.04.
  // Part xc7z020: static = 2.3 + 0.3706 × 85 = 33.801 → 33.8 mW.
  // Clock: (root 20 + 0.025 × 1000 FFs) pJ × 100 MHz = 45 pJ × 1e8 /s = 4.5 mW.
  //
  // Per event (pJ):
  //   probability row read, LUT ROM 40 bits × 64 deep: 0.075 × (40 × (2·1 − 1) + log2 64 = 6) = 0.075 × 46 = 3.45
  //   weight draw k = 4: 32 × 0.04 = 1.28, + 2·4 × 0.075 = 0.6, + (ceil(4/2)+1 = 3) × 0.075 = 0.225 → 2.105
  //   accumulate A = 8: 8 × ½ × (0.08 + 0.15) = 0.92
  //   neuron update: W = max(16, 8, 1) + 2 = 18; units 2 + 2 + 1 + 1 + (subtract) 2 = 8 → 8 × 18 × 0.075 = 10.8;
  //     rows 4 × LUT RAM (16 bits, 1 deep) = 4 × 0.075 × (16 + 0) = 4.8; acc clear 8 × 0.04 = 0.32 → 15.92
  //   spike: (idx 4 + ceil(10/4) = 3) × 0.075 = 0.525, + (4 + 2) × 0.04 = 0.24 → 0.765; + class counter
  //     2 × (0.08 + 0.15) = 0.46 → 1.225
  //   event write (6-bit index, 64 deep): 0.075 × (6 + 6) = 0.9, + pointer 0.46 → 1.36
  //   event read: 0.9 + 6 × 0.04 = 0.24 + counter 0.46 → 1.6
  //   encoder scan: LUT RAM (8, 64) 0.075 × (8 + 6) = 1.05, + 8 × 0.04 = 0.32, + counter 0.46 = 1.83;
  //     draw k = 8: 1.28 + 16 × 0.075 = 1.2 + 5 × 0.075 = 0.375 → 2.855 → 4.685
  //   runtime seed, per lane draw: 4 XORs × 0.075 = 0.3, + the shared LFSR (1.28 + 0.6) / 10 lanes = 0.188 → 0.488
  // Per inference (pJ):
  //   memory reads 100 × 3.45 = 345; weight draws 1000 × 2.105 = 2105; accumulate 1000 × 0.92 = 920;
  //   neuron updates 100 × 15.92 = 1592; spikes/events 20 × 1.225 + 100 × 1.36 + 100 × 1 × 1.6
  //   = 24.5 + 136 + 160 = 320.5; encoder 640 × 4.685 = 2998.4; runtime seed 1000 × 0.488 = 488;
  //   total 8768.9 pJ.
  // 2000 cycles at 100 MHz = 20 µs → 50 000 inferences/s; activity power = 8768.9 pJ × 5e4 /s = 0.4384450 mW.
  // Dynamic = 4.5 + 0.438445 = 4.938445 mW; total = 33.8 + 4.938445 = 38.738445 mW;
  // energy per inference = 38.738445 mW × 20 µs = 774.7689 nJ = 0.7747689 µJ.
  const part = findPart('xc7z020')!;
  const p = estimatePower({ part, clockMHz: 100, resources: resources(1000), activity, plan });

  it('per-event energies', () => {
    expect(lutramAccessPJ(40, 64)).toBeCloseTo(3.45, 10);
    expect(drawPJ(4)).toBeCloseTo(2.105, 10);
    expect(runtimeSeedDrawPJ(4, 10)).toBeCloseTo(0.488, 10);
    expect(accumulatePJ(8)).toBeCloseTo(0.92, 10);
    expect(
      neuronUpdatePJ({ membraneBits: 16, accBits: 8, passes: 1, leak: false, resetSubtract: true, noiseBits: 0, noiseTableBits: 0 }),
    ).toBeCloseTo(15.92, 10);
  });

  it('energy per inference by category', () => {
    const e = activityEnergyPJ(plan, activity);
    expect(e.memoryReads).toBeCloseTo(345, 9);
    expect(e.weightDraws).toBeCloseTo(2105, 9);
    expect(e.runtimeSeed).toBeCloseTo(488, 9);
    expect(e.accumulate).toBeCloseTo(920, 9);
    expect(e.neuronUpdates).toBeCloseTo(1592, 9);
    expect(e.spikesAndEvents).toBeCloseTo(320.5, 9);
    expect(e.encoder).toBeCloseTo(2998.4, 9);
  });

  it('mW and µJ', () => {
    expect(p.staticMW).toBeCloseTo(33.8, 10);
    expect(item(p, 'static')).toBeCloseTo(33.8, 10);
    expect(item(p, 'clock')).toBeCloseTo(4.5, 10);
    expect(item(p, 'memory reads')).toBeCloseTo(345 * 5e4 * 1e-9, 12);
    expect(item(p, 'weight draws')).toBeCloseTo(2105 * 5e4 * 1e-9, 12);
    expect(item(p, 'runtime seed')).toBeCloseTo(488 * 5e4 * 1e-9, 12);
    expect(p.dynamicMW).toBeCloseTo(4.938445, 9);
    expect(p.totalMW).toBeCloseTo(38.738445, 9);
    expect(p.energyPerInferenceUJ).toBeCloseTo(0.7747689, 9);
    expect(p.method).toBe(POWER_METHOD);
    expect(p.method).toMatch(/pre-place-and-route/);
  });

  it('the breakdown adds up to the total', () => {
    const sum = p.breakdown.reduce((s, b) => s + b.mW, 0);
    expect(sum).toBeCloseTo(p.totalMW, 10);
    expect(p.breakdown.map((b) => b.item)).toEqual([
      'static',
      'clock',
      'memory reads',
      'weight draws',
      'runtime seed',
      'accumulate',
      'neuron updates',
      'spikes and event lists',
      'encoder',
    ]);
  });

  it('is pure: same result twice, inputs untouched', () => {
    const input = { part: Object.freeze({ ...part }), clockMHz: 100, resources: Object.freeze(resources(1000)), activity: structuredClone(activity), plan: structuredClone(plan) };
    const before = structuredClone(input);
    const a = estimatePower(input);
    const b = estimatePower(input);
    expect(a).toEqual(b);
    expect(input).toEqual(before);
  });
});

describe('power: floor and linearity', () => {
  const part = findPart('xc7z020clg400-1')!;
  const zero: PowerActivity = { ...scaled(activity, 0), cyclesPerInference: 2000 };

  it('zero activity gives static + clock only', () => {
    const p = estimatePower({ part, clockMHz: 100, resources: resources(1000), activity: zero, plan });
    expect(p.dynamicMW).toBe(item(p, 'clock'));
    expect(p.totalMW).toBeCloseTo(33.8 + 4.5, 12);
    for (const b of p.breakdown) if (b.item !== 'static' && b.item !== 'clock') expect(b.mW).toBe(0);
    // No FFs either: the clock root alone, 20 pJ × 100 MHz = 2 mW.
    const bare = estimatePower({ part, clockMHz: 100, resources: resources(0), activity: zero, plan });
    expect(bare.dynamicMW).toBeCloseTo(2, 12);
  });

  it('without an encoder count, rate coding scans S·T·M inputs (semantics §3)', () => {
    const { encoderScansPerInference: _omit, ...rest } = activity;
    void _omit;
    expect(activityEnergyPJ(plan, rest).encoder).toBeCloseTo(activityEnergyPJ(plan, activity).encoder, 10);
  });

  // 110 direct inputs (A = 16), probability rows 110 × 40 bits in block RAM, held rows 110 × 10 bits in LUTs
  const perSample = planOf({
    inputs: 110,
    layers: [10],
    lanes: [10],
    probBits: 4,
    membraneBits: 16,
    timesteps: 10,
    mode: 'per-sample',
    encoding: 'direct',
    leak: 2,
    noise: { kind: 'uniform', bits: 3, scale: 1 },
  });
  const perSampleActivity: PowerActivity = { ...activity, memReadsPerLayer: [164], weightDrawsPerLayer: [640] };

  it('the runtime seed covers the noise draws too: one per neuron update of a noisy layer', () => {
    // 640 weight draws (k = 4) and 100 neuron updates, each with a 3-bit noise draw, 10 lanes.
    expect(perSample.layers[0]).toMatchObject({ accBits: 16, memories: { prob: { block: true }, held: { block: false } } });
    const e = activityEnergyPJ(perSample, perSampleActivity);
    expect(e.runtimeSeed).toBeCloseTo(640 * runtimeSeedDrawPJ(4, 10) + 100 * runtimeSeedDrawPJ(3, 10), 9);
    // 3 × 0.075 + (1.28 + 6 × 0.075) / 10 = 0.225 + 0.173 = 0.398 pJ
    expect(runtimeSeedDrawPJ(3, 10)).toBeCloseTo(0.398, 10);
  });

  for (const [name, sh, act] of [
    ['time-ensemble, rate', plan, activity],
    ['per-sample, direct, block RAM, noise', perSample, perSampleActivity],
  ] as const) {
    it(`doubling every count doubles the activity part exactly (${name})`, () => {
      const p1 = estimatePower({ part, clockMHz: 125, resources: resources(3000), activity: act, plan: sh });
      const p2 = estimatePower({ part, clockMHz: 125, resources: resources(3000), activity: scaled(act, 2), plan: sh });
      const clock = item(p1, 'clock');
      expect(item(p2, 'clock')).toBe(clock);
      const a1 = p1.dynamicMW - clock;
      const a2 = p2.dynamicMW - clock;
      expect(a1).toBeGreaterThan(0);
      expect(a2 / a1).toBeCloseTo(2, 12);
      for (const b of p1.breakdown.slice(2)) expect(item(p2, b.item)).toBeCloseTo(2 * b.mW, 12);
    });
  }
});

describe('power: energy per inference = power × latency', () => {
  const part = findPart('xc7z010')!;
  for (const clockMHz of [50, 100, 200]) {
    for (const cycles of [1000, 2000, 12345]) {
      it(`${clockMHz} MHz, ${cycles} cycles`, () => {
        const p = estimatePower({ part, clockMHz, resources: resources(5000), activity: { ...activity, cyclesPerInference: cycles }, plan });
        const latencyUS = cycles / clockMHz;
        expect(p.energyPerInferenceUJ).toBeCloseTo((p.totalMW * latencyUS) / 1000, 12);
      });
    }
  }

  it('the activity energy per inference does not depend on the clock; static energy scales with latency', () => {
    const at = (clockMHz: number) =>
      estimatePower({ part, clockMHz, resources: resources(5000), activity, plan });
    const a = at(100);
    const b = at(200);
    const latencyA = activity.cyclesPerInference / 100;
    const latencyB = activity.cyclesPerInference / 200;
    const activityUJ = (p: ReturnType<typeof at>, latencyUS: number) => ((p.dynamicMW - item(p, 'clock')) * latencyUS) / 1000;
    expect(activityUJ(b, latencyB)).toBeCloseTo(activityUJ(a, latencyA), 12);
    const clockUJ = (p: ReturnType<typeof at>, latencyUS: number) => (item(p, 'clock') * latencyUS) / 1000;
    expect(clockUJ(b, latencyB)).toBeCloseTo(clockUJ(a, latencyA), 12); // energy per cycle is fixed
    expect((b.staticMW * latencyB) / 1000).toBeCloseTo((a.staticMW * latencyA) / 2000, 12);
  });

  it('rejects a zero clock or zero cycles', () => {
    expect(() => estimatePower({ part, clockMHz: 0, resources: resources(1), activity, plan })).toThrow(/clockMHz/);
    expect(() => estimatePower({ part, clockMHz: 100, resources: resources(1), activity: { ...activity, cyclesPerInference: 0 }, plan })).toThrow(
      /cyclesPerInference/,
    );
    expect(() =>
      estimatePower({ part, clockMHz: 100, resources: resources(1), activity: { ...activity, spikesPerLayer: [1, 2] }, plan }),
    ).toThrow(/spikesPerLayer/);
  });
});

describe('power: part table', () => {
  it('xc7z020 from DS190', () => {
    const p = findPart('xc7z020')!;
    expect(p).toMatchObject({ part: 'xc7z020', lut: 53_200, ff: 106_400, bram36: 140, dsp: 220 });
    expect(p.staticMW).toBeGreaterThan(20);
    expect(p.staticMW).toBeLessThan(60);
  });

  it('holds the ten parts of the family', () => {
    expect(PART_TABLE.map((p) => p.part).sort()).toEqual(
      ['xc7z007s', 'xc7z010', 'xc7z012s', 'xc7z014s', 'xc7z015', 'xc7z020', 'xc7z030', 'xc7z035', 'xc7z045', 'xc7z100'].sort(),
    );
  });

  it('is sane: two flip-flops per LUT (7-series CLB), static power grows with the device', () => {
    for (const p of PART_TABLE) {
      expect(p.ff).toBe(2 * p.lut);
      expect(p.bram36).toBeGreaterThan(0);
      expect(p.dsp).toBeGreaterThan(0);
      expect(p.staticMW).toBeGreaterThan(0);
    }
    const byLut = [...PART_TABLE].sort((a, b) => a.lut - b.lut);
    for (let i = 1; i < byLut.length; i++) expect(byLut[i].staticMW).toBeGreaterThan(byLut[i - 1].staticMW);
    expect(findPart('xc7z045')!).toMatchObject({ lut: 218_600, ff: 437_200, bram36: 545, dsp: 900 });
    expect(findPart('xc7z010')!).toMatchObject({ lut: 17_600, ff: 35_200, bram36: 60, dsp: 80 });
  });

  it('resolves full part names with package and speed grade', () => {
    for (const [name, base] of [
      ['xc7z020clg400-1', 'xc7z020'],
      ['XC7Z020-1CLG400C', 'xc7z020'],
      ['xc7z020clg484-1', 'xc7z020'],
      ['  xc7z010clg400-1 ', 'xc7z010'],
      ['xc7z007sclg225-1', 'xc7z007s'],
      ['xc7z012sclg485-1', 'xc7z012s'],
      ['xc7z045ffg900-2', 'xc7z045'],
      ['xc7z030sbg485-1', 'xc7z030'],
      ['xc7z035ffg676-2', 'xc7z035'],
      ['xc7z100ffg900-2', 'xc7z100'],
      ['7z015clg485-2', 'xc7z015'],
    ]) {
      const p = findPart(name);
      expect(p, name).toBeDefined();
      const entry = PART_TABLE.find((e) => e.part === base)!;
      expect({ ...p!, part: base }).toEqual(entry);
      expect(p!.part.startsWith(base)).toBe(true);
    }
    expect(findPart('xc7z020clg400-1')!.part).toBe('xc7z020clg400-1');
  });

  it('unknown parts are undefined', () => {
    for (const name of ['xc7z1000', 'xc7z0100', 'xc7z012', 'xc7z010s', 'xc7z020-c', 'xc7a35tcsg324-1', 'xczu9eg', '', 'z020']) {
      expect(findPart(name), name).toBeUndefined();
    }
  });
});

describe('power: memories and the plan → shape helper', () => {
  it('block RAM access: fixed part per RAMB18 enabled, per-bit part per data bit', () => {
    const c = ENERGY_28NM;
    expect(bramAccessPJ(36, 512)).toBeCloseTo(c.bramAccess + 36 * c.bramPerBit, 12); // one RAMB18, 512×36
    expect(bramAccessPJ(72, 512)).toBeCloseTo(2 * c.bramAccess + 72 * c.bramPerBit, 12); // a RAMB36's two halves
    expect(bramAccessPJ(8, 4096)).toBeCloseTo(2 * c.bramAccess + 8 * c.bramPerBit, 12); // 4K×4 primitives
    expect(bramAccessPJ(72, 512)).toBeGreaterThan(bramAccessPJ(36, 512));
  });

  it('the plan declares the memories once: the emitter and the energy model both follow it', () => {
    // layer 0: 13 passes × 784 rows × 8 lanes × 4 bits ≫ 4096 → block RAM; held 10192 rows × 8 bits → block RAM
    // layer 1: 1 pass × 100 rows × 10 lanes × 2 bits = 2000 < 4096 → LUTs; held 100 × 10 = 1000 → LUTs
    const p = planModel(validateModel(randomModel({ seed: 5, inputs: 784, layers: [100, 10], lanes: [8, 10], probBits: [4, 2], mode: 'per-sample', samples: 2 })));
    expect(p.layers[0].memories).toEqual({ prob: { depth: 13 * 784, width: 32, block: true }, held: { depth: 13 * 784, width: 8, block: true } });
    expect(p.layers[1].memories).toEqual({ prob: { depth: 100, width: 20, block: false }, held: { depth: 100, width: 10, block: false } });
    const rtl = (l: number) => emitVerilog(p).files.find((f) => f.path === `rtl/${p.name}_layer${l}.v`)!.content;
    expect(rtl(0)).toMatch(/\(\* rom_style = "block" \*\) reg \[31:0\] probmem/);
    expect(rtl(0)).toMatch(/\(\* ram_style = "block" \*\) reg \[7:0\] heldmem/);
    expect(rtl(1)).not.toMatch(/_style = "block"/);
    // One held read per event and pass: block RAM priced for layer 0, LUT RAM for layer 1.
    const one = { ...activity, eventsPerLayer: [1, 0], spikesPerLayer: [0, 0], memReadsPerLayer: [13, 0], weightDrawsPerLayer: [0, 0], accUpdatesPerLayer: [0, 0], neuronUpdatesPerLayer: [0, 0] };
    expect(activityEnergyPJ(p, one).memoryReads).toBeCloseTo(13 * bramAccessPJ(8, 13 * 784), 9);
    const two = { ...one, eventsPerLayer: [0, 1], memReadsPerLayer: [0, 1] };
    expect(activityEnergyPJ(p, two).memoryReads).toBeCloseTo(lutramAccessPJ(10, 100), 9);
  });
});
