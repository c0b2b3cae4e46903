/**
 * The random-number contract of docs/semantics.md §1–2, checked against independent re-derivations:
 * - the LFSR polynomial is primitive (proved algebraically over GF(2), the checker cross-checked by brute force);
 * - leap-forward draws equal single steps;
 * - weight samples are Bernoulli with the documented probabilities and show no measurable correlation;
 * - stream seeds follow the documented formula, are never 0 and are distinct;
 * - probability quantisation picks the nearest level, ties to the lower code.
 */
import { describe, expect, it } from 'vitest';
import * as lfsr from '../generator/rng/lfsr.js';
import { LFSR_TAPS, LFSR_WIDTH, Lfsr, leapMasks, leapTables, mix32, stepOnce, streamSeed, StreamId } from '../generator/rng/lfsr.js';
import { codeProbability, quantiseProbability } from '../generator/ir/quantise.js';
import { prng } from '../generator/model/random.js';

// ---------------------------------------------------------------------------------------------------------
// GF(2)[x] arithmetic on BigInt: bit i is the coefficient of x^i.
// ---------------------------------------------------------------------------------------------------------

const deg = (a: bigint): number => (a === 0n ? -1 : a.toString(2).length - 1);

function polyMod(a: bigint, m: bigint): bigint {
  const dm = deg(m);
  for (let d = deg(a); d >= dm; d = deg(a)) a ^= m << BigInt(d - dm);
  return a;
}

function polyMulMod(a: bigint, b: bigint, m: bigint): bigint {
  const top = 1n << BigInt(deg(m));
  a = polyMod(a, m);
  let r = 0n;
  while (b !== 0n) {
    if (b & 1n) r ^= a;
    b >>= 1n;
    a <<= 1n;
    if (a & top) a ^= m;
  }
  return r;
}

/** x^e mod m, e a BigInt. */
function xPowMod(e: bigint, m: bigint): bigint {
  let result = polyMod(1n, m);
  let base = polyMod(2n, m); // the polynomial x
  while (e > 0n) {
    if (e & 1n) result = polyMulMod(result, base, m);
    base = polyMulMod(base, base, m);
    e >>= 1n;
  }
  return result;
}

function polyGcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, polyMod(a, b)];
  return a;
}

/** Reciprocal x^n · p(1/x). */
function reciprocal(p: bigint): bigint {
  const n = deg(p);
  let r = 0n;
  for (let i = 0; i <= n; i++) if ((p >> BigInt(i)) & 1n) r |= 1n << BigInt(n - i);
  return r;
}

function primeFactors(n: bigint): bigint[] {
  const out: bigint[] = [];
  for (let d = 2n; d * d <= n; d++) {
    if (n % d === 0n) {
      out.push(d);
      while (n % d === 0n) n /= d;
    }
  }
  if (n > 1n) out.push(n);
  return out;
}

/** Order test: x has multiplicative order exactly 2^n − 1 modulo p (n = deg p). */
function isPrimitive(p: bigint, factors?: bigint[]): boolean {
  const n = deg(p);
  if (n < 1 || (p & 1n) === 0n) return false; // x must be a unit
  const order = (1n << BigInt(n)) - 1n;
  if (xPowMod(order, p) !== 1n) return false;
  for (const q of factors ?? primeFactors(order)) if (xPowMod(order / q, p) === 1n) return false;
  return true;
}

/** Rabin's irreducibility test. */
function isIrreducible(p: bigint): boolean {
  const n = deg(p);
  if (n < 1) return false;
  const xPow2 = (j: number) => xPowMod(1n << BigInt(j), p); // x^(2^j) mod p
  if (xPow2(n) !== polyMod(2n, p)) return false;
  for (const r of primeFactors(BigInt(n))) {
    const h = xPow2(n / Number(r)) ^ polyMod(2n, p);
    if (deg(polyGcd(p, h)) !== 0) return false;
  }
  return true;
}

/** Characteristic polynomial of an n-bit Fibonacci register (shift left, bit 0 newest, fb = XOR of taps).
 *  Output sequence a: bit i of the state at time t is a[t+n-1-i], so a[t+n] = Σ_taps a[t+n-1-T] and the
 *  characteristic polynomial is x^n + Σ_taps x^(n-1-T). */
function charPoly(n: number, taps: readonly number[]): bigint {
  let p = 1n << BigInt(n);
  for (const t of taps) p ^= 1n << BigInt(n - 1 - t);
  return p;
}

const polyFromExponents = (...e: number[]) => e.reduce((acc, i) => acc | (1n << BigInt(i)), 0n);

/** A generic n-bit Fibonacci register, for brute-force periods. */
function genericStep(s: number, n: number, taps: readonly number[]): number {
  let fb = 0;
  for (const t of taps) fb ^= (s >>> t) & 1;
  const mask = n === 32 ? 0xffffffff : (1 << n) - 1;
  return (((s << 1) | fb) & mask) >>> 0;
}

function bruteForcePeriod(n: number, taps: readonly number[]): number {
  let s = genericStep(1, n, taps);
  let period = 1;
  while (s !== 1) {
    s = genericStep(s, n, taps);
    period++;
    if (period > 2 ** n) return -1; // not a permutation containing state 1 in a cycle
  }
  return period;
}

/** Berlekamp–Massey over GF(2): the shortest connection polynomial C (C(0) = 1) of a bit sequence. */
function berlekampMassey(s: number[]): { L: number; C: bigint } {
  let C = 1n;
  let B = 1n;
  let L = 0;
  let m = 1;
  for (let nIdx = 0; nIdx < s.length; nIdx++) {
    let d = s[nIdx];
    for (let i = 1; i <= L; i++) if ((C >> BigInt(i)) & 1n) d ^= s[nIdx - i];
    if (d === 0) m++;
    else if (2 * L <= nIdx) {
      const Tm = C;
      C ^= B << BigInt(m);
      L = nIdx + 1 - L;
      B = Tm;
      m = 1;
    } else {
      C ^= B << BigInt(m);
      m++;
    }
  }
  return { L, C };
}

/** 32-bit test states from the shared seeded PRNG (not part of the semantics). */
function prng32(seed: number): () => number {
  const next = prng(seed);
  return () => Math.floor(next() * 4294967296) >>> 0;
}

/** Collects mismatches in hot loops (one expect per test is much faster than one per value). */
class Mismatches {
  readonly list: string[] = [];
  eq(got: unknown, want: unknown, what: string): void {
    if (!Object.is(got, want) && this.list.length < 20) this.list.push(`${what}: got ${String(got)}, want ${String(want)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------

describe('LFSR polynomial (semantics §1.1)', () => {
  const N32 = (1n << 32n) - 1n;
  const FACTORS_2_32_MINUS_1 = [3n, 5n, 17n, 257n, 65537n];
  const DOC_POLY = polyFromExponents(32, 22, 2, 1, 0); // x^32 + x^22 + x^2 + x + 1

  it('the GF(2) checker agrees with brute-force periods for every register of 2..12 bits', () => {
    // Every polynomial with constant term 1 corresponds to exactly one tap set containing tap n−1.
    // φ(2^n−1)/n primitive polynomials exist of degree n: the counts must match that too.
    const phi = (v: bigint) => primeFactors(v).reduce((acc, p) => (acc / p) * (p - 1n), v);
    for (let n = 2; n <= 12; n++) {
      let maximal = 0;
      for (let mask = 0; mask < 1 << (n - 1); mask++) {
        const taps = [n - 1, ...Array.from({ length: n - 1 }, (_, t) => t).filter((t) => (mask >> t) & 1)];
        const p = charPoly(n, taps);
        const period = bruteForcePeriod(n, taps);
        const full = period === 2 ** n - 1;
        expect(isPrimitive(p), `n=${n} taps=${taps}`).toBe(full);
        expect(isPrimitive(reciprocal(p)), `reciprocal, n=${n} taps=${taps}`).toBe(full);
        if (full) {
          maximal++;
          expect(isIrreducible(p)).toBe(true);
        }
      }
      expect(maximal, `primitive polynomials of degree ${n}`).toBe(Number(phi((1n << BigInt(n)) - 1n) / BigInt(n)));
    }
  });

  it('16-bit taps 15,14,12,3 have period exactly 65535 and are judged primitive', () => {
    const taps = [15, 14, 12, 3];
    expect(bruteForcePeriod(16, taps)).toBe(65535);
    const p = charPoly(16, taps);
    expect(p).toBe(polyFromExponents(16, 12, 3, 1, 0));
    expect(isPrimitive(p, [3n, 5n, 17n, 257n])).toBe(true);
    expect(isPrimitive(reciprocal(p))).toBe(true);
    expect(isIrreducible(p)).toBe(true);
  });

  it('non-maximal registers are rejected by both methods', () => {
    // 16-bit taps 15,7: x^16 + x^8 + 1 = (x^8 + x^4 + 1)^2, reducible.
    const p16 = charPoly(16, [15, 7]);
    expect(bruteForcePeriod(16, [15, 7])).toBeLessThan(65535);
    expect(isPrimitive(p16)).toBe(false);
    expect(isIrreducible(p16)).toBe(false);
    // 4-bit taps 3,2,1,0: x^4+x^3+x^2+x+1 is irreducible but x has order 5: the order test must catch it.
    const p4 = charPoly(4, [3, 2, 1, 0]);
    expect(bruteForcePeriod(4, [3, 2, 1, 0])).toBe(5);
    expect(isIrreducible(p4)).toBe(true);
    expect(isPrimitive(p4)).toBe(false);
    // 32 bits, algebraically only: taps 31,15 give x^32 + x^16 + 1.
    const bad32 = charPoly(32, [31, 15]); // x^32 + x^16 + 1 = (x^16 + x^8 + 1)^2
    expect(isPrimitive(bad32, FACTORS_2_32_MINUS_1)).toBe(false);
  });

  it('2^32 − 1 = 3·5·17·257·65537, all prime', () => {
    expect(FACTORS_2_32_MINUS_1.reduce((a, b) => a * b, 1n)).toBe(N32);
    expect(primeFactors(N32)).toEqual(FACTORS_2_32_MINUS_1);
    for (const q of FACTORS_2_32_MINUS_1) expect(primeFactors(q)).toEqual([q]);
  });

  it('stepOnce is the Fibonacci register of LFSR_TAPS', () => {
    expect(LFSR_WIDTH).toBe(32);
    expect([...LFSR_TAPS].sort((a, b) => b - a)).toEqual([31, 21, 1, 0]);
    const rnd = prng32(7);
    const bad = new Mismatches();
    for (let i = 0; i < 20000; i++) {
      const s = i < 32 ? (1 << i) >>> 0 : rnd();
      bad.eq(stepOnce(s), genericStep(s, 32, LFSR_TAPS), `stepOnce(${s})`);
    }
    expect(bad.list).toEqual([]);
    expect(stepOnce(0)).toBe(0);
  });

  it('the characteristic polynomial derived from LFSR_TAPS is primitive, and its reciprocal is the documented one', () => {
    const p = charPoly(32, LFSR_TAPS);
    expect(p).toBe(polyFromExponents(32, 31, 30, 10, 0));
    expect(reciprocal(p)).toBe(DOC_POLY);
    for (const poly of [p, DOC_POLY]) {
      expect(xPowMod(N32, poly)).toBe(1n);
      for (const q of FACTORS_2_32_MINUS_1) expect(xPowMod(N32 / q, poly), `q=${q}`).not.toBe(1n);
      expect(isPrimitive(poly, FACTORS_2_32_MINUS_1)).toBe(true);
      expect(isIrreducible(poly)).toBe(true);
    }
  });

  it('Berlekamp–Massey on stepOnce output finds linear complexity 32 and the documented polynomial', () => {
    // Output bit of each step = the new bit 0. The connection polynomial C(x) = 1 + Σ c_i x^i with
    // a[t] = Σ c_i a[t−i] is the reciprocal of the characteristic polynomial: the documented polynomial.
    for (const seed of [1, 0xdeadbeef, 0x80000000]) {
      let s = seed;
      const bits: number[] = [];
      for (let i = 0; i < 256; i++) {
        s = stepOnce(s);
        bits.push(s & 1);
      }
      const { L, C } = berlekampMassey(bits);
      expect(L).toBe(32);
      expect(C).toBe(DOC_POLY);
    }
  });
});

describe('leap-forward draws (semantics §1.1)', () => {
  const stepK = (s: number, k: number) => {
    for (let i = 0; i < k; i++) s = stepOnce(s);
    return s;
  };

  it('Lfsr.draw(k) equals k single steps, returning the k newest bits, for k = 1..8', () => {
    const rnd = prng32(11);
    const bad = new Mismatches();
    for (let k = 1; k <= 8; k++) {
      const mask = (1 << k) - 1;
      // Chained draws from one stream, and isolated draws from random states (incl. edge states).
      const start = streamSeed(0x1234, StreamId.weight(0, k));
      const g = new Lfsr(start);
      let s = start;
      for (let i = 0; i < 3000; i++) {
        s = stepK(s, k);
        bad.eq(g.draw(k), s & mask, `k=${k} chained draw ${i}`);
        bad.eq(g.state, s, `k=${k} chained state ${i}`);
      }
      for (const s0 of [1, 0x80000000, 0xffffffff, 0x7fffffff, ...Array.from({ length: 2000 }, () => rnd() || 1)]) {
        const h = new Lfsr(s0);
        const want = stepK(s0, k);
        bad.eq(h.draw(k), want & mask, `k=${k} draw from ${s0}`);
        bad.eq(h.state, want, `k=${k} state from ${s0}`);
      }
    }
    expect(bad.list).toEqual([]);
  });

  it('leapMasks and the leap tables (byte, 16-bit and 32-step) agree with single steps', () => {
    const parity = (x: number) => {
      let p = 0;
      for (x >>>= 0; x; x &= x - 1) p ^= 1;
      return p;
    };
    // Optional table layouts: whichever the module exports is checked (the golden model's hot loop has used
    // 16-bit-indexed tables and 32-step leaps at different times).
    const mod = lfsr as Record<string, unknown>;
    const t16 = typeof mod.leapTables16 === 'function' ? (mod.leapTables16 as (k: number) => { lo: Uint8Array; hi: Uint8Array }) : undefined;
    const t32 = typeof mod.leap32Tables === 'function' ? (mod.leap32Tables as () => Uint32Array[])() : undefined;
    expect(t16 !== undefined || t32 !== undefined, 'some wide leap table is exported').toBe(true);
    const rnd = prng32(12);
    const bad = new Mismatches();
    for (let k = 1; k <= 8; k++) {
      const masks = leapMasks(k);
      expect(masks).toHaveLength(k);
      const tb = leapTables(k);
      const tables16 = t16?.(k);
      for (let n = 0; n < 3000; n++) {
        const s = n < 32 ? (1 << n) >>> 0 : rnd();
        const want = stepK(s, k);
        for (let p = 0; p < k; p++) bad.eq(parity(masks[p] & s), (want >>> p) & 1, `leapMasks(${k})[${p}] on ${s}`);
        // Bits p ≥ k of the new state are old bit p − k.
        bad.eq(want >>> k, (s & (0xffffffff >>> k)) >>> 0, `shift by ${k}`);
        bad.eq(tb.t0[s & 255] ^ tb.t1[(s >>> 8) & 255] ^ tb.t2[(s >>> 16) & 255] ^ tb.t3[s >>> 24], want & ((1 << k) - 1), `leapTables(${k}) on ${s}`);
        if (tables16) bad.eq(tables16.lo[s & 0xffff] ^ tables16.hi[s >>> 16], want & ((1 << k) - 1), `leapTables16(${k}) on ${s}`);
      }
    }
    expect(leapMasks(32)).toHaveLength(32);
    if (t32) {
      // The whole state after 32 steps; draw m of the word is (next >>> (32 − m·k)) & (2^k − 1).
      const [u0, u1, u2, u3] = t32;
      for (let n = 0; n < 3000; n++) {
        const s = n < 32 ? (1 << n) >>> 0 : rnd();
        const next = (u0[s & 255] ^ u1[(s >>> 8) & 255] ^ u2[(s >>> 16) & 255] ^ u3[s >>> 24]) >>> 0;
        bad.eq(next, stepK(s, 32), `leap32Tables on ${s}`);
        for (let k = 1; k <= 8; k++) {
          const g = new Lfsr(s);
          for (let m = 1; m * k <= 32; m++) {
            bad.eq(g.draw(k), (next >>> (32 - m * k)) & ((1 << k) - 1), `k=${k} draw ${m} of the 32-step word`);
            bad.eq(g.state, m * k === 32 ? next : ((s << (m * k)) | (next >>> (32 - m * k))) >>> 0, `k=${k} state after ${m} draws`);
          }
        }
      }
    }
    expect(bad.list).toEqual([]);
  });

  it('rejects leaps outside 1..8 and a zero seed', () => {
    expect(() => leapTables(0)).toThrow(RangeError);
    expect(() => leapTables(9)).toThrow(RangeError);
    expect(() => new Lfsr(0)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Weight samples: w = +1 iff r < q or q = 2^k − 1 (semantics §2).
// ---------------------------------------------------------------------------------------------------------

const weight = (r: number, q: number, k: number) => (r < q || q === (1 << k) - 1 ? 1 : -1);

function weightStream(seed: number, l: number, j: number, k: number, q: number, n: number): Float64Array {
  const g = new Lfsr(streamSeed(seed, StreamId.weight(l, j)));
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = weight(g.draw(k), q, k);
  return out;
}

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Lag-h autocorrelation (Pearson of x[0..n−h) with x[h..n)). */
const autocorr = (x: Float64Array, h: number) => pearson(x.subarray(0, x.length - h), x.subarray(h));

const NCORR = 1 << 17; // σ(r) ≈ 1/√n ≈ 0.0028, so 0.015 is > 5σ
const RMAX = 0.015;

describe('weight samples are Bernoulli(codeProbability) (semantics §2)', () => {
  it('codeProbability is q/2^k below the top code and 1 for the all-ones code', () => {
    for (let k = 1; k <= 8; k++) {
      for (let q = 0; q < 1 << k; q++) expect(codeProbability(q, k)).toBe(q === (1 << k) - 1 ? 1 : q / 2 ** k);
    }
  });

  it('empirical P(w = +1) is within 4σ for every k and edge code (exact for p ∈ {0, 1})', () => {
    const NDRAW = 120_000;
    const seed = 0x5eed1234;
    for (let k = 1; k <= 8; k++) {
      const codes = [...new Set([0, 1, 2 ** (k - 1), 2 ** k - 2, 2 ** k - 1])];
      for (const q of codes) {
        const p = q === 2 ** k - 1 ? 1 : q / 2 ** k; // the documented level, re-derived
        expect(codeProbability(q, k)).toBe(p);
        const w = weightStream(seed, k - 1, q, k, q, NDRAW);
        let plus = 0;
        for (const v of w) if (v === 1) plus++;
        const phat = plus / NDRAW;
        if (p === 0 || p === 1) expect(phat, `k=${k} q=${q}`).toBe(p);
        else expect(Math.abs(phat - p), `k=${k} q=${q} p=${p} phat=${phat}`).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / NDRAW));
      }
    }
  });

  it('every k-bit value is drawn equally often (chi-square, k = 1..8)', () => {
    for (let k = 1; k <= 8; k++) {
      const g = new Lfsr(streamSeed(99, StreamId.weight(3, k)));
      const bins = new Float64Array(1 << k);
      const n = 1 << 17;
      for (let t = 0; t < n; t++) bins[g.draw(k)]++;
      const e = n / bins.length;
      let chi = 0;
      for (const b of bins) chi += ((b - e) * (b - e)) / e;
      const dof = bins.length - 1;
      // mean dof, sd √(2·dof): allow 5 sd
      expect(chi, `k=${k}`).toBeLessThan(dof + 5 * Math.sqrt(2 * dof) + 5);
    }
  });
});

describe('weight and noise streams are uncorrelated', () => {
  const seed = 0xa5a5a5a5;
  const CASES: Array<[number, number]> = [
    [8, 128],
    [3, 3],
    [2, 1],
    [5, 17],
    [7, 100],
  ];

  it('lag-1..16 autocorrelation of one lane is below 0.015', () => {
    for (const [k, q] of CASES) {
      const w = weightStream(seed, 0, 0, k, q, NCORR);
      for (let h = 1; h <= 16; h++) expect(Math.abs(autocorr(w, h)), `k=${k} q=${q} lag ${h}`).toBeLessThan(RMAX);
    }
  });

  it('lanes of a layer, layers, and weight vs noise streams are pairwise uncorrelated', () => {
    const k = 8;
    const q = 128;
    // Lanes j ≠ j' of one layer (lag 0 and ±1).
    const lanes = Array.from({ length: 8 }, (_, j) => weightStream(seed, 0, j, k, q, NCORR));
    for (let a = 0; a < lanes.length; a++) {
      for (let b = a + 1; b < lanes.length; b++) {
        expect(Math.abs(pearson(lanes[a], lanes[b])), `lanes ${a},${b}`).toBeLessThan(RMAX);
        expect(Math.abs(pearson(lanes[a].subarray(1), lanes[b])), `lanes ${a},${b} lag +1`).toBeLessThan(RMAX);
        expect(Math.abs(pearson(lanes[a], lanes[b].subarray(1))), `lanes ${a},${b} lag −1`).toBeLessThan(RMAX);
      }
    }
    // The same lane across layers.
    for (const j of [0, 1, 7]) {
      const perLayer = [0, 1, 2, 15].map((l) => weightStream(seed, l, j, k, q, NCORR));
      for (let a = 0; a < perLayer.length; a++) {
        for (let b = a + 1; b < perLayer.length; b++) expect(Math.abs(pearson(perLayer[a], perLayer[b])), `lane ${j} layers #${a},#${b}`).toBeLessThan(RMAX);
      }
    }
    // A lane's weight stream vs its noise stream (and its neighbour's), noise drawn as m-bit values.
    for (const l of [0, 1]) {
      for (const j of [0, 1, 5]) {
        for (const m of [1, 2, 4, 8]) {
          const g = new Lfsr(streamSeed(seed, StreamId.noise(l, j)));
          const noiseSign = new Float64Array(NCORR);
          for (let t = 0; t < NCORR; t++) noiseSign[t] = g.draw(m) < 1 << (m - 1) ? 1 : -1;
          const w = weightStream(seed, l, j, k, q, NCORR);
          expect(Math.abs(pearson(w, noiseSign)), `layer ${l} lane ${j} m=${m}`).toBeLessThan(RMAX);
          const w2 = weightStream(seed, l, j + 1, k, q, NCORR);
          expect(Math.abs(pearson(w2, noiseSign)), `layer ${l} lane ${j + 1} vs noise ${j}`).toBeLessThan(RMAX);
        }
      }
    }
    // The input stream vs a weight stream.
    const gi = new Lfsr(streamSeed(seed, StreamId.input));
    const inp = Float64Array.from({ length: NCORR }, () => (gi.draw(8) < 128 ? 1 : -1));
    expect(Math.abs(pearson(inp, lanes[0]))).toBeLessThan(RMAX);
  });

  it('the estimator detects deliberately correlated sequences', () => {
    const k = 8;
    const q = 128;
    const x = weightStream(seed, 0, 0, k, q, NCORR);
    // (1) Overlapping streams: a second stream started one draw later is x shifted by one.
    let s = streamSeed(seed, StreamId.weight(0, 0));
    for (let i = 0; i < k; i++) s = stepOnce(s);
    const g = new Lfsr(s);
    const y = Float64Array.from({ length: NCORR }, () => weight(g.draw(k), q, k));
    expect(pearson(x.subarray(1), y)).toBeGreaterThan(0.99);
    // (2) A weak coupling: y copies x with probability 0.05, otherwise an independent stream.
    const u = prng32(5);
    const z = weightStream(seed, 3, 3, k, q, NCORR);
    const mixed = Float64Array.from({ length: NCORR }, (_, t) => (u() < 0.05 * 2 ** 32 ? x[t] : z[t]));
    const r = pearson(x, mixed);
    expect(r).toBeGreaterThan(RMAX);
    expect(r).toBeGreaterThan(0.03);
    // (3) A weak lag-3 dependence inside one sequence is flagged at lag 3 only.
    const auto = Float64Array.from(z);
    for (let t = 3; t < NCORR; t++) if (u() < 0.05 * 2 ** 32) auto[t] = auto[t - 3];
    expect(autocorr(auto, 3)).toBeGreaterThan(RMAX);
    expect(Math.abs(autocorr(auto, 1))).toBeLessThan(RMAX);
    // (4) A bad generator: single-bit draws of a short LFSR (period 15) repeat, correlation 1 at lag 15.
    let t4 = 1;
    const short = Float64Array.from({ length: 4096 }, () => {
      t4 = genericStep(t4, 4, [3, 0]);
      return t4 & 1 ? 1 : -1;
    });
    expect(autocorr(short, 15)).toBeGreaterThan(0.99);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Seeds (semantics §1.2)
// ---------------------------------------------------------------------------------------------------------

const M32 = 0xffffffffn;
const GOLDEN = 0x9e3779b9n;
function refMix32(x: bigint): bigint {
  x ^= x >> 16n;
  x = (x * 0x85ebca6bn) & M32;
  x ^= x >> 13n;
  x = (x * 0xc2b2ae35n) & M32;
  x ^= x >> 16n;
  return x;
}
const refMul32 = (a: bigint, b: bigint) => (a * b) & M32;
function refStreamSeed(seed: number, id: number): number {
  const s = refMix32(BigInt(seed >>> 0) ^ refMul32(BigInt(id) + 1n, GOLDEN));
  return s === 0n ? 1 : Number(s);
}
/** Inverse of mix32 (each step is a bijection), to show mix32 is one. */
function invMix32(y: bigint): bigint {
  const invXorShift = (v: bigint, s: bigint) => {
    let x = v;
    for (let i = 0; i < 32; i++) x = v ^ (x >> s);
    return x & M32;
  };
  const inv = (a: bigint) => {
    // Newton iteration for the inverse of an odd number modulo 2^32.
    let x = a;
    for (let i = 0; i < 5; i++) x = (x * (2n - a * x)) & M32;
    return x & M32;
  };
  y = invXorShift(y, 16n);
  y = (y * inv(0xc2b2ae35n)) & M32;
  y = invXorShift(y, 13n);
  y = (y * inv(0x85ebca6bn)) & M32;
  y = invXorShift(y, 16n);
  return y;
}

describe('stream seeds (semantics §1.2)', () => {
  it('stream ids follow the documented table', () => {
    expect(StreamId.input).toBe(0);
    for (const l of [0, 1, 5, 15]) {
      for (const j of [0, 1, 7, 4095]) {
        expect(StreamId.weight(l, j)).toBe(0x10000 * (l + 1) + j);
        expect(StreamId.noise(l, j)).toBe(0x10000 * (l + 1) + 0x8000 + j);
      }
    }
  });

  it('mix32 and streamSeed equal an independent BigInt implementation of the formula', () => {
    const rnd = prng32(21);
    const bad = new Mismatches();
    for (let i = 0; i < 5000; i++) {
      const x = rnd();
      bad.eq(mix32(x), Number(refMix32(BigInt(x))), `mix32(${x})`);
      bad.eq(Number(invMix32(BigInt(mix32(x)))), x, `inverse of mix32(${x})`);
    }
    expect(mix32(0)).toBe(0);
    const ids = [StreamId.input, StreamId.weight(0, 0), StreamId.noise(0, 0), StreamId.weight(15, 4095), StreamId.noise(15, 4095), 0xfffffffe];
    for (const seed of [0, 1, 0xffffffff, 0x80000000, ...Array.from({ length: 200 }, () => rnd())]) {
      for (const id of [...ids, rnd() & 0xfffff]) bad.eq(streamSeed(seed, id), refStreamSeed(seed, id), `streamSeed(${seed}, ${id})`);
    }
    expect(bad.list).toEqual([]);
  });

  it('never returns 0: the zero case is replaced by 1', () => {
    for (const id of [0, 1, StreamId.weight(0, 0), StreamId.noise(2, 3), StreamId.weight(15, 4095)]) {
      const seed = Math.imul(id + 1, 0x9e3779b9) >>> 0; // seed ^ mul32(id+1, g) = 0, and mix32(0) = 0
      expect(mix32((seed ^ (Math.imul(id + 1, 0x9e3779b9) >>> 0)) >>> 0)).toBe(0);
      expect(streamSeed(seed, id)).toBe(1);
      expect(() => new Lfsr(streamSeed(seed, id))).not.toThrow();
    }
    // And nowhere else over a sweep.
    const rnd = prng32(22);
    let zeros = 0;
    for (let i = 0; i < 20000; i++) if (streamSeed(rnd(), rnd() & 0xfffff) === 0) zeros++;
    expect(zeros).toBe(0);
  });

  it('distinct ids give distinct seeds (every id a model can use, several master seeds)', () => {
    const ids: number[] = [StreamId.input];
    for (let l = 0; l < 16; l++) {
      for (let j = 0; j < 4096; j++) ids.push(StreamId.weight(l, j), StreamId.noise(l, j));
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const seed of [0, 1, 0xdeadbeef, 0xffffffff]) {
      const seeds = new Set(ids.map((id) => streamSeed(seed, id)));
      expect(seeds.size, `master seed ${seed}`).toBe(ids.length);
      expect(seeds.has(0)).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Probability quantisation (semantics §2)
// ---------------------------------------------------------------------------------------------------------

/** Brute-force nearest level on the dyadic grid p = a / 2^G (exact integer distances), ties to the lower code. */
function nearestDyadic(a: number, G: number, k: number): number {
  const full = 2 ** k - 1;
  let best = -1;
  let bestD = Infinity;
  for (let q = 0; q <= full; q++) {
    const level = q === full ? 2 ** G : q * 2 ** (G - k); // level in units of 2^−G
    const d = Math.abs(a - level);
    if (d < bestD) {
      bestD = d;
      best = q;
    }
  }
  return best;
}

/** Brute-force nearest level in doubles, ties to the lower code. */
function nearestFloat(p: number, k: number): number {
  const full = 2 ** k - 1;
  let best = -1;
  let bestD = Infinity;
  for (let q = 0; q <= full; q++) {
    const level = q === full ? 1 : q / 2 ** k;
    const d = Math.abs(p - level);
    if (d < bestD) {
      bestD = d;
      best = q;
    }
  }
  return best;
}

function nextUp(x: number): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += x >= 0 ? 1n : -1n;
  return f[0];
}
function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] -= x > 0 ? 1n : -1n;
  return f[0];
}

describe('quantiseProbability (semantics §2)', () => {
  it('0 → 0 and 1 → the all-ones code for every k', () => {
    for (let k = 1; k <= 8; k++) {
      expect(quantiseProbability(0, k)).toBe(0);
      expect(quantiseProbability(1, k)).toBe(2 ** k - 1);
    }
  });

  it('every level maps to its own code', () => {
    for (let k = 1; k <= 8; k++) {
      for (let q = 0; q < 2 ** k; q++) expect(quantiseProbability(q === 2 ** k - 1 ? 1 : q / 2 ** k, k), `k=${k} q=${q}`).toBe(q);
    }
  });

  it('picks the nearest level, ties to the lower code (dyadic grid with every midpoint, exact)', () => {
    const G = 12;
    const bad = new Mismatches();
    for (let k = 1; k <= 8; k++) {
      for (let a = 0; a <= 2 ** G; a++) bad.eq(quantiseProbability(a / 2 ** G, k), nearestDyadic(a, G, k), `k=${k} p=${a}/2^${G}`);
    }
    expect(bad.list).toEqual([]);
  });

  it('ties: the midpoints themselves go down, one ulp above goes up', () => {
    for (let k = 1; k <= 8; k++) {
      const full = 2 ** k - 1;
      const levels = Array.from({ length: full + 1 }, (_, q) => (q === full ? 1 : q / 2 ** k));
      for (let q = 0; q < full; q++) {
        const mid = (levels[q] + levels[q + 1]) / 2; // exact: dyadic
        expect(quantiseProbability(mid, k), `k=${k} mid ${q}|${q + 1}`).toBe(q);
        expect(quantiseProbability(nextUp(mid), k)).toBe(q + 1);
        expect(quantiseProbability(nextDown(mid), k)).toBe(q);
        expect(nearestFloat(mid, k)).toBe(q);
        expect(nearestFloat(nextUp(mid), k)).toBe(q + 1);
      }
      // The top interval is special: (2^k − 1)/2^k is halfway between code 2^k − 2 and the all-ones code.
      if (k > 1) expect(quantiseProbability(full / 2 ** k, k)).toBe(full - 1);
    }
  });

  it('agrees with a brute-force nearest search on random probabilities', () => {
    const rnd = prng32(31);
    const bad = new Mismatches();
    for (let k = 1; k <= 8; k++) {
      for (let i = 0; i < 20000; i++) {
        const p = i < 10 ? [1e-300, Number.MIN_VALUE, 1 - 2 ** -53, 0.5, 0.25, 0.75, 1 / 3, 2 / 3, 0.999, 0.001][i] : rnd() / 2 ** 32 + rnd() / 2 ** 64;
        bad.eq(quantiseProbability(p, k), nearestFloat(p, k), `k=${k} p=${p}`);
      }
    }
    expect(bad.list).toEqual([]);
  });
});
