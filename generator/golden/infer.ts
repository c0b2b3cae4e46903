/**
 * The golden model: docs/semantics.md §3–5 as executable code, bit for bit. Event-driven: only active inputs
 * cost work, and the inner loop touches typed arrays only (no per-synapse allocation).
 */
import { drawMany, leapTables } from '../rng/lfsr.js';
import type { PlannedLayer, PlannedModel } from '../ir/types.js';

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
  /** Spikes emitted by each layer in each (sample, timestep): [l][s·T + t]. */
  spikesOut?: Int32Array[];
  trace?: SpikeTrace;
}

export interface InferOptions {
  trace?: boolean;
  /** Record per-layer event counts per timestep (eventsIn). */
  activity?: boolean;
  /** The runtime seed (the core's `seed` port, semantics §1.2), a 32-bit unsigned integer; default 0. */
  seed?: number;
}

/** A stream's start state for runtime seed `runSeed` (semantics §1.2): seed(id) ^ runSeed, or seed(id) if that is 0. */
export function startState(streamSeed: number, runSeed: number): number {
  const s = (streamSeed ^ runSeed) >>> 0;
  return s === 0 ? streamSeed >>> 0 : s;
}

/** Per-layer constant state prepared once per model. */
interface LayerRuntime {
  L: PlannedLayer;
  /** Weight-sample thresholds per memory slot: w = +1 iff r < thr (the all-ones code maps to 2^k). */
  thr: Uint16Array;
  v: Int32Array;
  acc: Int32Array;
  wState: Uint32Array;
  nState: Uint32Array | null;
  /** Held weight samples (±1) for per-sample mode, memory order. */
  held: Int8Array | null;
  /** Output events of this layer's current timestep. */
  outIdx: Int32Array;
}

export class GoldenModel {
  private readonly rt: LayerRuntime[];
  private readonly inIdx: Int32Array;
  private readonly inVal: Int32Array;
  /** Scratch: memory offset of each event's row in the current pass. */
  private readonly offsets: Int32Array;
  /** The values of spike events (all 1), so one accumulate loop serves spikes and direct inputs. */
  private readonly ones: Int32Array;
  /** Scratch: one lane's weight draws for the current pass's events (or, per-sample, for all its rows). */
  private readonly draws: Uint8Array;

  constructor(readonly plan: PlannedModel) {
    this.rt = plan.layers.map((L) => {
      const full = (1 << L.probBits) - 1;
      const thr = new Uint16Array(L.probRows.length);
      for (let a = 0; a < thr.length; a++) thr[a] = L.probRows[a] === full ? 1 << L.probBits : L.probRows[a];
      return {
        L,
        thr,
        v: new Int32Array(L.size),
        acc: new Int32Array(L.lanes),
        wState: new Uint32Array(L.lanes),
        nState: L.noise ? new Uint32Array(L.lanes) : null,
        held: plan.mode === 'per-sample' ? new Int8Array(thr.length) : null,
        outIdx: new Int32Array(L.size),
      };
    });
    this.inIdx = new Int32Array(plan.input.size);
    this.inVal = new Int32Array(plan.input.size);
    this.offsets = new Int32Array(Math.max(plan.input.size, ...plan.layers.map((L) => L.size)));
    this.ones = new Int32Array(this.offsets.length).fill(1);
    const heldRows = plan.mode === 'per-sample' ? Math.max(...plan.layers.map((L) => L.passes * L.fanIn)) : 0;
    this.draws = new Uint8Array(Math.max(this.offsets.length, heldRows));
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
    const spikesOut = opts.activity ? this.rt.map(() => new Int32Array(S * T)) : undefined;
    let inputEvents = 0;
    let synapticEvents = 0;

    // Re-seed every stream (semantics §1.2).
    let inState = startState(plan.input.seed, runSeed);
    for (const r of this.rt) {
      for (let j = 0; j < r.wState.length; j++) r.wState[j] = startState(r.L.weightSeeds[j], runSeed);
      if (r.nState) for (let j = 0; j < r.nState.length; j++) r.nState[j] = startState(r.L.noise!.seeds[j], runSeed);
    }
    const potential = plan.readout === 'potential';
    const in8 = leapTables(8);

    for (let s = 0; s < S; s++) {
      for (const r of this.rt) {
        r.v.fill(0);
        if (r.held) this.sampleWeights(r);
      }
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
        let idx = this.inIdx;
        let val: Int32Array | null = plan.input.encoding === 'direct' ? this.inVal : null;
        for (let l = 0; l < nL; l++) {
          const r = this.rt[l];
          if (eventsIn) eventsIn[l][s * T + t] = nEv;
          synapticEvents += nEv * r.L.size;
          const nOut = r.L.readout ? this.readoutStep(r, idx, val, nEv, counts) : this.layerStep(r, idx, val, nEv);
          spikesPerLayer[l] += nOut;
          if (spikesOut) spikesOut[l][s * T + t] = nOut;
          if (trace) {
            for (let e = 0; e < nOut; e++) {
              trace.sample.push(s);
              trace.timestep.push(t);
              trace.layer.push(l);
              trace.neuron.push(r.outIdx[e]);
            }
          }
          idx = r.outIdx;
          val = null;
          nEv = nOut;
        }
        if (!potential) for (let e = 0; e < nEv; e++) counts[idx[e]]++;
      }
    }
    let cls = 0;
    for (let c = 1; c < counts.length; c++) if (counts[c] > counts[cls]) cls = c;
    return { counts, cls, spikesPerLayer, inputEvents, synapticEvents, eventsIn, spikesOut, trace };
  }

  /** Per-sample mode: draw and hold one weight sample per memory slot (semantics §4 SAMPLE_WEIGHTS). */
  private sampleWeights(r: LayerRuntime): void {
    const { L, thr, wState } = r;
    const held = r.held!;
    const P = L.lanes;
    const rows = L.passes * L.fanIn;
    const draws = this.draws;
    // Lane by lane, as in accumulate: lane j's draws for rows 0, 1, … are consecutive chunks of its stream.
    for (let j = 0; j < P; j++) {
      wState[j] = drawMany(wState[j], L.probBits, rows, draws);
      for (let row = 0; row < rows; row++) held[row * P + j] = ((thr[row * P + j] - draws[row] - 1) >> 31) | 1; // +1 iff r < thr
    }
  }

  /** acc[j] of pass f for every lane, padding lanes too (semantics §4, the inner loop of LAYER_STEP). */
  private accumulate(r: LayerRuntime, f: number, idx: Int32Array, val: Int32Array | null, nEv: number): void {
    const { L, thr, acc, wState, held } = r;
    const P = L.lanes;
    const off = this.offsets;
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
      const xs = val ?? this.ones;
      const draws = this.draws;
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

  /**
   * LAYER_STEP of the potential readout layer (semantics §4): counts[n] += acc[j] + b[n] for every real lane,
   * no membrane and no spikes. Returns 0, the number of output events.
   */
  private readoutStep(r: LayerRuntime, idx: Int32Array, val: Int32Array | null, nEv: number, counts: Int32Array): number {
    const { L, acc } = r;
    const P = L.lanes;
    for (let f = 0; f < L.passes; f++) {
      this.accumulate(r, f, idx, val, nEv);
      const last = Math.min(P, L.size - f * P);
      for (let j = 0; j < last; j++) counts[f * P + j] += acc[j] + L.bias[f * P + j];
    }
    return 0;
  }

  /** LAYER_STEP of semantics §4; writes output events into r.outIdx and returns their number. */
  private layerStep(r: LayerRuntime, idx: Int32Array, val: Int32Array | null, nEv: number): number {
    const { L, v, acc, nState } = r;
    const P = L.lanes;
    const N = L.size;
    const vmax = 2 ** (L.membraneBits - 1) - 1;
    const vmin = -vmax - 1;
    const noise = L.noise;
    const nt = noise ? leapTables(noise.bits) : null;
    let nOut = 0;
    for (let f = 0; f < L.passes; f++) {
      this.accumulate(r, f, idx, val, nEv);
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
          r.outIdx[nOut++] = n;
        }
        v[n] = vn;
      }
    }
    return nOut;
  }
}
