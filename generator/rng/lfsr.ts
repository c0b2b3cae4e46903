/**
 * 32-bit Fibonacci LFSR, polynomial x^32 + x^22 + x^2 + x + 1 (docs/semantics.md §1).
 * A draw of k bits leaps k steps and returns the k newest bits. The golden model leaps with byte- or
 * 16-bit-indexed tables; the RTL emitter uses the same linear map as XOR equations, so both derive from
 * one definition: `stepOnce`.
 */

/** State bits that feed the feedback XOR. */
export const LFSR_TAPS: readonly number[] = [31, 21, 1, 0];
export const LFSR_WIDTH = 32;

export function stepOnce(s: number): number {
  const fb = ((s >>> 31) ^ (s >>> 21) ^ (s >>> 1) ^ s) & 1;
  return ((s << 1) | fb) >>> 0;
}

/**
 * For a leap of k steps: masks[p] is the set of old-state bits (as a 32-bit mask) whose XOR is bit p of the
 * new state, for p < k. Bits p >= k of the new state are old bit p - k.
 */
export function leapMasks(k: number): number[] {
  // sym[i] = which original bits bit i of the current state is the XOR of.
  let sym: number[] = Array.from({ length: LFSR_WIDTH }, (_, i) => (1 << i) >>> 0);
  for (let step = 0; step < k; step++) {
    let fb = 0;
    for (const t of LFSR_TAPS) fb ^= sym[t];
    sym = [fb >>> 0, ...sym.slice(0, LFSR_WIDTH - 1)];
  }
  return sym.slice(0, k);
}

function parity32(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/** Tables T[b][v]: the k new bits contributed by byte b of the old state having value v. */
export interface LeapTables {
  k: number;
  t0: Uint8Array;
  t1: Uint8Array;
  t2: Uint8Array;
  t3: Uint8Array;
}

const tableCache = new Map<number, LeapTables>();

export function leapTables(k: number): LeapTables {
  const hit = tableCache.get(k);
  if (hit) return hit;
  if (!Number.isInteger(k) || k < 1 || k > 8) throw new RangeError(`leap of ${k} bits is outside 1..8`);
  const masks = leapMasks(k);
  const tabs = [0, 1, 2, 3].map((b) => {
    const t = new Uint8Array(256);
    for (let v = 0; v < 256; v++) {
      const word = (v << (8 * b)) >>> 0;
      let out = 0;
      for (let p = 0; p < k; p++) out |= parity32(masks[p] & word) << p;
      t[v] = out;
    }
    return t;
  });
  const res = { k, t0: tabs[0], t1: tabs[1], t2: tabs[2], t3: tabs[3] };
  tableCache.set(k, res);
  return res;
}

/**
 * Tables for a 32-step leap: the whole next state, T0[s & 255] ^ T1[s >>> 8 & 255] ^ T2[..] ^ T3[..].
 * Draws are consecutive k-bit chunks of one bit stream, so one 32-step leap yields floor(32 / k) draws:
 * draw m (1-based) of the word is (next >>> (32 - m·k)) & (2^k − 1), and the state after m draws is the
 * 32-bit window ((s << m·k) | (next >>> (32 − m·k))). The golden model's hot loop uses this.
 */
let leap32Cache: Uint32Array[] | undefined;

export function leap32Tables(): Uint32Array[] {
  if (leap32Cache) return leap32Cache;
  const masks = leapMasks(LFSR_WIDTH);
  leap32Cache = [0, 1, 2, 3].map((b) => {
    const t = new Uint32Array(256);
    for (let v = 0; v < 256; v++) {
      const word = (v << (8 * b)) >>> 0;
      let out = 0;
      for (let p = 0; p < LFSR_WIDTH; p++) out |= parity32(masks[p] & word) << p;
      t[v] = out >>> 0;
    }
    return t;
  });
  return leap32Cache;
}

/**
 * The next n k-bit draws of the stream in state s, written to out[0 .. n); returns the state after them.
 * One 32-step leap (`next`) serves floor(32 / k) draws; `s` is the state before them.
 */
export function drawMany(s: number, k: number, n: number, out: Uint8Array): number {
  const t = leap32Tables();
  const u0 = t[0];
  const u1 = t[1];
  const u2 = t[2];
  const u3 = t[3];
  const mask = (1 << k) - 1;
  let next = (u0[s & 255] ^ u1[(s >>> 8) & 255] ^ u2[(s >>> 16) & 255] ^ u3[s >>> 24]) >>> 0;
  let sh = 32; // 32 − (bits of `next` already drawn)
  for (let i = 0; i < n; i++) {
    if (sh < k) {
      s = sh === 0 ? next : ((s << (32 - sh)) | (next >>> sh)) >>> 0;
      next = (u0[s & 255] ^ u1[(s >>> 8) & 255] ^ u2[(s >>> 16) & 255] ^ u3[s >>> 24]) >>> 0;
      sh = 32;
    }
    sh -= k;
    out[i] = (next >>> sh) & mask;
  }
  return sh === 32 ? s : sh === 0 ? next : ((s << (32 - sh)) | (next >>> sh)) >>> 0;
}

/** A single stream, for tests and cold paths. Hot loops inline the table lookup instead. */
export class Lfsr {
  constructor(public state: number) {
    if (state >>> 0 === 0) throw new RangeError('an LFSR seed must be non-zero');
    this.state = state >>> 0;
  }

  /** Draw k fresh bits (leap k steps, return the k newest). */
  draw(k: number): number {
    const t = leapTables(k);
    const s = this.state;
    const nb = t.t0[s & 255] ^ t.t1[(s >>> 8) & 255] ^ t.t2[(s >>> 16) & 255] ^ t.t3[s >>> 24];
    this.state = ((s << k) | nb) >>> 0;
    return nb;
  }
}

/** Multiplication modulo 2^32. */
const mul32 = (a: number, b: number): number => Math.imul(a, b) >>> 0;

export function mix32(x: number): number {
  x = x >>> 0;
  x ^= x >>> 16;
  x = mul32(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = mul32(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Seed of stream `id` under master seed `seed` (semantics §1.2); never zero. */
export function streamSeed(seed: number, id: number): number {
  const s = mix32((seed ^ mul32(id + 1, 0x9e3779b9)) >>> 0);
  return s === 0 ? 1 : s;
}

export const StreamId = {
  input: 0,
  weight: (layer: number, lane: number) => 0x10000 * (layer + 1) + lane,
  noise: (layer: number, lane: number) => 0x10000 * (layer + 1) + 0x8000 + lane,
} as const;
