/** Seeded random bsnn/1 models, for tests, benchmarks and examples before training lands. */
import { FORMAT, type ModelInput } from './schema.js';

/** mulberry32's 32-bit outputs, one per call: the seeded PRNG of everything outside the hardware semantics. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform values in [0, 1) from mulberry32, for building models. */
export function prng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

export interface RandomModelOptions {
  seed: number;
  name?: string;
  inputs: number;
  /** Sizes of the layers, hidden and output. */
  layers: number[];
  probBits?: number | number[];
  lanes?: (number | undefined)[];
  eventsPerCycle?: (number | undefined)[];
  timesteps?: number;
  samples?: number;
  mode?: 'time-ensemble' | 'per-sample';
  encoding?: 'rate' | 'direct';
  leak?: number;
  reset?: 'subtract' | 'zero';
  membraneBits?: number;
  noise?: { kind: 'uniform' | 'logistic'; bits: number; scale: number };
  bias?: boolean;
  /** Give probabilities as integer codes instead of floats. */
  codes?: boolean;
  /**
   * `potential`: the last layer is a non-spiking readout (docs/semantics.md §4); it gets no threshold, leak,
   * reset, membrane width or noise. Default `spikes`, written as no readout field at all.
   */
  readout?: 'spikes' | 'potential';
  /** Softmax temperature of a potential readout (written only when given). */
  temperature?: number;
}

export function randomModel(o: RandomModelOptions): ModelInput {
  const rnd = prng(o.seed);
  let fanIn = o.inputs;
  const layers = o.layers.map((size, l) => {
    const k = Array.isArray(o.probBits) ? o.probBits[l] : (o.probBits ?? 4);
    const B = o.membraneBits ?? 12;
    // Bimodal probabilities, like trained Bayesian binary networks: most near 0 or 1, some uncertain.
    const draw = () => {
      const u = rnd();
      if (u < 0.35) return rnd() * 0.1;
      if (u < 0.7) return 0.9 + rnd() * 0.1;
      return rnd();
    };
    const rows = Array.from({ length: size }, () =>
      Array.from({ length: fanIn }, () => (o.codes ? Math.floor(rnd() * (1 << k)) : Math.round(draw() * 1e4) / 1e4)),
    );
    const inputScale = l === 0 && o.encoding === 'direct' ? 64 : 1;
    const thrBase = Math.max(1, Math.round((Math.sqrt(fanIn) * inputScale) / 2));
    const layer: Record<string, unknown> = {
      size,
      probBits: k,
      [o.codes ? 'probCodes' : 'prob']: rows,
      threshold: rnd() < 0.5 ? thrBase : Array.from({ length: size }, () => Math.min(2 ** (B - 1) - 1, 1 + Math.floor(rnd() * 2 * thrBase))),
      leak: o.leak ?? 0,
      reset: o.reset ?? 'subtract',
      membraneBits: B,
    };
    if (o.bias) layer.bias = Array.from({ length: size }, () => Math.floor(rnd() * 5) - 2);
    if (o.noise) layer.noise = o.noise;
    if (o.lanes?.[l] !== undefined) layer.lanes = o.lanes[l];
    if (o.eventsPerCycle?.[l] !== undefined) layer.eventsPerCycle = o.eventsPerCycle[l];
    if (o.readout === 'potential' && l === o.layers.length - 1) {
      // The readout layer has none of these (they would be ignored); the schema refuses noise here.
      for (const key of ['threshold', 'leak', 'reset', 'membraneBits', 'noise']) delete layer[key];
    }
    fanIn = size;
    return layer;
  });
  const model: ModelInput = {
    format: FORMAT,
    name: o.name ?? `rand${o.seed}`,
    seed: (o.seed * 2654435761) >>> 0,
    timesteps: o.timesteps ?? 4,
    sampling: { mode: o.mode ?? 'time-ensemble', samples: o.samples ?? 1 },
    input: { size: o.inputs, encoding: o.encoding ?? 'rate' },
    layers: layers as ModelInput['layers'],
  };
  if (o.readout === 'potential') model.readout = o.temperature === undefined ? { mode: 'potential' } : { mode: 'potential', temperature: o.temperature };
  return model;
}

/**
 * The one generator of seeded random inputs: `count` vectors of `size` uniform draws in [0, 1) from prng(seed).
 * Its two views below keep the streams their recorded figures were made with.
 */
function uniformVectors(seed: number, count: number, size: number): Float64Array[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: size }, () => rnd()));
}

/** Random 8-bit input vectors (estimate, cosim and tests without a data set). */
export function randomInputs(seed: number, count: number, size: number): Uint8Array[] {
  return uniformVectors(seed ^ 0x5bd1e995, count, size).map((u) => Uint8Array.from(u, (v) => Math.floor(v * 256)));
}

/** Random intensities in [0, 1) (bsnn import's --check; docs/nir.md's figures come from this stream). */
export function randomIntensities(seed: number, count: number, size: number): number[][] {
  return uniformVectors(seed, count, size).map((u) => Array.from(u));
}
