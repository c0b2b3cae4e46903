/** Golden step of a spiking layer: docs/semantics.md §4 LAYER_STEP, bit for bit. */
import { leapTables } from '../../rng/lfsr.js';
import type { DenseLayer, PlannedModel } from '../../ir/types.js';
import type { LayerRuntime } from '../op.js';
import { SynapseRuntime, startState, type GoldenScratch } from '../synapses/golden.js';

export class DenseRuntime extends SynapseRuntime<DenseLayer> implements LayerRuntime {
  private readonly v: Int32Array;
  private readonly nState: Uint32Array | null;

  constructor(L: DenseLayer, plan: PlannedModel, scratch: GoldenScratch) {
    super(L, plan, scratch);
    this.v = new Int32Array(L.size);
    this.nState = L.noise ? new Uint32Array(L.lanes) : null;
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
    const { L, v, acc, nState } = this;
    const P = L.lanes;
    const N = L.size;
    const vmax = 2 ** (L.membraneBits - 1) - 1;
    const vmin = -vmax - 1;
    const noise = L.noise;
    const nt = noise ? leapTables(noise.bits) : null;
    let nOut = 0;
    for (let f = 0; f < L.passes; f++) {
      this.accumulate(f, idx, val, nEv);
      for (let j = 0; j < P; j++) {
        let eta = 0;
        if (nState) {
          const st = nState[j];
          const rr = nt!.t0[st & 255] ^ nt!.t1[(st >>> 8) & 255] ^ nt!.t2[(st >>> 16) & 255] ^ nt!.t3[st >>> 24];
          nState[j] = ((st << noise!.bits) | rr) >>> 0;
          eta = noise!.table[rr];
        }
        const n = f * P + j;
        if (n >= N) continue;
        let vn = v[n];
        if (L.leak > 0) vn -= vn >> L.leak;
        vn += acc[j] + L.bias[n];
        vn = vn > vmax ? vmax : vn < vmin ? vmin : vn;
        if (vn >= L.threshold[n] + eta) {
          if (L.reset === 'subtract') {
            vn -= L.threshold[n];
            if (vn < vmin) vn = vmin;
          } else vn = 0;
          this.outIdx[nOut++] = n;
        }
        v[n] = vn;
      }
    }
    return nOut;
  }
}
