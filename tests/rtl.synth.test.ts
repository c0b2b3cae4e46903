import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDesign } from '../generator/emit/design.js';
import { BRAM_THRESHOLD_BITS } from '../generator/ir/memory.js';
import { synthXilinxNative, type FlatSynthResult } from '../generator/synth/yosys.js';
import { plannedRandom } from './helpers/designs.js';
import type { PlannedModel } from '../generator/ir/types.js';
import { writeFiles } from '../generator/util/atomic.js';

const work = mkdtempSync(join(tmpdir(), 'bsnn-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** gen-rtl's design for plan, written to dir and synthesised flat by Yosys synth_xilinx. */
async function synthesise(plan: PlannedModel, dir: string): Promise<FlatSynthResult> {
  const design = generateDesign(plan);
  writeFiles(dir, design.files);
  return synthXilinxNative(dir, design.top, design.files.filter((f) => f.path.endsWith('.v')).map((f) => join(dir, f.path)));
}

describe('Yosys synth_xilinx of a generated design', () => {
  // Layer 0's probabilities (8 passes x 64 inputs x 8 lanes x 8 bits = 32 kbit) and its held samples
  // (4 kbit) must become block RAM; layer 1's 3-kbit memory stays in LUTs.
  const plan = plannedRandom({
    seed: 11, inputs: 64, layers: [64, 10], lanes: [8, 4], probBits: [8, 4], mode: 'per-sample',
    noise: { kind: 'logistic', bits: 4, scale: 2 }, leak: 3,
  });
  let synth: FlatSynthResult;
  beforeAll(async () => {
    synth = await synthesise(plan, work);
  });

  it('infers no latch', () => {
    expect(synth.special.filter((c) => /LD[CP]E/.test(c))).toEqual([]);
    expect(synth.cells.LDCE ?? 0).toBe(0);
    expect(synth.cells.LDPE ?? 0).toBe(0);
    expect(synth.log).not.toMatch(/latch inferred/i);
  });

  it('uses no DSP48E1: binary synapses need none', () => {
    expect(synth.cells.DSP48E1 ?? 0).toBe(0);
  });

  it('maps every memory of 4 kbit or more to block RAM, and only those', () => {
    const expected: string[] = [];
    for (const L of plan.layers) {
      const rows = L.passes * L.fanIn;
      if (rows * L.lanes * L.probBits >= BRAM_THRESHOLD_BITS) expected.push(`u_l${L.index}.probmem`);
      if (rows * L.lanes >= BRAM_THRESHOLD_BITS) expected.push(`u_l${L.index}.heldmem`);
    }
    expect(expected).toEqual(['u_l0.probmem', 'u_l0.heldmem']);
    const brams = synth.special.filter((c) => !/DSP|LD[CP]E/.test(c));
    const memories = [...new Set(brams.map((c) => /(u_l\d+\.\w+mem)/.exec(c)?.[1]))].sort();
    expect(memories).toEqual([...expected].sort());
  });

  it('is a real netlist: LUTs and flip-flops present', () => {
    const luts = Object.entries(synth.cells).filter(([k]) => /^LUT\d$/.test(k)).reduce((s, [, v]) => s + v, 0);
    expect(luts).toBeGreaterThan(100);
    expect((synth.cells.FDRE ?? 0) + (synth.cells.FDSE ?? 0)).toBeGreaterThan(100);
  });
});

describe('Yosys synth_xilinx of a potential-readout design', () => {
  // The readout layer's signed acc + b, the signed vote counters and the signed argmax: still no latch, no DSP.
  const plan = plannedRandom({
    seed: 12, inputs: 24, layers: [16, 5], lanes: [8, 2], probBits: [4, 6], mode: 'per-sample', encoding: 'direct',
    readout: 'potential', bias: true,
  });
  const dir = join(work, 'potential');
  let synth: FlatSynthResult;
  beforeAll(async () => {
    synth = await synthesise(plan, dir);
  });

  it('is a potential readout with signed votes', () => expect([plan.readout, plan.signedVotes]).toEqual(['potential', true]));

  it('infers no latch and no DSP48E1', () => {
    expect(synth.special.filter((c) => /LD[CP]E/.test(c))).toEqual([]);
    expect(synth.log).not.toMatch(/latch inferred/i);
    expect(synth.cells.DSP48E1 ?? 0).toBe(0);
    expect((synth.cells.FDRE ?? 0) + (synth.cells.FDSE ?? 0)).toBeGreaterThan(100);
  });
});
