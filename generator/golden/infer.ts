/**
 * The golden model: docs/semantics.md §3–5 as executable code, bit for bit. Event-driven: only active inputs
 * cost work, and the inner loop touches typed arrays only (no per-synapse allocation).
 */
import { leapTables } from '../rng/lfsr.js';
import type { PlannedModel } from '../ir/types.js';
import type { LayerOp, LayerRuntime } from '../ops/op.js';
import { opOf } from '../ops/registry.js';
import { goldenScratch, startState } from '../ops/synapses/golden.js';

export { startState };

/** Spike trace: four parallel columns, one entry per spike, in semantics §6 order. */
export interface SpikeTrace {
  sample: number[];
  timestep: number[];
  layer: number[];
  neuron: number[];
}

export interface InferenceResult {
  /**
   * Votes over all samples and timesteps: output spike counts (spikes readout), or the signed sums of acc + b
   * of the readout layer (potential readout).
   */
  counts: Int32Array;
  /** argmax of counts (a signed compare), ties to the lowest index. */
  cls: number;
  /** Spikes emitted per layer (hidden and output; 0 for a potential readout layer), summed over samples and timesteps. */
  spikesPerLayer: Int32Array;
  /** Input events (spikes for rate coding, non-zero inputs for direct) summed over samples and timesteps. */
  inputEvents: number;
  /** Synaptic events: Σ active inputs × neurons (padding lanes excluded). */
  synapticEvents: number;
  /** Events seen by each layer in each (sample, timestep), for the cycle model: [l][s·T + t]. */
  eventsIn?: Int32Array[];
  /** Spikes emitted by each layer in each (sample, timestep) and pass (the emission overlaps the next pass, semantics §7): [l][(s·T + t)·F_l + f]. */
  spikesPerPass?: Int32Array[];
  trace?: SpikeTrace;
  /** Layer 0's input events of each (sample, timestep), [s·T + t]: indices ascending, values (1 for a spike). */
  inputTrace?: { idx: number[]; val: number[] }[];
  /** The votes so far after each (sample, timestep): [(s·T + t)·C + c], C = outputs. */
  votesAt?: Int32Array;
}

export interface InferOptions {
  trace?: boolean;
  /** Record per-layer event counts per timestep (eventsIn). */
  activity?: boolean;
  /** Record the input events of every timestep (inputTrace), e.g. to replay them into another network. */
  inputs?: boolean;
  /** The runtime seed (the core's `seed` port, semantics §1.2), a 32-bit unsigned integer; default 0. */
  seed?: number;
  /** Record the votes after every timestep (votesAt): with S = 1, those after t timesteps are the votes of T' = t. */
  votesAt?: boolean;
}

export class GoldenModel {
  private readonly rt: LayerRuntime[];
  private readonly ops: LayerOp[];
  private readonly inIdx: Int32Array;
  private readonly inVal: Int32Array;

  constructor(readonly plan: PlannedModel) {
    const scratch = goldenScratch(plan);
    this.ops = plan.layers.map((L) => opOf(L));
    this.rt = plan.layers.map((L, l) => this.ops[l].runtime(L, plan, scratch));
    this.inIdx = new Int32Array(plan.input.size);
    this.inVal = new Int32Array(plan.input.size);
  }

  /** Run one inference on 8-bit intensities x (length = input size). */
  infer(x: Uint8Array, opts: InferOptions = {}): InferenceResult {
    const plan = this.plan;
    if (x.length !== plan.input.size) throw new RangeError(`input has ${x.length} values, the model expects ${plan.input.size}`);
    const runSeed = opts.seed ?? 0;
    if (!Number.isInteger(runSeed) || runSeed < 0 || runSeed > 0xffffffff) throw new RangeError(`seed ${runSeed} is not a 32-bit unsigned integer`);
    const T = plan.timesteps;
    const S = plan.samples;
    const nL = this.rt.length;
    const counts = new Int32Array(plan.outputs);
    const spikesPerLayer = new Int32Array(nL);
    const trace: SpikeTrace | undefined = opts.trace ? { sample: [], timestep: [], layer: [], neuron: [] } : undefined;
    const eventsIn = opts.activity ? this.rt.map(() => new Int32Array(S * T)) : undefined;
    const spikesPerPass = opts.activity ? plan.layers.map((L) => new Int32Array(S * T * L.passes)) : undefined;
    const inputTrace: InferenceResult['inputTrace'] = opts.inputs ? [] : undefined;
    const votesAt = opts.votesAt ? new Int32Array(S * T * counts.length) : undefined;
    let inputEvents = 0;
    let synapticEvents = 0;

    // Re-seed every stream (semantics §1.2).
    let inState = startState(plan.input.seed, runSeed);
    for (const r of this.rt) r.reseed(runSeed);
    const in8 = leapTables(8);

    for (let s = 0; s < S; s++) {
      for (const r of this.rt) r.startSample();
      for (let t = 0; t < T; t++) {
        // Input events (§3).
        let nEv = 0;
        if (plan.input.encoding === 'rate') {
          for (let i = 0; i < x.length; i++) {
            const st = inState;
            const rr = in8.t0[st & 255] ^ in8.t1[(st >>> 8) & 255] ^ in8.t2[(st >>> 16) & 255] ^ in8.t3[st >>> 24];
            inState = ((st << 8) | rr) >>> 0;
            if (rr < x[i]) {
              this.inIdx[nEv] = i;
              this.inVal[nEv++] = 1;
            }
          }
        } else {
          for (let i = 0; i < x.length; i++) {
            if (x[i] !== 0) {
              this.inIdx[nEv] = i;
              this.inVal[nEv++] = x[i];
            }
          }
        }
        inputEvents += nEv;
        if (inputTrace) inputTrace.push({ idx: Array.from(this.inIdx.subarray(0, nEv)), val: Array.from(this.inVal.subarray(0, nEv)) });
        let idx = this.inIdx;
        let val: Int32Array | null = plan.input.encoding === 'direct' ? this.inVal : null;
        for (let l = 0; l < nL; l++) {
          const r = this.rt[l];
          if (eventsIn) eventsIn[l][s * T + t] = nEv;
          // A layer that votes directly (the potential readout) adds to counts and emits nothing.
          const nOut = r.step(idx, val, nEv, counts);
          synapticEvents += r.synapses(nEv);
          spikesPerLayer[l] += nOut;
          if (spikesPerPass) {
            const L = plan.layers[l];
            const op = this.ops[l];
            const at = (s * T + t) * L.passes;
            for (let e = 0; e < nOut; e++) spikesPerPass[l][at + op.outputPass(L, r.outIdx[e])]++;
          }
          if (trace) {
            for (let e = 0; e < nOut; e++) {
              trace.sample.push(s);
              trace.timestep.push(t);
              trace.layer.push(l);
              trace.neuron.push(r.outIdx[e]);
            }
          }
          idx = r.outIdx;
          val = r.outVal;
          nEv = nOut;
        }
        // Spike votes: the last layer's output events.
        for (let e = 0; e < nEv; e++) counts[idx[e]]++;
        if (votesAt) votesAt.set(counts, (s * T + t) * counts.length);
      }
    }
    let cls = 0;
    for (let c = 1; c < counts.length; c++) if (counts[c] > counts[cls]) cls = c;
    return { counts, cls, spikesPerLayer, inputEvents, synapticEvents, eventsIn, spikesPerPass, trace, inputTrace, votesAt };
  }
}
