/**
 * The golden model of the synaptic core (docs/semantics.md §4): weight streams, per-sample held weights and
 * the accumulation of every pass of one timestep. Each kind's runtime extends it with what happens after the
 * accumulator.
 *
 * Speed (issue 16: the MNIST test set in ≤ 15 s on one core) without changing a number:
 * - Each lane's weight stream is its own, and lane j draws for pass 0's events, then pass 1's, and so on, so
 *   the golden model runs lane by lane over all passes with the LFSR leap inlined in the accumulate loop
 *   (no draw buffer between them).
 * - Thresholds are stored neuron-major ([f·P + j][i]), so one lane's pass reads one row of M entries.
 * - acc = Σ w·x = 2·Σ_{w=+1} x − Σ x: the sign test becomes a mask, with no branch and no multiply.
 * - Weights that cannot change within a sample (per-sample held weights, or a layer whose every code is 0 or
 *   all ones, such as evaluate's deterministic baseline) give the same acc for the same event list, which a
 *   direct-input first layer sees at every timestep; the last event list's acc is kept and reused. A layer
 *   whose weights are all certain does not draw at all: its draws cannot change a weight, and its weight
 *   streams feed nothing else.
 * - Per-sample mode draws a weight for every memory slot at the start of a sample (SAMPLE_WEIGHTS), but only
 *   the slots of active inputs are ever read: each lane keeps the 32-bit words of its stream over the sample's
 *   draws (one leap per 32 bits), and a slot's draw is read out of them when an event needs it.
 * - k = 4 (the trained models' default): eight draws are compared with eight thresholds in one 32-bit
 *   subtraction (PackedNibbles for a repeating event list in time-ensemble mode, HeldNibbles for per-sample
 *   mode), and a table gives Σ x of those whose weight is +1. Other k take the plain loops.
 * tests/golden.hand.test.ts holds each path to a re-derivation written from docs/semantics.md alone.
 */
import { leap32Tables } from '../../rng/lfsr.js';
import type { PlannedModel, SynapticLayer } from '../../ir/types.js';

let leap32I: Int32Array[] | undefined;
/** rng/lfsr.ts leap32Tables as Int32Array views: the state stays a small integer in V8 (a uint32 above 2^31 is a double). */
export function leap32Int32(): Int32Array[] {
  return (leap32I ??= leap32Tables().map((t) => new Int32Array(t.buffer, t.byteOffset, t.length)));
}

/** Scratch arrays shared by every layer of one golden model (one inference runs at a time). */
export interface GoldenScratch {
  /** The values of spike events (all 1), so one accumulate loop serves spikes and direct inputs. */
  ones: Int32Array;
}

export function goldenScratch(plan: PlannedModel): GoldenScratch {
  const events = Math.max(plan.input.size, ...plan.layers.map((L) => L.outputs));
  return { ones: new Int32Array(events).fill(1) };
}

/** A stream's start state for runtime seed `runSeed` (semantics §1.2): seed(id) ^ runSeed, or seed(id) if that is 0. */
export function startState(streamSeed: number, runSeed: number): number {
  const s = (streamSeed ^ runSeed) >>> 0;
  return s === 0 ? streamSeed >>> 0 : s;
}

/** Σ xs[0 .. n): the Σ x of acc = 2·Σ_{w=+1} x − Σ x. */
function sumOf(xs: Int32Array, n: number): number {
  let X = 0;
  for (let e = 0; e < n; e++) X += xs[e];
  return X;
}

export class SynapseRuntime<L extends SynapticLayer = SynapticLayer> {
  /**
   * Weight-sample thresholds, neuron-major over every lane position n = f·P + j (padding lanes hold 0):
   * thr[n·(M + 1) + i]; w = +1 iff r < thr (the all-ones code maps to 2^k). Column M is 0 (never +1): the
   * packed path pads its groups of 8 events with it.
   */
  readonly thr: Uint16Array;
  /** acc of lane position n = f·P + j after `accumulate`, every pass of the timestep. */
  readonly acc: Int32Array;
  readonly wState: Uint32Array;
  /** A layer whose weights are all certain: each weight as a mask (−1 where w = +1, else 0), laid out like `thr`. */
  readonly held: Int32Array | null;
  /**
   * Per-sample mode: lane j's stream over the sample's draws, words[j·W + q] = the 32 bits after 32·q of them
   * (first drawn bit highest); the draw of row f·M + i starts at bit (f·M + i)·k.
   */
  private readonly words: Int32Array | null;
  /** Words per lane in `words`. */
  private readonly W: number;
  readonly outIdx: Int32Array;
  readonly outVal: Int32Array | null = null;
  /** Every weight is certain (codes 0 and all ones only): no draw can change one. */
  private readonly certain: boolean;
  /** k = 4, time-ensemble: thresholds of a repeating event list packed for 8 draws at a time. */
  private readonly packed: PackedNibbles | null;
  private readonly perSample: boolean;
  /** The last event list seen (lastN < 0: none). */
  private lastN = -1;
  /** `acc` holds the acc of the last event list under the weights held now (held and per-sample paths). */
  private accValid = false;
  /** k = 4, per-sample: held draws compared eight inputs at a time. */
  private readonly nibbles: HeldNibbles | null;
  private lastDirect = false;
  private readonly lastIdx: Int32Array;
  private readonly lastVal: Int32Array;

  constructor(
    readonly L: L,
    plan: PlannedModel,
    protected readonly scratch: GoldenScratch,
  ) {
    const { fanIn: M, lanes: P, passes: F, probBits: k } = L;
    const full = (1 << k) - 1;
    this.thr = new Uint16Array(F * P * (M + 1));
    let certain = true;
    for (let f = 0; f < F; f++) {
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < P; j++) {
          const q = L.probRows[(f * M + i) * P + j];
          if (q !== 0 && q !== full) certain = false;
          this.thr[(f * P + j) * (M + 1) + i] = q === full ? 1 << k : q;
        }
      }
    }
    this.certain = certain;
    this.perSample = plan.mode === 'per-sample';
    this.acc = new Int32Array(F * P);
    this.wState = new Uint32Array(P);
    this.held = certain ? new Int32Array(this.thr.length) : null;
    if (certain) for (let a = 0; a < this.thr.length; a++) this.held![a] = -(this.thr[a] >> k); // thr = 2^k → −1
    // One word past the last draw's, for the window of a draw that straddles two words.
    this.W = ((F * M * k) >>> 5) + 2;
    this.words = this.perSample && !certain ? new Int32Array(P * this.W) : null;
    this.packed = !this.perSample && !certain && k === 4 ? new PackedNibbles(F * P, M, F) : null;
    this.nibbles = this.words && k === 4 ? new HeldNibbles(this.thr, L.size, M) : null;
    this.outIdx = new Int32Array(L.size);
    this.lastIdx = new Int32Array(Math.max(plan.input.size, ...plan.layers.map((Ly) => Ly.outputs)));
    this.lastVal = new Int32Array(this.lastIdx.length);
  }

  reseed(runSeed: number): void {
    for (let j = 0; j < this.wState.length; j++) this.wState[j] = startState(this.L.weightSeeds[j], runSeed);
  }

  /** Every input event reaches every neuron. */
  synapses(nEv: number): number {
    return nEv * this.L.size;
  }

  startSample(): void {
    if (this.perSample && !this.certain) {
      this.sampleWeights();
      this.accValid = false;
    }
  }

  /**
   * Per-sample mode (semantics §4 SAMPLE_WEIGHTS): lane j draws rows f·M + i in row order, consecutive chunks
   * of its stream. Keep the stream's words over those draws and move the state past them.
   */
  private sampleWeights(): void {
    const { L, wState, W } = this;
    const words = this.words!;
    const bits = L.passes * L.fanIn * L.probBits;
    const [u0, u1, u2, u3] = leap32Int32();
    const P = L.lanes;
    let j = 0;
    // Four lanes at a time: each leap depends on the one before, so one lane alone waits on its table loads.
    for (; j + 4 <= P; j += 4) {
      let a = wState[j] | 0;
      let b = wState[j + 1] | 0;
      let c = wState[j + 2] | 0;
      let d = wState[j + 3] | 0;
      for (let q = j * W, end = q + W; q < end; q++) {
        words[q] = a = u0[a & 255] ^ u1[(a >>> 8) & 255] ^ u2[(a >>> 16) & 255] ^ u3[a >>> 24];
        words[q + W] = b = u0[b & 255] ^ u1[(b >>> 8) & 255] ^ u2[(b >>> 16) & 255] ^ u3[b >>> 24];
        words[q + 2 * W] = c = u0[c & 255] ^ u1[(c >>> 8) & 255] ^ u2[(c >>> 16) & 255] ^ u3[c >>> 24];
        words[q + 3 * W] = d = u0[d & 255] ^ u1[(d >>> 8) & 255] ^ u2[(d >>> 16) & 255] ^ u3[d >>> 24];
      }
    }
    for (; j < P; j++) {
      let s = wState[j] | 0;
      for (let q = j * W; q < (j + 1) * W; q++) words[q] = s = u0[s & 255] ^ u1[(s >>> 8) & 255] ^ u2[(s >>> 16) & 255] ^ u3[s >>> 24];
    }
    for (j = 0; j < P; j++) wState[j] = stateAfter(wState[j] | 0, words, j * W, bits);
  }

  /** acc[f·P + j] of every pass and lane, padding lanes too (semantics §4, the inner loop of LAYER_STEP). */
  protected accumulate(idx: Int32Array, val: Int32Array | null, nEv: number): void {
    if (this.held) this.heldAccumulate(idx, val, nEv);
    else if (this.words) this.sampleAccumulate(idx, val, nEv);
    else if (!this.packed) this.drawAccumulate(idx, val, nEv);
    else {
      const same = this.sameEvents(idx, val, nEv);
      // Direct input repeats its event list at every timestep (semantics §3); a spike list is packed when it repeats.
      if (!same) this.packed.valid = false;
      if (!same && val === null) this.drawAccumulate(idx, val, nEv);
      else {
        if (!this.packed.valid) this.packed.pack(this.thr, idx, val ?? this.scratch.ones, nEv);
        this.packed.accumulate(this.wState, this.acc, this.L.lanes, this.L.passes);
      }
    }
  }

  /** Is this event list the one whose acc is in `acc`? Records it when not. */
  private sameEvents(idx: Int32Array, val: Int32Array | null, nEv: number): boolean {
    const { lastIdx, lastVal } = this;
    let same = nEv === this.lastN && (val !== null) === this.lastDirect;
    for (let e = 0; same && e < nEv; e++) same = idx[e] === lastIdx[e] && (val === null || val[e] === lastVal[e]);
    if (same) return true;
    lastIdx.set(idx.subarray(0, nEv));
    if (val) lastVal.set(val.subarray(0, nEv));
    this.lastN = nEv;
    this.lastDirect = val !== null;
    return false;
  }

  private heldAccumulate(idx: Int32Array, val: Int32Array | null, nEv: number): void {
    if (this.sameEvents(idx, val, nEv) && this.accValid) return;
    this.accValid = true;
    const { L, acc } = this;
    const held = this.held!;
    const M1 = L.fanIn + 1;
    const xs = val ?? this.scratch.ones;
    const X = sumOf(xs, nEv);
    // Padding lanes' acc is never read, and held weights take no draws: real neurons only.
    for (let n = 0; n < L.size; n++) {
      const base = n * M1;
      let a = 0;
      for (let e = 0; e < nEv; e++) a += held[base + idx[e]] & xs[e];
      acc[n] = 2 * a - X;
    }
  }

  /** Per-sample mode: each event's held weight is its row's draw, read from the lane's words. */
  private sampleAccumulate(idx: Int32Array, val: Int32Array | null, nEv: number): void {
    const same = this.sameEvents(idx, val, nEv);
    if (same && this.accValid) return;
    this.accValid = true;
    const nib = this.nibbles;
    if (nib) {
      if (!same) nib.valid = false;
      // A repeating list (a direct input, at every timestep of every sample): eight inputs at a time.
      if (same || val !== null) {
        if (!nib.valid) nib.prepare(idx, val ?? this.scratch.ones, nEv);
        nib.accumulate(this.words!, this.W, this.acc, this.L.lanes);
        return;
      }
    }
    const { L, acc, thr, W } = this;
    const words = this.words!;
    const { fanIn: M, lanes: P, probBits: k } = L;
    const xs = val ?? this.scratch.ones;
    const X = sumOf(xs, nEv);
    const drop = 32 - k;
    const mask = (1 << k) - 1;
    const aligned = 32 % k === 0;
    for (let n = 0; n < L.size; n++) {
      const j = n % P;
      const row0 = (n - j) / P * M; // f·M
      const base = n * (M + 1);
      const wj = j * W;
      let a = 0;
      if (aligned) {
        // k divides 32: no draw straddles two words.
        for (let e = 0; e < nEv; e++) {
          const i = idx[e];
          const o = (row0 + i) * k;
          a += (((((words[wj + (o >>> 5)] >>> (drop - (o & 31))) & mask) - thr[base + i]) >> 31) & xs[e]);
        }
      } else {
        for (let e = 0; e < nEv; e++) {
          const i = idx[e];
          const o = (row0 + i) * k;
          const q = wj + (o >>> 5);
          const b = o & 31;
          // The 32 bits from bit o, without a branch: for b = 0 the second term is 0.
          const r = ((words[q] << b) | ((words[q + 1] >>> 1) >>> (31 - b))) >>> drop;
          a += ((r - thr[base + i]) >> 31) & xs[e];
        }
      }
      acc[n] = 2 * a - X;
    }
  }

  /** Time-ensemble: a fresh draw per (event, lane), lane by lane over all passes, the LFSR leap inlined. */
  private drawAccumulate(idx: Int32Array, val: Int32Array | null, nEv: number): void {
    const { L, thr, acc, wState } = this;
    const { fanIn: M, lanes: P, passes: F, probBits: k } = L;
    const mask = (1 << k) - 1;
    const xs = val ?? this.scratch.ones;
    const X = sumOf(xs, nEv);
    // Int32 views: the state stays a small integer in V8 (a uint32 above 2^31 would become a double).
    const [u0, u1, u2, u3] = leap32Int32();
    for (let j = 0; j < P; j++) {
      // `word` holds the stream's next 32 bits after state s; sh = 32 − bits of `word` already drawn
      // (rng/lfsr.ts drawMany, inlined).
      let s = wState[j] | 0;
      let word = u0[s & 255] ^ u1[(s >>> 8) & 255] ^ u2[(s >>> 16) & 255] ^ u3[s >>> 24];
      let sh = 32;
      for (let f = 0; f < F; f++) {
        const n = f * P + j;
        const base = n * (M + 1);
        let a = 0;
        for (let e = 0; e < nEv; e++) {
          if (sh < k) {
            s = sh === 0 ? word : (s << (32 - sh)) | (word >>> sh);
            word = u0[s & 255] ^ u1[(s >>> 8) & 255] ^ u2[(s >>> 16) & 255] ^ u3[s >>> 24];
            sh = 32;
          }
          sh -= k;
          // r − thr < 0 iff w = +1: the sign bit, spread, masks x in.
          a += ((((word >>> sh) & mask) - thr[base + idx[e]]) >> 31) & xs[e];
        }
        acc[n] = 2 * a - X;
      }
      wState[j] = sh === 32 ? s : sh === 0 ? word : (s << (32 - sh)) | (word >>> sh);
    }
  }
}

/**
 * The state of a stream after `bits` bits from state s0, given its words from s0 (words[at + q] = the 32 bits
 * after 32·q): the 32 bits before bit offset `bits`.
 */
function stateAfter(s0: number, words: Int32Array, at: number, bits: number): number {
  const q = bits >>> 5;
  const b = bits & 31;
  if (q === 0) return b === 0 ? s0 : (s0 << b) | (words[at] >>> (32 - b));
  return b === 0 ? words[at + q - 1] : (words[at + q - 1] << b) | (words[at + q] >>> (32 - b));
}

const H = 0x10101010;
const L4 = 0x0f0f0f0f;

/**
 * k = 4, time-ensemble, an event list that repeats (a direct input, at every timestep): eight weight samples at
 * once. One 32-bit window of a lane's stream holds the eight 4-bit draws of eight consecutive events (draw m in
 * bits 31−4m .. 28−4m); the thresholds of those events are packed the same way, split into even and odd
 * nibbles so that each byte has a spare bit, and r < thr is the borrow of one subtraction per byte. The eight
 * results index a table of Σ x over the events whose weight is +1. A threshold of 16 (the all-ones code) does
 * not fit a nibble: it is packed as 15 with its bit set in `always`; padding events have threshold 0 (never).
 */
class PackedNibbles {
  valid = false;
  private groups = 0;
  private nEv = 0;
  private X = 0;
  /** Per lane position n and group g: [n·G + g]. */
  private readonly even: Int32Array;
  private readonly odd: Int32Array;
  private readonly always: Int32Array;
  /** Σ x of the group's events whose bit is set: [g·256 + bits], bit b for draw 7 − b. */
  private readonly sums: Int32Array;
  private readonly words: Int32Array;
  private readonly ev: Int32Array;

  constructor(
    private readonly positions: number,
    private readonly M: number,
    passes: number,
  ) {
    const G = Math.ceil(M / 8);
    this.even = new Int32Array(positions * G);
    this.odd = new Int32Array(positions * G);
    this.always = new Int32Array(positions * G);
    this.sums = new Int32Array(G * 256);
    this.ev = new Int32Array(G * 8);
    // One timestep's draws of a lane (F·M at most) and the window past the last one.
    this.words = new Int32Array(((passes * M * 4) >>> 5) + 3);
  }

  pack(thr: Uint16Array, idx: Int32Array, xs: Int32Array, nEv: number): void {
    const G = Math.ceil(nEv / 8);
    const M1 = this.M + 1;
    const { even, odd, always, sums, ev } = this;
    for (let e = 0; e < G * 8; e++) ev[e] = e < nEv ? idx[e] : this.M; // column M: threshold 0
    for (let n = 0; n < this.positions; n++) {
      const row = n * M1;
      for (let g = 0, o = 0; g < G; g++, o += 8) {
        // Draw m's threshold t_m, as 15 if it is 16 (then h_m = 1): odd m to `even` at bit 28 − 4m, even m
        // to `odd` at bit 24 − 4m (unrolled: this runs once per synapse and inference).
        const t0 = thr[row + ev[o]];
        const t1 = thr[row + ev[o + 1]];
        const t2 = thr[row + ev[o + 2]];
        const t3 = thr[row + ev[o + 3]];
        const t4 = thr[row + ev[o + 4]];
        const t5 = thr[row + ev[o + 5]];
        const t6 = thr[row + ev[o + 6]];
        const t7 = thr[row + ev[o + 7]];
        const h0 = t0 >> 4, h1 = t1 >> 4, h2 = t2 >> 4, h3 = t3 >> 4, h4 = t4 >> 4, h5 = t5 >> 4, h6 = t6 >> 4, h7 = t7 >> 4;
        even[n * G + g] = ((t1 - h1) << 24) | ((t3 - h3) << 16) | ((t5 - h5) << 8) | (t7 - h7);
        odd[n * G + g] = ((t0 - h0) << 24) | ((t2 - h2) << 16) | ((t4 - h4) << 8) | (t6 - h6);
        always[n * G + g] = (h0 << 7) | (h1 << 6) | (h2 << 5) | (h3 << 4) | (h4 << 3) | (h5 << 2) | (h6 << 1) | h7;
      }
    }
    let X = 0;
    for (let g = 0; g < G; g++) {
      for (let bits = 1; bits < 256; bits++) {
        const low = bits & -bits;
        const e = 8 * g + 7 - (31 - Math.clz32(low));
        sums[g * 256 + bits] = sums[g * 256 + (bits ^ low)] + (e < nEv ? xs[e] : 0);
      }
    }
    for (let e = 0; e < nEv; e++) X += xs[e];
    this.groups = G;
    this.nEv = nEv;
    this.X = X;
    this.valid = true;
  }

  accumulate(wState: Uint32Array, acc: Int32Array, P: number, F: number): void {
    const { even, odd, always, sums, words, groups: G, nEv, X } = this;
    const [u0, u1, u2, u3] = leap32Int32();
    const bits = F * nEv * 4; // one timestep's draws of a lane
    const nWords = (bits >>> 5) + 2;
    for (let j = 0; j < P; j++) {
      // words[q]: the stream's 32 bits after 32·q of them, first drawn bit highest.
      const s0 = wState[j] | 0;
      let s = s0;
      for (let q = 0; q < nWords; q++) words[q] = s = u0[s & 255] ^ u1[(s >>> 8) & 255] ^ u2[(s >>> 16) & 255] ^ u3[s >>> 24];
      for (let f = 0; f < F; f++) {
        const n = f * P + j;
        const base = n * G;
        let a = 0;
        for (let g = 0, off = f * nEv * 4; g < G; g++, off += 32) {
          const q = off >>> 5;
          const b = off & 31;
          const w = b === 0 ? words[q] : (words[q] << b) | (words[q + 1] >>> (32 - b));
          // Per byte: (r | 16) − thr keeps bit 4 iff r ≥ thr, so its complement marks r < thr, i.e. w = +1.
          const lt = (~(((w & L4) | H) - even[base + g]) & H) | ((~((((w >>> 4) & L4) | H) - odd[base + g]) & H) << 1);
          // Gather bits 4, 5, 12, 13, 20, 21, 28, 29 into bits 0..7 (bit b for draw 7 − b).
          let v = lt >>> 4;
          v |= v >>> 6;
          v |= v >>> 12;
          a += sums[(g << 8) | (v & 0xff) | always[base + g]];
        }
        acc[n] = 2 * a - X;
      }
      wState[j] = stateAfter(s0, words, 0, bits);
    }
  }
}

/**
 * k = 4, per-sample mode, a repeating event list: the held weights of eight consecutive inputs at once. The
 * draws of rows f·M + 8g .. f·M + 8g + 7 are one 32-bit window of the lane's sample words, and the thresholds of
 * those inputs are packed once per layer as in PackedNibbles (which packs by event instead). Only groups of
 * eight inputs holding an event are read; a table per such group gives Σ x over its inputs whose weight is +1.
 */
class HeldNibbles {
  valid = false;
  private readonly G: number;
  /** Per neuron n and input group g: [n·G + g]. */
  private readonly even: Int32Array;
  private readonly odd: Int32Array;
  private readonly always: Int32Array;
  /** The event list's groups holding an event, and Σ x per group and bit pattern: [a·256 + bits]. */
  private readonly active: Int32Array;
  private readonly sums: Int32Array;
  /** Scratch of `prepare`: each active group's slot in `active` (−1: none), and x by slot and bit. */
  private readonly slotOf: Int32Array;
  private readonly xOf: Int32Array;
  private nActive = 0;
  private X = 0;

  constructor(
    thr: Uint16Array,
    private readonly N: number,
    private readonly M: number,
  ) {
    const G = Math.ceil(M / 8);
    this.G = G;
    this.even = new Int32Array(N * G);
    this.odd = new Int32Array(N * G);
    this.always = new Int32Array(N * G);
    this.active = new Int32Array(G);
    this.sums = new Int32Array(G * 256);
    this.slotOf = new Int32Array(G).fill(-1);
    this.xOf = new Int32Array(G * 8);
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < G; g++) {
        let ne = 0;
        let no = 0;
        let al = 0;
        for (let m = 0; m < 8; m++) {
          const i = 8 * g + m;
          const t = i < M ? thr[n * (M + 1) + i] : 0; // past the last input: threshold 0, never +1
          const hi = t >> 4;
          if (m & 1) ne |= (t - hi) << (28 - 4 * m);
          else no |= (t - hi) << (24 - 4 * m);
          al |= hi << (7 - m);
        }
        this.even[n * G + g] = ne;
        this.odd[n * G + g] = no;
        this.always[n * G + g] = al;
      }
    }
  }

  /** Groups the events by input group: in any order (a conv layer's list is not ascending; acc does not depend on order). */
  prepare(idx: Int32Array, xs: Int32Array, nEv: number): void {
    const { active, sums, slotOf, xOf } = this;
    let nA = 0;
    let X = 0;
    for (let e = 0; e < nEv; e++) {
      const g = idx[e] >> 3;
      let a = slotOf[g];
      if (a < 0) {
        a = slotOf[g] = nA;
        active[nA++] = g;
        xOf.fill(0, a * 8, a * 8 + 8);
      }
      // bit b for input 8g + 7 − b
      xOf[a * 8 + 7 - (idx[e] & 7)] = xs[e];
      X += xs[e];
    }
    for (let a = 0; a < nA; a++) {
      const at = a * 256;
      sums[at] = 0;
      for (let bits = 1; bits < 256; bits++) {
        const low = bits & -bits;
        sums[at + bits] = sums[at + (bits ^ low)] + xOf[a * 8 + 31 - Math.clz32(low)];
      }
      slotOf[active[a]] = -1;
    }
    this.nActive = nA;
    this.X = X;
    this.valid = true;
  }

  accumulate(words: Int32Array, W: number, acc: Int32Array, P: number): void {
    const { even, odd, always, active, sums, nActive, X, G, M } = this;
    for (let n = 0; n < this.N; n++) {
      const f = (n / P) | 0;
      const wj = (n - f * P) * W;
      const rowBits = f * M * 4;
      const base = n * G;
      let a = 0;
      for (let k = 0; k < nActive; k++) {
        const g = active[k];
        const o = rowBits + 32 * g;
        const q = wj + (o >>> 5);
        const b = o & 31;
        const w = (words[q] << b) | ((words[q + 1] >>> 1) >>> (31 - b)); // no branch: for b = 0 the second term is 0
        const lt = (~(((w & L4) | H) - even[base + g]) & H) | ((~((((w >>> 4) & L4) | H) - odd[base + g]) & H) << 1);
        let v = lt >>> 4;
        v |= v >>> 6;
        v |= v >>> 12;
        a += sums[(k << 8) | (v & 0xff) | always[base + g]];
      }
      acc[n] = 2 * a - X;
    }
  }
}
