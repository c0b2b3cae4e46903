/**
 * Temperature scaling (Guo et al., ICML 2017): the one scalar that maps readout counts to probabilities,
 * softmax(temperature · counts / (S·T)), fitted to minimise the NLL on held-out data. The NLL is convex in the
 * scale, so a golden-section search on its logarithm finds the optimum.
 */
import { BsnnError } from '../util/errors.js';
import { softmaxProbabilities } from './metrics.js';

function meanNll(counts: readonly ArrayLike<number>[], labels: ArrayLike<number>, scale: number): number {
  let nll = 0;
  for (let i = 0; i < counts.length; i++) nll -= Math.log(Math.max(softmaxProbabilities(counts[i], scale)[labels[i]], Number.MIN_VALUE));
  return nll / counts.length;
}

/** The temperature minimising the NLL; `perInference` = S·T (counts are sums over that many timesteps). */
export function fitTemperature(counts: readonly ArrayLike<number>[], labels: ArrayLike<number>, perInference: number): number {
  if (counts.length === 0) throw new BsnnError('calibration: no held-out inputs to fit the temperature on');
  let lo = Math.log(1e-4);
  let hi = Math.log(1e4);
  const phi = (Math.sqrt(5) - 1) / 2;
  const f = (logT: number) => meanNll(counts, labels, Math.exp(logT) / perInference);
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let it = 0; it < 60; it++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = f(b);
    }
  }
  // Six significant digits: the model file stays readable and the value is reproducible.
  return Number(Math.exp((lo + hi) / 2).toPrecision(6));
}
