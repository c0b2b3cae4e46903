/** Bit widths used by the emitter: ceil(log2(x)), and the width of an index into x entries (at least 1). */
export function clog2(x: number): number {
  let b = 0;
  while (2 ** b < x) b++;
  return b;
}

/** Bits to address `count` entries (at least 1). */
export const addrBits = (count: number): number => Math.max(1, clog2(count));

/** Bits to hold the values 0..max. */
export const countBits = (max: number): number => Math.max(1, clog2(max + 1));

/**
 * W, the signed width of a layer's neuron-update datapath: holds the leaked membrane (B bits), the
 * accumulator (A) and θ + η (η of `etaBits`) with two bits to spare, so the sum and compares never overflow.
 */
export const datapathBits = (membraneBits: number, accBits: number, etaBits: number): number => Math.max(membraneBits, accBits, etaBits) + 2;

/** Bits of a signed (two's complement) word holding every value in [−max, max]. */
export const signedWidth = (max: number): number => countBits(max) + 1;

/**
 * Bits of the vote counters. Spike counts are unsigned and reach S·T. Potential counts are signed sums of
 * S·T values acc + b, each of magnitude at most M·xmax + max|b| (M, xmax and b of the readout layer).
 */
export function voteBitsFor(samplesTimesSteps: number, potential: { fanIn: number; inputMax: number; maxAbsBias: number } | null): number {
  if (!potential) return countBits(samplesTimesSteps);
  return signedWidth(samplesTimesSteps * (potential.fanIn * potential.inputMax + potential.maxAbsBias));
}

/** W of the readout layer: acc (A bits) + b (bias words of `biasBits`), one bit to spare for the sum. */
export const readoutValueBits = (accBits: number, biasBits: number): number => Math.max(accBits, biasBits) + 1;
