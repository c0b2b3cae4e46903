/**
 * Real-valued layer → bsnn integers (docs/nir.md "Binarisation"). Per step a neuron adds g·(W·s) + c, with
 * g = r (IF) or (dt/τ)·r (LIF, LI) and c = g·b + (dt/τ)·v_leak. With a scale α_n per neuron, a weight
 * becomes P(w = +1) = p = (1 + g·W/α_n)/2, so E[α_n·w] = α_n(2p − 1) = g·W (clipped to ±α_n); the membrane
 * is counted in units of α_n: threshold round(v_th/α_n) (≥ 1) and bias round(c/α_n). For a conv layer n is
 * an output channel and its row the C_in·kh·kw kernel: one α, θ and bias per channel, shared by every position.
 */
import { codeProbability, quantiseProbability } from '../ir/quantise.js';
import type { FloatLayer } from './float-net.js';

export interface BinariseOptions {
  probBits: number;
  /** α_n is this quantile of |g·W| over the neuron's inputs: 1 = the largest (nothing clipped). */
  clip: number;
  /** Potential readout: one α for the whole layer, so that the argmax compares like with like. */
  sharedScale: boolean;
  /** Codes and scales carried by a bsnn-exported file, used when they agree with the weights. */
  carried?: { codes: Float64Array; scale: Float64Array; probBits: number };
}

export interface LayerStats {
  clipped: number;
  weights: number;
  /** Largest (|g·W| − α)/α of a clipped weight. */
  maxClip: number;
  /** Largest |α(2·level − 1) − g·W| / α after k-bit quantisation (clipping excluded). */
  maxProbError: number;
  /** Largest |θ·α − v_th| / v_th. */
  maxThresholdError: number;
  thresholdsRaised: number;
  /** Largest |b·α − c| / v_th (units of the threshold). */
  maxBiasError: number;
  /** Rows whose every g·W is 0 (no input current): p = 1/2, mean 0 but random, so not exact. */
  zeroRows: number;
  /** Whether carried codes were used (true), rejected as stale (false) or absent (undefined). */
  carried?: boolean;
}

export interface IntegerLayer {
  probBits: number;
  probCodes: number[][];
  threshold: number[];
  bias: number[];
  scale: Float64Array;
  stats: LayerStats;
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/**
 * g and c per neuron (see the file comment), and gw = g·inputScale, the gain on a weight: after an AvgPool2d
 * bsnn's inputs are window counts, area times the average, so the weights carry 1/area.
 */
export interface StepGain {
  g: Float64Array;
  c: Float64Array;
  gw: Float64Array;
}

export function stepGain(L: FloatLayer): StepGain {
  const g = L.kind === 'IF' ? Float64Array.from(L.r) : L.r.map((r, n) => r * L.decay[n]);
  const c = g.map((gn, n) => gn * L.bias[n] + (L.kind === 'IF' ? 0 : L.decay[n] * L.vLeak[n]));
  const s = L.inputScale ?? 1;
  return { g, c, gw: g.map((gn) => gn * s) };
}

function scales(L: FloatLayer, g: Float64Array, o: BinariseOptions): Float64Array {
  const per = Array.from({ length: L.size }, (_, n) => quantile(Array.from(L.weight.subarray(n * L.fanIn, (n + 1) * L.fanIn), (w) => Math.abs(g[n] * w)), o.clip));
  const top = Math.max(...per);
  // An all-zero row has no scale of its own: it borrows the layer's (its weights become p = 1/2).
  const fallback = top > 0 ? top : 1;
  return Float64Array.from(per, (a) => (o.sharedScale ? fallback : a > 0 ? a : fallback));
}

/** Carried codes agree with the weights when α(2·level − 1) = g·W to float32 precision. */
function carriedAgree(L: FloatLayer, g: Float64Array, c: NonNullable<BinariseOptions['carried']>): boolean {
  if (c.codes.length !== L.size * L.fanIn || c.scale.length !== L.size) return false;
  // A scale that is not a positive number would compare as "agreeing" (NaN) or divide by 0.
  if (!c.scale.every((a) => a > 0 && Number.isFinite(a))) return false;
  for (let n = 0; n < L.size; n++) {
    for (let i = 0; i < L.fanIn; i++) {
      const mean = c.scale[n] * (2 * codeProbability(c.codes[n * L.fanIn + i], c.probBits) - 1);
      if (Math.abs(mean - g[n] * L.weight[n * L.fanIn + i]) > 1e-5 * c.scale[n]) return false;
    }
  }
  return true;
}

export function binarise(L: FloatLayer, o: BinariseOptions): IntegerLayer {
  const { gw: g, c } = stepGain(L);
  const useCarried = o.carried !== undefined && carriedAgree(L, g, o.carried);
  const alpha = useCarried ? o.carried!.scale : scales(L, g, o);
  const k = useCarried ? o.carried!.probBits : o.probBits;
  const stats: LayerStats = { clipped: 0, weights: L.size * L.fanIn, maxClip: 0, maxProbError: 0, maxThresholdError: 0, thresholdsRaised: 0, maxBiasError: 0, zeroRows: 0, carried: o.carried ? useCarried : undefined };
  const probCodes: number[][] = [];
  const threshold: number[] = [];
  const bias: number[] = [];
  for (let n = 0; n < L.size; n++) {
    const a = alpha[n];
    const row: number[] = [];
    for (let i = 0; i < L.fanIn; i++) {
      const w = g[n] * L.weight[n * L.fanIn + i];
      if (Math.abs(w) > a * (1 + 1e-12)) {
        stats.clipped++;
        stats.maxClip = Math.max(stats.maxClip, (Math.abs(w) - a) / a);
      }
      const x = Math.max(-1, Math.min(1, w / a));
      const q = useCarried ? o.carried!.codes[n * L.fanIn + i] : quantiseProbability((1 + x) / 2, k);
      stats.maxProbError = Math.max(stats.maxProbError, Math.abs(2 * codeProbability(q, k) - 1 - x));
      row.push(q);
    }
    probCodes.push(row);
    if (L.weight.subarray(n * L.fanIn, (n + 1) * L.fanIn).every((w) => g[n] * w === 0)) stats.zeroRows++;
    const b = Math.round(c[n] / a);
    bias.push(b === 0 ? 0 : b); // no -0 in the JSON
    if (L.kind !== 'LI') {
      const exact = L.vThreshold[n] / a;
      const t = Math.max(1, Math.round(exact));
      if (Math.round(exact) < 1) stats.thresholdsRaised++;
      threshold.push(t);
      stats.maxThresholdError = Math.max(stats.maxThresholdError, Math.abs(t - exact) / exact);
      stats.maxBiasError = Math.max(stats.maxBiasError, Math.abs(b - c[n] / a) / exact);
    }
  }
  return { probBits: k, probCodes, threshold, bias, scale: alpha, stats };
}

export interface LeakMapping {
  /** bsnn leak shift λ (0 = no leak). */
  leak: number;
  /** Largest |τ_bsnn/τ − 1| over the neurons, τ_bsnn = dt·2^λ. */
  maxTauError: number;
  /** The leak was slower than 2^-16 per step and is dropped. */
  dropped: boolean;
}

/** dt/τ → one shift per layer: v −= v >> λ decays by 2^−λ per step; λ from the geometric mean of dt/τ. */
export function leakShift(L: FloatLayer): LeakMapping {
  if (L.kind === 'IF') return { leak: 0, maxTauError: 0, dropped: false };
  const meanLog = L.decay.reduce((s, d) => s + Math.log2(1 / d), 0) / L.size;
  const lambda = Math.max(1, Math.round(meanLog));
  if (lambda > 16) return { leak: 0, maxTauError: 1, dropped: true };
  const maxTauError = L.decay.reduce((m, d) => Math.max(m, Math.abs(2 ** lambda * d - 1)), 0);
  return { leak: lambda, maxTauError, dropped: false };
}
