import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { predictCycles } from '../generator/analysis/cycles.js';
import { cosimAxi } from '../generator/cosim/axi.js';
import { AXI_ID_FORMAT, AXI_REGISTERS, emitAxiWrapper, modelHashWords } from '../generator/emit/axi.js';
import { generateDesign } from '../generator/emit/design.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { randomInputs } from '../generator/model/random.js';
import { COSIM_MATRIX, plannedRandom } from './helpers/designs.js';
import { POTENTIAL_MATRIX } from './helpers/potential.js';
import { writeFiles } from '../generator/util/atomic.js';

const work = mkdtempSync(join(tmpdir(), 'bsnn-axi-test-'));

// Every network of the matrix, and potential readouts (signed votes sign-extended on m_axis, SPIKES = the
// hidden layers' spikes).
const AXI_NETWORKS = [...COSIM_MATRIX, ...POTENTIAL_MATRIX.filter((m) => [201, 204, 206].includes(m.seed))];
/** A random nonzero runtime seed per network (seeded): the testbench writes it to SEED. */
const axiRunSeed = (seed: number) => (Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('AXI register map', () => {
  it('is 0x00..0x48 in 4-byte steps with unique names, as the issue specifies; MODEL_SEED appended', () => {
    expect(AXI_REGISTERS.map((r) => r.offset)).toEqual(Array.from({ length: 19 }, (_, i) => 4 * i));
    expect(new Set(AXI_REGISTERS.map((r) => r.name)).size).toBe(AXI_REGISTERS.length);
    expect(AXI_REGISTERS.slice(0, 10).map((r) => r.name)).toEqual([
      'CONTROL', 'STATUS', 'TIMESTEPS', 'SAMPLES', 'SEED', 'CYCLES', 'SPIKES', 'RESULT', 'INFERENCES', 'ID_FORMAT',
    ]);
    expect(AXI_REGISTERS.slice(10, 18).map((r) => r.name)).toEqual(Array.from({ length: 8 }, (_, i) => `MODEL_HASH${i}`));
    expect(AXI_REGISTERS[18].name).toBe('MODEL_SEED');
    expect(AXI_REGISTERS.find((r) => r.name === 'SEED')!.access).toBe('RW');
    expect(AXI_ID_FORMAT).toBe(0x00b50001);
  });

  it('is documented in the wrapper header, and the wrapper is rtl/<prefix>_axi.v', () => {
    const p = plannedRandom(COSIM_MATRIX[0]);
    const f = emitAxiWrapper(p);
    expect(f.path).toBe(`rtl/${p.name}_axi.v`);
    expect(f.content).toContain(`module ${p.name}_axi (`);
    expect(f.content).toContain(`${p.name}_top u_core (`);
    for (const r of AXI_REGISTERS) expect(f.content).toMatch(new RegExp(`^//\\s+0x${r.offset.toString(16).toUpperCase().padStart(2, '0')} ${r.name}\\b`, 'm'));
    expect(emitAxiWrapper(p).content).toBe(f.content); // deterministic
  });

  it('carries the model hash as eight words, word 0 the most significant', () => {
    const p = plannedRandom(COSIM_MATRIX[0]);
    const words = modelHashWords(p);
    expect(words.map((w) => w.toString(16).padStart(8, '0')).join('')).toBe(p.modelHash.slice(0, 64));
  });
});

describe('core + AXI wrapper pass verilator --lint-only -Wall', () => {
  for (const o of [...COSIM_MATRIX, ...POTENTIAL_MATRIX]) {
    it(`seed ${o.seed}`, () => {
      const p = plannedRandom(o);
      // gen-rtl's own output carries the wrapper.
      const files = generateDesign(p).files;
      expect(files.map((f) => f.path)).toContain(emitAxiWrapper(p).path);
      const dir = join(work, `lint-${o.seed}`);
      writeFiles(dir, files);
      const rtl = files.filter((f) => f.path.endsWith('.v')).map((f) => join(dir, f.path));
      const r = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', `${p.name}_axi`, ...rtl], { encoding: 'utf8' });
      expect(r.error, 'verilator must be installed').toBeUndefined();
      expect(`${r.stdout}${r.stderr}`.trim()).toBe('');
      expect(r.status).toBe(0);
    });
  }
});

describe('AXI co-simulation (Icarus): stream in, stream out, registers', () => {
  for (const o of AXI_NETWORKS) {
    const p = plannedRandom(o);
    const shape = [p.input.size, ...p.layers.map((L) => `${L.size}/P${L.lanes}/k${L.probBits}`)].join('-');
    it(`seed ${o.seed}: ${shape} ${p.mode} ${p.input.encoding}`, () => {
      const inputs = randomInputs(o.seed, 5, p.input.size);
      const runSeed = axiRunSeed(o.seed);
      const r = cosimAxi(p, inputs, { seed: o.seed, runSeed });
      expect(r.mismatches).toEqual([]);
      expect(r.finished).toBe(true);

      // Results equal the golden model bit for bit, cycles equal the cycle model (also checked inside cosimAxi).
      const g = new GoldenModel(p);
      expect(r.seedOf).toEqual([0, ...inputs.map(() => runSeed), runSeed, ...inputs.map(() => runSeed)]);
      const want = r.inputOf.map((i, k) => {
        const e = g.infer(inputs[i], { activity: true, seed: r.seedOf[k] });
        return { cls: e.cls, counts: Array.from(e.counts), cycles: predictCycles(p, e, inputs[i]).total };
      });
      expect(r.results).toEqual(want);
      expect(r.results).toHaveLength(2 * inputs.length + 2);

      // The throughput run (intervals checked against the cycle model inside cosimAxi): with direct input the
      // next samples streamed in during the inferences before them; rate input waits for done.
      expect(r.launches).toHaveLength(inputs.length);
      if (p.input.encoding === 'direct') expect(r.overlapBeats).toBeGreaterThanOrEqual((inputs.length - 1) * Math.min(p.input.size, 2));
      else expect(r.overlapBeats).toBe(0);

      // Not vacuous: the output saw back-pressure and the input saw gaps.
      expect(r.stalls).toBeGreaterThan(0);
      expect(r.gaps).toBeGreaterThan(0);

      // Registers: identity, W1C, soft reset, start while busy.
      const reg = r.registers;
      expect(reg.ID_FORMAT).toBe(0x00b50001);
      expect(Array.from({ length: 8 }, (_, i) => reg[`MODEL_HASH${i}`].toString(16).padStart(8, '0')).join('')).toBe(p.modelHash.slice(0, 64));
      expect(reg.TIMESTEPS).toBe(p.timesteps);
      expect(reg.SAMPLES).toBe(p.samples);
      expect(reg.SEED).toBe(0); // reset value
      expect(reg.MODEL_SEED).toBe(p.seed >>> 0);
      expect([reg.SEED_WRITTEN, reg.SEED_AFTER_SOFT]).toEqual([runSeed, runSeed]); // RW, kept through a soft reset
      expect(reg.STATUS_DONE & 2).toBe(2);
      expect(reg.STATUS_W1C_DONE & 2).toBe(0);
      expect(reg.STATUS_MISSING & 4).toBe(4);
      expect(reg.STATUS_W1C_ERR & 4).toBe(0);
      expect([reg.IRQ_ON, reg.IRQ_AFTER_W1C]).toEqual([1, 0]);
      expect(reg.INFERENCES_LATER).toBe(1); // the start written while busy did not start anything
      expect([reg.INFERENCES_AFTER_SOFT, reg.STATUS_AFTER_SOFT, reg.RESULTS_AFTER_SOFT]).toEqual([0, 0, 1]);
      expect(reg.CYCLES_0).toBe(want[0].cycles);
      const spikes0 = Array.from(g.infer(inputs[0], { seed: 0 }).spikesPerLayer);
      expect(reg.SPIKES_0).toBe(p.readout === 'potential' ? spikes0.slice(0, -1).reduce((a, b) => a + b, 0) : want[0].counts.reduce((a, b) => a + b, 0));
      if (p.readout === 'potential') expect(r.results.flatMap((x) => x.counts).some((c) => c < 0)).toBe(true);
      expect(reg.RESULT_0).toBe(want[0].cls);
      expect(reg.INFERENCES_FINAL).toBe(inputs.length + 1);
    });
  }
});

describe('the AXI co-simulation is not vacuous about SEED', () => {
  it('the written runtime seed changes the results of most networks', () => {
    const changed = AXI_NETWORKS.filter((o) => {
      const p = plannedRandom(o);
      const g = new GoldenModel(p);
      const runSeed = axiRunSeed(o.seed);
      const run = (seed: number) => randomInputs(o.seed, 5, p.input.size).map((x) => Array.from(g.infer(x, { seed }).counts).join(' ')).join('|');
      return run(runSeed) !== run(0);
    });
    expect(changed.length).toBeGreaterThanOrEqual(Math.ceil(0.75 * AXI_NETWORKS.length));
  });
});

describe('the AXI testbench catches faults (a wrapper with one injected fault fails)', () => {
  const o = COSIM_MATRIX[4];
  const p = plannedRandom(o);
  const inputs = randomInputs(o.seed, 3, p.input.size);
  const faults: [string, (v: string) => string, RegExp][] = [
    ['m_axis ignores TREADY', (v) => v.replace(/W_TX:\n(\s+)if \(m_axis_tready\) begin/, 'W_TX:\n$1if (1\'b1) begin'), /back-pressure/],
    ['TLAST on every beat', (v) => v.replace(/assign m_axis_tlast\s+= .*;/, 'assign m_axis_tlast = (st == W_TX);'), /tlast/],
    ['start obeyed while busy', (v) => v.replace(/(default: st <= W_IDLE;\n\s+endcase)/, '$1\n            if (start_cmd) st <= W_LAUNCH;'), /INFERENCES_LATER|result/],
    ['done not write-1-to-clear', (v) => v.replace('if (w_q[1]) st_done <= 1\'b0;', ''), /STATUS_W1C_DONE/],
    ['soft reset inert', (v) => v.replace('rst_q <= ~aresetn | soft_go;', 'rst_q <= ~aresetn;'), /AFTER_SOFT/],
    ['SEED not fed to the core', (v) => v.replace('.seed(r_seed)', ".seed(32'd0)"), /result \d+ \(input \d+\): expected class/],
    ['SEED cleared by a soft reset', (v) => v.replace('if (wr_seed) begin', 'if (soft_go) r_seed <= 32\'d0;\n            if (wr_seed) begin'), /SEED_AFTER_SOFT/],
    ['TLAST not checked', (v) => v.replace('st_err  <= 1\'b1;\n                        rx_drop <= 1\'b1;', 'rx_full <= 1\'b1;'), /STATUS_MISSING|result/],
  ];
  for (const [what, patch, expected] of faults) {
    it(what, () => {
      let patched = false;
      const r = cosimAxi(p, inputs, {
        seed: 3,
        patchWrapper: (v) => {
          const out = patch(v);
          patched = out !== v;
          return out;
        },
      });
      expect(patched, 'the fault was injected').toBe(true);
      expect(r.mismatches.join('\n')).toMatch(expected);
    });
  }
});
