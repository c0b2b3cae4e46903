/**
 * Standard normal noise for the trainer's local-reparameterisation draws, seeded. tfjs' randomNormal draws in
 * JavaScript with Box–Muller and took about a quarter of every training step; a table of equal-probability
 * quantiles, indexed by 14 random bits, is several times faster. It is a discrete Gaussian of 16,384 levels
 * (tails cut at about 4.0 σ), scaled to unit variance: ample for noise that itself stands for a sum of
 * Bernoulli weights.
 *
 * The bits come from mulberry32, whose period is 2^32: every (epoch, batch, layer, timestep) seed starts a
 * stream somewhere on that one cycle. A 40-epoch MNIST run draws about 4.9·10⁹ values, so streams of later
 * epochs partly repeat those of earlier epochs (applied to other batches of examples); within an epoch
 * they do not overlap.
 */
import { tf } from './backend.js';
import { mulberry32 } from '../model/random.js';

const INDEX_BITS = 14;

/** Φ⁻¹(p) for 0 < p < 1 (P. J. Acklam's rational approximation, relative error below 1.2e-9). */
export function inverseNormalCdf(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

let table: Float32Array | null = null;

/** The 2^14 quantiles Φ⁻¹((i + ½) / 2^14), rescaled so that the table's variance is exactly 1. */
export function quantileTable(): Float32Array {
  if (table) return table;
  const n = 1 << INDEX_BITS;
  const q = Array.from({ length: n }, (_, i) => inverseNormalCdf((i + 0.5) / n));
  const scale = 1 / Math.sqrt(q.reduce((s, v) => s + v * v, 0) / n);
  table = Float32Array.from(q, (v) => v * scale);
  return table;
}

/** `size` standard normal values from `seed` (two per 32-bit mulberry32 output). */
export function normalNoise(size: number, seed: number): Float32Array {
  return normalNoiseInto(new Float32Array(size), seed);
}

/** normalNoise(out.length, seed), written into `out` (a view into a larger array saves a copy). */
export function normalNoiseInto(out: Float32Array, seed: number): Float32Array {
  const t = quantileTable();
  const size = out.length;
  const mask = (1 << INDEX_BITS) - 1;
  let a = seed >>> 0;
  for (let i = 0; i < size; i += 2) {
    a = (a + 0x6d2b79f5) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    z ^= z >>> 14;
    out[i] = t[z & mask];
    if (i + 1 < size) out[i + 1] = t[(z >>> 16) & mask];
  }
  return out;
}

/** A [rows, cols] tensor of standard normal noise from `seed`. */
export function randomNormal2d(shape: [number, number], seed: number): tf.Tensor2D {
  return tf.tensor2d(normalNoise(shape[0] * shape[1], seed), shape);
}

/** `size` uniform values in [0, 1) from `seed` (the held weight samples of per-sample training). */
export function uniformNoise(size: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  const out = new Float32Array(size);
  // 24 bits: exactly representable in float32, so u < p compares as it would in exact arithmetic.
  for (let i = 0; i < size; i++) out[i] = (next() >>> 8) / 16777216;
  return out;
}

/**
 * A [rows, cols] tensor of entries of `table` (2^bits of them) at uniformly drawn indices: threshold noise
 * η[r] with r uniform, as the hardware draws it (semantics §2, §4), from a seeded stream of its own.
 */
export function randomTable2d(table: Float32Array, bits: number, shape: [number, number], seed: number): tf.Tensor2D {
  return tf.tensor2d(tableDraws(table, bits, shape[0] * shape[1], seed), shape);
}

/** `size` entries of `table` (2^bits of them) at uniformly drawn indices, from `seed` (the conv op's η too). */
export function tableDraws(table: Float32Array, bits: number, size: number, seed: number): Float32Array {
  if (table.length !== 1 << bits) throw new Error(`tableDraws: a table of ${table.length} entries for ${bits} bits`);
  const next = mulberry32(seed);
  const out = new Float32Array(size);
  const mask = (1 << bits) - 1;
  for (let i = 0; i < size; i++) out[i] = table[next() & mask];
  return out;
}
