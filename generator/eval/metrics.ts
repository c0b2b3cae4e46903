/**
 * Classification metrics from output vote vectors (the golden model's `counts`: output spikes summed over
 * samples and timesteps) and labels.
 *
 * Predicted probabilities: p_c = (votes_c + α) / (Σ_k votes_k + C·α), with α = SMOOTHING_ALPHA = 0.5 unless
 * given. Raw vote fractions give p = 0 to a class that got no votes, and one such true class makes the NLL
 * infinite (and all-zero vote vectors have no distribution at all). α = ½ is the Krichevsky–Trofimov /
 * Jeffreys-prior (Dirichlet(½,…,½)) estimator: it keeps every p_c > 0, maps zero votes to the uniform
 * distribution, and pulls a vote distribution less towards uniform than Laplace's add-one (α = 1).
 *
 * - prediction: argmax of the votes, ties to the lowest index (as the hardware does); p is a monotone map of
 *   the votes, so this is also the argmax of p.
 * - accuracy: fraction of predictions equal to the label.
 * - NLL: mean of −ln p_label (nats).
 * - entropy: mean of −Σ_c p_c ln p_c (nats).
 * - ECE (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017, eq. 3): confidence = max_c p_c;
 *   M = 15 equal-width bins B_m = ((m−1)/M, m/M] (right-closed; a confidence of 0 would go to the first bin);
 *   ECE = Σ_m (|B_m| / n) · |acc(B_m) − conf(B_m)|.
 */
import { BsnnError } from '../util/errors.js';

export const SMOOTHING_ALPHA = 0.5;
export const ECE_BINS = 15;

export interface MetricsOptions {
  /** Additive smoothing α (> 0). Default SMOOTHING_ALPHA = 0.5. */
  alpha?: number;
  /** Number of equal-width confidence bins. Default ECE_BINS = 15. */
  bins?: number;
}

export interface ReliabilityBin {
  /** Bin bounds: (lo, hi]. */
  lo: number;
  hi: number;
  count: number;
  /** Mean confidence of the inputs in the bin (NaN when empty). */
  confidence: number;
  /** Accuracy of the inputs in the bin (NaN when empty). */
  accuracy: number;
}

export interface Metrics {
  n: number;
  classes: number;
  alpha: number;
  accuracy: number;
  /** Mean negative log-likelihood of the labels, nats. */
  nll: number;
  /** Expected calibration error, in [0, 1]. */
  ece: number;
  /** Mean predictive entropy, nats. */
  entropy: number;
  /** Mean confidence (max p). */
  confidence: number;
  reliability: ReliabilityBin[];
  predictions: Uint8Array;
}

/** Index of the largest value; ties go to the lowest index. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Smoothed predicted probabilities from one vote vector. */
export function voteProbabilities(votes: ArrayLike<number>, alpha: number = SMOOTHING_ALPHA): Float64Array {
  const C = votes.length;
  if (C === 0) throw new BsnnError('metrics: a vote vector has no classes');
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new BsnnError(`metrics: the smoothing α must be a positive number, got ${alpha}`);
  let total = 0;
  for (let c = 0; c < C; c++) {
    const v = votes[c];
    if (!(v >= 0) || !Number.isFinite(v)) throw new BsnnError(`metrics: votes must be non-negative numbers, got ${v}`);
    total += v;
  }
  const den = total + C * alpha;
  return Float64Array.from({ length: C }, (_, c) => (votes[c] + alpha) / den);
}

/**
 * Bin index of a confidence for right-closed equal-width bins ((m−1)/M, m/M]. Vote-based confidences are ratios
 * of small integers and often land exactly on an edge (1/3 = 5/15, 0.6 = 9/15); a product within 1e-9 of an
 * integer is taken as on the edge, so such values go to the lower bin whatever the floating-point rounding.
 */
export function confidenceBin(confidence: number, bins: number = ECE_BINS): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins - 1e-9) - 1));
}

/** All metrics over a set of inputs, from spike votes (smoothed vote fractions as probabilities). */
export function evaluateVotes(
  counts: ReadonlyArray<ArrayLike<number>>,
  labels: ArrayLike<number>,
  opts: MetricsOptions = {},
): Metrics {
  const alpha = opts.alpha ?? SMOOTHING_ALPHA;
  return { ...evaluateWith(counts, labels, (votes) => voteProbabilities(votes, alpha), opts.bins), alpha };
}

/**
 * Predicted probabilities of a potential readout: softmax(scale · counts), with scale = temperature / (S·T)
 * (the model's readout temperature applied to the time-averaged readout current).
 */
export function softmaxProbabilities(counts: ArrayLike<number>, scale: number): Float64Array {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new BsnnError(`metrics: the softmax scale must be a positive number, got ${scale}`);
  let max = -Infinity;
  for (let c = 0; c < counts.length; c++) max = Math.max(max, counts[c]);
  const p = Float64Array.from(counts, (v) => Math.exp(scale * (v - max)));
  let sum = 0;
  for (const v of p) sum += v;
  for (let c = 0; c < p.length; c++) p[c] /= sum;
  return p;
}

/** All metrics over a set of inputs, from signed readout counts (potential readout). */
export function evaluatePotentials(counts: ReadonlyArray<ArrayLike<number>>, labels: ArrayLike<number>, scale: number, opts: MetricsOptions = {}): Metrics {
  return { ...evaluateWith(counts, labels, (v) => softmaxProbabilities(v, scale), opts.bins), alpha: 0 };
}

/** The metrics of §header; the prediction is argmax of the counts (the hardware's class), p = probabilities(counts). */
function evaluateWith(
  counts: ReadonlyArray<ArrayLike<number>>,
  labels: ArrayLike<number>,
  probabilities: (counts: ArrayLike<number>) => Float64Array,
  bins: number = ECE_BINS,
): Omit<Metrics, 'alpha'> {
  const M = bins;
  if (!Number.isInteger(M) || M < 1) throw new BsnnError(`metrics: the number of bins must be a positive integer, got ${M}`);
  const n = counts.length;
  if (labels.length !== n) throw new BsnnError(`metrics: ${n} vote vectors but ${labels.length} labels`);
  if (n === 0) throw new BsnnError('metrics: no inputs to evaluate');
  const C = counts[0].length;

  let correct = 0;
  let nll = 0;
  let entropy = 0;
  let confSum = 0;
  const binCount = new Float64Array(M);
  const binConf = new Float64Array(M);
  const binCorrect = new Float64Array(M);
  const predictions = new Uint8Array(n);

  for (let i = 0; i < n; i++) {
    const votes = counts[i];
    if (votes.length !== C) throw new BsnnError(`metrics: vote vector ${i} has ${votes.length} classes, the first has ${C}`);
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= C) throw new BsnnError(`metrics: label ${y} of input ${i} is not a class 0..${C - 1}`);
    const p = probabilities(votes);
    const pred = argmax(votes);
    predictions[i] = pred;
    const conf = p[pred];
    const ok = pred === y ? 1 : 0;
    correct += ok;
    nll -= Math.log(Math.max(p[y], Number.MIN_VALUE));
    for (let c = 0; c < C; c++) if (p[c] > 0) entropy -= p[c] * Math.log(p[c]);
    confSum += conf;
    const b = confidenceBin(conf, M);
    binCount[b]++;
    binConf[b] += conf;
    binCorrect[b] += ok;
  }

  let ece = 0;
  const reliability: ReliabilityBin[] = [];
  for (let b = 0; b < M; b++) {
    const k = binCount[b];
    const confidence = k ? binConf[b] / k : NaN;
    const accuracy = k ? binCorrect[b] / k : NaN;
    if (k) ece += (k / n) * Math.abs(accuracy - confidence);
    reliability.push({ lo: b / M, hi: (b + 1) / M, count: k, confidence, accuracy });
  }

  return {
    n,
    classes: C,
    accuracy: correct / n,
    nll: nll / n,
    ece,
    entropy: entropy / n,
    confidence: confSum / n,
    reliability,
    predictions,
  };
}
