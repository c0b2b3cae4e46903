/**
 * The analytical resource model (generator/estimate/analytical.ts) against real synthesis:
 * - 11 random networks, none of them in the model's calibration set (other seeds and shapes), synthesised with
 *   native Yosys (hierarchical, as generator/synth/yosys.ts does, two at a time): total LUT and FF within ±15 %,
 *   RAMB18E1 and RAMB36E1 counts equal, no DSP48E1; a table and the worst LUT / FF errors are printed;
 * - an MNIST-sized plan (784-512-512-10) is estimated block by block (its speed is in `npm run bench`);
 * - sanity: more lanes cost more LUTs, a larger k more memory bits.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDesign } from '../generator/emit/design.js';
import { estimateResources } from '../generator/estimate/analytical.js';
import { blocksFromStat } from '../generator/estimate/synthesised.js';
import type { BlockResources, Resources } from '../generator/estimate/types.js';
import type { RandomModelOptions } from '../generator/model/random.js';
import { nativeYosysAvailable } from '../generator/synth/yosys.js';
import { plannedRandom } from './helpers/designs.js';

/**
 * Held-out networks (never used to fit or to shape the model): both modes, noise kinds, leak, bias, both resets,
 * direct and rate input, P = 1, P ∤ N, P > N, k 1..8, B 9..18, one and two events per cycle.
 */
const TEST_SET: RandomModelOptions[] = [
  { seed: 9702, inputs: 28, layers: [14, 3], lanes: [7, 3], probBits: [3, 7], mode: 'per-sample', reset: 'zero', membraneBits: 9 },
  { seed: 9703, inputs: 7, layers: [10], lanes: [5], probBits: 8, encoding: 'direct', bias: true, membraneBits: 18 },
  { seed: 9704, inputs: 36, layers: [9, 6], lanes: [3, 6], probBits: [4, 2], noise: { kind: 'uniform', bits: 3, scale: 2 }, timesteps: 10 },
  { seed: 9705, inputs: 18, layers: [12, 8], lanes: [6, 4], probBits: [6, 3], noise: { kind: 'logistic', bits: 5, scale: 3 }, leak: 1, membraneBits: 11 },
  // block RAM: a 160-input, 4-pass, 6-lane, 4-bit probability ROM (one RAMB36)
  { seed: 9706, inputs: 160, layers: [24, 4], lanes: [6, 4], probBits: [4, 5] },
  // block RAM: per-sample, probability ROM and held weights (one RAMB18 each)
  { seed: 9707, inputs: 120, layers: [40, 6], lanes: [5, 3], probBits: [2, 4], mode: 'per-sample', membraneBits: 13 },
  { seed: 9708, inputs: 22, layers: [3], lanes: [6], probBits: 4, reset: 'zero', samples: 4 },
  { seed: 9709, inputs: 5, layers: [12, 12, 2], lanes: [3, 4, 2], probBits: [2, 1, 6], bias: true },
  { seed: 9710, inputs: 45, layers: [11], lanes: [11], probBits: 2, membraneBits: 15, timesteps: 12, samples: 2 },
  { seed: 9711, inputs: 33, layers: [20, 7], lanes: [1, 7], probBits: [5, 5], encoding: 'direct', leak: 2 },
  // two events per cycle: direct and spike input, time ensemble
  { seed: 9712, inputs: 44, layers: [18, 6], lanes: [6, 3], eventsPerCycle: [2, 2], probBits: [5, 4], encoding: 'direct' },
];

const TOLERANCE = 0.15;

/**
 * Native Yosys, hierarchical, the script of generator/synth/yosys.ts (runNative), but asynchronous so that two
 * designs synthesise side by side (synthesise() blocks its process).
 */
function synthStat(design: { top: string; files: { path: string; content: string }[] }): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'bsnn-analytical-'));
  const names = design.files.map((f) => f.path.split('/').pop()!);
  design.files.forEach((f, i) => writeFileSync(join(work, names[i]), f.content));
  const script = [
    `read_verilog ${names.filter((n) => n.endsWith('.v')).join(' ')}`,
    `synth_xilinx -family xc7 -noiopad -top ${design.top}`,
    'tee -q -o stat.txt stat -tech xilinx',
  ].join('; ');
  return new Promise((resolve, reject) => {
    const p = spawn('yosys', ['-q', '-p', script], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`yosys failed (exit ${code}): ${err.slice(-2000)}`);
        resolve(readFileSync(join(work, 'stat.txt'), 'utf8'));
      } catch (e) {
        reject(e);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
}

/**
 * Runs `fn` over `items`, `workers` at a time, and returns one promise per item at once: each test awaits its
 * own network, so a test's timeout covers one synthesis (plus at most one queued ahead of it), however long
 * the whole set takes on a busy machine.
 */
function inPool<T, R>(items: T[], workers: number, fn: (item: T) => Promise<R>): Promise<R>[] {
  let free = workers;
  const waiting: (() => void)[] = [];
  const slot = () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((r) => waiting.push(r)));
  const release = () => (waiting.length ? waiting.shift()!() : free++);
  return items.map(async (item) => {
    await slot();
    try {
      return await fn(item);
    } finally {
      release();
    }
  });
}

interface Compared {
  name: string;
  yosys: { total: Resources; blocks: BlockResources[] };
  model: { total: Resources; blocks: BlockResources[] };
  lutErr: number;
  ffErr: number;
}

const relErr = (model: number, yosys: number) => (model - yosys) / yosys;
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;

describe('analytical resource model vs native Yosys (held-out networks)', () => {
  let pending: Promise<Compared>[] = [];
  const results: Compared[] = [];

  beforeAll(() => {
    // Fails (never skips) without native Yosys: the README promises suites fail when a tool is missing.
    if (!nativeYosysAvailable()) throw new Error('native yosys is not installed (apt-get install -y yosys): this suite compares against it');
    pending = inPool(TEST_SET, 2, async (o) => {
      const plan = plannedRandom(o);
      const yosys = blocksFromStat(plan, await synthStat(generateDesign(plan)));
      const model = estimateResources(plan);
      const name = `${plan.name} ${[plan.input.size, ...plan.layers.map((L) => L.size)].join('-')} P=${plan.layers.map((L) => L.lanes).join('/')} k=${plan.layers.map((L) => L.probBits).join('/')}`;
      return { name, yosys, model, lutErr: relErr(model.total.lut, yosys.total.lut), ffErr: relErr(model.total.ff, yosys.total.ff) };
    });
    // Each test awaits its own; a failure before that test runs is still reported there, not as unhandled.
    for (const p of pending) p.catch(() => {});
  });

  afterAll(() => {
    if (results.length === 0) return;
    const rows = results.map((r) => {
      const y = r.yosys.total;
      const m = r.model.total;
      return `${r.name.padEnd(44)} LUT ${String(y.lut).padStart(5)} ${String(m.lut).padStart(5)} ${pct(r.lutErr).padStart(7)}   FF ${String(y.ff).padStart(5)} ${String(m.ff).padStart(5)} ${pct(r.ffErr).padStart(7)}   BRAM18/36 ${y.bram18}/${y.bram36} ${m.bram18}/${m.bram36}`;
    });
    const worstLut = results.reduce((a, b) => (Math.abs(b.lutErr) > Math.abs(a.lutErr) ? b : a));
    const worstFf = results.reduce((a, b) => (Math.abs(b.ffErr) > Math.abs(a.ffErr) ? b : a));
    console.log(
      [
        'analytical model vs Yosys (yosys, model, error)',
        ...rows,
        `worst LUT error ${pct(worstLut.lutErr)} (${worstLut.name}); worst FF error ${pct(worstFf.ffErr)} (${worstFf.name})`,
      ].join('\n'),
    );
  });

  it.each(TEST_SET.map((o, i) => [o.seed, i] as const))('network %i: LUT and FF within ±15 %%, block RAM exact, no DSP', async (_seed, i) => {
    const r = await pending[i];
    results.push(r);
    expect(Math.abs(r.lutErr), `LUT ${r.model.total.lut} vs Yosys ${r.yosys.total.lut}`).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(r.ffErr), `FF ${r.model.total.ff} vs Yosys ${r.yosys.total.ff}`).toBeLessThanOrEqual(TOLERANCE);
    expect(r.model.total.bram18).toBe(r.yosys.total.bram18);
    expect(r.model.total.bram36).toBe(r.yosys.total.bram36);
    expect(r.yosys.total.dsp).toBe(0);
    expect(r.model.total.dsp).toBe(0);
    // the same blocks as blocksFromStat
    expect(r.model.blocks.map((b) => b.block)).toEqual(r.yosys.blocks.map((b) => b.block));
  });

  it('includes networks with block RAM', async () => {
    const all = await Promise.all(pending);
    expect(all.filter((r) => r.yosys.total.bram18 + r.yosys.total.bram36 > 0).length).toBeGreaterThanOrEqual(2);
  });
});

describe('analytical resource model: sanity', () => {
  // Its speed (target: well under 50 ms) is a figure of `npm run bench`, not a timed test.
  it('estimates a 784-512-512-10 plan: every block, block RAM, no DSP', () => {
    const plan = plannedRandom({ seed: 31, inputs: 784, layers: [512, 512, 10], probBits: 4 });
    const est = estimateResources(plan);
    expect(est.total.dsp).toBe(0);
    expect(est.total.lut).toBeGreaterThan(1000);
    expect(est.total.bram18 + est.total.bram36).toBeGreaterThan(0);
    expect(est.blocks.map((b) => b.block)).toEqual([
      'control',
      'encoder',
      'layer0/datapath',
      'layer0/weight rng',
      'layer1/datapath',
      'layer1/weight rng',
      'layer2/datapath',
      'layer2/weight rng',
    ]);
  });

  it('more lanes cost more LUTs', () => {
    const luts = [1, 2, 4, 8, 16, 32].map((P) => estimateResources(plannedRandom({ seed: 32, inputs: 64, layers: [32, 10], lanes: [P, 5], probBits: 4 })).total.lut);
    for (let i = 1; i < luts.length; i++) expect(luts[i], `LUTs by lanes: ${luts.join(', ')}`).toBeGreaterThan(luts[i - 1]);
  });

  it('a larger k costs more memory bits', () => {
    const bramBits = (r: Resources) => r.bram18 * 18 * 1024 + r.bram36 * 36 * 1024;
    const rows = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => {
      const plan = plannedRandom({ seed: 33, inputs: 256, layers: [64, 10], lanes: [8, 5], probBits: k });
      const romBits = plan.layers.reduce((s, L) => s + L.memories.prob.depth * L.memories.prob.width, 0);
      return { k, romBits, bramBits: bramBits(estimateResources(plan).total) };
    });
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].romBits).toBeGreaterThan(rows[i - 1].romBits);
      expect(rows[i].bramBits, JSON.stringify(rows)).toBeGreaterThanOrEqual(rows[i - 1].bramBits);
    }
    expect(rows[7].bramBits).toBeGreaterThan(rows[0].bramBits);
  });
});
