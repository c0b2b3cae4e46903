/** Threshold-noise tables η[r] (semantics §2): built once here, read by golden model and RTL alike. */
import type { NoiseSpec } from '../model/schema.js';

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

export function noiseTable(spec: NoiseSpec): Int32Array {
  const size = 1 << spec.bits;
  const t = new Int32Array(size);
  for (let r = 0; r < size; r++) {
    if (spec.kind === 'uniform') {
      t[r] = (r - size / 2) * spec.scale; // an integer ≥ 1, checked by validateModel
    } else {
      const u = (r + 0.5) / size;
      t[r] = roundHalfAway(spec.scale * Math.log(u / (1 - u)));
    }
  }
  return t;
}

/** Bits of a signed word holding every entry. */
export function signedBitsFor(values: ArrayLike<number>): number {
  let bits = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    while (v < -(2 ** (bits - 1)) || v > 2 ** (bits - 1) - 1) bits++;
  }
  return bits;
}
