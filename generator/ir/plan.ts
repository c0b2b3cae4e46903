/** Model → planned IR: quantisation, lane/folding plan, widths and RNG allocation. */
import { createHash } from 'node:crypto';
import type { Model, LayerSpec } from '../model/schema.js';
import { streamSeed, StreamId } from '../rng/lfsr.js';
import { codeProbability, quantiseProbability } from './quantise.js';
import { noiseTable, signedBitsFor } from './noise.js';
import { BsnnError } from '../util/errors.js';
import type { PlannedLayer, PlannedModel, ReadoutMode } from './types.js';
import { addrBits, datapathBits, readoutValueBits, voteBitsFor } from './widths.js';

export interface PlanOptions {
  /** Override lanes for every layer (a number) or per layer (an array). */
  lanes?: number | number[];
  /** Override the probability bits k of every layer (sweeps): codes are re-quantised from their levels. */
  probBits?: number;
}

export const DEFAULT_MAX_LANES = 8;

function perNeuron(v: number | number[] | undefined, n: number, dflt: number): Int32Array {
  if (v === undefined) return new Int32Array(n).fill(dflt);
  if (Array.isArray(v)) return Int32Array.from(v);
  return new Int32Array(n).fill(v);
}

/** Widest vote counter: the AXI stream carries votes as 32-bit words and the golden model counts in int32. */
const MAX_VOTE_BITS = 32;

function planLayer(spec: LayerSpec, index: number, fanIn: number, model: Model, lanesOverride: number | undefined, kOverride: number | undefined): PlannedLayer {
  const N = spec.size;
  const M = fanIn;
  const k = kOverride ?? spec.probBits;
  const P = lanesOverride ?? spec.lanes ?? Math.min(N, DEFAULT_MAX_LANES);
  const F = Math.ceil(N / P);
  const probRows = new Uint8Array(F * M * P);
  const rows = spec.probCodes ?? spec.prob!;
  // Codes are used as they are at their own k; at another k they are re-quantised from their levels.
  const asIs = spec.probCodes !== undefined && k === spec.probBits;
  const level = spec.probCodes !== undefined ? (q: number) => codeProbability(q, spec.probBits) : (p: number) => p;
  for (let n = 0; n < N; n++) {
    const f = Math.floor(n / P);
    const j = n % P;
    const row = rows[n];
    for (let i = 0; i < M; i++) probRows[(f * M + i) * P + j] = asIs ? row[i] : quantiseProbability(level(row[i]), k);
  }
  const inputMax = index === 0 && model.input.encoding === 'direct' ? 255 : 1;
  const accBits = Math.ceil(Math.log2(M * inputMax + 1)) + 1;
  const weightSeeds = Uint32Array.from({ length: P }, (_, j) => streamSeed(model.seed, StreamId.weight(index, j)));
  const common = { index, fanIn: M, size: N, lanes: P, passes: F, probBits: k, probRows, accBits, inputMax, weightSeeds };
  if (model.readout?.mode === 'potential' && index === model.layers.length - 1) {
    // The readout layer: no membrane, threshold, leak, reset or noise (the schema refuses noise here). Its bias
    // words are as wide as its biases need; the ignored fields are fixed so that they cannot change the hash.
    const bias = perNeuron(spec.bias, N, 0);
    const biasBits = Math.max(2, signedBitsFor(bias));
    return {
      ...common,
      readout: true,
      threshold: new Int32Array(N),
      bias,
      leak: 0,
      reset: 'subtract',
      membraneBits: biasBits,
      datapathBits: readoutValueBits(accBits, biasBits),
      noise: null,
    };
  }
  const noise = spec.noise
    ? (() => {
        const table = noiseTable(spec.noise);
        return {
          kind: spec.noise.kind,
          bits: spec.noise.bits,
          scale: spec.noise.scale,
          table,
          tableBits: signedBitsFor(table),
          seeds: Uint32Array.from({ length: P }, (_, j) => streamSeed(model.seed, StreamId.noise(index, j))),
        };
      })()
    : null;
  return {
    ...common,
    readout: false,
    threshold: perNeuron(spec.threshold, N, 1),
    bias: perNeuron(spec.bias, N, 0),
    leak: spec.leak,
    reset: spec.reset,
    membraneBits: spec.membraneBits,
    datapathBits: datapathBits(spec.membraneBits, accBits, noise ? noise.tableBits : 1),
    noise,
  };
}

/**
 * sha256 of the planned arithmetic. The readout enters only when it is `potential` (with the temperature only
 * when the model gives one), so that models without a readout field keep the hash they always had.
 */
function hashPlan(p: Omit<PlannedModel, 'modelHash' | 'classBits' | 'voteBits' | 'signedVotes' | 'temperature'>, givenTemperature: number | undefined): string {
  const h = createHash('sha256');
  const scalar: Record<string, unknown> = { format: p.format, seed: p.seed, T: p.timesteps, S: p.samples, mode: p.mode, input: p.input };
  if (p.readout === 'potential') scalar.readout = givenTemperature === undefined ? { mode: 'potential' } : { mode: 'potential', temperature: givenTemperature };
  h.update(JSON.stringify(scalar));
  for (const l of p.layers) {
    const { probRows, threshold, bias, noise, weightSeeds } = l;
    // Field by field, in a fixed order (the hash of existing models must not move).
    const fields: Record<string, unknown> = {
      index: l.index,
      fanIn: l.fanIn,
      size: l.size,
      lanes: l.lanes,
      passes: l.passes,
      probBits: l.probBits,
      leak: l.leak,
      reset: l.reset,
      membraneBits: l.membraneBits,
      accBits: l.accBits,
      inputMax: l.inputMax,
      noise: noise ? { kind: noise.kind, bits: noise.bits, table: Array.from(noise.table) } : null,
    };
    if (l.readout) fields.readout = true;
    h.update(JSON.stringify(fields));
    for (const a of [probRows, threshold, bias, weightSeeds]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

/** The vote width, and the refusal of potential counts that would not fit 32 bits. */
function planVotes(model: Model, layers: PlannedLayer[]): number {
  const out = layers[layers.length - 1];
  const ST = model.timesteps * model.sampling.samples;
  if (!out.readout) return voteBitsFor(ST, null);
  const maxAbsBias = out.bias.reduce((m, b) => Math.max(m, Math.abs(b)), 0);
  // Never narrower than one value acc + b, so the counters add it without truncation.
  const bits = Math.max(voteBitsFor(ST, { fanIn: out.fanIn, inputMax: out.inputMax, maxAbsBias }), out.datapathBits);
  if (bits > MAX_VOTE_BITS) {
    const bound = ST * (out.fanIn * out.inputMax + maxAbsBias);
    throw new BsnnError(
      `readout: "potential" counts of this model reach ±${bound} (S·T·(M·xmax + max|b|) = ${ST}·(${out.fanIn}·${out.inputMax} + ${maxAbsBias})), ` +
        `which needs ${bits} signed bits; at most ${MAX_VOTE_BITS} are supported (fewer timesteps or samples, or smaller biases)`,
    );
  }
  return bits;
}

export function planModel(model: Model, opts: PlanOptions = {}): PlannedModel {
  const lanesFor = (l: number) => (Array.isArray(opts.lanes) ? opts.lanes[l] : opts.lanes);
  let fanIn = model.input.size;
  const layers = model.layers.map((spec, l) => {
    const planned = planLayer(spec, l, fanIn, model, lanesFor(l), opts.probBits);
    fanIn = spec.size;
    return planned;
  });
  const readout: ReadoutMode = model.readout?.mode ?? 'spikes';
  const base = {
    name: model.name,
    format: model.format,
    seed: model.seed,
    timesteps: model.timesteps,
    samples: model.sampling.samples,
    mode: model.sampling.mode,
    input: { size: model.input.size, encoding: model.input.encoding, seed: streamSeed(model.seed, StreamId.input) },
    layers,
    outputs: layers[layers.length - 1].size,
    readout,
    temperature: model.readout?.temperature ?? 1,
  };
  return {
    ...base,
    modelHash: hashPlan(base, model.readout?.temperature),
    classBits: addrBits(base.outputs),
    voteBits: planVotes(model, layers),
    signedVotes: readout === 'potential',
  };
}
