/**
 * Golden step of the potential readout layer (docs/semantics.md §4): votes[n] += acc[j] + b[n] for every real
 * lane; no membrane and no spikes.
 */
import type { ReadoutLayer } from '../../ir/types.js';
import type { LayerRuntime } from '../op.js';
import { SynapseRuntime } from '../synapses/golden.js';

export class ReadoutRuntime extends SynapseRuntime<ReadoutLayer> implements LayerRuntime {
  /** Returns 0: the layer emits no events. */
  step(idx: Int32Array, val: Int32Array | null, nEv: number, votes: Int32Array): number {
    const { L, acc } = this;
    const P = L.lanes;
    for (let f = 0; f < L.passes; f++) {
      this.accumulate(f, idx, val, nEv);
      const last = Math.min(P, L.size - f * P);
      for (let j = 0; j < last; j++) votes[f * P + j] += acc[j] + L.bias[f * P + j];
    }
    return 0;
  }
}
