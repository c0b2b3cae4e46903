import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeProbability } from '../generator/ir/quantise.js';
import { prng } from '../generator/model/random.js';
import { measureAgreement } from '../generator/nir/agreement.js';
import { runFloat, type FloatLayer } from '../generator/nir/float-net.js';
import { writeNir } from '../generator/nir/hdf5.js';
import { importNir, importNirToFile } from '../generator/nir/import.js';
import { BsnnError } from '../generator/util/errors.js';
import { arr, chainFile, node, realNir, scratch } from './helpers/nir.js';

const dir = scratch();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(BsnnError);
  return (e as BsnnError).message;
}

describe('lif_norse.nir (Norse, NIR 0.1.1): Affine 1×1 → LIF', () => {
  it('needs --dt, and says which node and why', async () => {
    const m = await rejection(importNir(realNir('lif_norse.nir')));
    expect(m).toContain("node '1' (LIF)");
    expect(m).toContain('--dt');
  });

  it('maps τ and dt to a leak shift, v_th to an integer threshold, missing v_reset to subtract; the report gives each error', async () => {
    const r = await importNir(realNir('lif_norse.nir'), { dt: 1e-4 }, { count: 50 });
    const L = r.model.layers[0];
    // dt/τ = 1e-4/0.0025 = 0.04 ≈ 2^-4.64 → λ = 5; α = 0.04·r·|w| = 0.04; θ = round(0.1/0.04) (2.49999 in float32 → 2).
    expect(L).toMatchObject({ size: 1, probCodes: [[255]], threshold: 2, leak: 5, reset: 'subtract' });
    expect(r.model.input).toEqual({ size: 1, encoding: 'rate' });
    const rep = r.report.layers[0];
    expect(rep.leak.maxTauError).toBeCloseTo(0.28, 5);
    expect(rep.stats.maxThresholdError).toBeCloseTo(0.2, 5);
    expect(rep.resetWhy).toContain('v_reset missing');
    expect(rep.leakDeadBelowThreshold).toBe(true);
    // Measured: one output neuron, so the class agreement says nothing; the rates are compared, and both networks spike.
    expect(r.agreement!.inputs).toBe(50);
    const rate = r.agreement!.rates[0]!;
    expect(rate.float).toBeGreaterThan(0.05);
    expect(rate.bsnn).toBeGreaterThan(0.05);
    expect(r.agreement!.outputRateError).toBeGreaterThan(0);
  });

  it('writes byte-identical JSON for the same file and options', async () => {
    const a = await importNir(realNir('lif_norse.nir'), { dt: 1e-4, timesteps: 16 }, { count: 0 });
    const b = await importNir(realNir('lif_norse.nir'), { dt: 1e-4, timesteps: 16 }, { count: 0 });
    expect(a.json).toBe(b.json);
    expect(a.agreement).toBeNull();
  });
});

describe('refusals name the node and its type', () => {
  it('braille_noDelay_noBias_subtract.nir: CubaLIF and a recurrent Linear', async () => {
    const m = await rejection(importNir(realNir('braille_noDelay_noBias_subtract.nir'), { dt: 1e-4 }));
    expect(m).toContain("node 'lif1.lif' (CubaLIF)");
    expect(m).toContain("node 'lif1.w_rec' (Linear)");
    expect(m).toContain('cycle (recurrence)');
  });

  it('a Delay node', async () => {
    const f = join(dir, 'delay.nir');
    await writeNir(f, chainFile(2, 2, [node('d', 'Delay', { delay: arr([1, 1]) }), node('fc', 'Linear', { weight: arr([1, 0, 0, 1], [2, 2]) }), node('n', 'IF', { r: arr([1]), v_threshold: arr([1]) })]));
    expect(await rejection(importNir(f))).toContain("node 'd' (Delay): synaptic delays");
  });
});

describe('bad files: a clear error naming the node or dataset, and nothing written', () => {
  it('not HDF5, missing', async () => {
    const txt = join(dir, 'text.nir');
    writeFileSync(txt, 'hello');
    expect(await rejection(importNir(txt))).toContain('not an HDF5 file');
    expect(await rejection(importNir(join(dir, 'absent.nir')))).toContain('no such file');
  });

  it('a missing weight, a wrong shape, a reset NIR cannot express, an edge to nowhere', async () => {
    const ifNode = node('n', 'IF', { r: arr([1]), v_threshold: arr([1, 1]) });
    const cases: [string, ReturnType<typeof chainFile>, string][] = [
      ['noweight', chainFile(2, 2, [node('fc', 'Affine', { bias: arr([0, 0]) }), ifNode]), "node 'fc' (Affine): dataset 'weight' is missing"],
      ['shape', chainFile(3, 2, [node('fc', 'Linear', { weight: arr([1, 0, 0, 1], [2, 2]) }), ifNode]), "node 'fc' (Linear): dataset 'weight' takes 2 inputs, the previous layer gives 3"],
      ['vreset', chainFile(2, 2, [node('fc', 'Linear', { weight: arr([1, 0, 0, 1], [2, 2]) }), node('n', 'IF', { r: arr([1]), v_threshold: arr([1, 1]), v_reset: arr([0.5, 0.5]) })]), "node 'n' (IF): v_reset ≠ 0"],
    ];
    const dangling = chainFile(2, 2, [node('fc', 'Linear', { weight: arr([1, 0, 0, 1], [2, 2]) }), ifNode]);
    dangling.edges.push(['n', 'ghost']);
    cases.push(['edge', dangling, "no node named 'ghost'"]);
    for (const [name, file, expected] of cases) {
      const f = join(dir, `${name}.nir`);
      await writeNir(f, file);
      const out = join(dir, `${name}.json`);
      expect(await rejection(importNirToFile(f, out))).toContain(expected);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('binarisation keeps each weight\'s expected value up to the neuron\'s scale', () => {
  const weights = [0.5, -0.25, 0.1, 2, 0, -1];
  const file = chainFile(3, 2, [
    node('fc', 'Affine', { weight: arr(weights, [2, 3]), bias: arr([0.3, -0.6]) }),
    node('n', 'IF', { r: arr([1, 1]), v_threshold: arr([1.2, 4]) }),
  ]);

  it('p = (1 + w/α)/2 with α = max|w| per neuron; θ, b = round(·/α)', async () => {
    const f = join(dir, 'bin.nir');
    await writeNir(f, file);
    const r = await importNir(f, { probBits: 8 }, { count: 0 });
    const L = r.model.layers[0];
    expect(L.probCodes).toEqual([[255, 64, 154], [255, 128, 64]]);
    expect(L.threshold).toBe(2); // round(1.2/0.5) and round(4/2)
    expect(L.bias).toEqual([1, 0]); // round(0.3/0.5), round(-0.6/2)
    // E[α(2·level − 1)] is the weight, to within the k-bit step 2^(1−k)·α.
    const alpha = [0.5, 2];
    L.probCodes!.forEach((row, n) => row.forEach((q, i) => {
      expect(Math.abs(alpha[n] * (2 * codeProbability(q, 8) - 1) - weights[n * 3 + i])).toBeLessThanOrEqual(alpha[n] * 2 ** -7);
    }));
    const s = r.report.layers[0].stats;
    expect(s.clipped).toBe(0);
    expect(s.maxThresholdError).toBeCloseTo(0.4 / 2.4, 6); // parameters are float32 on disk
    expect(r.report.layers[0].reset).toBe('subtract');
  });

  it('--clip takes a quantile of |w| as α and reports the clipped weights', async () => {
    const f = join(dir, 'bin.nir');
    await writeNir(f, file);
    const r = await importNir(f, { probBits: 8, clip: 0.5 }, { count: 0 });
    // Neuron 1: |w| = 2, 0, 1 → α = 1, so w = 2 is clipped by 100 % of α; neuron 0: α = 0.25, 0.5 clipped by 100 %.
    const s = r.report.layers[0].stats;
    expect(s.clipped).toBe(2);
    expect(s.maxClip).toBeCloseTo(1, 10);
    expect(r.model.layers[0].probCodes![1]).toEqual([255, 128, 0]);
  });

  it('v_reset given means reset to it (zero); --reset overrides', async () => {
    const f = join(dir, 'reset.nir');
    await writeNir(f, chainFile(3, 2, [file.nodes[1], node('n', 'IF', { r: arr([1, 1]), v_threshold: arr([1.2, 4]), v_reset: arr([0, 0]) })]));
    expect((await importNir(f, {}, { count: 0 })).model.layers[0].reset).toBe('zero');
    const forced = await importNir(f, { reset: 'subtract' }, { count: 0 });
    expect(forced.model.layers[0].reset).toBe('subtract');
    expect(forced.report.layers[0].resetWhy).toBe('--reset');
  });
});

describe('the float executor', () => {
  it('steps a LIF neuron by forward Euler and resets by subtraction', () => {
    const L: FloatLayer = { kind: 'LIF', node: 'n', fanIn: 1, size: 1, weight: Float64Array.of(1), bias: Float64Array.of(0), decay: Float64Array.of(0.5), r: Float64Array.of(2), vLeak: Float64Array.of(0), vThreshold: Float64Array.of(1.6), reset: 'subtract', vReset: Float64Array.of(0) };
    // v: 1, 1.5, 1.75 → spike (0.15), 0.15 + 0.5·(2 − 0.15) = 1.075, 1.5375, 1.76875 → spike
    const steps = Array.from({ length: 6 }, () => ({ idx: [0], val: [1] }));
    const r = runFloat([L], [steps]);
    expect(Array.from(r.counts)).toEqual([2]);
  });

  it('equals the golden model exactly when the conversion is exact (±1 weights, integer θ and b)', async () => {
    const rnd = prng(5);
    const pm = (n: number) => Array.from({ length: n }, () => (rnd() < 0.5 ? -1 : 1));
    const f = join(dir, 'exact.nir');
    await writeNir(f, chainFile(6, 3, [
      node('fc1', 'Affine', { weight: arr(pm(30), [5, 6]), bias: arr([0, 1, -1, 0, 2]) }),
      node('if1', 'IF', { r: arr([1]), v_threshold: arr([1, 2, 3, 1, 2]) }),
      node('fc2', 'Linear', { weight: arr(pm(15), [3, 5]) }),
      node('if2', 'IF', { r: arr([1]), v_threshold: arr([1, 1, 2]) }),
    ]));
    const r = await importNir(f, { timesteps: 12 }, { count: 40, seed: 3 });
    const a = r.agreement!;
    expect(a.classAgreement).toBe(1);
    expect(a.outputRateError).toBe(0);
    for (const rate of a.rates) expect(rate!.float).toBe(rate!.bsnn);
    expect(a.rates[0]!.float).toBeGreaterThan(0);
    // And it is a measurement: other inputs, same answer; a changed float network, a different one.
    const changed = r.float.map((L) => ({ ...L, vThreshold: L.vThreshold.map((t) => t + 1) }));
    expect(measureAgreement(r.plan, changed, [[1, 1, 1, 1, 1, 1]]).outputRateError).not.toBe(0);
  });
});
