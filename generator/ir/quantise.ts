/** Probability quantisation (semantics §2). */

/** P(w = +1) of code q with k bits. */
export function codeProbability(q: number, k: number): number {
  const full = (1 << k) - 1;
  return q === full ? 1 : q / (1 << k);
}

/** Nearest representable level to p; ties go to the lower code. */
export function quantiseProbability(p: number, k: number): number {
  const full = (1 << k) - 1;
  const scaled = p * (1 << k);
  // Levels below the top are q / 2^k for q = 0..full-1; the top code means 1.
  let q = Math.min(Math.max(Math.ceil(scaled - 0.5), 0), full - 1);
  if (Math.abs(1 - p) < Math.abs(p - codeProbability(q, k))) q = full;
  return q;
}

/** An input intensity in [0,1] as the 8-bit value the hardware sees. */
export function quantiseIntensity(x: number): number {
  return Math.min(255, Math.max(0, Math.round(x * 255)));
}
