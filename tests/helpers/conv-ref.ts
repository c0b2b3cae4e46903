/**
 * docs/semantics.md §1–§4.1 re-derived for networks with conv2d layers, written from the document alone (not
 * from generator/ops/conv/golden.ts): its own LFSR stepping one bit at a time, its own quantisation, noise
 * tables, shapes and CONV_STEP. Only streamSeed/StreamId are shared (rng.lfsr.test.ts checks them against the
 * formula of §1.2). tests/golden.conv.test.ts compares it with the golden model.
 */
import { streamSeed, StreamId } from '../../generator/rng/lfsr.js';

export type Pair = number | [number, number];

export interface NoiseJ {
  kind: 'uniform' | 'logistic';
  bits: number;
  scale: number;
}

/** What a dense and a conv layer share (the fields of the format, as the JSON gives them). */
interface NeuronJ {
  probBits: number;
  probCodes?: number[][];
  prob?: number[][];
  threshold?: number | number[];
  bias?: number | number[];
  leak?: number;
  reset?: 'subtract' | 'zero';
  membraneBits?: number;
  noise?: NoiseJ;
  lanes?: number;
}
export interface DenseJ extends NeuronJ {
  type?: 'dense';
  size: number;
}
export interface ConvJ extends NeuronJ {
  type: 'conv2d';
  channels: number;
  kernel: Pair;
  stride?: Pair;
  padding?: Pair;
  pool?: { kind: 'or' | 'sum'; size: Pair };
}
export type LayerJ = DenseJ | ConvJ;

export interface ModelJ {
  format: 'bsnn/1';
  name: string;
  seed: number;
  timesteps: number;
  sampling: { mode: 'time-ensemble' | 'per-sample'; samples?: number };
  input: { size: number; encoding: 'rate' | 'direct'; shape?: [number, number, number] };
  layers: LayerJ[];
  readout?: { mode: 'spikes' | 'potential' };
}

const sides = (v: Pair | undefined, d: number): [number, number] => (v === undefined ? [d, d] : Array.isArray(v) ? [v[0], v[1]] : [v, v]);

/** §1.1 stepped one bit at a time: fb = s31 ^ s21 ^ s1 ^ s0, s = {s[30:0], fb}; a draw returns s[k-1:0]. */
export class RefStream {
  constructor(public s: number) {}
  draw(k: number): number {
    let s = this.s;
    for (let i = 0; i < k; i++) {
      const fb = ((s >>> 31) ^ (s >>> 21) ^ (s >>> 1) ^ s) & 1;
      s = ((s << 1) | fb) >>> 0;
    }
    this.s = s;
    return s & ((1 << k) - 1);
  }
}

/** §2: η[r] of the planner's table. */
export function refNoiseTable(n: NoiseJ): number[] {
  const size = 2 ** n.bits;
  return Array.from({ length: size }, (_, r) => {
    if (n.kind === 'uniform') return (r - size / 2) * n.scale;
    const u = (r + 0.5) / size;
    const y = n.scale * Math.log(u / (1 - u));
    return Math.sign(y) * Math.round(Math.abs(y)) + 0; // + 0: no −0
  });
}

/** §2: the nearest level to p (ties toward the lower code); levels q/2^k, and 1 for the all-ones code. */
export function refQuantise(p: number, k: number): number {
  const full = 2 ** k - 1;
  const level = (q: number) => (q === full ? 1 : q / 2 ** k);
  let best = 0;
  for (let q = 1; q <= full; q++) if (Math.abs(level(q) - p) < Math.abs(level(best) - p)) best = q;
  return best;
}

export interface ConvGeom {
  C: number;
  H: number;
  W: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  Ho: number;
  Wo: number;
  pool: { kind: 'or' | 'sum'; qh: number; qw: number } | null;
  Hp: number;
  Wp: number;
}

/** One layer as the reference runs it. */
export interface RefLayer {
  conv: ConvGeom | null;
  /** Neurons per position (dense: size; conv: output channels). */
  N: number;
  /** Rows per neuron: fan-in (dense) or C_in·kh·kw (conv). */
  M: number;
  P: number;
  F: number;
  k: number;
  codes: number[][];
  theta: number[];
  bias: number[];
  leak: number;
  reset: 'subtract' | 'zero';
  vmin: number;
  vmax: number;
  noise?: NoiseJ;
  eta: number[];
  readout: boolean;
  /** Output events' index range (for the next layer's fan-in). */
  outputs: number;
}

/** Layers of a model with their shapes (§4.1: Ho = ⌊(H + 2ph − kh)/sh⌋ + 1; pool drops the rest). */
export function refLayers(m: ModelJ): RefLayer[] {
  let inShape: [number, number, number] | null = m.input.shape ?? null;
  let inputs = m.input.size;
  return m.layers.map((L, l): RefLayer => {
    let conv: ConvGeom | null = null;
    let N: number;
    let M: number;
    let outputs: number;
    if (L.type === 'conv2d') {
      if (!inShape) throw new Error(`reference: layer ${l} has no image input`);
      const [C, H, W] = inShape;
      const [kh, kw] = sides(L.kernel, 1);
      const [sh, sw] = sides(L.stride, 1);
      const [ph, pw] = sides(L.padding, 0);
      const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
      const Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
      const pool = L.pool ? { kind: L.pool.kind, qh: sides(L.pool.size, 1)[0], qw: sides(L.pool.size, 1)[1] } : null;
      const Hp = pool ? Math.floor(Ho / pool.qh) : Ho;
      const Wp = pool ? Math.floor(Wo / pool.qw) : Wo;
      conv = { C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo, pool, Hp, Wp };
      N = L.channels;
      M = C * kh * kw;
      outputs = N * Hp * Wp;
      inShape = [N, Hp, Wp];
    } else {
      N = L.size;
      M = inputs;
      outputs = N;
      inShape = null;
    }
    inputs = outputs;
    const k = L.probBits;
    const P = L.lanes ?? Math.min(N, 8);
    const B = L.membraneBits ?? 16;
    const perN = (v: number | number[] | undefined, d: number) => Array.from({ length: N }, (_, n) => (v === undefined ? d : Array.isArray(v) ? v[n] : v));
    const codes = L.probCodes ?? L.prob!.map((row) => row.map((p) => refQuantise(p, k)));
    return {
      conv,
      N,
      M,
      P,
      F: Math.ceil(N / P),
      k,
      codes,
      theta: perN(L.threshold, 1),
      bias: perN(L.bias, 0),
      leak: L.leak ?? 0,
      reset: L.reset ?? 'subtract',
      vmin: -(2 ** (B - 1)),
      vmax: 2 ** (B - 1) - 1,
      noise: L.noise,
      eta: L.noise ? refNoiseTable(L.noise) : [],
      readout: m.readout?.mode === 'potential' && l === m.layers.length - 1,
      outputs,
    };
  });
}

/** Deliberately wrong readings of §4.1, to show that the comparisons can fail. */
export interface Variant {
  /** Draw only where the kernel offset lands on a valid output position. */
  drawOnlyValid?: boolean;
  /** One weight draw per (event, pass), shared by the kernel offsets. */
  drawPerEvent?: boolean;
  /** Noise once per pass instead of once per (pass, position). */
  noisePerPass?: boolean;
  /** Output events in ascending index order. */
  ascending?: boolean;
  /** A sum pool passes 1 like an or pool. */
  sumAsOr?: boolean;
  /** The kernel flipped (correlation read as convolution): row uses (kh−1−ky, kw−1−kx). */
  flipKernel?: boolean;
}

/** (index, value, pass that emitted it). */
type Events = Array<[number, number, number?]>;

export interface RefResult {
  /** `<sample> <timestep> <layer> <index>` per output event (semantics §6 without the input index). */
  lines: string[];
  counts: number[];
  cls: number;
  /** Output events per layer. */
  spikes: number[];
  /** Output events by pass (§7's s_f): [l][(s·T + t)·F + f]. */
  perPass: number[][];
}

/** One inference of §4 with §4.1's CONV_STEP. */
export function refInfer(m: ModelJ, x: number[], runSeed = 0, bad: Variant = {}): RefResult {
  const layers = refLayers(m);
  // §1.2: start state seed(id) ^ runtime seed, seed(id) where that is 0.
  const stream = (id: number) => {
    const s0 = streamSeed(m.seed, id);
    return new RefStream(((s0 ^ runSeed) >>> 0) || s0);
  };
  const perSample = m.sampling.mode === 'per-sample';
  const S = m.sampling.samples ?? 1;
  const input = stream(StreamId.input);
  const wS = layers.map((Ly, l) => Array.from({ length: Ly.P }, (_, j) => stream(StreamId.weight(l, j))));
  const nS = layers.map((Ly, l) => Array.from({ length: Ly.P }, (_, j) => stream(StreamId.noise(l, j))));
  const v = layers.map((Ly) => new Array<number>(Ly.N * (Ly.conv ? Ly.conv.Ho * Ly.conv.Wo : 1)).fill(0));
  let held: number[][][][] = [];
  // §2 weight sample: w = +1 if r < q or q = 2^k − 1 (padding lanes hold code 0).
  const sample = (l: number, n: number, r: number, j: number) => {
    const Ly = layers[l];
    const q = n < Ly.N ? Ly.codes[n][r] : 0;
    const d = wS[l][j].draw(Ly.k);
    return d < q || q === 2 ** Ly.k - 1 ? 1 : -1;
  };
  const weights = (l: number, f: number, r: number) => {
    const Ly = layers[l];
    return Array.from({ length: Ly.P }, (_, j) => (perSample ? held[l][f][r][j] : sample(l, f * Ly.P + j, r, j)));
  };
  /** §4 LAYER_STEP's neuron update of one lane; true if it spikes. */
  const update = (l: number, n: number, at: number, acc: number, eta: number): boolean => {
    const Ly = layers[l];
    const sat = (z: number) => Math.min(Ly.vmax, Math.max(Ly.vmin, z));
    let u = v[l][at];
    if (Ly.leak > 0) u = u - (u >> Ly.leak);
    u = sat(u + acc + Ly.bias[n]);
    const spike = u >= Ly.theta[n] + eta;
    if (spike) u = Ly.reset === 'subtract' ? sat(u - Ly.theta[n]) : 0;
    v[l][at] = u;
    return spike;
  };
  const noiseDraw = (l: number, j: number) => (layers[l].noise ? layers[l].eta[nS[l][j].draw(layers[l].noise!.bits)] : 0);

  const denseStep = (l: number, E: Events, counts: number[]): Events => {
    const Ly = layers[l];
    const out: Events = [];
    for (let f = 0; f < Ly.F; f++) {
      const acc = new Array<number>(Ly.P).fill(0);
      for (const [i, xv] of E) weights(l, f, i).forEach((w, j) => (acc[j] += w * xv));
      for (let j = 0; j < Ly.P; j++) {
        const n = f * Ly.P + j;
        if (Ly.readout) {
          if (n < Ly.N) counts[n] += acc[j] + Ly.bias[n];
          continue;
        }
        const eta = noiseDraw(l, j);
        if (n >= Ly.N) continue;
        if (update(l, n, n, acc[j], eta)) out.push([n, 1, f]);
      }
    }
    return out;
  };

  const convStep = (l: number, E: Events): Events => {
    const Ly = layers[l];
    const g = Ly.conv!;
    const HoWo = g.Ho * g.Wo;
    const s = Array.from({ length: Ly.N }, () => new Array<number>(HoWo).fill(0));
    for (let f = 0; f < Ly.F; f++) {
      const acc = Array.from({ length: Ly.P }, () => new Array<number>(HoWo).fill(0));
      for (const [i, xv] of E) {
        const c = Math.floor(i / (g.H * g.W));
        const y = Math.floor(i / g.W) % g.H;
        const xc = i % g.W;
        let shared: number[] | null = null;
        for (let ky = 0; ky < g.kh; ky++) {
          for (let kx = 0; kx < g.kw; kx++) {
            const r = bad.flipKernel ? (c * g.kh + g.kh - 1 - ky) * g.kw + g.kw - 1 - kx : (c * g.kh + ky) * g.kw + kx;
            const ny = y + g.ph - ky;
            const nx = xc + g.pw - kx;
            const valid = ny >= 0 && nx >= 0 && ny % g.sh === 0 && nx % g.sw === 0 && ny / g.sh < g.Ho && nx / g.sw < g.Wo;
            if (bad.drawOnlyValid && !valid) continue;
            const w = bad.drawPerEvent ? (shared ??= weights(l, f, r)) : weights(l, f, r);
            if (!valid) continue;
            const p = (ny / g.sh) * g.Wo + nx / g.sw;
            for (let j = 0; j < Ly.P; j++) acc[j][p] += w[j] * xv;
          }
        }
      }
      const passEta = bad.noisePerPass ? Array.from({ length: Ly.P }, (_, j) => noiseDraw(l, j)) : null;
      for (let p = 0; p < HoWo; p++) {
        for (let j = 0; j < Ly.P; j++) {
          const n = f * Ly.P + j;
          const eta = passEta ? passEta[j] : noiseDraw(l, j);
          if (n >= Ly.N) continue;
          s[n][p] = update(l, n, n * HoWo + p, acc[j][p], eta) ? 1 : 0;
        }
      }
    }
    const out: Events = [];
    for (let f = 0; f < Ly.F; f++) {
      if (!g.pool) {
        for (let p = 0; p < HoWo; p++) for (let j = 0; j < Ly.P && f * Ly.P + j < Ly.N; j++) if (s[f * Ly.P + j][p]) out.push([(f * Ly.P + j) * HoWo + p, 1, f]);
        continue;
      }
      const { qh, qw, kind } = g.pool;
      for (let py = 0; py < g.Hp; py++) {
        for (let px = 0; px < g.Wp; px++) {
          for (let j = 0; j < Ly.P && f * Ly.P + j < Ly.N; j++) {
            const n = f * Ly.P + j;
            let k = 0;
            for (let dy = 0; dy < qh; dy++) for (let dx = 0; dx < qw; dx++) k += s[n][(py * qh + dy) * g.Wo + px * qw + dx];
            if (k > 0) out.push([n * g.Hp * g.Wp + py * g.Wp + px, kind === 'or' || bad.sumAsOr ? 1 : k, f]);
          }
        }
      }
    }
    if (bad.ascending) out.sort((a, b) => a[0] - b[0]);
    return out;
  };

  const lines: string[] = [];
  const spikes = layers.map(() => 0);
  const perPass = layers.map((Ly) => new Array<number>(S * m.timesteps * Ly.F).fill(0));
  const counts = new Array<number>(layers[layers.length - 1].N).fill(0);
  for (let smp = 0; smp < S; smp++) {
    v.forEach((a) => a.fill(0));
    if (perSample) {
      // SAMPLE_WEIGHTS: for f, for each of the M rows, every lane (padding lanes too) draws and holds.
      held = layers.map((Ly, l) => Array.from({ length: Ly.F }, (_, f) => Array.from({ length: Ly.M }, (_, r) => Array.from({ length: Ly.P }, (_, j) => sample(l, f * Ly.P + j, r, j)))));
    }
    for (let t = 0; t < m.timesteps; t++) {
      let E: Events = [];
      for (let i = 0; i < m.input.size; i++) {
        if (m.input.encoding === 'rate') {
          if (input.draw(8) < x[i]) E.push([i, 1]);
        } else if (x[i] !== 0) E.push([i, x[i]]);
      }
      for (let l = 0; l < layers.length; l++) {
        E = layers[l].conv ? convStep(l, E) : denseStep(l, E, counts);
        spikes[l] += E.length;
        for (const [, , f] of E) perPass[l][(smp * m.timesteps + t) * layers[l].F + f!]++;
        for (const [n] of E) lines.push(`${smp} ${t} ${l} ${n}`);
      }
      if (m.readout?.mode !== 'potential') for (const [c] of E) counts[c]++;
    }
  }
  let cls = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c] > counts[cls]) cls = c;
  return { lines, counts, cls, spikes, perPass };
}
