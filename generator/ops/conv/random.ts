/** Seeded random conv networks (bsnn/1 JSON), for tests and the example architecture's measurement. */
import { prng } from '../../model/random.js';
import { FORMAT, type ModelInput } from '../../model/schema.js';

/** One conv layer of a random conv network. */
export interface RandomConvSpec {
  channels: number;
  kernel: number | [number, number];
  stride?: number | [number, number];
  padding?: number | [number, number];
  pool?: { kind: 'or' | 'sum'; size: number | [number, number] };
  lanes?: number;
  probBits?: number;
  /** Kernel offsets per cycle (the layer's hardware knob; absent: the default, 1). */
  offsetsPerCycle?: 1 | 2;
}

export interface RandomConvOptions {
  seed: number;
  name?: string;
  /** [channels, rows, columns] of the input image. */
  shape: [number, number, number];
  encoding?: 'rate' | 'direct';
  convs: RandomConvSpec[];
  /** Sizes of the dense layers after the convs (the last is the output). */
  dense: number[];
  denseLanes?: number[];
  timesteps?: number;
  samples?: number;
  mode?: 'time-ensemble' | 'per-sample';
  leak?: number;
  reset?: 'subtract' | 'zero';
  membraneBits?: number;
  noise?: { kind: 'uniform' | 'logistic'; bits: number; scale: number };
  bias?: boolean;
  readout?: 'spikes' | 'potential';
  /** Scales every threshold (more or fewer spikes). */
  thresholdScale?: number;
}

const pairOf = (v: number | [number, number] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : Array.isArray(v) ? v : [v, v]);

/**
 * A seeded random conv network (bsnn/1 JSON): conv layers on an image input, then dense layers. Thresholds
 * grow with the square root of each layer's fan-in (×64 for direct input) so that layers spike.
 */
export function randomConvModel(o: RandomConvOptions): ModelInput {
  const rnd = prng(o.seed);
  const B = o.membraneBits ?? 12;
  const scale = o.thresholdScale ?? 1;
  const draw = () => {
    const u = rnd();
    if (u < 0.35) return Math.round(rnd() * 0.1 * 1e4) / 1e4;
    if (u < 0.7) return Math.round((0.9 + rnd() * 0.1) * 1e4) / 1e4;
    return Math.round(rnd() * 1e4) / 1e4;
  };
  let [c, h, w] = o.shape;
  let inputMax = o.encoding === 'direct' ? 64 : 1;
  const neuron = (size: number, fanIn: number, last: boolean) => {
    const thr = Math.max(1, Math.round((Math.sqrt(fanIn) * inputMax * scale) / 2));
    const layer: Record<string, unknown> = {
      threshold: rnd() < 0.5 ? Math.min(thr, 2 ** (B - 1) - 1) : Array.from({ length: size }, () => Math.min(2 ** (B - 1) - 1, 1 + Math.floor(rnd() * 2 * thr))),
      leak: o.leak ?? 0,
      reset: o.reset ?? 'subtract',
      membraneBits: B,
    };
    if (o.bias) layer.bias = Array.from({ length: size }, () => Math.floor(rnd() * 5) - 2);
    if (o.noise) layer.noise = o.noise;
    if (last && o.readout === 'potential') for (const key of ['threshold', 'leak', 'reset', 'membraneBits', 'noise']) delete layer[key];
    return layer;
  };
  const layers: Record<string, unknown>[] = [];
  for (const s of o.convs) {
    const [kh, kw] = pairOf(s.kernel, 1);
    const [sh, sw] = pairOf(s.stride, 1);
    const [ph, pw] = pairOf(s.padding, 0);
    const M = c * kh * kw;
    const layer: Record<string, unknown> = {
      type: 'conv2d',
      channels: s.channels,
      kernel: s.kernel,
      stride: s.stride ?? 1,
      padding: s.padding ?? 0,
      probBits: s.probBits ?? 4,
      prob: Array.from({ length: s.channels }, () => Array.from({ length: M }, draw)),
      ...neuron(s.channels, M, false),
    };
    if (s.lanes !== undefined) layer.lanes = s.lanes;
    if (s.pool) layer.pool = s.pool;
    if (s.offsetsPerCycle !== undefined) layer.offsetsPerCycle = s.offsetsPerCycle;
    layers.push(layer);
    h = Math.floor((h + 2 * ph - kh) / sh) + 1;
    w = Math.floor((w + 2 * pw - kw) / sw) + 1;
    c = s.channels;
    inputMax = 1;
    if (s.pool) {
      const [qh, qw] = pairOf(s.pool.size, 1);
      h = Math.floor(h / qh);
      w = Math.floor(w / qw);
      if (s.pool.kind === 'sum') inputMax = qh * qw;
    }
  }
  let fanIn = c * h * w;
  o.dense.forEach((size, d) => {
    const last = d === o.dense.length - 1;
    const layer: Record<string, unknown> = { size, probBits: 4, prob: Array.from({ length: size }, () => Array.from({ length: fanIn }, draw)), ...neuron(size, fanIn, last) };
    if (o.denseLanes?.[d] !== undefined) layer.lanes = o.denseLanes[d];
    layers.push(layer);
    fanIn = size;
    inputMax = 1;
  });
  const model: ModelInput = {
    format: FORMAT,
    name: o.name ?? `conv${o.seed}`,
    seed: (o.seed * 2654435761) >>> 0,
    timesteps: o.timesteps ?? 3,
    sampling: { mode: o.mode ?? 'time-ensemble', samples: o.samples ?? 1 },
    input: { size: o.shape[0] * o.shape[1] * o.shape[2], encoding: o.encoding ?? 'rate', shape: o.shape },
    layers: layers as ModelInput['layers'],
  };
  if (o.readout === 'potential') model.readout = { mode: 'potential' };
  return model;
}


/**
 * The example architecture of issue 12: 1×28×28 direct input → conv 5×5 ×16, or-pool 2 → conv 5×5 ×32,
 * or-pool 2 → dense 10 (potential readout), T = 8, k = 4 (docs/engine.md measures it).
 */
export const EXAMPLE_CONV: RandomConvOptions = {
  seed: 7,
  name: 'convmnist',
  shape: [1, 28, 28],
  encoding: 'direct',
  timesteps: 8,
  convs: [
    { channels: 16, kernel: 5, pool: { kind: 'or', size: 2 }, probBits: 4 },
    { channels: 32, kernel: 5, pool: { kind: 'or', size: 2 }, probBits: 4 },
  ],
  dense: [10],
  readout: 'potential',
  membraneBits: 12,
  thresholdScale: 0.5,
};
