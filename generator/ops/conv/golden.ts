/**
 * Golden step of a conv layer: docs/semantics.md §4.1 CONV_STEP, bit for bit. Lane by lane over every pass
 * (each lane's streams are its own, so the order within one lane is all that matters), then the neuron
 * updates in pass–position–lane order, then the pool.
 */
import { leapTables, type LeapTables } from '../../rng/lfsr.js';
import type { ConvLayer, PlannedModel } from '../../ir/types.js';
import type { LayerRuntime } from '../op.js';
import { leap32Int32, startState } from '../synapses/golden.js';

/** The k bits one draw from LFSR state `st` gives; the next state is ((st << k) | r) >>> 0. */
const drawBits = (t: LeapTables, st: number): number => t.t0[st & 255] ^ t.t1[(st >>> 8) & 255] ^ t.t2[(st >>> 16) & 255] ^ t.t3[st >>> 24];

export class ConvRuntime implements LayerRuntime {
  readonly outIdx: Int32Array;
  readonly outVal: Int32Array | null;
  /** Synapse uses (event, valid offset, live lane) of the last step. */
  private uses = 0;
  /** w = +1 iff r < thr[(f·P + j)·M + r_row] (the all-ones code maps to 2^k). */
  private readonly thr: Uint16Array;
  /** Per-sample (or one kernel sample per timestep): the held weight (1 = +1) of each (f·P + j, row). */
  private readonly held: Uint8Array | null;
  /** Time ensemble with one kernel sample per timestep (evaluate's alternative, not the RTL's). */
  private readonly perTimestep: boolean;
  private readonly wState: Uint32Array;
  private readonly nState: Uint32Array | null;
  private readonly wt: LeapTables;
  private readonly nt: LeapTables | null;
  /** Membranes, neuron n at position p: v[n·HoWo + p]. */
  private readonly v: Int32Array;
  /** acc of lane j at position p in the current pass: acc[j·HoWo + p]. */
  private readonly acc: Int32Array;
  /** Spikes of this timestep, s[n·HoWo + p] (pooling reads them). */
  private readonly spikes: Uint8Array;
  private readonly vmax: number;
  private readonly vmin: number;
  /** Output position of (input position, kernel offset), or −1: pos[(y·W + x)·kh·kw + ky·kw + kx]. */
  private readonly target: Int32Array;
  /** Per input event of the current step: its first kernel row c·kh·kw and its offset into `target`. */
  private readonly evRow: Int32Array;
  private readonly evTarget: Int32Array;

  constructor(
    readonly L: ConvLayer,
    plan: PlannedModel,
  ) {
    const { fanIn: M, lanes: P, passes: F, probBits: k, convShape } = L;
    const full = (1 << k) - 1;
    this.thr = new Uint16Array(F * P * M);
    for (let f = 0; f < F; f++) {
      for (let r = 0; r < M; r++) {
        for (let j = 0; j < P; j++) {
          const q = L.probRows[(f * M + r) * P + j];
          this.thr[(f * P + j) * M + r] = q === full ? 1 << k : q;
        }
      }
    }
    this.perTimestep = plan.mode === 'time-ensemble' && L.kernelSample === 'per-timestep';
    this.held = plan.mode === 'per-sample' || this.perTimestep ? new Uint8Array(F * P * M) : null;
    this.wState = new Uint32Array(P);
    this.nState = L.noise ? new Uint32Array(P) : null;
    this.wt = leapTables(k);
    this.nt = L.noise ? leapTables(L.noise.bits) : null;
    const HW = convShape.h * convShape.w;
    this.v = new Int32Array(L.size * HW);
    this.acc = new Int32Array(P * HW);
    this.spikes = new Uint8Array(L.size * HW);
    this.vmax = 2 ** (L.membraneBits - 1) - 1;
    this.vmin = -this.vmax - 1;
    this.outIdx = new Int32Array(L.outputs);
    this.outVal = L.pool?.kind === 'sum' ? new Int32Array(L.outputs) : null;
    this.target = convTargets(L);
    this.evRow = new Int32Array(L.fanIn === 0 ? 0 : L.inShape.c * L.inShape.h * L.inShape.w);
    this.evTarget = new Int32Array(this.evRow.length);
  }

  reseed(runSeed: number): void {
    for (let j = 0; j < this.wState.length; j++) this.wState[j] = startState(this.L.weightSeeds[j], runSeed);
    if (this.nState) for (let j = 0; j < this.nState.length; j++) this.nState[j] = startState(this.L.noise!.seeds[j], runSeed);
  }

  /** Clear the membranes; per-sample, SAMPLE_WEIGHTS. */
  startSample(): void {
    this.v.fill(0);
    if (this.held && !this.perTimestep) this.sampleKernel();
  }

  /** SAMPLE_WEIGHTS (semantics §4): lane j draws rows f·M + r in row order into `held`. */
  private sampleKernel(): void {
    const held = this.held!;
    const { fanIn: M, lanes: P, passes: F, probBits: k } = this.L;
    for (let j = 0; j < P; j++) {
      let st = this.wState[j];
      for (let f = 0; f < F; f++) {
        const base = (f * P + j) * M;
        for (let r = 0; r < M; r++) {
          const rr = drawBits(this.wt, st);
          st = ((st << k) | rr) >>> 0;
          held[base + r] = rr < this.thr[base + r] ? 1 : 0;
        }
      }
      this.wState[j] = st;
    }
  }

  synapses(): number {
    return this.uses;
  }

  step(idx: Int32Array, val: Int32Array | null, nEv: number): number {
    const L = this.L;
    this.locateEvents(idx, nEv);
    this.spikes.fill(0);
    if (this.perTimestep) this.sampleKernel();
    for (let f = 0; f < L.passes; f++) {
      this.accumulatePass(f, val, nEv);
      this.updatePass(f);
    }
    return L.pool ? this.pooled() : this.unpooled();
  }

  /**
   * Where each event's kernel rows and targets start (the same for every pass and lane), and the synapse uses
   * of the step: every valid (event, offset) reaches all N channels.
   */
  private locateEvents(idx: Int32Array, nEv: number): void {
    const { L, target, evRow, evTarget } = this;
    const inHW = L.inShape.h * L.inShape.w;
    const KK = L.kernel[0] * L.kernel[1];
    let valid = 0;
    for (let e = 0; e < nEv; e++) {
      const c = Math.floor(idx[e] / inHW);
      evRow[e] = c * KK;
      evTarget[e] = (idx[e] - c * inHW) * KK;
      for (let o = 0; o < KK; o++) if (target[evTarget[e] + o] >= 0) valid++;
    }
    this.uses = valid * L.size;
  }

  /** acc[j][p] of pass f: every lane draws for every (event, offset), valid or not (semantics §4.1). */
  private accumulatePass(f: number, val: Int32Array | null, nEv: number): void {
    this.acc.fill(0);
    for (let j = 0; j < this.L.lanes; j++) {
      if (this.held) this.heldLane(f, j, val, nEv);
      else this.drawLane(f, j, val, nEv);
    }
  }

  /** Per-sample: lane j's held weights. */
  private heldLane(f: number, j: number, val: Int32Array | null, nEv: number): void {
    const { L, acc, target, evRow, evTarget } = this;
    const held = this.held!;
    const KK = L.kernel[0] * L.kernel[1];
    const base = (f * L.lanes + j) * L.fanIn;
    const a0 = j * L.convShape.h * L.convShape.w;
    for (let e = 0; e < nEv; e++) {
      const x = val ? val[e] : 1;
      const rowBase = base + evRow[e];
      const tBase = evTarget[e];
      for (let o = 0; o < KK; o++) {
        const p = target[tBase + o];
        if (p >= 0) acc[a0 + p] += held[rowBase + o] ? x : -x;
      }
    }
  }

  /**
   * Time ensemble: lane j draws one weight per (event, offset) in order. When k divides 32 the stream leaps 32
   * bits at a time and the draws are read out of the word, first drawn bits highest.
   */
  private drawLane(f: number, j: number, val: Int32Array | null, nEv: number): void {
    const { L, acc, target, evRow, evTarget, thr } = this;
    const k = L.probBits;
    const KK = L.kernel[0] * L.kernel[1];
    const base = (f * L.lanes + j) * L.fanIn;
    const a0 = j * L.convShape.h * L.convShape.w;
    const perWord = 32 % k === 0 ? 32 / k : 0;
    const mask = (1 << k) - 1;
    const [u0, u1, u2, u3] = leap32Int32();
    const { t0, t1, t2, t3 } = this.wt;
    let st = this.wState[j] | 0;
    let prev = st;
    let word = 0;
    let left = 0;
    for (let e = 0; e < nEv; e++) {
      const x = val ? val[e] : 1;
      const rowBase = base + evRow[e];
      const tBase = evTarget[e];
      for (let o = 0; o < KK; o++) {
        let rr: number;
        if (perWord) {
          if (left === 0) {
            prev = st;
            word = st = u0[st & 255] ^ u1[(st >>> 8) & 255] ^ u2[(st >>> 16) & 255] ^ u3[st >>> 24];
            left = perWord;
          }
          left--;
          rr = (word >>> (left * k)) & mask;
        } else {
          rr = t0[st & 255] ^ t1[(st >>> 8) & 255] ^ t2[(st >>> 16) & 255] ^ t3[st >>> 24];
          st = (st << k) | rr;
        }
        const p = target[tBase + o];
        if (p >= 0) acc[a0 + p] += rr < thr[rowBase + o] ? x : -x;
      }
    }
    // Part of the last word drawn: the state is the previous word shifted by the bits used.
    if (perWord && left > 0) {
      const b = (perWord - left) * k;
      st = (prev << b) | (word >>> (32 - b));
    }
    this.wState[j] = st >>> 0;
  }

  /** The neuron update of every position and lane of pass f, in position–lane order (noise draws in that order). */
  private updatePass(f: number): void {
    const { L, v, acc, nState, nt, vmax, vmin, spikes } = this;
    const P = L.lanes;
    const HW = L.convShape.h * L.convShape.w;
    const noise = L.noise;
    const subtract = L.reset === 'subtract';
    for (let p = 0; p < HW; p++) {
      for (let j = 0; j < P; j++) {
        let eta = 0;
        if (nState) {
          const rr = drawBits(nt!, nState[j]);
          nState[j] = ((nState[j] << noise!.bits) | rr) >>> 0;
          eta = noise!.table[rr];
        }
        const n = f * P + j;
        if (n >= L.size) continue;
        const at = n * HW + p;
        let vn = v[at];
        if (L.leak > 0) vn -= vn >> L.leak;
        vn += acc[j * HW + p] + L.bias[n];
        vn = vn > vmax ? vmax : vn < vmin ? vmin : vn;
        if (vn >= L.threshold[n] + eta) {
          if (subtract) {
            vn -= L.threshold[n];
            if (vn < vmin) vn = vmin;
          } else vn = 0;
          spikes[at] = 1;
        }
        v[at] = vn;
      }
    }
  }

  /** Output events in pass–position–lane order, index n·HoWo + p. */
  private unpooled(): number {
    const { L, spikes } = this;
    const P = L.lanes;
    const HW = L.convShape.h * L.convShape.w;
    let nOut = 0;
    for (let f = 0; f < L.passes; f++) {
      for (let p = 0; p < HW; p++) {
        for (let j = 0; j < P && f * P + j < L.size; j++) {
          const n = f * P + j;
          if (spikes[n * HW + p]) this.outIdx[nOut++] = n * HW + p;
        }
      }
    }
    return nOut;
  }

  /** Pooled events in pass–position–lane order, index n·HpWp + q, value 1 (or) or the window's count (sum). */
  private pooled(): number {
    const { L, spikes } = this;
    const P = L.lanes;
    const { h: Ho, w: Wo } = L.convShape;
    const { h: Hp, w: Wp } = L.outShape;
    const [qh, qw] = L.pool!.size;
    let nOut = 0;
    for (let f = 0; f < L.passes; f++) {
      for (let py = 0; py < Hp; py++) {
        for (let px = 0; px < Wp; px++) {
          for (let j = 0; j < P && f * P + j < L.size; j++) {
            const n = f * P + j;
            let count = 0;
            for (let dy = 0; dy < qh; dy++) {
              const row = n * Ho * Wo + (py * qh + dy) * Wo + px * qw;
              for (let dx = 0; dx < qw; dx++) count += spikes[row + dx];
            }
            if (count === 0) continue;
            this.outIdx[nOut] = n * Hp * Wp + py * Wp + px;
            if (this.outVal) this.outVal[nOut] = count;
            nOut++;
          }
        }
      }
    }
    return nOut;
  }
}

/**
 * The output position each (input position, kernel offset) reaches, or −1 (semantics §4.1: ny = y + ph − ky,
 * nx = x + pw − kx, both ≥ 0 and multiples of the stride, within Ho × Wo).
 */
export function convTargets(L: ConvLayer): Int32Array {
  const { h: H, w: W } = L.inShape;
  const [kh, kw] = L.kernel;
  const [sh, sw] = L.stride;
  const [ph, pw] = L.padding;
  const { h: Ho, w: Wo } = L.convShape;
  const out = new Int32Array(H * W * kh * kw).fill(-1);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const ny = y + ph - ky;
          const nx = x + pw - kx;
          if (ny < 0 || nx < 0 || ny % sh !== 0 || nx % sw !== 0) continue;
          const oy = ny / sh;
          const ox = nx / sw;
          if (oy < Ho && ox < Wo) out[((y * W + x) * kh + ky) * kw + kx] = oy * Wo + ox;
        }
      }
    }
  }
  return out;
}
