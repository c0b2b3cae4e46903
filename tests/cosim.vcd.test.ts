/**
 * `bsnn cosim --vcd` runs the golden model once per input: the runs that size the VCD are the ones the
 * simulation is compared with (they were run twice before: once for the size estimate, once for the trace).
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCosim, type CosimArgs } from '../generator/cli/design.js';
import { cosim } from '../generator/cosim/run.js';
import { runGolden } from '../generator/cosim/trace.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { randomInputs, randomModel } from '../generator/model/random.js';
import { BsnnError } from '../generator/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'bsnn-cosim-vcd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const model = randomModel({ seed: 3, inputs: 6, layers: [8, 3], timesteps: 4 });
const modelFile = join(dir, 'small.json');
writeFileSync(modelFile, JSON.stringify(model));

const args = (over: Partial<CosimArgs>): CosimArgs => ({
  model: modelFile,
  sim: 'iverilog',
  runSeed: 'random',
  allLayers: true,
  throughAxi: false,
  maxVcdMb: 200,
  inputs: 3,
  inputSeed: 1,
  ...over,
});

describe('cosim --vcd', () => {
  it('runs the golden model once per input, and the simulation still matches it bit for bit', async () => {
    const infer = vi.spyOn(GoldenModel.prototype, 'infer');
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const vcd = join(dir, 'a.vcd');
    await runCosim(args({ vcd }));
    expect(infer).toHaveBeenCalledTimes(3);
    // Each input once, with its own runtime seed (--run-seed random): three different seeds.
    expect(new Set(infer.mock.calls.map((c) => c[1]?.seed)).size).toBe(3);
    expect(out.mock.calls.at(-1)?.[0]).toMatch(/^cosim \(iverilog, all layers\): 3 inputs compared, 0 mismatched; .* — bit-exact$/);
    expect(statSync(vcd).size).toBeGreaterThan(0);
  });

  it('a VCD over --max-vcd-mb is refused after that one run, before simulating', async () => {
    const infer = vi.spyOn(GoldenModel.prototype, 'infer');
    const vcd = join(dir, 'big.vcd');
    const refused = runCosim(args({ vcd, maxVcdMb: 0.001 }));
    await expect(refused).rejects.toBeInstanceOf(BsnnError);
    await expect(refused).rejects.toThrow(/^--vcd: the VCD would be up to about \d+ MB \(3 inputs, up to \d+ MB each\), over --max-vcd-mb 0\.001; raise --max-vcd-mb$/);
    expect(infer).toHaveBeenCalledTimes(3);
    expect(existsSync(vcd)).toBe(false);
  });
});

describe('cosim with golden runs given', () => {
  it('refuses runs of other inputs or seeds instead of comparing with them', () => {
    const plan = planModel(validateModel(model, 'small'));
    const inputs = randomInputs(2, 2, 6);
    const golden = runGolden(plan, inputs, [0, 0]);
    expect(() => cosim(plan, { simulator: 'iverilog', inputs, seeds: [0, 1], golden })).toThrow(/golden runs are not of these inputs and seeds/);
    expect(() => cosim(plan, { simulator: 'iverilog', inputs: randomInputs(2, 2, 6), golden })).toThrow(/golden runs are not of these inputs and seeds/);
  });
});
