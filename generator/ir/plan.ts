/** Model → planned IR: quantisation, lane/folding plan, widths and RNG allocation. */
import { createHash } from 'node:crypto';
import type { Model, LayerSpec } from '../model/schema.js';
import { streamSeed, StreamId } from '../rng/lfsr.js';
import { codeProbability, quantiseProbability } from './quantise.js';
import { noiseTable, signedBitsFor } from './noise.js';
import type { PlannedLayer, PlannedModel } from './types.js';
import { addrBits, countBits, datapathBits } from './widths.js';

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
    index,
    fanIn: M,
    size: N,
    lanes: P,
    passes: F,
    probBits: k,
    probRows,
    threshold: perNeuron(spec.threshold, N, 1),
    bias: perNeuron(spec.bias, N, 0),
    leak: spec.leak,
    reset: spec.reset,
    membraneBits: spec.membraneBits,
    accBits,
    datapathBits: datapathBits(spec.membraneBits, accBits, noise ? noise.tableBits : 1),
    inputMax,
    noise,
    weightSeeds: Uint32Array.from({ length: P }, (_, j) => streamSeed(model.seed, StreamId.weight(index, j))),
  };
}

function hashPlan(p: Omit<PlannedModel, 'modelHash' | 'classBits' | 'voteBits'>): string {
  const h = createHash('sha256');
  const scalar = { format: p.format, seed: p.seed, T: p.timesteps, S: p.samples, mode: p.mode, input: p.input };
  h.update(JSON.stringify(scalar));
  for (const l of p.layers) {
    const { probRows, threshold, bias, noise, weightSeeds, datapathBits: _derived, ...rest } = l;
    h.update(JSON.stringify({ ...rest, noise: noise ? { kind: noise.kind, bits: noise.bits, table: Array.from(noise.table) } : null }));
    for (const a of [probRows, threshold, bias, weightSeeds]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

export function planModel(model: Model, opts: PlanOptions = {}): PlannedModel {
  const lanesFor = (l: number) => (Array.isArray(opts.lanes) ? opts.lanes[l] : opts.lanes);
  let fanIn = model.input.size;
  const layers = model.layers.map((spec, l) => {
    const planned = planLayer(spec, l, fanIn, model, lanesFor(l), opts.probBits);
    fanIn = spec.size;
    return planned;
  });
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
  };
  return {
    ...base,
    modelHash: hashPlan(base),
    classBits: addrBits(base.outputs),
    voteBits: countBits(base.timesteps * base.samples),
  };
}
