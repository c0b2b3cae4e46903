/** Model → planned IR: quantisation, lane/folding plan, widths and RNG allocation. */
import { createHash } from 'node:crypto';
import type { Model } from '../model/schema.js';
import { shapesOf } from '../model/shapes.js';
import { streamSeed, StreamId } from '../rng/lfsr.js';
import { layerKindOf, opOf, opOfKind } from '../ops/registry.js';
import { DEFAULT_MAX_LANES, planSynapses } from '../ops/synapses/plan.js';
import { withOffsetsPerCycle } from '../ops/conv/model.js';
import { BsnnError } from '../util/errors.js';
import type { PlannedLayer, PlannedModel, ReadoutMode } from './types.js';
import { addrBits, voteBitsFor } from './widths.js';

export interface PlanOptions {
  /** Override lanes for every layer (a number) or per layer (an array). */
  lanes?: number | number[];
  /** Override input events per cycle (1 or 2) for every layer (a number) or per layer (an array). */
  eventsPerCycle?: number | number[];
  /** Override kernel offsets per cycle (1 or 2) of the conv2d layers: one number for all of them, or per layer. */
  offsetsPerCycle?: number | number[];
  /** Override the probability bits k for every layer (a number) or per layer (an array): codes are re-quantised from their levels. */
  probBits?: number | number[];
}

export { DEFAULT_MAX_LANES };

/** Widest vote counter: the AXI stream carries votes as 32-bit words and the golden model counts in int32. */
const MAX_VOTE_BITS = 32;

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
    // Field by field, in a fixed order that each op keeps (the hash of existing models must not move).
    const { fields, arrays } = opOf(l).hashFields(l);
    h.update(JSON.stringify(fields));
    for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return h.digest('hex');
}

/** The vote width, and the refusal of potential counts that would not fit 32 bits. */
function planVotes(model: Model, layers: PlannedLayer[]): number {
  const out = layers[layers.length - 1];
  const ST = model.timesteps * model.sampling.samples;
  // Output events count one vote each; a layer that passes values on adds them, signed.
  if (opOf(out).ports(out).valueBits === null) return voteBitsFor(ST, null);
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
  const perLayer = (v: number | number[] | undefined, l: number) => (Array.isArray(v) ? v[l] : v);
  const shapes = shapesOf(model);
  const layers = model.layers.map((spec, l) => {
    const core = planSynapses(spec, l, shapes[l], model, { lanes: perLayer(opts.lanes, l), eventsPerCycle: perLayer(opts.eventsPerCycle, l), probBits: perLayer(opts.probBits, l) });
    return withOffsetsPerCycle(opOfKind(layerKindOf(model, l)).plan(spec, core, model, shapes[l]), perLayer(opts.offsetsPerCycle, l), !Array.isArray(opts.offsetsPerCycle));
  });
  const readout: ReadoutMode = model.readout?.mode ?? 'spikes';
  const base = {
    name: model.name,
    format: model.format,
    seed: model.seed,
    timesteps: model.timesteps,
    samples: model.sampling.samples,
    mode: model.sampling.mode,
    input: {
      size: model.input.size,
      encoding: model.input.encoding,
      seed: streamSeed(model.seed, StreamId.input),
      ...(model.input.shape ? { shape: { c: model.input.shape[0], h: model.input.shape[1], w: model.input.shape[2] } } : {}),
    },
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
