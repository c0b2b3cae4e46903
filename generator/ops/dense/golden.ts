/** Golden step of a spiking layer: docs/semantics.md §4 LAYER_STEP, bit for bit. */
import { leapTables, type LeapTables } from '../../rng/lfsr.js';
import type { DenseLayer, PlannedModel } from '../../ir/types.js';
import type { LayerRuntime } from '../op.js';
import { SynapseRuntime, startState, type GoldenScratch } from '../synapses/golden.js';

export class DenseRuntime extends SynapseRuntime<DenseLayer> implements LayerRuntime {
  private readonly v: Int32Array;
  private readonly nState: Uint32Array | null;
  private readonly vmax: number;
  private readonly vmin: number;
  /** The noise stream's leap tables (null without noise). */
  private readonly nt: LeapTables | null;

  constructor(L: DenseLayer, plan: PlannedModel, scratch: GoldenScratch) {
    super(L, plan, scratch);
    this.v = new Int32Array(L.size);
    this.nState = L.noise ? new Uint32Array(L.lanes) : null;
    this.vmax = 2 ** (L.membraneBits - 1) - 1;
    this.vmin = -this.vmax - 1;
    this.nt = L.noise ? leapTables(L.noise.bits) : null;
  }

  override reseed(runSeed: number): void {
    super.reseed(runSeed);
    if (this.nState) for (let j = 0; j < this.nState.length; j++) this.nState[j] = startState(this.L.noise!.seeds[j], runSeed);
  }

  override startSample(): void {
    this.v.fill(0);
    super.startSample();
  }

  /** Writes output events into outIdx and returns their number. */
  step(idx: Int32Array, val: Int32Array | null, nEv: number): number {
    const { L, v, acc, nState, nt, vmax, vmin } = this;
    const P = L.lanes;
    const N = L.size;
    const noise = L.noise;
    const { leak, bias, threshold } = L;
    const subtract = L.reset === 'subtract';
    this.accumulate(idx, val, nEv);
    let nOut = 0;
    // Lane positions n = f·P + j in order: each lane's noise stream draws once per pass, padding lanes too.
    for (let n = 0, j = 0; n < L.passes * P; n++, j = j + 1 === P ? 0 : j + 1) {
      let eta = 0;
      if (nState) {
        const st = nState[j];
        const rr = nt!.t0[st & 255] ^ nt!.t1[(st >>> 8) & 255] ^ nt!.t2[(st >>> 16) & 255] ^ nt!.t3[st >>> 24];
        nState[j] = ((st << noise!.bits) | rr) >>> 0;
        eta = noise!.table[rr];
      }
      if (n >= N) continue;
      let vn = v[n];
      if (leak > 0) vn -= vn >> leak;
      vn += acc[n] + bias[n];
      vn = vn > vmax ? vmax : vn < vmin ? vmin : vn;
      if (vn >= threshold[n] + eta) {
        if (subtract) {
          vn -= threshold[n];
          if (vn < vmin) vn = vmin;
        } else vn = 0;
        this.outIdx[nOut++] = n;
      }
      v[n] = vn;
    }
    return nOut;
  }
}
