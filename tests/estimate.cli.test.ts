import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { randomModel } from '../generator/model/random.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'bsnn.js');
const work = mkdtempSync(join(tmpdir(), 'bsnn-estimate-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const model = join(work, 'yinyang.json');
// A small fixed model (4-32-3, T = 8): synthesis stays quick and the tests do not depend on the trained examples.
writeFileSync(model, JSON.stringify(randomModel({ seed: 7, name: 'yinyang', inputs: 4, layers: [32, 3], timesteps: 8, probBits: 4 })));

// Child processes run in a temporary folder: nothing they write can land in the repository.
// Asynchronous, so that the test worker stays responsive while Yosys runs for tens of seconds.
const bsnn = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: work, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    p.on('close', (status) => done({ status, stdout, stderr }));
  });

describe('bsnn estimate', () => {
  it('dist is built', () => expect(existsSync(join(ROOT, 'dist', 'generator', 'cli', 'main.js')), 'run npx tsc -p . first').toBe(true));

  it('--json prints one object with the headline fields, from real synthesis', async () => {
    const r = await bsnn(['estimate', model, '--part', 'xc7z020clg400-1', '--json', '--synth', 'native', '--inputs', '8']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ['lut', 'ff', 'bram36', 'bram18', 'dsp', 'fmaxMHz', 'cyclesPerInference', 'inferencesPerSecond', 'powerMW', 'energyPerInferenceUJ', 'fits']) expect(j, k).toHaveProperty(k);
    expect(j.dsp).toBe(0);
    expect(j.lut).toBeGreaterThan(100);
    expect(j.fmaxMHz).toBeGreaterThan(10);
    expect(j.fits).toBe(true);
    expect(j.report.resources.method).toBe('yosys');
    // Energy per inference is power × latency: PL only, and with the device's non-PL static power
    // (Vivado's Device Static for the xc7z020 is 114 mW, of which the PL's is 33.8 mW).
    const latencyS = j.cyclesPerInference / (j.report.timing.clockMHz * 1e6);
    expect(j.energyPerInferenceUJ).toBeCloseTo(j.powerMW * 1e-3 * latencyS * 1e6, 6);
    expect(j.report.power.deviceStaticMW).toBeCloseTo(114.0, 6);
    expect(j.deviceEnergyPerInferenceUJ).toBeCloseTo((j.powerMW + 114.0 - 33.8) * 1e-3 * latencyS * 1e6, 6);
    // The report says which inputs drove the activity.
    expect(j.inputSource).toBe('8 random 8-bit input vectors (seed 1), not representative of real data: give --dataset for that');
  });

  it('--html and --md write self-contained reports', async () => {
    const html = join(work, 'r.html');
    const md = join(work, 'r.md');
    const r = await bsnn(['estimate', model, '--synth', 'none', '--html', html, '--md', md, '--inputs', '4']);
    expect(r.status).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/<svg/);
    expect(page).not.toMatch(/<script\s+src|href="http/);
    expect(readFileSync(md, 'utf8')).toMatch(/LUT/);
  });

  it('a sweep over lanes and prob-bits prints a table with a Pareto front', async () => {
    const r = await bsnn(['estimate', model, '--sweep-lanes', '1,2,4,8', '--sweep-prob-bits', '2,4', '--json', '--inputs', '4']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.points).toHaveLength(8);
    expect(j.points.some((p: { pareto: boolean }) => p.pareto)).toBe(true);
    // More lanes: fewer cycles (never more) and more LUTs, at the same k.
    const k4 = j.points.filter((p: { probBits: number[] }) => p.probBits[0] === 4);
    // A sweep value is every layer's lanes, capped at the 3-neuron output layer's size.
    expect(k4.map((p: { lanes: number[] }) => p.lanes)).toEqual([[1, 1], [2, 2], [4, 3], [8, 3]]);
    for (let i = 1; i < k4.length; i++) {
      expect(k4[i].latencyUS).toBeLessThanOrEqual(k4[i - 1].latencyUS);
      expect(k4[i].lut).toBeGreaterThan(k4[i - 1].lut);
    }
  });

  it('a design that does not fit says so and suggests knobs that fit', async () => {
    const big = join(work, 'big.json');
    expect((await bsnn(['make-random', '--inputs', '64', '--layers', '256,10', '--seed', '5', '--out', big])).status).toBe(0);
    const r = await bsnn(['estimate', big, '--part', 'xc7z007sclg400-1', '--lanes', '256,10', '--synth', 'none', '--json', '--inputs', '2']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.fits).toBe(false);
    const advice: string[] = j.report.fitAdvice;
    const lanes = advice.map((a) => /--lanes (\S+) fits/.exec(a)?.[1]).find(Boolean);
    expect(lanes, advice.join('; ')).toBeDefined();
    // The advice holds: the suggested lanes fit.
    const again = JSON.parse((await bsnn(['estimate', big, '--part', 'xc7z007sclg400-1', '--lanes', lanes!, '--synth', 'none', '--json', '--inputs', '2'])).stdout);
    expect(again.fits).toBe(true);
  });

  it('bad options are clear errors', async () => {
    const cases: [string[], RegExp][] = [
      [['--part', 'xc7a35t'], /^bsnn: --part: "xc7a35t" is not a Zynq-7000 part name/],
      [['--part', 'xc7z020'], /^bsnn: --part: "xc7z020" names a device only; .* e\.g\. xc7z020clg400-1/],
      [['--board', 'pynq'], /^bsnn: --board: "pynq" is not a board/],
      [['--clock-mhz', '-5'], /^bsnn: --clock-mhz: -5 is not a positive number/],
      [['--clock', '0'], /^bsnn: --clock-mhz: 0 is not a positive number/],
      [['--lanes', '0'], /^bsnn: --lanes: "0" is not a positive integer/],
      [['--lanes', '4,4,4'], /^bsnn: --lanes: gives 3 values, the model has 2 layers/],
      [['--lanes', '33'], /^bsnn: --lanes: 33 lanes is more than the largest layer has neurons \(32\)/],
      [['--prob-bits', '9'], /^bsnn: --prob-bits: 9 is not an integer 1\.\.8/],
      [['--sweep-prob-bits', '2,9'], /^bsnn: --sweep-prob-bits: 9 is not an integer 1\.\.8/],
      [['--lanes', '4', '--sweep-lanes', '1,2'], /^bsnn: --sweep-lanes: give either --lanes/],
    ];
    for (const [args, message] of cases) {
      const r = await bsnn(['estimate', model, '--synth', 'none', ...args]);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('bsnn estimate without Debian packages (npm-only Yosys)', () => {
  it('synthesises with @yowasp/yosys when yosys is not on the PATH', async () => {
    // A PATH with node only: no native yosys, iverilog or verilator can be found.
    const env = { ...process.env, PATH: dirname(process.execPath) };
    const r = await bsnn(['estimate', model, '--json', '--inputs', '2'], env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.report.resources.method).toBe('yosys');
    expect(j.lut).toBeGreaterThan(100);
    expect(j.dsp).toBe(0);
  });
});
