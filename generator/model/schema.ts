/**
 * The model description format, "bsnn/1". Every field is declared here; unknown fields are errors.
 * Cross-field rules (shapes, ranges that depend on probBits or membraneBits) live in `checkLayer` in load.ts;
 * the rules that tie a layer to the readout (`readoutRules`) live here.
 */
import { z } from 'zod';
import { DATASETS } from '../train/defaults.js';

export const FORMAT = 'bsnn/1';

/** File formats `--dataset idx` reads (data/user.ts): IDX files, or CIFAR-10 binary batches. */
export const DATA_FORMATS = ['idx', 'cifar10'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** A model name becomes the Verilog module prefix: a letter, then letters, digits or '_', at most 40. */
export const MODEL_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);

/**
 * Most issues one number list or matrix reports: one more than load.ts lists, so that it can say it stopped.
 * zod's own z.array(z.number()) would report every bad element, and it merges child issue lists with
 * `push(...list)`, which overflows the stack near 10^5 issues: a flattened or stringly-typed 784×512 matrix
 * would crash validation with a RangeError instead of a message.
 */
const MAX_ELEMENT_ISSUES = 11;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * An array of finite numbers, checked in one pass. Output is the input array itself (not a copy).
 * "Not an array" aborts (continue: false), so that in a union with z.number() both branches fail and the
 * issue says what either branch expected; element issues do not, so a union reports them directly.
 */
const numberList = () =>
  z.custom<number[]>().superRefine((v, ctx) => {
    if (!Array.isArray(v)) return ctx.addIssue({ code: 'invalid_type', expected: 'array', input: v, continue: false });
    let issues = 0;
    for (let i = 0; i < v.length && issues < MAX_ELEMENT_ISSUES; i++) {
      if (!isFiniteNumber(v[i])) {
        ctx.addIssue({ code: 'invalid_type', expected: 'number', input: v[i], path: [i] });
        issues++;
      }
    }
  });

/** An array of arrays of finite numbers (rows may differ in length; shapes are checked in load.ts). */
const numberMatrix = () =>
  z.custom<number[][]>().superRefine((v, ctx) => {
    if (!Array.isArray(v)) return ctx.addIssue({ code: 'invalid_type', expected: 'array', input: v, continue: false });
    if (v.length > 0 && !v.some((row) => Array.isArray(row))) {
      return ctx.addIssue({ code: 'custom', message: 'must be an array of rows, one array of numbers per neuron, but holds no arrays (is the matrix flattened?)', input: v, continue: false });
    }
    let issues = 0;
    for (let r = 0; r < v.length && issues < MAX_ELEMENT_ISSUES; r++) {
      const row: unknown = v[r];
      if (!Array.isArray(row)) {
        ctx.addIssue({ code: 'invalid_type', expected: 'array', input: row, path: [r] });
        issues++;
        continue;
      }
      for (let i = 0; i < row.length && issues < MAX_ELEMENT_ISSUES; i++) {
        if (!isFiniteNumber(row[i])) {
          ctx.addIssue({ code: 'invalid_type', expected: 'number', input: row[i], path: [r, i] });
          issues++;
        }
      }
    }
  });

export const NoiseSchema = z.strictObject({
  kind: z.enum(['uniform', 'logistic']),
  /** m: random bits per threshold draw; the noise table has 2^m entries. */
  bits: int(1, 8),
  /** uniform: integer step between levels; logistic: scale s of the distribution (in membrane units). */
  scale: z.number().positive().max(1e6),
});

/** A side or a [rows, columns] pair. */
const pair = (lo: number, hi: number) => z.union([int(lo, hi), z.tuple([int(lo, hi), int(lo, hi)])]);

/** What every layer kind with weights and spiking neurons shares. */
const synapseFields = {
  /** k: bits per Bernoulli probability code. */
  probBits: int(1, 8),
  /** P(w = +1) as floats in [0,1], one row per neuron (dense) or output channel (conv). Exactly one of prob / probCodes. */
  prob: numberMatrix().optional(),
  /** P(w = +1) as k-bit integer codes (semantics §2), shaped like prob. */
  probCodes: numberMatrix().optional(),
  /** Required, except on the last layer of a potential readout, which has no threshold. */
  threshold: z.union([z.number(), numberList()]).optional(),
  bias: z.union([z.number(), numberList()]).optional(),
  /** Leak as a right shift λ: v -= v >> λ; 0 = no leak (IF neuron). */
  leak: int(0, 16).default(0),
  reset: z.enum(['subtract', 'zero']).default('subtract'),
  membraneBits: int(2, 24).default(16),
  noise: NoiseSchema.optional(),
  /** Hardware knob: parallel neuron (dense) or channel (conv) lanes P. Default min(size, 8). */
  lanes: int(1, 4096).optional(),
};

export const DenseLayerSchema = z.strictObject({
  type: z.literal('dense'),
  size: int(1, 65536),
  ...synapseFields,
  /**
   * Hardware knob: input events each lane takes per cycle (1 or 2; docs/engine.md). 2 reads two probability
   * rows per cycle and draws two weights per lane: the same draws in the same order, so the same results.
   */
  eventsPerCycle: int(1, 2).optional(),
});

/**
 * A spiking 2-D convolution (docs/semantics.md §4.1): `channels` output channels, each a neuron at every
 * output position; prob rows are [channels][C_in·kh·kw] in (c_in, ky, kx) order; threshold and bias per channel.
 */
export const ConvLayerSchema = z.strictObject({
  type: z.literal('conv2d'),
  channels: int(1, 4096),
  kernel: pair(1, 32),
  stride: pair(1, 32).default(1),
  padding: pair(0, 31).default(0),
  ...synapseFields,
  /** A non-overlapping pool on the output spikes (stride = size): "or" (a spike max pool) or "sum" (counts). */
  pool: z.strictObject({ kind: z.enum(['or', 'sum']), size: pair(1, 32) }).optional(),
  /**
   * Hardware knob: kernel offsets of an event taken per cycle (1 or 2; docs/engine.md "Conv layers"). 2 takes
   * the offsets (ky, kx) and (ky, kx + 1) of a kernel row together: the same draws in the same order, so the
   * same results.
   */
  offsetsPerCycle: int(1, 2).optional(),
});

/** Fields only a conv2d layer has (named when a layer without "type" looks like one). */
export const CONV_ONLY_FIELDS = ['channels', 'kernel', 'stride', 'padding', 'pool', 'offsetsPerCycle'] as const;

/** A layer without "type" that has a conv2d layer's "channels" or "kernel" and no dense "size": not taken for dense. */
const looksConv = (v: object) => ('channels' in v || 'kernel' in v) && !('size' in v);

/** A layer with no "type" is dense (the format before convolution), unless it looks like a conv2d layer. */
export const LayerSchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && !('type' in v) && !looksConv(v) ? { type: 'dense', ...v } : v),
  z.discriminatedUnion('type', [DenseLayerSchema, ConvLayerSchema]),
);

/**
 * How the output layer is read (docs/semantics.md §4, §5). `spikes` (the default): output spikes are counted.
 * `potential`: the last layer does not spike; acc + b of each neuron is summed over every timestep and
 * sample. `temperature` only scales the evaluator's softmax; the hardware ignores it.
 */
export const ReadoutSchema = z.strictObject({
  mode: z.enum(['spikes', 'potential']),
  temperature: z.number().positive().max(1e6).optional(),
});

/** "dataFormat" says which files "dataset": "idx" read; the other data sets have one format each. */
function dataFormatRule(m: { dataset?: string; dataFormat?: string }, ctx: z.core.$RefinementCtx<{ dataset?: string; dataFormat?: string }>): void {
  if (m.dataFormat !== undefined && m.dataset !== 'idx') {
    ctx.addIssue({ code: 'custom', path: ['dataFormat'], message: `only applies to "dataset": "idx" (this model's is ${m.dataset === undefined ? 'not given' : `"${m.dataset}"`})`, input: m.dataFormat });
  }
}

type ModelShape = {
  readout?: { mode: 'spikes' | 'potential'; temperature?: number };
  layers: { threshold?: unknown; noise?: unknown }[];
};

/** Rules between the readout and the layers: a threshold where neurons spike, no noise where they do not. */
function readoutRules(m: ModelShape, ctx: z.core.$RefinementCtx<ModelShape>): void {
  const potential = m.readout?.mode === 'potential';
  const last = m.layers.length - 1;
  if (m.readout?.mode === 'spikes' && m.readout.temperature !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['readout', 'temperature'], message: 'only applies to "mode": "potential" (spike counts have no temperature)', input: m.readout.temperature });
  }
  m.layers.forEach((layer, l) => {
    const readoutLayer = potential && l === last;
    if (!readoutLayer && layer.threshold === undefined) {
      ctx.addIssue({ code: 'custom', path: ['layers', l, 'threshold'], message: 'missing (expected a number or an array)', input: undefined });
    }
    if (readoutLayer && layer.noise !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['layers', l, 'noise'],
        message: 'not allowed on the last layer when "readout" is "potential": the readout layer does not spike, so it has no threshold to add noise to (remove "noise" or use "readout": { "mode": "spikes" })',
        input: layer.noise,
      });
    }
  });
}

export const ModelSchema = z.strictObject({
  format: z.literal(FORMAT),
  name: z.string().regex(MODEL_NAME, 'must be a Verilog-safe identifier of 1..40 characters (a letter, then letters, digits or "_")'),
  description: z.string().optional(),
  /** The data set it was trained on (bsnn train writes it): evaluate, estimate and cosim default to it. */
  dataset: z.enum(DATASETS).optional(),
  /** With "dataset": "idx": the format of the files it was trained on (bsnn train writes it). */
  dataFormat: z.enum(DATA_FORMATS).optional(),
  seed: int(0, 0xffffffff),
  timesteps: int(1, 65535),
  sampling: z.strictObject({
    mode: z.enum(['time-ensemble', 'per-sample']),
    samples: int(1, 255).default(1),
  }),
  input: z.strictObject({
    size: int(1, 65536),
    encoding: z.enum(['rate', 'direct']),
    /** [channels, rows, columns] of an image input (flat CHW order); needed before a conv layer. */
    shape: z.tuple([int(1, 4096), int(1, 4096), int(1, 4096)]).optional(),
  }),
  layers: z.array(LayerSchema).min(1).max(16),
  /** Optional; omitted means { "mode": "spikes" } (and the model hash of such models is unchanged). */
  readout: ReadoutSchema.optional(),
}).superRefine(readoutRules).superRefine(dataFormatRule);

/** A layer as a file may give it: a dense layer's "type" may be left out. */
export type DenseLayerInput = Omit<z.input<typeof DenseLayerSchema>, 'type'> & { type?: 'dense' };
export type LayerInput = DenseLayerInput | z.input<typeof ConvLayerSchema>;
export type ModelInput = Omit<z.input<typeof ModelSchema>, 'layers'> & { layers: LayerInput[] };
export type Model = z.output<typeof ModelSchema>;
export type LayerSpec = z.output<typeof LayerSchema>;
export type DenseLayerSpec = z.output<typeof DenseLayerSchema>;
export type ConvLayerSpec = z.output<typeof ConvLayerSchema>;
export type NoiseSpec = z.output<typeof NoiseSchema>;
