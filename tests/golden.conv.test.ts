/**
 * The golden model's conv2d layers against docs/semantics.md §4.1 (with §1–§4), re-derived in
 * tests/helpers/conv-ref.ts from the document alone: a hand-computed case, many seeded random conv networks
 * (votes and every output event of every layer, in order), deliberately wrong readings that the comparison
 * must catch, the plan's rows/seeds/noise tables, and the loader's shape errors (each names its JSON path).
 *
 * Trace lines are `<sample> <timestep> <layer> <index>` (semantics §6 without the input index).
 */
import { describe, expect, it } from 'vitest';
import { GoldenModel, type InferenceResult } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import type { ConvLayer, PlannedModel } from '../generator/ir/types.js';
import { validateModel } from '../generator/model/load.js';
import { prng } from '../generator/model/random.js';
import { streamSeed, StreamId } from '../generator/rng/lfsr.js';
import { errorOf } from './helpers/errors.js';
import { refInfer, refLayers, refNoiseTable, type ConvJ, type DenseJ, type LayerJ, type ModelJ, type NoiseJ, type Pair, type Variant } from './helpers/conv-ref.js';

const plan = (m: ModelJ): PlannedModel => planModel(validateModel(m, 'conv model'));

function lines(res: InferenceResult): string[] {
  const tr = res.trace!;
  return tr.sample.map((s, i) => `${s} ${tr.timestep[i]} ${tr.layer[i]} ${tr.neuron[i]}`);
}

function golden(m: ModelJ, x: number[], seed?: number) {
  const res = new GoldenModel(plan(m)).infer(Uint8Array.from(x), { trace: true, activity: true, seed });
  return { res, lines: lines(res), counts: Array.from(res.counts) };
}

// ---------------------------------------------------------------------------------------------------------
// Random conv networks
// ---------------------------------------------------------------------------------------------------------

interface ConvOpt {
  channels: number;
  kernel: Pair;
  stride?: Pair;
  padding?: Pair;
  pool?: { kind: 'or' | 'sum'; size: Pair };
  lanes?: number;
  k?: number;
}
interface NetOpt {
  seed: number;
  shape: [number, number, number];
  convs: ConvOpt[];
  /** Dense layers after the convs (the last is the output). */
  dense: number[];
  encoding: 'rate' | 'direct';
  mode?: 'time-ensemble' | 'per-sample';
  samples?: number;
  timesteps: number;
  noise?: NoiseJ;
  leak?: number;
  reset?: 'subtract' | 'zero';
  membraneBits?: number;
  bias?: boolean;
  /** Floats instead of integer codes (the loader quantises; the reference quantises by §2). */
  floats?: boolean;
  potential?: boolean;
  /** Runtime seeds to run with (besides 0). */
  seeds?: number[];
}

const pairOf = (v: Pair | undefined, d: number): [number, number] => (v === undefined ? [d, d] : Array.isArray(v) ? v : [v, v]);

function buildNet(o: NetOpt): { model: ModelJ; x: number[] } {
  const rnd = prng(o.seed);
  const B = o.membraneBits ?? 16;
  const maxV = 2 ** (B - 1) - 1;
  // Weights lean positive so that deep layers see activity; every code stays possible.
  const codeRow = (len: number, k: number) =>
    Array.from({ length: len }, () => {
      const u = rnd();
      return u < 0.2 ? 0 : u < 0.45 ? 2 ** k - 1 : Math.floor(rnd() * 2 ** k);
    });
  const neuronFields = (size: number, fanIn: number, xmax: number, k: number, isReadout: boolean) => {
    const rows = Array.from({ length: size }, () => codeRow(fanIn, k));
    const base = Math.max(1, Math.round((Math.sqrt(fanIn) * xmax) / 2));
    const f: Partial<LayerJ> = {
      probBits: k,
      ...(o.floats ? { prob: rows.map((r) => r.map((q) => Math.max(0, Math.min(1, (q + rnd() * 0.98 - 0.49) / 2 ** k)))) } : { probCodes: rows }),
      leak: o.leak ?? 0,
      reset: o.reset ?? 'subtract',
      membraneBits: B,
    };
    if (!isReadout) f.threshold = Array.from({ length: size }, () => Math.min(maxV, 1 + Math.floor(rnd() * base)));
    if (o.bias || isReadout) f.bias = Array.from({ length: size }, () => Math.floor(rnd() * 7) - 3);
    if (o.noise && !isReadout) f.noise = o.noise;
    return f;
  };
  let [C, H, W] = o.shape;
  let xmax = o.encoding === 'direct' ? 96 : 1;
  const layers: LayerJ[] = [];
  for (const c of o.convs) {
    const [kh, kw] = pairOf(c.kernel, 1);
    const [sh, sw] = pairOf(c.stride, 1);
    const [ph, pw] = pairOf(c.padding, 0);
    const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
    const Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
    const [qh, qw] = c.pool ? pairOf(c.pool.size, 1) : [1, 1];
    const k = c.k ?? 1 + Math.floor(rnd() * 8);
    layers.push({ type: 'conv2d', channels: c.channels, kernel: c.kernel, ...(c.stride !== undefined ? { stride: c.stride } : {}), ...(c.padding !== undefined ? { padding: c.padding } : {}), ...(c.pool ? { pool: c.pool } : {}), ...(c.lanes ? { lanes: c.lanes } : {}), ...neuronFields(c.channels, C * kh * kw, xmax, k, false) } as ConvJ);
    [C, H, W] = [c.channels, Math.floor(Ho / qh), Math.floor(Wo / qw)];
    xmax = c.pool?.kind === 'sum' ? Math.max(1, Math.ceil((qh * qw) / 2)) : 1;
  }
  let fanIn = C * H * W;
  o.dense.forEach((size, d) => {
    const isReadout = !!o.potential && d === o.dense.length - 1;
    const k = 1 + Math.floor(rnd() * 8);
    layers.push({ size, lanes: 1 + Math.floor(rnd() * size), ...neuronFields(size, fanIn, xmax, k, isReadout) } as DenseJ);
    fanIn = size;
    xmax = 1;
  });
  const size = o.shape[0] * o.shape[1] * o.shape[2];
  const model: ModelJ = {
    format: 'bsnn/1',
    name: 'conv',
    seed: Math.floor(rnd() * 2 ** 32),
    timesteps: o.timesteps,
    sampling: { mode: o.mode ?? 'time-ensemble', samples: o.samples ?? 1 },
    input: { size, encoding: o.encoding, shape: o.shape },
    layers,
    ...(o.potential ? { readout: { mode: 'potential' as const } } : {}),
  };
  const x = Array.from({ length: size }, () => (rnd() < 0.25 ? 0 : Math.floor(rnd() * 256)));
  return { model, x };
}

/** Picks a fitting geometry at random: kernel ≤ padded input, a pool ≤ the conv output. */
function randomOpt(seed: number): NetOpt {
  const rnd = prng(seed * 7919 + 1);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const pair = (lo: number, hi: number): Pair => (rnd() < 0.35 ? [int(lo, hi), int(lo, hi)] : int(lo, hi));
  const shape: [number, number, number] = [pick([1, 1, 2, 3]), int(3, 9), int(3, 9)];
  let [H, W] = [shape[1], shape[2]];
  const convs: ConvOpt[] = [];
  const nConv = rnd() < 0.35 ? 2 : 1;
  for (let c = 0; c < nConv; c++) {
    let kernel: [number, number];
    let stride: [number, number];
    let padding: [number, number];
    let Ho: number;
    let Wo: number;
    do {
      kernel = pairOf(pair(1, 5), 1);
      stride = pairOf(pair(1, 3), 1);
      padding = pairOf(pair(0, 2), 0);
      Ho = Math.floor((H + 2 * padding[0] - kernel[0]) / stride[0]) + 1;
      Wo = Math.floor((W + 2 * padding[1] - kernel[1]) / stride[1]) + 1;
    } while (Ho < 1 || Wo < 1);
    const channels = pick([1, 2, 3, 4, 5, 7]);
    let pool: ConvOpt['pool'];
    const u = rnd();
    if (u > 0.35) {
      const size = pairOf(pair(1, 3), 1);
      if (size[0] <= Ho && size[1] <= Wo) pool = { kind: u > 0.65 ? 'sum' : 'or', size: size[0] === size[1] && rnd() < 0.5 ? size[0] : size };
    }
    const [qh, qw] = pool ? pairOf(pool.size, 1) : [1, 1];
    convs.push({ channels, kernel: kernel[0] === kernel[1] ? kernel[0] : kernel, stride, padding, pool, lanes: int(1, channels + 1) });
    [H, W] = [Math.floor(Ho / qh), Math.floor(Wo / qw)];
  }
  return {
    seed,
    shape,
    convs,
    dense: rnd() < 0.5 ? [int(2, 6)] : [int(3, 8), int(2, 4)],
    encoding: rnd() < 0.6 ? 'rate' : 'direct',
    mode: rnd() < 0.4 ? 'per-sample' : 'time-ensemble',
    samples: int(1, 2),
    timesteps: int(3, 8),
    noise: rnd() < 0.4 ? { kind: pick(['uniform', 'logistic'] as const), bits: int(1, 4), scale: int(1, 3) } : undefined,
    leak: rnd() < 0.3 ? int(1, 3) : 0,
    reset: rnd() < 0.3 ? 'zero' : 'subtract',
    membraneBits: rnd() < 0.2 ? int(8, 12) : 16,
    bias: rnd() < 0.5,
    floats: rnd() < 0.2,
    potential: rnd() < 0.2,
  };
}

/** Hand-picked networks, one feature each, so that every case of the brief is present whatever the random draws. */
const PICKED: NetOpt[] = [
  // 1×1 kernel, one input channel, stride 1, no pool; lanes divide the channels.
  { seed: 101, shape: [1, 6, 6], convs: [{ channels: 4, kernel: 1, lanes: 2 }], dense: [3], encoding: 'rate', timesteps: 6 },
  // 5×5 kernel, padding 2, odd input; many channels in and out; padding lanes (7 channels over 3 lanes).
  { seed: 102, shape: [3, 7, 7], convs: [{ channels: 7, kernel: 5, padding: 2, lanes: 3 }], dense: [4], encoding: 'rate', timesteps: 4 },
  // Non-square kernel, stride and padding; even input; or pool with dropped edge rows/columns.
  { seed: 103, shape: [2, 8, 6], convs: [{ channels: 3, kernel: [3, 2], stride: [2, 1], padding: [1, 0], pool: { kind: 'or', size: [2, 2] }, lanes: 2 }], dense: [5], encoding: 'rate', timesteps: 6 },
  // Sum pool, non-square, into a dense layer that reads the counts; direct input.
  { seed: 104, shape: [2, 9, 8], convs: [{ channels: 5, kernel: 3, pool: { kind: 'sum', size: [3, 2] }, lanes: 5 }], dense: [4], encoding: 'direct', timesteps: 5 },
  // Stride 3 (positions the kernel never reaches), two conv layers in a row, then two dense layers.
  { seed: 105, shape: [1, 9, 9], convs: [{ channels: 3, kernel: 2, stride: 3, padding: 1, lanes: 1 }, { channels: 4, kernel: 2, lanes: 3 }], dense: [5, 3], encoding: 'rate', timesteps: 6 },
  // Sum pool into a second conv layer (values > 1 on conv input events).
  { seed: 106, shape: [1, 8, 8], convs: [{ channels: 2, kernel: 3, padding: 1, pool: { kind: 'sum', size: 2 }, lanes: 2 }, { channels: 3, kernel: [2, 3], padding: [0, 1], pool: { kind: 'or', size: [1, 2] }, lanes: 2 }], dense: [3], encoding: 'rate', timesteps: 6 },
  // Per-sample, several samples, uniform noise, several passes.
  { seed: 107, shape: [2, 6, 5], convs: [{ channels: 5, kernel: [2, 3], stride: [1, 2], padding: 1, lanes: 2 }], dense: [3], encoding: 'rate', mode: 'per-sample', samples: 3, timesteps: 5, noise: { kind: 'uniform', bits: 2, scale: 1 } },
  // Logistic noise, leak, reset zero, narrow membranes, biases.
  { seed: 108, shape: [1, 7, 6], convs: [{ channels: 3, kernel: 3, padding: 1, pool: { kind: 'sum', size: [2, 3] }, lanes: 2 }], dense: [4], encoding: 'direct', timesteps: 8, noise: { kind: 'logistic', bits: 3, scale: 2 }, leak: 2, reset: 'zero', membraneBits: 10, bias: true },
  // Time-ensemble, two samples, float probabilities, potential readout after a sum pool.
  { seed: 109, shape: [2, 5, 5], convs: [{ channels: 3, kernel: 3, padding: 1, pool: { kind: 'sum', size: 2 }, lanes: 3 }], dense: [3], encoding: 'rate', samples: 2, timesteps: 5, floats: true, potential: true },
  // The model of the brief: 2×5×5, 3 channels, kernel 3, padding 1, 2 lanes, sum pool 2; runtime seeds.
  { seed: 110, shape: [2, 5, 5], convs: [{ channels: 3, kernel: 3, padding: 1, pool: { kind: 'sum', size: 2 }, lanes: 2, k: 4 }], dense: [4], encoding: 'rate', timesteps: 4, seeds: [1, 0x9e3779b9, 0xffffffff] },
  // Lanes above the channel count (one pass of padding lanes); kernel as large as the padded input.
  { seed: 111, shape: [1, 4, 3], convs: [{ channels: 2, kernel: [6, 5], padding: 1, lanes: 4 }], dense: [2], encoding: 'rate', timesteps: 6, noise: { kind: 'uniform', bits: 1, scale: 2 } },
  // Padding wider than the kernel: border positions that no input reaches (bias only), biases on.
  { seed: 112, shape: [2, 3, 4], convs: [{ channels: 3, kernel: 1, padding: 2, lanes: 2 }], dense: [3], encoding: 'direct', timesteps: 5, bias: true },
  // Per-sample with a sum pool feeding a per-sample conv and dense layer; direct input, logistic noise.
  { seed: 113, shape: [3, 6, 7], convs: [{ channels: 4, kernel: [3, 1], stride: [1, 2], padding: [1, 0], pool: { kind: 'sum', size: [2, 1] }, lanes: 3 }, { channels: 2, kernel: 2, padding: 1, lanes: 1 }], dense: [3], encoding: 'direct', mode: 'per-sample', samples: 2, timesteps: 4, noise: { kind: 'logistic', bits: 2, scale: 1 } },
];

const RANDOM: NetOpt[] = Array.from({ length: 40 }, (_, i) => randomOpt(1000 + i));

function compare(o: NetOpt) {
  const { model, x } = buildNet(o);
  const totals = new Array<number>(model.layers.length).fill(0);
  for (const seed of [0, ...(o.seeds ?? [(o.seed * 0x9e3779b1) >>> 0])]) {
    const got = golden(model, x, seed);
    const want = refInfer(model, x, seed);
    expect(got.lines, `net ${o.seed} seed ${seed}: output events`).toEqual(want.lines);
    expect(got.counts, `net ${o.seed} seed ${seed}: votes`).toEqual(want.counts);
    expect(got.res.cls, `net ${o.seed} seed ${seed}: class`).toBe(want.cls);
    expect(Array.from(got.res.spikesPerLayer), `net ${o.seed} seed ${seed}: events per layer`).toEqual(want.spikes.map((s, l) => (model.readout && l === model.layers.length - 1 ? 0 : s)));
    // §7's s_f (the cycle model's input): output events by the pass that emitted them (ops/<kind>/op.ts outputPass).
    got.res.spikesPerPass!.forEach((pp, l) => {
      if (!(model.readout && l === model.layers.length - 1)) expect(Array.from(pp), `net ${o.seed} seed ${seed} layer ${l}: events per pass`).toEqual(want.perPass[l]);
    });
    want.spikes.forEach((s, l) => (totals[l] += s));
  }
  return { model, totals };
}

describe('CONV_STEP (semantics §4.1) re-derived from the document', () => {
  it('a hand-computed 2×2 convolution with stride, padding and an or pool', () => {
    // Direct input, one channel 3×3:   1 2 3 / 4 5 6 / 7 8 9. Kernel 2×2 all +1 (k = 1), padding 1, stride 2:
    // Ho = Wo = ⌊(3 + 2 − 2)/2⌋ + 1 = 2. Output (oy, ox) covers padded rows 2oy..2oy+1, i.e. input rows
    // 2oy−1..2oy: (0,0) = 1, (0,1) = 2 + 3 = 5, (1,0) = 4 + 7 = 11, (1,1) = 5 + 6 + 8 + 9 = 28.
    // θ = 10, reset zero, T = 2: t0 spikes at p = 2, 3 (indices 2, 3); t1 v = 1+1, 5+5 → 10 spikes p = 1, and
    // 11, 28 again. Layer 1 (dense, one neuron reading all 4, +1, θ = 1) spikes whenever anything does.
    const m: ModelJ = {
      format: 'bsnn/1',
      name: 'hand',
      seed: 5,
      timesteps: 2,
      sampling: { mode: 'time-ensemble' },
      input: { size: 9, encoding: 'direct', shape: [1, 3, 3] },
      layers: [
        { type: 'conv2d', channels: 1, kernel: 2, stride: 2, padding: 1, probBits: 1, probCodes: [[1, 1, 1, 1]], threshold: 10, reset: 'zero' },
        { size: 1, probBits: 1, probCodes: [[1, 1, 1, 1]], threshold: 1, reset: 'zero' },
      ],
    };
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const want = ['0 0 0 2', '0 0 0 3', '0 0 1 0', '0 1 0 1', '0 1 0 2', '0 1 0 3', '0 1 1 0'];
    expect(golden(m, x).lines).toEqual(want);
    expect(refInfer(m, x).lines).toEqual(want);
    // An or pool of 2×1 merges rows: t0 {2,3} → q = 0 (col 0 has p=2), q = 1 (p=3); t1 → q0 (p2), q1 (p1, p3).
    const pooled: ModelJ = { ...m, layers: [{ ...(m.layers[0] as ConvJ), pool: { kind: 'or' as const, size: [2, 1] as [number, number] } }, { size: 1, probBits: 1, probCodes: [[1, 1]], threshold: 1, reset: 'zero' }] };
    const wantPooled = ['0 0 0 0', '0 0 0 1', '0 0 1 0', '0 1 0 0', '0 1 0 1', '0 1 1 0'];
    expect(golden(pooled, x).lines).toEqual(wantPooled);
    expect(refInfer(pooled, x).lines).toEqual(wantPooled);
  });

  it('a sum pool passes its counts on: the next layer integrates them', () => {
    // Same conv, θ = 1, reset zero: every position spikes at every timestep (acc ≥ 1). A 2×2 sum pool gives
    // one event of value 4; the dense neuron (+1, θ = 4, reset zero) spikes on it, and not on an or pool's 1.
    const layer0: ConvJ = { type: 'conv2d', channels: 1, kernel: 2, stride: 2, padding: 1, probBits: 1, probCodes: [[1, 1, 1, 1]], threshold: 1, reset: 'zero' };
    const m = (kind: 'or' | 'sum'): ModelJ => ({
      format: 'bsnn/1',
      name: 'hand',
      seed: 5,
      timesteps: 3,
      sampling: { mode: 'time-ensemble' },
      input: { size: 9, encoding: 'direct', shape: [1, 3, 3] },
      layers: [{ ...layer0, pool: { kind, size: 2 } }, { size: 1, probBits: 1, probCodes: [[1]], threshold: 4, reset: 'zero' }],
    });
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(golden(m('sum'), x).counts).toEqual([3]);
    expect(golden(m('or'), x).counts).toEqual([0]);
    expect(refInfer(m('sum'), x).counts).toEqual([3]);
    expect(refInfer(m('or'), x).counts).toEqual([0]);
  });

  it('hand-picked networks: every output event of every layer and the votes agree', () => {
    for (const o of PICKED) {
      const { totals } = compare(o);
      expect(totals[0], `net ${o.seed}: layer 0 emits events`).toBeGreaterThan(0);
    }
  });

  it('40 random conv networks (seeded) agree, with activity in every layer over the set', () => {
    const active: number[][] = [];
    for (const o of RANDOM) active.push(compare(o).totals);
    // Most networks must be active, or the agreement would say little.
    expect(active.filter((t) => t[0] > 0).length, 'networks whose first conv layer emits').toBeGreaterThan(35);
    expect(active.filter((t) => t.length > 1 && t[1] > 0).length, 'networks whose second layer emits').toBeGreaterThan(33);
  });

  it('the cases of the brief are all present in the networks compared', () => {
    const all = [...PICKED, ...RANDOM];
    const convs = all.flatMap((o) => o.convs);
    const has = (f: (c: ConvOpt) => boolean) => convs.some(f);
    for (let k = 1; k <= 5; k++) expect(has((c) => pairOf(c.kernel, 1).includes(k)), `kernel ${k}`).toBe(true);
    for (let s = 1; s <= 3; s++) expect(has((c) => pairOf(c.stride, 1).includes(s)), `stride ${s}`).toBe(true);
    for (let p = 0; p <= 2; p++) expect(has((c) => pairOf(c.padding, 0).includes(p)), `padding ${p}`).toBe(true);
    expect(has((c) => pairOf(c.kernel, 1)[0] !== pairOf(c.kernel, 1)[1]), 'non-square kernel').toBe(true);
    expect(has((c) => pairOf(c.stride, 1)[0] !== pairOf(c.stride, 1)[1]), 'non-square stride').toBe(true);
    expect(has((c) => !!c.pool && pairOf(c.pool.size, 1)[0] !== pairOf(c.pool.size, 1)[1]), 'non-square pool').toBe(true);
    expect(has((c) => c.pool?.kind === 'or') && has((c) => c.pool?.kind === 'sum') && has((c) => !c.pool), 'no / or / sum pool').toBe(true);
    expect(has((c) => (c.lanes ?? 0) < c.channels && c.channels % (c.lanes ?? 1) === 0), 'lanes divide the channels, several passes').toBe(true);
    expect(has((c) => c.channels % (c.lanes ?? 1) !== 0), 'padding lanes').toBe(true);
    expect(all.some((o) => o.convs.length === 2)).toBe(true);
    expect(all.some((o) => o.shape[1] % 2 === 0) && all.some((o) => o.shape[1] % 2 === 1)).toBe(true);
    expect(all.some((o) => o.shape[0] > 1) && all.some((o) => o.shape[0] === 1)).toBe(true);
    for (const k of ['uniform', 'logistic']) expect(all.some((o) => o.noise?.kind === k), k).toBe(true);
    expect(all.some((o) => o.mode === 'per-sample' && (o.samples ?? 1) > 1)).toBe(true);
    expect(all.some((o) => o.encoding === 'direct') && all.some((o) => o.encoding === 'rate')).toBe(true);
    expect(all.some((o) => (o.leak ?? 0) > 0) && all.some((o) => o.reset === 'zero')).toBe(true);
    // A pool that drops edge rows (Ho not a multiple of qh) somewhere.
    const dropped = all.some((o) => {
      const L = refLayers(buildNet(o).model);
      return L.some((Ly) => Ly.conv?.pool && (Ly.conv.Ho % Ly.conv.pool.qh !== 0 || Ly.conv.Wo % Ly.conv.pool.qw !== 0));
    });
    expect(dropped, 'a pool with dropped edge rows or columns').toBe(true);
  });
});

describe('CONV_STEP edge cases', () => {
  it('one golden model gives the reference answers for inputs in turn (no state carried between inferences)', () => {
    for (const o of [PICKED[3], PICKED[6], PICKED[12], RANDOM[0], RANDOM[1]]) {
      const { model, x } = buildNet(o);
      const g = new GoldenModel(plan(model));
      const y = x.map((v, i) => (i % 3 === 0 ? 0 : 255 - v));
      for (const [inp, seed] of [[x, 0], [y, 7], [x, 0], [x, 7], [y, 7]] as const) {
        const got = g.infer(Uint8Array.from(inp), { trace: true, seed });
        expect(lines(got), `net ${o.seed} seed ${seed}`).toEqual(refInfer(model, [...inp], seed).lines);
      }
    }
  });

  it("a runtime seed equal to a lane's stream seed starts that lane at seed(id) (§1.2 lock-up rule)", () => {
    const { model, x } = buildNet(PICKED[6]); // per-sample, noise, 2 lanes
    for (const id of [StreamId.weight(0, 1), StreamId.noise(0, 0), StreamId.input]) {
      const seed = streamSeed(model.seed, id);
      expect(golden(model, x, seed).lines, `stream ${id}`).toEqual(refInfer(model, x, seed).lines);
    }
  });

  it('a wide accumulator: 8 input channels, 5×5 kernel, direct 255s (acc up to 200·255 = 51000)', () => {
    const full = (n: number, len: number) => Array.from({ length: n }, (_, c) => Array.from({ length: len }, (_, r) => ((r + c) % 7 === 0 ? 0 : 255)));
    const m: ModelJ = {
      format: 'bsnn/1',
      name: 'wide',
      seed: 77,
      timesteps: 3,
      sampling: { mode: 'time-ensemble' },
      input: { size: 200, encoding: 'direct', shape: [8, 5, 5] },
      layers: [
        { type: 'conv2d', channels: 3, kernel: 5, padding: 2, probBits: 8, probCodes: full(3, 200), threshold: [40000, 30000, 20000], membraneBits: 24, lanes: 2, pool: { kind: 'sum', size: [5, 5] } },
        { size: 2, probBits: 8, probCodes: full(2, 3), threshold: [20, 30], membraneBits: 8 },
      ],
    };
    const x = new Array<number>(200).fill(255);
    const got = golden(m, x);
    const want = refInfer(m, x);
    expect(want.spikes[0]).toBeGreaterThan(0);
    expect(got.lines).toEqual(want.lines);
    expect(got.counts).toEqual(want.counts);
  });
});

describe("the dense layer's fast paths (ops/synapses/golden.ts) on a conv layer's output", () => {
  // A conv layer with certain weights, θ = 1 and reset zero on a direct input emits the same events with the
  // same values at every timestep: the dense layer after it sees a repeating list (packed k = 4 draws, reused
  // acc, per-sample nibbles, certain layers). Half the conv rows lean negative so that some positions are silent.
  const repeating = (o: NetOpt, denseK: number, certainDense: boolean): { model: ModelJ; x: number[] } => {
    const { model, x } = buildNet(o);
    const rnd = prng(o.seed + denseK);
    model.layers.forEach((L, l) => {
      const full = 2 ** L.probBits - 1;
      if (L.type === 'conv2d') {
        L.probCodes = L.probCodes!.map((row, c) => row.map(() => (rnd() < (c % 2 ? 0.7 : 0.4) ? full : 0)));
        L.threshold = 1;
        L.reset = 'zero';
        delete L.noise;
      } else if (l === model.layers.length - 1 || l === o.convs.length) {
        L.probBits = denseK;
        const f = 2 ** denseK - 1;
        L.probCodes = L.probCodes!.map((row) => row.map(() => (certainDense ? (rnd() < 0.6 ? f : 0) : Math.floor(rnd() * (f + 1)))));
      }
    });
    return { model, x };
  };
  const shapes: NetOpt[] = [
    { seed: 201, shape: [2, 6, 6], convs: [{ channels: 3, kernel: 3, padding: 1, pool: { kind: 'sum', size: 2 }, lanes: 2 }], dense: [5], encoding: 'direct', timesteps: 5 },
    { seed: 202, shape: [1, 7, 5], convs: [{ channels: 4, kernel: [2, 3], pool: { kind: 'or', size: [2, 1] }, lanes: 3 }], dense: [6, 3], encoding: 'direct', samples: 2, timesteps: 4 },
    { seed: 203, shape: [3, 5, 5], convs: [{ channels: 5, kernel: 1, lanes: 2 }], dense: [4], encoding: 'direct', timesteps: 4, noise: { kind: 'uniform', bits: 2, scale: 1 } },
    { seed: 204, shape: [2, 8, 7], convs: [{ channels: 2, kernel: 3, stride: 2, pool: { kind: 'sum', size: [1, 3] }, lanes: 2 }], dense: [9], encoding: 'direct', timesteps: 6, potential: true },
  ];
  /**
   * HeldNibbles.prepare (ops/synapses/golden.ts, per-sample k = 4 on a repeating list or on valued events) once
   * grouped the events by runs of idx >> 3, assuming an ascending list (§3); a conv layer's list is
   * pass–position–lane (§4.1), so the neuron's acc became 0. These two models found it.
   */
  const minimal = (pool: boolean): { model: ModelJ; x: number[] } => ({
    model: {
      format: 'bsnn/1',
      name: 'min',
      seed: 1,
      timesteps: 1,
      sampling: { mode: 'per-sample', samples: pool ? 1 : 2 },
      input: { size: 8, encoding: 'direct', shape: [1, 1, 8] },
      layers: [
        // Every position spikes; 2 lanes: events 0, 8, 1, 9, …, 7, 15 (16 runs of groups, ⌈16/8⌉ = 2 groups).
        { type: 'conv2d', channels: 2, kernel: 1, probBits: 1, probCodes: [[1], [1]], threshold: 1, lanes: 2, ...(pool ? { pool: { kind: 'sum' as const, size: 1 } } : {}) },
        { size: 1, probBits: 4, probCodes: [new Array<number>(16).fill(14)], threshold: 1 },
      ],
    },
    x: new Array<number>(8).fill(1),
  });
  it('the reference reading of the two minimal models: the dense neuron spikes in every sample', () => {
    // P(w = +1) = 14/16 on 16 events of value 1, θ = 1.
    expect(refInfer(minimal(false).model, minimal(false).x).counts).toEqual([2]);
    expect(refInfer(minimal(true).model, minimal(true).x).counts).toEqual([1]);
  });
  it('per-sample k = 4 after a conv layer, the list repeating at the next sample (S = 2)', () => {
    const { model, x } = minimal(false);
    expect(golden(model, x).counts).toEqual(refInfer(model, x).counts);
  });
  it('per-sample k = 4 after a conv layer with a sum pool (S = 1)', () => {
    const { model, x } = minimal(true);
    expect(golden(model, x).counts).toEqual(refInfer(model, x).counts);
  });

  it('k = 4 and certain dense layers, time-ensemble and per-sample, agree with the reference', () => {
    for (const o of shapes) {
      for (const mode of ['time-ensemble', 'per-sample'] as const) {
        for (const [k, certain] of [[4, false], [4, true], [1, true], [6, false]] as const) {
          const { model, x } = repeating({ ...o, mode, samples: mode === 'per-sample' ? 2 : o.samples }, k, certain);
          for (const seed of [0, 12345]) {
            const got = golden(model, x, seed);
            const want = refInfer(model, x, seed);
            const what = `net ${o.seed} ${mode} k=${k}${certain ? ' certain' : ''} seed ${seed}`;
            expect(want.spikes[0], `${what}: the conv layer emits`).toBeGreaterThan(0);
            expect(got.lines, what).toEqual(want.lines);
            expect(got.counts, what).toEqual(want.counts);
          }
        }
      }
    }
  });
});

describe('the comparison can fail: wrong readings of §4.1 differ from the golden model', () => {
  const wrong: Array<[string, Variant]> = [
    ['drawing only at valid positions', { drawOnlyValid: true }],
    ['one draw per event shared by the kernel offsets', { drawPerEvent: true }],
    ['noise once per pass', { noisePerPass: true }],
    ['output events in ascending index order', { ascending: true }],
    ['a sum pool passing 1', { sumAsOr: true }],
    ['a flipped kernel', { flipKernel: true }],
  ];
  for (const [what, bad] of wrong) {
    it(what, () => {
      const differs = PICKED.some((o) => {
        const { model, x } = buildNet(o);
        const got = golden(model, x);
        const w = refInfer(model, x, 0, bad);
        return JSON.stringify(w.lines) !== JSON.stringify(got.lines) || JSON.stringify(w.counts) !== JSON.stringify(got.counts);
      });
      expect(differs).toBe(true);
    });
  }
});

describe('the planned conv layer (§1.2, §2, §4.1)', () => {
  it('probability rows (f·M + r)·P + j, padding lanes 0; weight and noise seeds; noise tables', () => {
    for (const o of [...PICKED, ...RANDOM.slice(0, 10)]) {
      const { model } = buildNet(o);
      const p = plan(model);
      const ref = refLayers(model);
      p.layers.forEach((L, l) => {
        const Ly = ref[l];
        expect([L.fanIn, L.size, L.lanes, L.passes], `net ${o.seed} layer ${l}: M, N, P, F`).toEqual([Ly.M, Ly.N, Ly.P, Ly.F]);
        const rows = new Array<number>(Ly.F * Ly.M * Ly.P).fill(0);
        for (let f = 0; f < Ly.F; f++) for (let r = 0; r < Ly.M; r++) for (let j = 0; j < Ly.P; j++) if (f * Ly.P + j < Ly.N) rows[(f * Ly.M + r) * Ly.P + j] = Ly.codes[f * Ly.P + j][r];
        expect(Array.from(L.probRows), `net ${o.seed} layer ${l}: rows`).toEqual(rows);
        expect(Array.from(L.weightSeeds)).toEqual(Array.from({ length: Ly.P }, (_, j) => streamSeed(model.seed, StreamId.weight(l, j))));
        // §4/§4.1: A = ceil(log2(M·xmax + 1)) + 1, xmax 255 (direct-input first layer), a sum pool's area, else 1.
        const prev = l > 0 ? ref[l - 1].conv : null;
        const xmax = l === 0 ? (model.input.encoding === 'direct' ? 255 : 1) : prev?.pool?.kind === 'sum' ? prev.pool.qh * prev.pool.qw : 1;
        expect([L.inputMax, L.accBits], `net ${o.seed} layer ${l}: xmax, A`).toEqual([xmax, Math.ceil(Math.log2(Ly.M * xmax + 1)) + 1]);
        if (L.kind === 'readout') return;
        if (Ly.noise) {
          expect(Array.from(L.noise!.table), `net ${o.seed} layer ${l}: η`).toEqual(refNoiseTable(Ly.noise));
          expect(Array.from(L.noise!.seeds)).toEqual(Array.from({ length: Ly.P }, (_, j) => streamSeed(model.seed, StreamId.noise(l, j))));
        } else expect(L.noise).toBeNull();
        if (L.kind === 'conv2d') {
          const g = Ly.conv!;
          const C = L as ConvLayer;
          expect([C.convShape.h, C.convShape.w, C.outShape.c, C.outShape.h, C.outShape.w, C.outputs]).toEqual([g.Ho, g.Wo, Ly.N, g.Hp, g.Wp, Ly.N * g.Hp * g.Wp]);
        }
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// The loader's shape errors for conv models
// ---------------------------------------------------------------------------------------------------------

describe('loading conv models: shape errors name the JSON path', () => {
  const base = (): ModelJ => buildNet(PICKED[9]).model; // 2×5×5, conv 3×3 pad 1, 3 channels, sum pool 2, dense 4
  const msg = (m: unknown) => errorOf(() => validateModel(m, 'm')).message;
  const conv = (m: ModelJ) => m.layers[0] as ConvJ;

  it('the base model loads', () => {
    expect(() => validateModel(base(), 'm')).not.toThrow();
  });

  it('a conv layer without input.shape', () => {
    const m = base();
    delete m.input.shape;
    expect(msg(m)).toMatch(/layers\[0\]\.type: .*input\.shape/);
  });

  it('input.shape whose product is not input.size', () => {
    const m = base();
    m.input.shape = [2, 5, 4];
    expect(msg(m)).toMatch(/input\.shape: is 2×5×4 = 40 values, but input\.size is 50/);
  });

  it('a kernel larger than the padded input', () => {
    const m = base();
    conv(m).kernel = [8, 3]; // 5 + 2·1 = 7 rows
    expect(msg(m)).toMatch(/layers\[0\]\.kernel: .*does not fit/);
    const fits = base();
    conv(fits).kernel = [7, 3];
    conv(fits).probCodes = conv(fits).probCodes!.map(() => new Array<number>(2 * 7 * 3).fill(1));
    delete conv(fits).pool;
    const d = fits.layers[1] as DenseJ;
    d.probCodes = d.probCodes!.map(() => new Array<number>(3 * 1 * 5).fill(1));
    expect(() => validateModel(fits, 'm')).not.toThrow();
  });

  it('a pool larger than the conv output', () => {
    const m = base();
    conv(m).pool = { kind: 'or', size: [2, 6] }; // output 5×5
    expect(msg(m)).toMatch(/layers\[0\]\.pool\.size: .*does not fit/);
  });

  it('a conv layer after a dense layer', () => {
    const m = base();
    m.layers = [{ size: 4, probBits: 1, probCodes: Array.from({ length: 4 }, () => new Array<number>(50).fill(1)), threshold: 1 }, { ...conv(base()) }, base().layers[1]];
    expect(msg(m)).toMatch(/layers\[1\]\.type: .*dense/);
  });

  it('a conv layer last', () => {
    const m = base();
    m.layers = [conv(m)];
    expect(msg(m)).toMatch(/layers\[0\]\.type: the last layer is conv2d/);
  });

  it('prob rows of the wrong length (expects C_in·kh·kw)', () => {
    const m = base();
    conv(m).probCodes![1] = new Array<number>(17).fill(1);
    expect(msg(m)).toMatch(/layers\[0\]\.probCodes\[1\]: has 17 entries, expected 18 \(input channels × kernel rows × kernel columns = 2·3·3\)/);
    const rows = base();
    conv(rows).probCodes!.pop();
    expect(msg(rows)).toMatch(/layers\[0\]\.probCodes: has 2 rows, expected 3/);
    const dense = base();
    (dense.layers[1] as DenseJ).probCodes![0].pop(); // the flattened 3×2×2 output
    expect(msg(dense)).toMatch(/layers\[1\]\.probCodes\[0\]: has 11 entries, expected 12/);
  });

  it('threshold and bias lists of the wrong length (one per channel)', () => {
    const m = base();
    conv(m).threshold = [1, 2];
    expect(msg(m)).toMatch(/layers\[0\]\.threshold: has 2 entries, expected 3 \(one per output channel\)/);
    const b = base();
    conv(b).bias = [0, 0, 0, 0];
    expect(msg(b)).toMatch(/layers\[0\]\.bias: has 4 entries, expected 3 \(one per output channel\)/);
  });

  it('an unknown field on a conv layer and inside pool', () => {
    const m = base();
    (conv(m) as unknown as Record<string, unknown>).strides = 2;
    expect(msg(m)).toMatch(/layers\[0\]: unknown field "strides" \(did you mean "stride"\?\)/);
    const p = base();
    (conv(p).pool as unknown as Record<string, unknown>).stride = 2;
    expect(msg(p)).toMatch(/layers\[0\]\.pool: unknown field "stride"/);
  });
});
