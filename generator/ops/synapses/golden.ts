/**
 * The golden model of the synaptic core (docs/semantics.md §4): weight streams, per-sample held weights and
 * the accumulation of one pass. Each kind's runtime extends it with what happens after the accumulator.
 */
import { drawMany } from '../../rng/lfsr.js';
import type { PlannedModel, SynapticLayer } from '../../ir/types.js';

/** Scratch arrays shared by every layer of one golden model (one inference runs at a time). */
export interface GoldenScratch {
  /** Memory offset of each event's row in the current pass. */
  offsets: Int32Array;
  /** The values of spike events (all 1), so one accumulate loop serves spikes and direct inputs. */
  ones: Int32Array;
  /** One lane's weight draws for the current pass's events (or, per-sample, for all its rows). */
  draws: Uint8Array;
}

export function goldenScratch(plan: PlannedModel): GoldenScratch {
  const offsets = new Int32Array(Math.max(plan.input.size, ...plan.layers.map((L) => L.size)));
  const heldRows = plan.mode === 'per-sample' ? Math.max(...plan.layers.map((L) => L.passes * L.fanIn)) : 0;
  return { offsets, ones: new Int32Array(offsets.length).fill(1), draws: new Uint8Array(Math.max(offsets.length, heldRows)) };
}

/** A stream's start state for runtime seed `runSeed` (semantics §1.2): seed(id) ^ runSeed, or seed(id) if that is 0. */
export function startState(streamSeed: number, runSeed: number): number {
  const s = (streamSeed ^ runSeed) >>> 0;
  return s === 0 ? streamSeed >>> 0 : s;
}

export class SynapseRuntime<L extends SynapticLayer = SynapticLayer> {
  /** Weight-sample thresholds per memory slot: w = +1 iff r < thr (the all-ones code maps to 2^k). */
  readonly thr: Uint16Array;
  readonly acc: Int32Array;
  readonly wState: Uint32Array;
  /** Held weight samples (±1) for per-sample mode, memory order. */
  readonly held: Int8Array | null;
  readonly outIdx: Int32Array;

  constructor(
    readonly L: L,
    plan: PlannedModel,
    protected readonly scratch: GoldenScratch,
  ) {
    const full = (1 << L.probBits) - 1;
    this.thr = new Uint16Array(L.probRows.length);
    for (let a = 0; a < this.thr.length; a++) this.thr[a] = L.probRows[a] === full ? 1 << L.probBits : L.probRows[a];
    this.acc = new Int32Array(L.lanes);
    this.wState = new Uint32Array(L.lanes);
    this.held = plan.mode === 'per-sample' ? new Int8Array(this.thr.length) : null;
    this.outIdx = new Int32Array(L.size);
  }

  reseed(runSeed: number): void {
    for (let j = 0; j < this.wState.length; j++) this.wState[j] = startState(this.L.weightSeeds[j], runSeed);
  }

  startSample(): void {
    if (this.held) this.sampleWeights();
  }

  /** Per-sample mode: draw and hold one weight sample per memory slot (semantics §4 SAMPLE_WEIGHTS). */
  private sampleWeights(): void {
    const { L, thr, wState } = this;
    const held = this.held!;
    const P = L.lanes;
    const rows = L.passes * L.fanIn;
    const draws = this.scratch.draws;
    // Lane by lane, as in accumulate: lane j's draws for rows 0, 1, … are consecutive chunks of its stream.
    for (let j = 0; j < P; j++) {
      wState[j] = drawMany(wState[j], L.probBits, rows, draws);
      for (let row = 0; row < rows; row++) held[row * P + j] = ((thr[row * P + j] - draws[row] - 1) >> 31) | 1; // +1 iff r < thr
    }
  }

  /** acc[j] of pass f for every lane, padding lanes too (semantics §4, the inner loop of LAYER_STEP). */
  protected accumulate(f: number, idx: Int32Array, val: Int32Array | null, nEv: number): void {
    const { L, thr, acc, wState, held } = this;
    const P = L.lanes;
    const off = this.scratch.offsets;
    const rowBase = f * L.fanIn;
    if (held) {
      acc.fill(0);
      for (let e = 0; e < nEv; e++) {
        const base = (rowBase + idx[e]) * P;
        const xv = val === null ? 1 : val[e];
        for (let j = 0; j < P; j++) acc[j] += held[base + j] * xv;
      }
    } else {
      // Lane-outer order: each lane's stream is its own, so drawing lane by lane gives the same samples as
      // the hardware's event-by-event order.
      for (let e = 0; e < nEv; e++) off[e] = (rowBase + idx[e]) * P;
      const xs = val ?? this.scratch.ones;
      const draws = this.scratch.draws;
      for (let j = 0; j < P; j++) {
        wState[j] = drawMany(wState[j], L.probBits, nEv, draws);
        // Branch-free (the sign is a coin flip, so a branch mispredicts half the time): r − thr < 0 iff w = +1,
        // so neg = 0 for +1 and −1 for −1, and (x ^ neg) − neg = w·x.
        let a = 0;
        for (let e = 0; e < nEv; e++) {
          const neg = ~((draws[e] - thr[off[e] + j]) >> 31);
          a += (xs[e] ^ neg) - neg;
        }
        acc[j] = a;
      }
    }
  }
}
