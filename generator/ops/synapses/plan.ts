/** Planning of the synaptic core every layer kind shares: lanes and passes, probability rows, widths, seeds. */
import type { LayerSpec, Model } from '../../model/schema.js';
import type { LayerShape } from '../../model/shapes.js';
import { streamSeed, StreamId } from '../../rng/lfsr.js';
import { codeProbability, quantiseProbability } from '../../ir/quantise.js';
import { declareMemory } from '../../ir/memory.js';
import type { PlannedModel, SynapseCore, SynapticLayer } from '../../ir/types.js';

/** Lanes of a layer whose spec and options give none. */
export const DEFAULT_MAX_LANES = 8;

export function perNeuron(v: number | number[] | undefined, n: number, dflt: number): Int32Array {
  if (v === undefined) return new Int32Array(n).fill(dflt);
  if (Array.isArray(v)) return Int32Array.from(v);
  return new Int32Array(n).fill(v);
}

/** Probability codes in memory order (types.ts SynapticLayer.probRows), re-quantised when k differs. */
function probabilityRows(spec: LayerSpec, N: number, M: number, P: number, F: number, k: number): Uint8Array {
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
  return probRows;
}

export interface SynapsePlanOptions {
  lanes?: number;
  probBits?: number;
  eventsPerCycle?: number;
}

/** The synaptic core of layer `index` of the given shape; the kind's op adds its own fields. */
export function planSynapses(spec: LayerSpec, index: number, shape: LayerShape, model: Model, opts: SynapsePlanOptions): SynapseCore {
  const N = shape.neurons;
  const M = shape.rows;
  const k = opts.probBits ?? spec.probBits;
  const P = opts.lanes ?? spec.lanes ?? Math.min(N, DEFAULT_MAX_LANES);
  const F = Math.ceil(N / P);
  const directInput = index === 0 && model.input.encoding === 'direct';
  const inputMax = shape.inputMax;
  return {
    index,
    fanIn: M,
    size: N,
    lanes: P,
    passes: F,
    eventsPerCycle: (opts.eventsPerCycle ?? (spec.type === 'dense' ? spec.eventsPerCycle : undefined) ?? 1) === 2 ? 2 : 1,
    probBits: k,
    probRows: probabilityRows(spec, N, M, P, F, k),
    bias: perNeuron(spec.bias, N, 0),
    accBits: Math.ceil(Math.log2(M * inputMax + 1)) + 1,
    inputMax,
    directInput,
    weightSeeds: Uint32Array.from({ length: P }, (_, j) => streamSeed(model.seed, StreamId.weight(index, j))),
    memories: {
      prob: declareMemory(F * M, P * k),
      held: model.sampling.mode === 'per-sample' ? declareMemory(F * M, P) : null,
    },
    outputs: shape.outputs,
    outputMax: shape.outputMax,
  };
}

/**
 * Weight draws each lane takes per cycle: two when it takes two events (or a conv layer two kernel offsets) per
 * cycle and draws for them (time ensemble); per-sample lanes draw in the sampling phase, one row per cycle,
 * whatever the events per cycle.
 */
export const weightDrawsPerCycle = (L: SynapticLayer, mode: PlannedModel['mode']): 1 | 2 => ((L.eventsPerCycle === 2 || takesOffsetPairs(L)) && mode !== 'per-sample' ? 2 : 1);

/** A conv layer taking two kernel offsets per cycle: it draws twice per cycle as two events per cycle do. */
const takesOffsetPairs = (L: SynapticLayer): boolean => 'offsetsPerCycle' in L && L.offsetsPerCycle === 2;

/** The hash fields of the synaptic core, in the order of the original hash (ir/plan.ts). */
export function synapseHashHead(L: SynapticLayer): Record<string, unknown> {
  const { eventsPerCycle, ...knobs } = synapseKnobsHead(L);
  // Two events per cycle is another design (same arithmetic); one keeps the hash existing models always had.
  return { index: L.index, ...knobs, ...(eventsPerCycle === 2 ? { eventsPerCycle } : {}) };
}

/** The manifest knobs of the synaptic core, first in every kind's entry. */
export function synapseKnobsHead(L: SynapticLayer) {
  return { fanIn: L.fanIn, size: L.size, lanes: L.lanes, passes: L.passes, probBits: L.probBits, eventsPerCycle: L.eventsPerCycle };
}
