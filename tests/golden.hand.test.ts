/**
 * The golden model against docs/semantics.md §2–5, on small networks whose traces are computed by hand (the
 * membrane tables are in the comments), and — where weights or noise are random — against a re-derivation
 * written here from the document alone (its own LFSR stepping; only streamSeed/StreamId are shared, and those
 * are checked against the formula in rng.lfsr.test.ts).
 *
 * Trace lines are `<sample> <timestep> <layer> <neuron>` (semantics §6 without the input index).
 */
import { describe, expect, it } from 'vitest';
import { GoldenModel, startState, type InferenceResult } from '../generator/golden/infer.js';
import { softmaxProbabilities } from '../generator/eval/metrics.js';
import { planModel } from '../generator/ir/plan.js';
import type { PlannedModel, DenseLayer } from '../generator/ir/types.js';
import { validateModel } from '../generator/model/load.js';
import { streamSeed, StreamId } from '../generator/rng/lfsr.js';
import { prng } from '../generator/model/random.js';

// ---------------------------------------------------------------------------------------------------------
// Model building and running
// ---------------------------------------------------------------------------------------------------------

interface NoiseJ {
  kind: 'uniform' | 'logistic';
  bits: number;
  scale: number;
}
interface LayerJ {
  size: number;
  probBits: number;
  probCodes: number[][];
  /** Absent on the readout layer of a potential readout. */
  threshold?: number | number[];
  bias?: number | number[];
  leak?: number;
  reset?: 'subtract' | 'zero';
  membraneBits?: number;
  noise?: NoiseJ;
  lanes?: number;
}
interface ModelJ {
  seed?: number;
  timesteps: number;
  samples?: number;
  mode?: 'time-ensemble' | 'per-sample';
  encoding?: 'rate' | 'direct';
  inputs: number;
  layers: LayerJ[];
  readout?: { mode: 'spikes' | 'potential'; temperature?: number };
}

function toJson(m: ModelJ): unknown {
  return {
    ...(m.readout ? { readout: m.readout } : {}),
    format: 'bsnn/1',
    name: 'hand',
    seed: m.seed ?? 1,
    timesteps: m.timesteps,
    sampling: { mode: m.mode ?? 'time-ensemble', samples: m.samples ?? 1 },
    input: { size: m.inputs, encoding: m.encoding ?? 'direct' },
    layers: m.layers.map((l) => ({ ...l })),
  };
}

function plan(m: ModelJ, lanes?: number | number[]): PlannedModel {
  return planModel(validateModel(toJson(m), 'hand model'), lanes === undefined ? {} : { lanes });
}

function lines(res: InferenceResult): string[] {
  const tr = res.trace!;
  return tr.sample.map((s, i) => `${s} ${tr.timestep[i]} ${tr.layer[i]} ${tr.neuron[i]}`);
}

interface Run {
  plan: PlannedModel;
  res: InferenceResult;
  lines: string[];
  counts: number[];
}

function run(m: ModelJ, x: number[], lanes?: number | number[], seed?: number): Run {
  const p = plan(m, lanes);
  const res = new GoldenModel(p).infer(Uint8Array.from(x), { trace: true, activity: true, seed });
  return { plan: p, res, lines: lines(res), counts: Array.from(res.counts) };
}

/** Codes given as 0 (certain −1) / 1 (certain +1), written with k bits: 1 → the all-ones code 2^k − 1. */
const det = (rows: number[][], k: number) => rows.map((r) => r.map((c) => (c ? 2 ** k - 1 : 0)));

/** Trace lines of one layer-0 neuron spiking at the given timesteps (sample 0). */
const at = (ts: number[], neuron = 0, layer = 0, sample = 0) => ts.map((t) => `${sample} ${t} ${layer} ${neuron}`);

// ---------------------------------------------------------------------------------------------------------
// An independent re-derivation of semantics §1 and §3–5
// ---------------------------------------------------------------------------------------------------------

/** §1.1 stepped one bit at a time: fb = s31 ^ s21 ^ s1 ^ s0, s = {s[30:0], fb}; a draw returns s[k-1:0]. */
class RefStream {
  draws = 0;
  constructor(public s: number) {}
  draw(k: number): number {
    let s = this.s;
    for (let i = 0; i < k; i++) {
      const fb = ((s >>> 31) ^ (s >>> 21) ^ (s >>> 1) ^ s) & 1;
      s = ((s << 1) | fb) >>> 0;
    }
    this.s = s;
    this.draws++;
    return s & ((1 << k) - 1);
  }
}

function refNoiseTable(n: NoiseJ): number[] {
  const size = 2 ** n.bits;
  return Array.from({ length: size }, (_, r) => {
    if (n.kind === 'uniform') return (r - size / 2) * n.scale;
    const u = (r + 0.5) / size;
    const y = n.scale * Math.log(u / (1 - u));
    return Math.sign(y) * Math.round(Math.abs(y));
  });
}

interface RefOptions {
  /** Deliberately wrong variants, to show that the comparisons can fail. */
  skipPaddingWeightDraws?: boolean;
  skipPaddingNoiseDraws?: boolean;
  lanes?: number[];
  /** The runtime seed (semantics §1.2). */
  runSeed?: number;
}

function refInfer(m: ModelJ, x: number[], o: RefOptions = {}): { lines: string[]; counts: number[]; cls: number } {
  const seed = m.seed ?? 1;
  // §1.2: start state seed(id) ^ runtime seed, seed(id) where that is 0.
  const rt = o.runSeed ?? 0;
  const stream = (id: number) => {
    const s0 = streamSeed(seed, id);
    return new RefStream(((s0 ^ rt) >>> 0) || s0);
  };
  const potential = m.readout?.mode === 'potential';
  const T = m.timesteps;
  const S = m.samples ?? 1;
  const perSample = (m.mode ?? 'time-ensemble') === 'per-sample';
  const rate = (m.encoding ?? 'direct') === 'rate';
  const input = stream(StreamId.input);
  const layers = m.layers.map((L, l) => {
    const N = L.size;
    const M = l === 0 ? m.inputs : m.layers[l - 1].size;
    const P = o.lanes?.[l] ?? L.lanes ?? Math.min(N, 8);
    const F = Math.ceil(N / P);
    const k = L.probBits;
    const full = 2 ** k - 1;
    const perN = (v: number | number[] | undefined, d: number) => Array.from({ length: N }, (_, n) => (v === undefined ? d : Array.isArray(v) ? v[n] : v));
    const B = L.membraneBits ?? 16;
    return {
      N,
      M,
      P,
      F,
      k,
      full,
      q: (n: number, i: number) => (n < N ? L.probCodes[n][i] : 0),
      theta: perN(L.threshold, 1),
      bias: perN(L.bias, 0),
      leak: L.leak ?? 0,
      reset: L.reset ?? 'subtract',
      vmin: -(2 ** (B - 1)),
      vmax: 2 ** (B - 1) - 1,
      noise: L.noise,
      eta: L.noise ? refNoiseTable(L.noise) : [],
      wS: Array.from({ length: P }, (_, j) => stream(StreamId.weight(l, j))),
      nS: Array.from({ length: P }, (_, j) => stream(StreamId.noise(l, j))),
      readout: potential && l === m.layers.length - 1,
      v: new Array<number>(N).fill(0),
      held: [] as number[][][], // [f][i][j]
    };
  });
  const sample = (Ly: (typeof layers)[number], n: number, i: number, j: number) => {
    const r = Ly.wS[j].draw(Ly.k);
    const q = Ly.q(n, i);
    return r < q || q === Ly.full ? 1 : -1;
  };
  const out: string[] = [];
  const counts = new Array<number>(m.layers[m.layers.length - 1].size).fill(0);
  for (let s = 0; s < S; s++) {
    for (const Ly of layers) {
      Ly.v.fill(0);
      if (perSample) {
        Ly.held = [];
        for (let f = 0; f < Ly.F; f++) {
          Ly.held[f] = [];
          for (let i = 0; i < Ly.M; i++) {
            Ly.held[f][i] = [];
            for (let j = 0; j < Ly.P; j++) Ly.held[f][i][j] = sample(Ly, f * Ly.P + j, i, j);
          }
        }
      }
    }
    for (let t = 0; t < T; t++) {
      let E: Array<[number, number]> = [];
      for (let i = 0; i < m.inputs; i++) {
        if (rate) {
          if (input.draw(8) < x[i]) E.push([i, 1]);
        } else if (x[i] !== 0) E.push([i, x[i]]);
      }
      layers.forEach((Ly, l) => {
        const spikes: number[] = [];
        for (let f = 0; f < Ly.F; f++) {
          const acc = new Array<number>(Ly.P).fill(0);
          for (const [i, xv] of E) {
            for (let j = 0; j < Ly.P; j++) {
              const n = f * Ly.P + j;
              if (o.skipPaddingWeightDraws && n >= Ly.N) continue;
              const w = perSample ? Ly.held[f][i][j] : sample(Ly, n, i, j);
              acc[j] += w * xv;
            }
          }
          if (Ly.readout) {
            // §4, potential readout: counts[n] += acc[j] + b[n]; no membrane, no noise, no spikes
            for (let j = 0; j < Ly.P; j++) if (f * Ly.P + j < Ly.N) counts[f * Ly.P + j] += acc[j] + Ly.bias[f * Ly.P + j];
            continue;
          }
          for (let j = 0; j < Ly.P; j++) {
            const n = f * Ly.P + j;
            let eta = 0;
            if (Ly.noise && !(o.skipPaddingNoiseDraws && n >= Ly.N)) eta = Ly.eta[Ly.nS[j].draw(Ly.noise.bits)];
            if (n >= Ly.N) continue;
            const sat = (z: number) => Math.min(Ly.vmax, Math.max(Ly.vmin, z));
            let v = Ly.v[n];
            if (Ly.leak > 0) v = v - (v >> Ly.leak);
            v = sat(v + acc[j] + Ly.bias[n]);
            if (v >= Ly.theta[n] + eta) {
              v = Ly.reset === 'subtract' ? sat(v - Ly.theta[n]) : 0;
              spikes.push(n);
              out.push(`${s} ${t} ${l} ${n}`);
            }
            Ly.v[n] = v;
          }
        }
        E = spikes.map((n) => [n, 1]);
      });
      if (!potential) for (const [c] of E) counts[c]++;
    }
  }
  let cls = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c] > counts[cls]) cls = c;
  return { lines: out, counts, cls };
}


interface RandomNet {
  seed: number;
  inputs: number;
  sizes: number[];
  lanes: number[];
  k: number[];
  encoding: 'rate' | 'direct';
  mode?: 'time-ensemble' | 'per-sample';
  samples?: number;
  timesteps: number;
  noise?: NoiseJ;
  leak?: number;
  reset?: 'subtract' | 'zero';
  membraneBits?: number;
  bias?: boolean;
  /** Only codes 0 and 2^k − 1. */
  deterministic?: boolean;
  /** The last layer is a potential readout (no threshold, no noise; biases of −20..20). */
  potential?: boolean;
}

function randomNet(o: RandomNet): { model: ModelJ; x: number[] } {
  const rnd = prng(o.seed);
  let fanIn = o.inputs;
  const B = o.membraneBits ?? 16;
  const maxV = 2 ** (B - 1) - 1;
  const layers = o.sizes.map((size, l): LayerJ => {
    const k = o.k[l];
    const codes = Array.from({ length: size }, () =>
      Array.from({ length: fanIn }, () => {
        const u = rnd();
        if (o.deterministic) return u < 0.5 ? 0 : 2 ** k - 1;
        // Bimodal like trained networks, with every code possible.
        return u < 0.25 ? 0 : u < 0.5 ? 2 ** k - 1 : Math.floor(rnd() * 2 ** k);
      }),
    );
    const scale = l === 0 && o.encoding === 'direct' ? 128 : 1;
    const base = Math.max(1, Math.round((Math.sqrt(fanIn) * scale) / 2));
    const layer: LayerJ = {
      size,
      probBits: k,
      probCodes: codes,
      threshold: Array.from({ length: size }, () => Math.min(maxV, 1 + Math.floor(rnd() * base))),
      lanes: o.lanes[l],
      leak: o.leak ?? 0,
      reset: o.reset ?? 'subtract',
      membraneBits: B,
    };
    if (o.bias) layer.bias = Array.from({ length: size }, () => Math.floor(rnd() * 7) - 3);
    if (o.noise) layer.noise = o.noise;
    if (o.potential && l === o.sizes.length - 1) {
      delete layer.threshold;
      delete layer.noise;
      layer.bias = Array.from({ length: size }, () => Math.floor(rnd() * 41) - 20);
    }
    fanIn = size;
    return layer;
  });
  const model: ModelJ = {
    seed: Math.floor(rnd() * 2 ** 32),
    timesteps: o.timesteps,
    samples: o.samples ?? 1,
    mode: o.mode ?? 'time-ensemble',
    encoding: o.encoding,
    inputs: o.inputs,
    layers,
    ...(o.potential ? { readout: { mode: 'potential' as const } } : {}),
  };
  const x = Array.from({ length: o.inputs }, () => (rnd() < 0.2 ? 0 : Math.floor(rnd() * 256)));
  return { model, x };
}

// ---------------------------------------------------------------------------------------------------------

describe('integrate-and-fire (semantics §4), hand-computed', () => {
  // Direct input x = [3, 0, 5]: events (0,3) and (2,5) every timestep; input 1 is silent.
  //   n0 codes [+,+,+]: acc = 3 + 5 = 8, θ = 10
  //       t: 0  1      2      3      4      5
  //       v: 8  16→6   14→4   12→2   10→0   8        spikes t1..t4
  //   n1 codes [+,−,−]: acc = 3 − 5 = −2, θ = 1: v = −2, −4, … never spikes
  //   n2 codes [−,+,+]: acc = −3 + 5 = 2, θ = 5
  //       v: 2  4  6→1  3  5→0  2                     spikes t2, t4
  const model = (k: number, input1Codes = [1, 0, 1]): ModelJ => ({
    timesteps: 6,
    inputs: 3,
    layers: [
      {
        size: 3,
        probBits: k,
        probCodes: det(
          [
            [1, input1Codes[0], 1],
            [1, input1Codes[1], 0],
            [0, input1Codes[2], 1],
          ],
          k,
        ),
        threshold: [10, 1, 5],
      },
    ],
  });
  const expected = ['0 1 0 0', '0 2 0 0', '0 2 0 2', '0 3 0 0', '0 4 0 0', '0 4 0 2'];

  it('integrates weighted events and spikes at the hand-computed timesteps', () => {
    const r = run(model(1), [3, 0, 5]);
    expect(r.lines).toEqual(expected);
    expect(r.counts).toEqual([4, 0, 2]);
    expect(r.res.cls).toBe(0);
    expect(r.res.inputEvents).toBe(12);
    expect(Array.from(r.res.spikesPerLayer)).toEqual([6]);
    expect(Array.from(r.res.eventsIn![0])).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('codes 0 and 2^k − 1 are certain −1/+1 for every k, any lane count; silent inputs contribute nothing', () => {
    for (let k = 1; k <= 8; k++) {
      for (const lanes of [1, 2, 3, 4, 9]) {
        expect(run(model(k), [3, 0, 5], lanes).lines, `k=${k} P=${lanes}`).toEqual(expected);
        expect(run(model(k, [0, 1, 0]), [3, 0, 5], lanes).lines, `k=${k} P=${lanes}, flipped silent input`).toEqual(expected);
      }
    }
  });

  it('reset: subtract keeps the excess, zero discards it', () => {
    // x = [2], w = +1, θ = 3.
    //   subtract: v = 2, 4→1, 3→0, 2, 4→1, 3→0    spikes t1, t2, t4, t5
    //   zero:     v = 2, 4→0, 2, 4→0, 2, 4→0      spikes t1, t3, t5
    const m = (reset: 'subtract' | 'zero'): ModelJ => ({ timesteps: 6, inputs: 1, layers: [{ size: 1, probBits: 1, probCodes: [[1]], threshold: 3, reset }] });
    expect(run(m('subtract'), [2]).lines).toEqual(at([1, 2, 4, 5]));
    expect(run(m('zero'), [2]).lines).toEqual(at([1, 3, 5]));
  });

  it('S > 1: membranes restart at 0 in every sample', () => {
    // x = [1], w = +1, θ = 3, T = 4: v = 1, 2, 3→0, 1 in every sample: one spike at t2 per sample.
    // (Carried over, sample 1 would run 2, 3→0, 1, 2 and spike at t1.)
    for (const mode of ['time-ensemble', 'per-sample'] as const) {
      const r = run({ timesteps: 4, samples: 3, mode, inputs: 1, layers: [{ size: 1, probBits: 4, probCodes: [[15]], threshold: 3 }] }, [1]);
      expect(r.lines, mode).toEqual(['0 2 0 0', '1 2 0 0', '2 2 0 0']);
      expect(r.counts).toEqual([3]);
    }
  });

  it('bias is added every timestep, with or without input events', () => {
    // No input events (x = 0). n0: b = 2, θ = 5: v = 2, 4, 6→1, 3, 5→0, 2: spikes t2, t4.
    // n1: b = 0 never moves; n2: b = −1 goes negative.
    const m = (encoding: 'rate' | 'direct'): ModelJ => ({
      timesteps: 6,
      encoding,
      inputs: 2,
      layers: [{ size: 3, probBits: 2, probCodes: [[3, 3], [3, 3], [3, 3]], threshold: [5, 1, 1], bias: [2, 0, -1] }],
    });
    for (const enc of ['rate', 'direct'] as const) {
      const r = run(m(enc), [0, 0]);
      expect(r.lines, enc).toEqual(['0 2 0 0', '0 4 0 0']);
      expect(r.counts).toEqual([2, 0, 0]);
      expect(r.res.inputEvents).toBe(0);
    }
    // A second layer with no events from a silent first layer: b = 1, θ = 2: v = 1, 2→0, 1, 2→0, 1, 2→0.
    const two: ModelJ = {
      timesteps: 6,
      inputs: 1,
      layers: [
        { size: 2, probBits: 1, probCodes: [[1], [1]], threshold: 5 },
        { size: 1, probBits: 1, probCodes: [[1, 1]], threshold: 2, bias: 1 },
      ],
    };
    expect(run(two, [0]).lines).toEqual(at([1, 3, 5], 0, 1));
  });
});

describe('leak (semantics §4: v = v − (v >> λ) before adding)', () => {
  const one = (x: number, theta: number, leak: number): ModelJ => ({ timesteps: 6, inputs: 1, layers: [{ size: 1, probBits: 1, probCodes: [[1]], threshold: theta, leak }] });

  it('positive membranes', () => {
    // x = 5, θ = 9, λ = 1:  v = 5;  5−2=3 → 8;  8−4=4 → 9→0;  5;  8;  9→0        spikes t2, t5
    //              λ = 0:  v = 5, 10→1, 6, 11→2, 7, 12→3                      spikes t1, t3, t5
    expect(run(one(5, 9, 1), [5]).lines).toEqual(at([2, 5]));
    expect(run(one(5, 9, 0), [5]).lines).toEqual(at([1, 3, 5]));
    // x = 3, θ = 5, λ = 1:  v = 3;  3−1=2 → 5→0;  3;  5→0;  3;  5→0            spikes t1, t3, t5
    // (rounding the shift up, 3 − 2 = 1 → 4, would never spike)
    //              λ = 0:  v = 3, 6→1, 4, 7→2, 5→0, 3                          spikes t1, t3, t4
    expect(run(one(3, 5, 1), [3]).lines).toEqual(at([1, 3, 5]));
    expect(run(one(3, 5, 0), [3]).lines).toEqual(at([1, 3, 4]));
  });

  it('negative membranes: arithmetic shift, rounding toward −∞', () => {
    // Layer 0 (x = [1], all w = +1, subtract): n0 θ = 1 spikes every timestep; n1, n2 θ = 2 spike at t1, t3, t5.
    // Layer 1, one neuron, w = −1 from n0 and +1 from n1, n2, θ = 1:
    //   even t: acc = −1;  odd t: acc = −1 + 2 = +1.
    //   λ ≥ 1: t0: 0 → −1.  t1: −1 − (−1 >> λ = −1) = 0 → +1 = 1 ≥ 1: spike → 0.  t2: −1.  t3: spike …
    //          (truncating the shift toward 0 would leave −1 → 0 and never spike; so would λ = 0.)
    const m = (leak: number): ModelJ => ({
      timesteps: 6,
      inputs: 1,
      layers: [
        { size: 3, probBits: 1, probCodes: [[1], [1], [1]], threshold: [1, 2, 2] },
        { size: 1, probBits: 1, probCodes: [[0, 1, 1]], threshold: 1, leak },
      ],
    });
    const layer0 = (t: number) => (t % 2 ? [`0 ${t} 0 0`, `0 ${t} 0 1`, `0 ${t} 0 2`] : [`0 ${t} 0 0`]);
    const expected = [0, 1, 2, 3, 4, 5].flatMap((t) => [...layer0(t), ...(t % 2 ? [`0 ${t} 1 0`] : [])]);
    expect(run(m(1), [1]).lines).toEqual(expected);
    expect(run(m(2), [1]).lines).toEqual(expected);
    expect(run(m(16), [1]).lines).toEqual(expected);
    expect(run(m(0), [1]).lines).toEqual([0, 1, 2, 3, 4, 5].flatMap(layer0));
    expect(run(m(1), [1]).counts).toEqual([3]);
  });
});

describe('saturation (semantics §4: one sat_B per timestep)', () => {
  it('clamps at 2^(B−1) − 1', () => {
    // B = 4: v ∈ [−8, 7]. x = 5, θ = 7:  v = 5;  10 → 7 ≥ 7 → 0;  5;  7 → 0      spikes t1, t3
    // B = 16:                            v = 5;  10→3;  8→1;  6                 spikes t1, t2
    const m = (B: number): ModelJ => ({ timesteps: 4, inputs: 1, layers: [{ size: 1, probBits: 1, probCodes: [[1]], threshold: 7, membraneBits: B }] });
    expect(run(m(4), [5]).lines).toEqual(at([1, 3]));
    expect(run(m(16), [5]).lines).toEqual(at([1, 2]));
  });

  it('saturates v + acc + b once, not after each term', () => {
    // B = 4, x = [6, 6], w = +1 +1: acc = 12, b = −6.
    //   n0 θ = 6: sat(0 + 12 − 6) = 6 → spike → 0, every timestep.  (sat(12) − 6 = 1 would never spike.)
    //   n1 θ = 7: t0 sat(6) = 6;  t1 sat(6 + 6) = 7 → spike → 0;  t2 6;  t3 7 → spike.
    const m: ModelJ = {
      timesteps: 4,
      inputs: 2,
      layers: [{ size: 2, probBits: 3, probCodes: [[7, 7], [7, 7]], threshold: [6, 7], bias: -6, membraneBits: 4 }],
    };
    expect(run(m, [6, 6]).lines).toEqual(['0 0 0 0', '0 1 0 0', '0 1 0 1', '0 2 0 0', '0 3 0 0', '0 3 0 1']);
  });

  it('clamps at −2^(B−1)', () => {
    // Layer 0 (x = [1], w = +1): n0 θ = 1 spikes every t; n1..n4 θ = 4 spike at t3, t7.
    // Layer 1, B = 2 (v ∈ [−2, 1]), θ = 1, w = −1 from n0, +1 from n1..n4:
    //   t0 −1; t1 −2; t2 −3 → −2; t3 acc = −1 + 4 = 3: −2 + 3 = 1 → spike → 0; t4 −1; t5 −2; t6 −2; t7 spike.
    //   (Without the lower clamp: −1, −2, −3, 0, −1, −2, −3, 0: never.)
    const m = (B: number): ModelJ => ({
      timesteps: 8,
      inputs: 1,
      layers: [
        { size: 5, probBits: 1, probCodes: [[1], [1], [1], [1], [1]], threshold: [1, 4, 4, 4, 4] },
        { size: 1, probBits: 1, probCodes: [[0, 1, 1, 1, 1]], threshold: 1, membraneBits: B },
      ],
    });
    const layer0 = (t: number) => (t % 4 === 3 ? [0, 1, 2, 3, 4] : [0]).map((n) => `0 ${t} 0 ${n}`);
    const ts = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(run(m(2), [1]).lines).toEqual(ts.flatMap((t) => [...layer0(t), ...(t % 4 === 3 ? [`0 ${t} 1 0`] : [])]));
    expect(run(m(16), [1]).lines).toEqual(ts.flatMap(layer0));
  });
});

describe('readout (semantics §5)', () => {
  // x = [1], w = +1, T = 6. A neuron with threshold θ spikes at t = θ−1, 2θ−1, …:
  //   θ=1: 6 spikes; θ=2: t1,t3,t5 = 3; θ=3: t2,t5 = 2; θ=6: t5 = 1; θ=7: none.
  const m = (theta: number[]): ModelJ => ({ timesteps: 6, inputs: 1, layers: [{ size: theta.length, probBits: 1, probCodes: theta.map(() => [1]), threshold: theta }] });

  it('argmax, ties to the lowest index', () => {
    const cases: Array<[number[], number[], number[], number]> = [
      // θ, x, counts, class
      [[3, 2, 2, 6], [1], [2, 3, 3, 1], 1],
      [[2, 2, 7, 7], [1], [3, 3, 0, 0], 0],
      [[3, 3, 3, 1], [1], [2, 2, 2, 6], 3],
      [[7, 6, 6, 6], [1], [0, 1, 1, 1], 1],
      [[1, 1, 1, 1], [0], [0, 0, 0, 0], 0],
    ];
    for (const [theta, x, counts, cls] of cases) {
      const r = run(m(theta), x);
      expect(r.counts, `θ=${theta}`).toEqual(counts);
      expect(r.res.cls, `θ=${theta}`).toBe(cls);
    }
  });
});

describe('potential readout (semantics §4, §5), hand-computed', () => {
  // Direct input x = [3, 0, 5]: events (0,3) and (2,5) every timestep, T = 3. One readout layer:
  //   n0 codes [+,+,+]: acc = 3 + 5 = 8,  b = −10: counts = 3·(8 − 10) = −6
  //   n1 codes [−,+,+]: acc = −3 + 5 = 2, b = 4:   counts = 3·(2 + 4)  = 18
  //   n2 codes [+,−,−]: acc = 3 − 5 = −2, b = 0:   counts = 3·(−2)     = −6
  const single = (bias: number[], k = 1, lanes?: number): ModelJ => ({
    timesteps: 3,
    inputs: 3,
    readout: { mode: 'potential' },
    layers: [{ size: 3, probBits: k, probCodes: det([[1, 1, 1], [0, 1, 1], [1, 0, 0]], k), bias, lanes }],
  });

  it('counts[n] += acc + b every timestep: no membrane, threshold or spikes', () => {
    for (const k of [1, 4, 8]) {
      for (const lanes of [1, 2, 3, 8]) {
        const r = run(single([-10, 4, 0], k, lanes), [3, 0, 5]);
        expect(r.counts, `k=${k} P=${lanes}`).toEqual([-6, 18, -6]);
        expect(r.res.cls).toBe(1);
        expect(r.lines).toEqual([]); // the readout layer does not spike
        expect(Array.from(r.res.spikesPerLayer)).toEqual([0]);
        expect(Array.from(r.res.eventsIn![0])).toEqual([2, 2, 2]);
      }
    }
  });

  it('argmax is a signed compare, ties to the lowest index', () => {
    // all counts negative: the largest is the one nearest 0
    expect(run(single([-10, -7, 0]), [3, 0, 5]).counts).toEqual([-6, -15, -6]);
    expect(run(single([-10, -7, 0]), [3, 0, 5]).res.cls).toBe(0); // −6 = −6: the lower index
    expect(run(single([-11, -7, 1]), [3, 0, 5]).counts).toEqual([-9, -15, -3]);
    expect(run(single([-11, -7, 1]), [3, 0, 5]).res.cls).toBe(2);
    // silent input: counts are the biases times T
    expect(run(single([-1, -3, -2]), [0, 0, 0]).counts).toEqual([-3, -9, -6]);
    expect(run(single([-1, -3, -2]), [0, 0, 0]).res.cls).toBe(0);
  });

  it('behind a spiking layer: only the hidden spikes are traced, the readout sees them as events', () => {
    // x = [1] direct, T = 4. Hidden n0: w = +1, θ = 2, v = 1, 2→0 (spike), 1, 2→0 (spike): spikes at t1, t3.
    // Readout (fan-in 1): n0 w = +1, b = 0 → 0, 1, 0, 1 → 2;  n1 w = −1, b = bias1 → per step bias1 − (spike ? 1 : 0).
    const m = (bias1: number): ModelJ => ({
      timesteps: 4,
      inputs: 1,
      readout: { mode: 'potential', temperature: 0.5 },
      layers: [
        { size: 1, probBits: 2, probCodes: [[3]], threshold: 2 },
        { size: 2, probBits: 2, probCodes: [[3], [0]], bias: [0, bias1], threshold: 7, leak: 3, reset: 'zero', membraneBits: 4 }, // ignored fields
      ],
    });
    const r = run(m(-1), [1]);
    expect(r.lines).toEqual(at([1, 3]));
    expect(r.counts).toEqual([2, -6]);
    expect(r.res.cls).toBe(0);
    expect(Array.from(r.res.spikesPerLayer)).toEqual([2, 0]);
    expect(Array.from(r.res.eventsIn![1])).toEqual([0, 1, 0, 1]);
    expect(Array.from(r.res.spikesPerPass![1])).toEqual([0, 0, 0, 0]);
    const tie = run(m(1), [1]); // n1: 1, 0, 1, 0 → 2 = n0's 2
    expect(tie.counts).toEqual([2, 2]);
    expect(tie.res.cls).toBe(0);
    expect(r.plan.temperature).toBe(0.5);
    expect(r.plan.signedVotes).toBe(true);
  });

  it('vote width holds ±S·T·(M·xmax + max|b|), signed', () => {
    // M = 3, xmax = 255 (direct), max|b| = 10, S·T = 3: 3·(765 + 10) = 2325 → 12 bits + sign = 13
    expect(plan(single([-10, 4, 0])).voteBits).toBe(13);
    // spike counts stay unsigned: S·T = 6 → 3 bits
    const spikes = plan({ timesteps: 6, inputs: 1, layers: [{ size: 2, probBits: 1, probCodes: [[1], [1]], threshold: 1 }] });
    expect([spikes.voteBits, spikes.signedVotes, spikes.readout]).toEqual([3, false, 'spikes']);
    // more than 32 bits is refused with the field and the bound: 65535·255·(1·255 + 0) > 2^31
    const huge: ModelJ = { timesteps: 65535, samples: 255, inputs: 1, readout: { mode: 'potential' }, layers: [{ size: 1, probBits: 1, probCodes: [[1]] }] };
    expect(() => plan(huge)).toThrow(/^readout: "potential" counts of this model reach ±4261413375 .* needs 33 signed bits; at most 32/);
    expect(plan({ ...huge, timesteps: 100 }).voteBits).toBe(24); // ±6502500
  });

  it('model hash: unchanged without a readout or with "spikes"; "potential" and a given temperature enter it', () => {
    const { model } = randomNet({ seed: 64, inputs: 5, sizes: [4, 3], lanes: [2, 2], k: [4, 4], encoding: 'rate', timesteps: 4 });
    const base = plan(model).modelHash;
    expect(plan({ ...model, readout: { mode: 'spikes' } }).modelHash).toBe(base);
    const pot = plan({ ...model, readout: { mode: 'potential' } });
    expect(pot.modelHash).not.toBe(base);
    expect([pot.readout, pot.temperature]).toEqual(['potential', 1]);
    // ignored fields of the readout layer do not enter the hash
    const ignored = structuredClone(model);
    Object.assign(ignored.layers[1], { threshold: 5, leak: 2, reset: 'zero', membraneBits: 9 });
    expect(plan({ ...ignored, readout: { mode: 'potential' } }).modelHash).toBe(pot.modelHash);
    const t2 = plan({ ...model, readout: { mode: 'potential', temperature: 2 } });
    expect(t2.modelHash).not.toBe(pot.modelHash);
    expect(t2.temperature).toBe(2);
    expect(plan({ ...model, readout: { mode: 'potential', temperature: 3 } }).modelHash).not.toBe(t2.modelHash);
  });

  it('predictive probabilities: softmax(τ · counts / (S·T))', () => {
    // counts [−6, 18, −6], S·T = 3, τ = 1: softmax([−2, 6, −2])
    const pl = plan(single([-10, 4, 0]));
    const p = softmaxProbabilities([-6, 18, -6], pl.temperature / (pl.samples * pl.timesteps));
    const e = [Math.exp(-8), 1, Math.exp(-8)];
    const sum = e[0] + e[1] + e[2];
    e.forEach((v, c) => expect(p[c]).toBeCloseTo(v / sum, 12));
    // τ = 0.5 halves the logits; huge counts do not overflow
    const half = softmaxProbabilities([-6, 18, -6], 0.5 / 3);
    expect(half[1]).toBeCloseTo(1 / (1 + 2 * Math.exp(-4)), 12);
    expect(Array.from(softmaxProbabilities([1e9, 0], 1))).toEqual([1, 0]);
  });

  it('matches the re-derivation on random networks (P ∤ N, both modes, both encodings)', () => {
    const nets: RandomNet[] = [
      { seed: 61, inputs: 9, sizes: [7, 5], lanes: [3, 2], k: [4, 6], encoding: 'rate', timesteps: 12, potential: true, bias: true },
      { seed: 62, inputs: 12, sizes: [10], lanes: [4], k: [5], encoding: 'direct', mode: 'per-sample', samples: 3, timesteps: 4, potential: true },
      { seed: 63, inputs: 20, sizes: [9, 6, 4], lanes: [4, 5, 3], k: [3, 7, 2], encoding: 'rate', mode: 'per-sample', samples: 2, timesteps: 8, potential: true, noise: { kind: 'uniform', bits: 2, scale: 1 } },
    ];
    for (const o of nets) {
      const { model, x } = randomNet(o);
      const got = run(model, x);
      const want = refInfer(model, x);
      expect(got.counts.some((c) => c < 0) && got.counts.some((c) => c > 0), `net ${o.seed}: counts of both signs`).toBe(true);
      expect(got.lines, `net ${o.seed}`).toEqual(want.lines);
      expect(got.counts, `net ${o.seed}`).toEqual(want.counts);
      expect(got.res.cls, `net ${o.seed}`).toBe(want.cls);
    }
  });
});

describe('runtime seed (semantics §1.2)', () => {
  it('start state seed(id) ^ seed, or seed(id) where that is 0', () => {
    expect(startState(0x12345678, 0)).toBe(0x12345678);
    expect(startState(0x12345678, 0xffffffff)).toBe(0xedcba987);
    expect(startState(0x12345678, 0x12345678)).toBe(0x12345678); // would be 0: the LFSR would never leave it
    expect(startState(0x80000001, 0x00000001)).toBe(0x80000000);
  });

  it('seed 0 is the default: today\'s streams, traces unchanged', () => {
    const { model, x } = randomNet({ seed: 71, inputs: 10, sizes: [7, 4], lanes: [3, 2], k: [4, 6], encoding: 'rate', samples: 2, timesteps: 10, noise: { kind: 'uniform', bits: 2, scale: 1 } });
    const a = run(model, x);
    const b = run(model, x, undefined, 0);
    expect(a.lines.length).toBeGreaterThan(0);
    expect(b.lines).toEqual(a.lines);
    expect(b.counts).toEqual(a.counts);
    expect(a.lines).toEqual(refInfer(model, x).lines);
  });

  it('every stream (input, weights, noise) starts at seed(id) ^ seed: re-derived, both modes, both readouts', () => {
    const nets: RandomNet[] = [
      { seed: 72, inputs: 12, sizes: [8, 5], lanes: [3, 2], k: [4, 5], encoding: 'rate', timesteps: 12, noise: { kind: 'logistic', bits: 3, scale: 2 } },
      { seed: 73, inputs: 9, sizes: [6, 4], lanes: [4, 3], k: [3, 7], encoding: 'direct', mode: 'per-sample', samples: 3, timesteps: 6, bias: true },
      { seed: 74, inputs: 15, sizes: [9, 3], lanes: [2, 2], k: [6, 2], encoding: 'rate', mode: 'per-sample', samples: 2, timesteps: 8, potential: true },
    ];
    const rnd = prng(75);
    for (const o of nets) {
      const { model, x } = randomNet(o);
      const base = run(model, x);
      const p = base.plan;
      // random seeds, and seeds equal to one stream's own seed (that stream keeps its seed(id))
      const lockUps = [p.input.seed, p.layers[0].weightSeeds[1], p.layers[1].weightSeeds[0]];
      for (const seed of [Math.floor(rnd() * 2 ** 32), Math.floor(rnd() * 2 ** 32), ...lockUps]) {
        const got = run(model, x, undefined, seed);
        const want = refInfer(model, x, { runSeed: seed });
        expect(got.lines, `net ${o.seed} seed ${seed}`).toEqual(want.lines);
        expect(got.counts, `net ${o.seed} seed ${seed}`).toEqual(want.counts);
        expect(got.lines.join() + got.counts.join(), `net ${o.seed}: seed ${seed} changes the inference`).not.toBe(base.lines.join() + base.counts.join());
      }
    }
  });

  it('refuses a seed that is not a 32-bit unsigned integer', () => {
    const p = plan({ timesteps: 1, inputs: 1, layers: [{ size: 1, probBits: 1, probCodes: [[1]], threshold: 1 }] });
    for (const seed of [-1, 2 ** 32, 1.5, NaN]) expect(() => new GoldenModel(p).infer(Uint8Array.from([1]), { seed })).toThrow(RangeError);
  });
});

describe('threshold noise (semantics §2, §4)', () => {
  it('noise tables, hand-computed', () => {
    const table = (noise: NoiseJ) =>
      Array.from((plan({ timesteps: 1, inputs: 1, layers: [{ size: 1, probBits: 1, probCodes: [[1]], threshold: 1, noise }] }).layers[0] as DenseLayer).noise!.table);
    // uniform: η[r] = (r − 2^(m−1))·scale
    expect(table({ kind: 'uniform', bits: 1, scale: 3 })).toEqual([-3, 0]);
    expect(table({ kind: 'uniform', bits: 2, scale: 1 })).toEqual([-2, -1, 0, 1]);
    expect(table({ kind: 'uniform', bits: 2, scale: 4 })).toEqual([-8, -4, 0, 4]);
    // logistic: η[r] = round_half_away(scale·ln(u/(1−u))), u = (r + ½)/2^m
    //   m=1, s=1: u = ¼, ¾: ln(1/3) = −1.0986 → −1, +1
    //   m=2, s=2: u = ⅛, ⅜, ⅝, ⅞: 2·ln(1/7) = −3.89 → −4; 2·ln(3/5) = −1.02 → −1; then 1, 4
    //   m=3, s=2: u = 1/16, 3/16, 5/16, 7/16: 2·ln(1/15) = −5.42, 2·ln(3/13) = −2.93, 2·ln(5/11) = −1.58,
    //             2·ln(7/9) = −0.50 → −5, −3, −2, −1 (−0.503 rounds away to −1), mirrored for the upper half
    expect(table({ kind: 'logistic', bits: 1, scale: 1 })).toEqual([-1, 1]);
    expect(table({ kind: 'logistic', bits: 2, scale: 2 })).toEqual([-4, -1, 1, 4]);
    expect(table({ kind: 'logistic', bits: 3, scale: 2 })).toEqual([-5, -3, -2, -1, 1, 2, 3, 5]);
    // An exact tie: this scale puts scale·ln(¼/¾) on −2.5 exactly in doubles, and half away from zero gives −3
    // (Math.round would give −2). The upper entry computes to 2.4999999999999996 and rounds to 2.
    const tie = 2.5 / -Math.log(0.25 / 0.75);
    expect(tie * Math.log(0.25 / 0.75)).toBe(-2.5);
    expect(tie * Math.log(0.75 / 0.25)).toBe(2.4999999999999996);
    expect(table({ kind: 'logistic', bits: 1, scale: tie })).toEqual([-3, 2]);
  });

  it('spike iff v ≥ θ + η[r], r drawn per pass from each lane noise stream, padding lanes included', () => {
    // N = 3 neurons on P = 2 lanes: pass 0 = n0 (lane 0), n1 (lane 1); pass 1 = n2 (lane 0), padding (lane 1).
    // x = [1], w = +1, subtract, uniform m = 2, scale 1: η = [−2, −1, 0, 1].
    const seed = 77;
    const theta = [2, 2, 3];
    const m: ModelJ = {
      seed,
      timesteps: 64,
      inputs: 1,
      layers: [{ size: 3, probBits: 1, probCodes: [[1], [1], [1]], threshold: theta, lanes: 2, noise: { kind: 'uniform', bits: 2, scale: 1 } }],
    };
    const expectTrace = (padDraws: boolean, useNoise: boolean) => {
      const eta = [-2, -1, 0, 1];
      const ns = [0, 1].map((j) => new RefStream(streamSeed(seed, StreamId.noise(0, j))));
      const v = [0, 0, 0];
      const out: string[] = [];
      for (let t = 0; t < 64; t++) {
        for (let f = 0; f < 2; f++) {
          for (let j = 0; j < 2; j++) {
            const n = 2 * f + j;
            if (n >= 3 && !padDraws) continue;
            const r = ns[j].draw(2);
            if (n >= 3) continue;
            v[n] += 1;
            if (v[n] >= theta[n] + (useNoise ? eta[r] : 0)) {
              v[n] -= theta[n];
              out.push(`0 ${t} 0 ${n}`);
            }
          }
        }
      }
      return out;
    };
    const got = run(m, [1]).lines;
    expect(got).toEqual(expectTrace(true, true));
    // The comparison can fail: skipping the padding lane's draw, or ignoring the noise, changes the trace.
    expect(got).not.toEqual(expectTrace(false, true));
    expect(got).not.toEqual(expectTrace(true, false));
    expect(refInfer(m, [1]).lines).toEqual(got);
  });

  it('a spike forced by negative noise subtracts θ with saturation', () => {
    // B = 3: v ∈ [−4, 3]; θ = 3; x = [1], w = +1; uniform m = 2, scale 4: η = [−8, −4, 0, 4].
    // With η = −8 a neuron at v ≤ −2 still spikes and v − θ would fall below −4: it must clamp.
    const seed = 5;
    const m: ModelJ = {
      seed,
      timesteps: 96,
      inputs: 1,
      layers: [{ size: 1, probBits: 1, probCodes: [[1]], threshold: 3, membraneBits: 3, noise: { kind: 'uniform', bits: 2, scale: 4 } }],
    };
    const expectTrace = (clampAfterReset: boolean) => {
      const eta = [-8, -4, 0, 4];
      const ns = new RefStream(streamSeed(seed, StreamId.noise(0, 0)));
      const sat = (z: number) => Math.max(-4, Math.min(3, z));
      let v = 0;
      const out: string[] = [];
      for (let t = 0; t < 96; t++) {
        const r = ns.draw(2);
        v = sat(v + 1);
        if (v >= 3 + eta[r]) {
          v = clampAfterReset ? sat(v - 3) : v - 3;
          out.push(`0 ${t} 0 0`);
        }
      }
      return out;
    };
    const got = run(m, [1]).lines;
    expect(got).toEqual(expectTrace(true));
    expect(got).not.toEqual(expectTrace(false));
  });
});

describe('lanes and padding lanes (semantics §2, §4)', () => {
  it('probRows layout: row f·M + i holds lanes j = 0..P−1 of neurons f·P + j; padding holds 0', () => {
    // N = 5, M = 3, P = 2 → F = 3, the last pass has one padding lane. Code of (n, i) = 10n + i + 1.
    const codes = Array.from({ length: 5 }, (_, n) => [0, 1, 2].map((i) => 10 * n + i + 1));
    const p = plan({ timesteps: 1, inputs: 3, layers: [{ size: 5, probBits: 8, probCodes: codes, threshold: 1, lanes: 2 }] });
    const L = p.layers[0];
    expect([L.fanIn, L.size, L.lanes, L.passes, L.probBits]).toEqual([3, 5, 2, 3, 8]);
    // prettier-ignore
    expect(Array.from(L.probRows)).toEqual([
      1, 11,   2, 12,   3, 13,   // f = 0: i = 0, 1, 2; lanes n0, n1
      21, 31,  22, 32,  23, 33,  // f = 1: n2, n3
      41, 0,   42, 0,   43, 0,   // f = 2: n4, padding
    ]);
    expect(Array.from(L.weightSeeds)).toEqual([0, 1].map((j) => streamSeed(1, StreamId.weight(0, j))));
    // Float probabilities are quantised into the same layout (k = 2: 0 → 0, 0.5 → 2, 1 → 3, 0.3 → 1).
    const json = toJson({ timesteps: 1, inputs: 2, layers: [{ size: 3, probBits: 2, probCodes: [], threshold: 1, lanes: 2 }] }) as { layers: Array<Record<string, unknown>> };
    delete json.layers[0].probCodes;
    json.layers[0].prob = [[0, 0.5], [1, 0.3], [0.5, 1]];
    const q = planModel(validateModel(json)).layers[0];
    expect(Array.from(q.probRows)).toEqual([0, 3, 2, 1, 2, 0, 3, 0]);
  });

  it('with certain weights the lane count changes nothing (rate input, two layers, both modes)', () => {
    for (const mode of ['time-ensemble', 'per-sample'] as const) {
      const { model, x } = randomNet({ seed: 41, inputs: 6, sizes: [5, 3], lanes: [5, 3], k: [3, 5], encoding: 'rate', mode, samples: 2, timesteps: 20, deterministic: true, leak: 1 });
      const base = run(model, x);
      expect(base.lines.length).toBeGreaterThan(5);
      for (let p0 = 1; p0 <= 7; p0++) {
        for (let p1 = 1; p1 <= 4; p1++) expect(run(model, x, [p0, p1]).lines, `${mode} P = ${p0}, ${p1}`).toEqual(base.lines);
      }
    }
  });

  it('with random weights every lane, padding included, draws per event (re-derived)', () => {
    // N = 3 neurons, 20 direct inputs of value 1..3, k = 3 (10 draws per 32 steps: draws straddle words), P = 1..4.
    const m: ModelJ = {
      seed: 46,
      timesteps: 30,
      inputs: 20,
      layers: [
        {
          size: 3,
          probBits: 3,
          // p = 6/8, 4/8 and 5/8 on every input, with a few certain weights mixed in.
          probCodes: [0, 1, 2].map((n) => Array.from({ length: 20 }, (_, i) => (i % 7 === 3 ? 7 : i % 11 === 5 ? 0 : [6, 4, 5][n]))),
          threshold: [12, 3, 7],
          leak: 1,
        },
      ],
    };
    const x = Array.from({ length: 20 }, (_, i) => 1 + (i % 3));
    const all = new Set<string>();
    for (let P = 1; P <= 4; P++) {
      const got = run(m, x, P).lines;
      for (let n = 0; n < 3; n++) expect(got.some((l) => l.endsWith(` 0 ${n}`)), `P=${P}: n${n} spikes`).toBe(true);
      expect(got, `P=${P}`).toEqual(refInfer(m, x, { lanes: [P] }).lines);
      all.add(got.join('|'));
      // A padding lane that also serves a real neuron in an earlier pass (P = 2: lane 1 is n1, then padding)
      // must still draw, or n1's samples in later timesteps shift.
      if (P === 2) expect(got, `P=${P}: padding lanes must draw`).not.toEqual(refInfer(m, x, { lanes: [P], skipPaddingWeightDraws: true }).lines);
    }
    expect(all.size).toBeGreaterThan(1); // lanes do matter when weights are random
  });
});

describe('sampling modes (semantics §4)', () => {
  it('per-sample mode holds one draw per (f, i, j) for T timesteps, drawing for silent inputs too', () => {
    // M = 2 with x = [0, 1]: input 0 is silent but SAMPLE_WEIGHTS still draws for it. N = P = 1, k = 2,
    // code 2 (p = ½) on input 1, θ = 1, reset zero. Sample s draws r(2s) for input 0 and r(2s+1) for input 1;
    // w = +1 iff r(2s+1) < 2: then v = 1 → spike → 0 at t = 0, 1, 2; else v = −1, −2, −3 and no spike.
    const seed = 9;
    const S = 12;
    const m: ModelJ = {
      seed,
      timesteps: 3,
      samples: S,
      mode: 'per-sample',
      inputs: 2,
      layers: [{ size: 1, probBits: 2, probCodes: [[0, 2]], threshold: 1, reset: 'zero' }],
    };
    const expected = (drawSilent: boolean) => {
      const ws = new RefStream(streamSeed(seed, StreamId.weight(0, 0)));
      const out: string[] = [];
      for (let s = 0; s < S; s++) {
        if (drawSilent) ws.draw(2);
        if (ws.draw(2) < 2) out.push(`${s} 0 0 0`, `${s} 1 0 0`, `${s} 2 0 0`);
      }
      return out;
    };
    const want = expected(true);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(3 * S);
    const got = run(m, [0, 1]).lines;
    expect(got).toEqual(want);
    expect(got).not.toEqual(expected(false));
    // In time-ensemble mode the same network draws per event instead: spikes are not all-or-nothing per sample.
    const te = run({ ...m, mode: 'time-ensemble' }, [0, 1]).lines;
    expect(te).toEqual(refInfer({ ...m, mode: 'time-ensemble' }, [0, 1]).lines);
    expect(te).not.toEqual(want);
  });
});

describe('time-ensemble draws (semantics §4)', () => {
  it('one draw per (event, lane); timesteps without events draw nothing', () => {
    // Layer 0 (x = [1], w = +1, θ = 2) spikes at t1, t3, t5, … : layer 1 sees one event on odd t, none on even t.
    // Layer 1: one neuron, k = 4, code 8 (p = ½), θ = 1, reset zero. Its lane-0 stream is drawn once per event:
    //   odd t: w = +1 iff r < 8 (r = the next 4-bit draw); v += w; spike iff v ≥ 1 (then v = 0).
    // A layer that advanced its stream in a timestep without events would take other draws afterwards.
    const seed = 31;
    const T = 64;
    const m: ModelJ = {
      seed,
      timesteps: T,
      inputs: 1,
      layers: [
        { size: 1, probBits: 1, probCodes: [[1]], threshold: 2 },
        { size: 1, probBits: 4, probCodes: [[8]], threshold: 1, reset: 'zero' },
      ],
    };
    const expected = (drawOnEmpty: boolean) => {
      const ws = new RefStream(streamSeed(seed, StreamId.weight(1, 0)));
      const out: string[] = [];
      let v = 0;
      for (let t = 0; t < T; t++) {
        if (t % 2 === 0) {
          if (drawOnEmpty) ws.draw(4);
          continue;
        }
        out.push(`0 ${t} 0 0`);
        v += ws.draw(4) < 8 ? 1 : -1;
        if (v >= 1) {
          v = 0;
          out.push(`0 ${t} 1 0`);
        }
      }
      return out;
    };
    const got = run(m, [1]).lines;
    expect(got).toEqual(expected(false));
    expect(got).not.toEqual(expected(true));
    // And with many events per timestep (more draws than one 32-step word holds), for every k.
    for (let k = 1; k <= 8; k++) {
      const wide: ModelJ = {
        seed: seed + k,
        timesteps: 12,
        inputs: 40,
        layers: [
          { size: 40, probBits: 1, probCodes: Array.from({ length: 40 }, () => Array.from({ length: 40 }, () => 1)), threshold: Array.from({ length: 40 }, (_, n) => 1 + (n % 3)), lanes: 8 },
          { size: 3, probBits: k, probCodes: [0, 1, 2].map((n) => Array.from({ length: 40 }, (_, i) => 2 ** (k - 1) + ((i * 7 + n * 3) % 2 ** (k - 1)))), threshold: [20, 24, 16], reset: 'zero', lanes: 2 },
        ],
      };
      const x = Array.from({ length: 40 }, () => 1);
      const r = run(wide, x);
      expect(r.lines, `k=${k}`).toEqual(refInfer(wide, x).lines);
      expect(r.res.spikesPerLayer[1], `k=${k}: layer 1 spikes`).toBeGreaterThan(0);
    }
  });
});

describe('rate encoding (semantics §3)', () => {
  // M = 3 inputs, one neuron with w = +1 from every input, θ = 1, reset zero: acc ≥ 0 and v returns to 0 each
  // timestep, so it spikes at t exactly when some input spiked at t. Input i at timestep t compares draw
  // number 3t + i of the input stream (8 bits each, every input draws).
  const seed = 2024;
  const T = 1024;
  const m: ModelJ = { seed, timesteps: T, encoding: 'rate', inputs: 3, layers: [{ size: 1, probBits: 1, probCodes: [[1, 1, 1]], threshold: 1, reset: 'zero' }] };
  const draws = (() => {
    const g = new RefStream(streamSeed(seed, StreamId.input));
    return Array.from({ length: 3 * T }, () => g.draw(8));
  })();

  it('0 never spikes; 255 spikes exactly when the draw is below 255, inputs drawn in order', () => {
    // Every position must see a draw of 255 somewhere, or the test would not tell 255 from "always".
    for (let i = 0; i < 3; i++) expect(draws.some((d, n) => n % 3 === i && d === 255), `input ${i} sees a 255`).toBe(true);
    const silent = run(m, [0, 0, 0]);
    expect(silent.lines).toEqual([]);
    expect(silent.res.inputEvents).toBe(0);
    for (let i = 0; i < 3; i++) {
      const x = [0, 0, 0];
      x[i] = 255;
      const want = Array.from({ length: T }, (_, t) => t).filter((t) => draws[3 * t + i] < 255);
      const r = run(m, x);
      expect(r.lines, `x[${i}] = 255`).toEqual(at(want));
      expect(r.lines.length).toBeLessThan(T);
      expect(r.res.inputEvents).toBe(want.length);
    }
  });

  it('input i spikes iff r < x[i], for intermediate intensities', () => {
    const x = [128, 1, 37];
    const r = run(m, x);
    const perT = Array.from({ length: T }, (_, t) => [0, 1, 2].filter((i) => draws[3 * t + i] < x[i]).length);
    expect(Array.from(r.res.eventsIn![0])).toEqual(perT);
    expect(r.res.inputEvents).toBe(perT.reduce((a, b) => a + b, 0));
    expect(r.lines).toEqual(at(perT.flatMap((c, t) => (c > 0 ? [t] : []))));
  });
});

describe('determinism and the plan', () => {
  it('the same inference twice gives the same result (streams are re-seeded per inference)', () => {
    for (const mode of ['time-ensemble', 'per-sample'] as const) {
      const { model, x } = randomNet({ seed: 43, inputs: 10, sizes: [7, 4], lanes: [3, 3], k: [4, 6], encoding: 'rate', mode, samples: 2, timesteps: 15, noise: { kind: 'logistic', bits: 3, scale: 2 } });
      const p = plan(model);
      const g = new GoldenModel(p);
      const a = g.infer(Uint8Array.from(x), { trace: true });
      const other = g.infer(Uint8Array.from(x.map((v) => 255 - v)), { trace: true });
      const b = g.infer(Uint8Array.from(x), { trace: true });
      const c = new GoldenModel(plan(model)).infer(Uint8Array.from(x), { trace: true });
      expect(lines(a).length).toBeGreaterThan(0);
      for (const r of [b, c]) {
        expect(lines(r)).toEqual(lines(a));
        expect(Array.from(r.counts)).toEqual(Array.from(a.counts));
        expect(r.cls).toBe(a.cls);
        expect(Array.from(r.spikesPerLayer)).toEqual(Array.from(a.spikesPerLayer));
        expect(r.inputEvents).toBe(a.inputEvents);
      }
      expect(lines(other)).not.toEqual(lines(a));
    }
  });

  it('modelHash is deterministic and changes with one probability code', () => {
    const { model } = randomNet({ seed: 44, inputs: 5, sizes: [4, 2], lanes: [2, 2], k: [4, 4], encoding: 'rate', timesteps: 4 });
    const h1 = plan(model).modelHash;
    const h2 = plan(JSON.parse(JSON.stringify(model)) as ModelJ).modelHash;
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(h2).toBe(h1);
    for (const [l, n, i] of [
      [0, 0, 0],
      [0, 3, 4],
      [1, 1, 3],
    ]) {
      const changed = JSON.parse(JSON.stringify(model)) as ModelJ;
      const row = changed.layers[l].probCodes[n];
      row[i] = row[i] === 0 ? 1 : row[i] - 1;
      expect(plan(changed).modelHash, `code (${l}, ${n}, ${i})`).not.toBe(h1);
    }
    expect(plan({ ...model, seed: ((model.seed ?? 1) ^ 1) >>> 0 }).modelHash).not.toBe(h1);
  });

  it('matches the re-derivation of semantics §1–5 on random networks', () => {
    const nets: RandomNet[] = [
      { seed: 1, inputs: 20, sizes: [3], lanes: [2], k: [3], encoding: 'direct', timesteps: 40, bias: true },
      { seed: 2, inputs: 40, sizes: [5, 3], lanes: [2, 2], k: [5, 7], encoding: 'rate', samples: 2, timesteps: 30 },
      { seed: 3, inputs: 9, sizes: [7, 4], lanes: [3, 4], k: [6, 1], encoding: 'rate', mode: 'per-sample', samples: 3, timesteps: 10, noise: { kind: 'uniform', bits: 2, scale: 1 } },
      { seed: 4, inputs: 33, sizes: [6], lanes: [4], k: [8], encoding: 'direct', leak: 2, reset: 'zero', membraneBits: 12, noise: { kind: 'logistic', bits: 3, scale: 2 }, timesteps: 30 },
      { seed: 5, inputs: 12, sizes: [10, 6, 3], lanes: [3, 6, 1], k: [2, 4, 3], encoding: 'rate', mode: 'per-sample', samples: 2, timesteps: 16, leak: 1, membraneBits: 6, bias: true },
      { seed: 6, inputs: 64, sizes: [4], lanes: [8], k: [7], encoding: 'rate', timesteps: 40 },
      { seed: 7, inputs: 70, sizes: [9, 2], lanes: [4, 2], k: [3, 5], encoding: 'rate', samples: 2, timesteps: 20, noise: { kind: 'uniform', bits: 3, scale: 2 }, leak: 3 },
      { seed: 8, inputs: 6, sizes: [5, 5], lanes: [2, 3], k: [8, 2], encoding: 'direct', mode: 'per-sample', samples: 2, timesteps: 12, membraneBits: 10, reset: 'zero', bias: true },
      { seed: 9, inputs: 25, sizes: [11, 7, 5], lanes: [4, 3, 2], k: [5, 6, 7], encoding: 'rate', samples: 2, timesteps: 25, bias: true, noise: { kind: 'uniform', bits: 1, scale: 1 } },
    ];
    for (const o of nets) {
      const { model, x } = randomNet(o);
      const got = run(model, x);
      const want = refInfer(model, x);
      expect(got.lines.length, `net ${o.seed} spikes`).toBeGreaterThan(0);
      expect(got.lines, `net ${o.seed}`).toEqual(want.lines);
      expect(got.counts, `net ${o.seed}`).toEqual(want.counts);
      expect(got.res.cls, `net ${o.seed}`).toBe(want.cls);
    }
  });
});

describe('the fast paths of the golden model equal the re-derivation (issue 16)', () => {
  // ops/synapses/golden.ts: k = 4 draws eight at a time for a repeating event list (every direct input, and a
  // spike list seen twice; time-ensemble and per-sample), acc reused while held weights and events are
  // unchanged, no draws for a layer whose weights are all certain. Event counts and fan-ins are not multiples
  // of 8; passes leave padding lanes.
  it('packed k = 4 draws, reused acc and certain layers give the same traces and votes', () => {
    const nets: RandomNet[] = [
      { seed: 81, inputs: 37, sizes: [13, 5], lanes: [4, 5], k: [4, 4], encoding: 'direct', samples: 2, timesteps: 9, noise: { kind: 'logistic', bits: 3, scale: 2 } },
      { seed: 82, inputs: 123, sizes: [20, 4], lanes: [20, 3], k: [4, 4], encoding: 'direct', timesteps: 6, potential: true, bias: true },
      { seed: 83, inputs: 29, sizes: [12, 7, 3], lanes: [5, 7, 2], k: [4, 4, 4], encoding: 'direct', timesteps: 14, deterministic: true, noise: { kind: 'uniform', bits: 2, scale: 1 } },
      { seed: 84, inputs: 50, sizes: [11, 4], lanes: [3, 4], k: [4, 5], encoding: 'direct', mode: 'per-sample', samples: 3, timesteps: 7, potential: true },
      { seed: 85, inputs: 19, sizes: [9, 6], lanes: [2, 4], k: [4, 4], encoding: 'rate', timesteps: 24, leak: 1, bias: true },
      // Per-sample k = 4 with a fan-in that is not a multiple of 8: later passes' groups straddle two words.
      { seed: 87, inputs: 45, sizes: [14, 6], lanes: [3, 6], k: [4, 4], encoding: 'direct', mode: 'per-sample', samples: 3, timesteps: 10, leak: 1 },
    ];
    for (const o of nets) {
      const { model, x } = randomNet(o);
      for (const seed of [0, 0x9e3779b9]) {
        const got = run(model, x, undefined, seed);
        const want = refInfer(model, x, { runSeed: seed });
        if (!o.potential) expect(got.lines.length, `net ${o.seed} spikes`).toBeGreaterThan(0);
        expect(got.lines, `net ${o.seed} seed ${seed}`).toEqual(want.lines);
        expect(got.counts, `net ${o.seed} seed ${seed}`).toEqual(want.counts);
      }
    }
  });

  it('one golden model gives the same answers for an input seen again, after another input', () => {
    const { model, x } = randomNet({ seed: 86, inputs: 41, sizes: [10, 3], lanes: [4, 3], k: [4, 4], encoding: 'direct', timesteps: 5, potential: true });
    const g = new GoldenModel(plan(model));
    const y = x.map((v) => 255 - v);
    const first = Array.from(g.infer(Uint8Array.from(x)).counts);
    g.infer(Uint8Array.from(y));
    expect(Array.from(g.infer(Uint8Array.from(x)).counts)).toEqual(first);
    expect(first).toEqual(refInfer(model, x).counts);
  });
});
