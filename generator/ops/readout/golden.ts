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
    this.accumulate(idx, val, nEv);
    for (let n = 0; n < L.size; n++) votes[n] += acc[n] + L.bias[n];
    return 0;
  }
}
