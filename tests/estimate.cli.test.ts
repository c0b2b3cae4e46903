import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDesign } from '../generator/emit/design.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { timingKey, writeTimingRecord } from '../generator/estimate/timing-record.js';
import { planModel } from '../generator/ir/plan.js';
import { loadSplit } from '../generator/train/datasets.js';
import { loadModel } from '../generator/model/load.js';
import { randomModel } from '../generator/model/random.js';
import { runBsnn, type CliRun } from './helpers/cli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'bsnn-estimate-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const model = join(work, 'yinyang.json');
// A small fixed model (4-32-3, T = 8): synthesis stays quick and the tests do not depend on the trained examples.
writeFileSync(model, JSON.stringify(randomModel({ seed: 7, name: 'yinyang', inputs: 4, layers: [32, 3], timesteps: 8, probBits: 4 })));

// Child processes run in a temporary folder: nothing they write can land in the repository.
// Timing records go to a cache folder inside `work` unless a test names its own: never into the user's.
const bsnn = (args: string[], env: NodeJS.ProcessEnv = process.env) => runBsnn(args, { cwd: work, env: { BSNN_CACHE_DIR: join(work, 'cache-default'), ...env } });

// A cache folder of the clock tests' own: the timing records estimate leaves for gen-rtl.
const clockEnv = { ...process.env, BSNN_CACHE_DIR: join(work, 'cache') };
let first: Promise<{ g0: CliRun; e: CliRun }> | undefined;
/**
 * gen-rtl before any estimate, then the first estimate of the design, from real synthesis, in the clock tests'
 * cache: run once (Yosys takes tens of seconds), for the --json test and for the clock tests, which check what it records.
 */
const firstEstimate = () =>
  (first ??= (async () => {
    const g0 = await bsnn(['gen-rtl', model, '--out', join(work, 'g0')], clockEnv);
    const e = await bsnn(['estimate', model, '--part', 'xc7z020clg400-1', '--json', '--synth', 'native', '--inputs', '8'], clockEnv);
    return { g0, e };
  })());

describe('bsnn estimate', () => {
  it('dist is built', () => expect(existsSync(join(ROOT, 'dist', 'generator', 'cli', 'main.js')), 'run npx tsc -p . first').toBe(true));

  it('--json prints one object with the headline fields, from real synthesis', async () => {
    const { e: r } = await firstEstimate();
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

  it('--prob-bits takes one k per layer, as train does, and a sweep keeps it', async () => {
    const run = async (...args: string[]) => {
      const r = await bsnn(['estimate', model, '--synth', 'none', '--json', '--inputs', '2', ...args]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const [mixed, all4] = [await run('--prob-bits', '1,4'), await run('--prob-bits', '4')];
    expect(mixed.report.knobs.probBits).toEqual([1, 4]);
    expect(all4.report.knobs.probBits).toEqual([4, 4]);
    // Fixed signs in the first layer: no probability memory bits beyond the sign, no comparators: fewer LUTs.
    expect(mixed.lut).toBeLessThan(all4.lut);
    const sweep = await run('--prob-bits', '1,4', '--sweep-lanes', '1,2');
    expect(sweep.points.map((p: { probBits: number[] }) => p.probBits)).toEqual([[1, 4], [1, 4]]);
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
      [['--clock-mhz', '-5'], /^bsnn: --clock-mhz: "-5" is not a positive number/],
      [['--clock', '0'], /^bsnn: --clock-mhz: "0" is not a positive number/],
      [['--clock-mhz', 'auto'], /^bsnn: --clock-mhz: auto needs the estimated Fmax, which needs synthesis/],
      [['--clock-mhz', 'auto', '--sweep-lanes', '1,2'], /^bsnn: --clock-mhz: auto needs each design's Fmax, which a sweep does not estimate/],
      [['--sweep-lanes', '1,2', '--accuracy-inputs', '0'], /^bsnn: --accuracy-inputs: 0 is not a positive integer/],
      [['--lanes', '0'], /^bsnn: --lanes: "0" is not a positive integer/],
      [['--lanes', '4,4,4'], /^bsnn: --lanes: gives 3 values, the model has 2 layers/],
      [['--lanes', '33'], /^bsnn: --lanes: 33 lanes is more than the largest layer has neurons \(32\)/],
      [['--prob-bits', '9'], /^bsnn: --prob-bits: "9" is not an integer 1\.\.8/],
      [['--prob-bits', '2,4,4'], /^bsnn: --prob-bits: gives 3 values, the model has 2 layers/],
      [['--sweep-prob-bits', '2,9'], /^bsnn: --sweep-prob-bits: "9" is not an integer 1\.\.8/],
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

describe('one clock truth: estimate reports at the clock gen-rtl builds, and gen-rtl checks it against the estimate', () => {
  const env = clockEnv;
  const manifestOf = (dir: string) => JSON.parse(readFileSync(join(work, dir, 'manifest.json'), 'utf8'));

  it('before any estimate, gen-rtl builds 100 MHz and says it is not checked; then estimate records the Fmax and gen-rtl checks against it', async () => {
    // gen-rtl into g0 with an empty cache, then estimate of the pynq-z2's part (the default board's)
    const { g0, e } = await firstEstimate();
    expect(g0.status, g0.stderr).toBe(0);
    expect(g0.stdout).toMatch(/clock 100 MHz \(the default\) is not checked: no Fmax of this design is recorded yet/);
    expect(e.status, e.stderr).toBe(0);
    const j = JSON.parse(e.stdout);
    // The headline figures are at the build clock gen-rtl would use, and say so; the Fmax figures come too.
    expect([j.clockMHz, j.clockSource]).toEqual([100, 'the default']);
    expect(j.report.throughput.latencyUS).toBeCloseTo(j.cyclesPerInference / 100, 9);
    expect(j.atFmax.clockMHz).toBe(j.fmaxMHz);
    expect(j.atFmax.latencyUS).toBeCloseTo(j.cyclesPerInference / j.fmaxMHz, 9);
    expect(j.fmaxClockMHz).toBeLessThanOrEqual(j.fmaxMHz);
    expect(Number.isInteger(1000 / j.fmaxClockMHz) || Math.abs(1000 / j.fmaxClockMHz - Math.round(1000 / j.fmaxClockMHz)) < 1e-4).toBe(true);
    expect(j.meetsClock).toBe(j.fmaxMHz >= 100);
    // gen-rtl, same model and lanes: the same Fmax, no Yosys run, and the clock it builds is checked.
    const g1 = await bsnn(['gen-rtl', model, '--out', join(work, 'g1')], env);
    expect(g1.status, g1.stderr).toBe(0);
    if (j.meetsClock) expect(g1.stdout).toContain(`clock 100 MHz meets the estimated Fmax ${j.fmaxMHz} MHz`);
    else expect(g1.stderr).toContain(`WARNING: FCLK_CLK0 100 MHz is above the estimated Fmax ${j.fmaxMHz} MHz`);
    // auto: the fastest FCLK at or below that Fmax, from the record (no synthesis), and the manifest says so.
    const g2 = await bsnn(['gen-rtl', model, '--out', join(work, 'g2'), '--clock-mhz', 'auto'], env);
    expect(g2.status, g2.stderr).toBe(0);
    expect(g2.stderr).not.toMatch(/running the timing estimate/);
    expect(manifestOf('g2').clockMHz).toBe(j.fmaxClockMHz);
    expect(manifestOf('g2').clock.source).toBe(`--clock-mhz auto: the fastest FCLK at or below the estimated Fmax ${j.fmaxMHz} MHz`);
    expect(g2.stdout).toContain(`clock ${j.fmaxClockMHz} MHz meets the estimated Fmax ${j.fmaxMHz} MHz`);
    // estimate --clock-mhz auto reports at the clock gen-rtl --clock-mhz auto builds.
    const ea = JSON.parse((await bsnn(['estimate', model, '--json', '--inputs', '4', '--clock-mhz', 'auto'], env)).stdout);
    expect(ea.clockMHz).toBe(manifestOf('g2').clockMHz);
    // The record changes no file of a default gen-rtl: outputs stay byte-identical.
    expect(readFileSync(join(work, 'g1', 'manifest.json'), 'utf8')).toBe(readFileSync(join(work, 'g0', 'manifest.json'), 'utf8'));
  });

  it('a design whose estimated Fmax is below 100 MHz: gen-rtl warns by how much, and auto builds a clock it meets', async () => {
    // The record estimate would leave for a design that times at 82.5 MHz (written here: Yosys takes minutes
    // for a design that slow, and the check only reads the record).
    const slow = join(work, 'slow.json');
    const json = randomModel({ seed: 11, name: 'slow', inputs: 4, layers: [16, 3], timesteps: 4, probBits: 3 });
    writeFileSync(slow, JSON.stringify(json));
    const core = generateDesign(planModel(loadModel(slow))).core;
    const dir = join(work, 'cache-slow');
    const slowEnv = { ...process.env, BSNN_CACHE_DIR: dir };
    process.env.BSNN_CACHE_DIR = dir;
    try {
      expect(writeTimingRecord({ key: timingKey(core), fmaxMHz: 82.5, logicLevels: 12, method: 'test', engine: 'native', model: 'slow', lanes: [] })).toBe(true);
    } finally {
      delete process.env.BSNN_CACHE_DIR;
    }
    const g = await bsnn(['gen-rtl', slow, '--out', join(work, 's0')], slowEnv);
    expect(g.status, g.stderr).toBe(0);
    expect(g.stderr).toBe(
      'bsnn: WARNING: FCLK_CLK0 100 MHz is above the estimated Fmax 82.5 MHz: the longest path (12.12 ns) misses the 10.00 ns period by 2.12 ns ' +
        "(the clock is 21.2 % too fast); --clock-mhz 76.923077 (or auto) meets it. build.tcl stops if Vivado's implementation misses it too.\n",
    );
    const a = await bsnn(['gen-rtl', slow, '--out', join(work, 's1'), '--clock-mhz', 'auto'], slowEnv);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stderr).toBe('');
    expect(manifestOf('s1')).toMatchObject({ clockMHz: 76.923077, clock: { ioPllMHz: 1000, divisor: 13 } });
    expect(readFileSync(join(work, 's1', 'vivado', 'build.tcl'), 'utf8')).toContain('CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ 76.923077');
  });
});

describe('accuracy in sweeps', () => {
  it('with a data set every point carries its golden-model accuracy on the first N test inputs, and the front weighs it', async () => {
    const r = await bsnn(['estimate', model, '--sweep-lanes', '1,4', '--sweep-prob-bits', '1,4', '--dataset', 'yinyang', '--accuracy-inputs', '200', '--json', '--inputs', '2', '--md', join(work, 'acc.md')]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const md = readFileSync(join(work, 'acc.md'), 'utf8');
    expect(md).toContain('| Accuracy |');
    expect(md).toContain(`Accuracy: ${j.accuracyOn}.`);
    expect(j.accuracyOn).toMatch(/^the golden model's accuracy on the first 200 inputs of the yinyang test split \(95 % interval up to ±[\d.]+ points\)$/);
    // Each point's figure is the golden model's class against the label, measured at that point's lanes and k.
    const test = loadSplit('yinyang', 'test');
    const json = loadModel(model);
    for (const p of j.points as { lanes: number[]; probBits: number[]; accuracy: number }[]) {
      const golden = new GoldenModel(planModel(json, { lanes: p.lanes, probBits: p.probBits[0] }));
      let right = 0;
      for (let i = 0; i < 200; i++) if (golden.infer(test.inputs[i]).cls === test.labels[i]) right++;
      expect(p.accuracy, JSON.stringify(p)).toBe(right / 200);
    }
    // No point is off the front while no other point is at least as good in all four objectives.
    type P = { lut: number; latencyUS: number; energyUJ: number; accuracy: number; pareto: boolean };
    const pts = j.points as P[];
    for (const p of pts) {
      const dominated = pts.some((q) => q !== p && q.lut <= p.lut && q.latencyUS <= p.latencyUS && q.energyUJ <= p.energyUJ && q.accuracy >= p.accuracy &&
        (q.lut < p.lut || q.latencyUS < p.latencyUS || q.energyUJ < p.energyUJ || q.accuracy > p.accuracy));
      expect(p.pareto).toBe(!dominated);
    }
  });

  it('without a data set there is no accuracy, and the output says how to get one', async () => {
    const r = await bsnn(['estimate', model, '--sweep-lanes', '1,2', '--inputs', '2']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/accuracy: not measured: give --dataset/);
    expect(r.stdout).not.toMatch(/ %\s+yes/);
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
