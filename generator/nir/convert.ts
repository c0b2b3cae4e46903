/**
 * A read NIR file → a bsnn/1 model (plain JSON, validated by the caller), the float network it came from,
 * and a conversion report that lists every approximation with its size. Settings that NIR cannot hold
 * (seed, T, sampling, encoding, widths, lanes, noise) come from the options, else from a bsnn export's
 * /bsnn/settings, else from the defaults in DEFAULTS.
 */
import { basename } from 'node:path';
import { MODEL_NAME, type DenseLayerInput, type LayerInput, type ModelInput } from '../model/schema.js';
import type { Shape3 } from '../ir/types.js';
import { BsnnError } from '../util/errors.js';
import type { NirArray, NirFile } from './hdf5.js';
import { chainOf, label, type ChainLayer } from './graph.js';
import type { FloatConv, FloatLayer } from './float-net.js';
import { checkFlattens, checkOutput, floatLayer, inputOf, type ResetChoice } from './layer-params.js';
import { binarise, leakShift, stepGain, type IntegerLayer, type LayerStats, type LeakMapping } from './binarise.js';
import { parseSettings, type BsnnSettings } from './settings.js';
import { DEFAULTS } from './defaults.js';
import { checkDatasets } from './datasets.js';
import { checkIntegers, checkOverflow, checkSilent, MAX_MEMBRANE_BITS } from './ranges.js';
import { signedWidth } from '../ir/widths.js';
import { count } from '../ops/synapses/validate.js';

export interface ImportOptions {
  /** Seconds per timestep (NIR does not store it); required for LIF and LI unless the file carries it. */
  dt?: number;
  timesteps?: number;
  probBits?: number;
  seed?: number;
  name?: string;
  /** Override the reset of every spiking layer (for files whose exporter means the other one). */
  reset?: ResetChoice;
  /** Scale quantile in (0, 1]: 1 = max|w| (no clipping). */
  clip?: number;
}

export { DEFAULTS };

type SettingsLayer = BsnnSettings['layers'][number];

export interface LayerReport {
  synapse: string;
  neuron: string;
  kind: FloatLayer['kind'];
  /** Inputs per neuron (dense) or per channel, C_in·kh·kw (conv). */
  fanIn: number;
  /** Neurons (dense) or output channels (conv). */
  size: number;
  /** A conv layer's geometry and pool (NIR's pool kind: an AvgPool2d is mapped as a sum pool, see inputScale); poolNode names the pool's node(s). */
  conv?: FloatConv & { poolNode?: string };
  /** The weights carry this factor (1/area after an AvgPool2d), folded into α; 1 otherwise. */
  inputScale: number;
  scale: { min: number; max: number };
  leak: LeakMapping;
  /** Largest dt/τ of the layer (0 for IF). */
  maxDecay: number;
  /** The leak shift acts only on |v| ≥ 2^λ; true when every threshold lies below that (v > 0 then never leaks). */
  leakDeadBelowThreshold: boolean;
  reset: ResetChoice | null;
  resetWhy: string;
  stats: LayerStats;
}

export interface ConversionReport {
  source: string;
  version: string;
  /** The Input node's name (the model's "input" comes from it). */
  input: string;
  dt: number | null;
  fromBsnnExport: boolean;
  layers: LayerReport[];
}

export interface ImportResult {
  model: ModelInput;
  float: FloatLayer[];
  report: ConversionReport;
}

/** A Verilog-safe model name from the file name. */
function nameFrom(source: string): string {
  const stem = basename(source).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]/g, '_');
  const name = /^[A-Za-z]/.test(stem) ? stem : `nir_${stem}`;
  return name.slice(0, 40);
}


/** Where the walk over the layers is: what the next layer receives. */
interface Cursor {
  /** Distinct input indices. */
  size: number;
  shape: Shape3 | null;
  /** Largest input value in bsnn (1, or a sum pool's area). */
  inputMax: number;
  /** bsnn input value per NIR input value (1/area after an AvgPool2d). */
  inputScale: number;
}

/** bsnn's conv2d fields from the float layer's geometry (a side as one number when square). */
function convFields(g: FloatConv): Pick<Extract<LayerInput, { type: 'conv2d' }>, 'kernel' | 'stride' | 'padding' | 'pool'> {
  const side = (p: [number, number]): number | [number, number] => (p[0] === p[1] ? p[0] : p);
  const f: ReturnType<typeof convFields> = { kernel: side(g.kernel) };
  if (g.stride[0] !== 1 || g.stride[1] !== 1) f.stride = side(g.stride);
  if (g.padding[0] !== 0 || g.padding[1] !== 0) f.padding = side(g.padding);
  if (g.pool) f.pool = { kind: g.pool.kind === 'or' ? 'or' : 'sum', size: side(g.pool.size) };
  return f;
}

/** After a layer: what the next one receives. */
function advance(L: FloatLayer): Cursor {
  const pool = L.conv?.pool;
  if (!L.conv) return { size: L.size, shape: null, inputMax: 1, inputScale: 1 };
  const o = L.conv.outShape;
  const area = pool ? pool.size[0] * pool.size[1] : 1;
  // bsnn's sum pool passes the count; an AvgPool2d passes count/area, so bsnn's next weights carry 1/area.
  return { size: o.c * o.h * o.w, shape: o, inputMax: pool && pool.kind !== 'or' ? area : 1, inputScale: pool?.kind === 'avg' ? 1 / area : 1 };
}

/** The bsnn layer spec of one converted layer. */
function layerSpec(L: FloatLayer, ints: IntegerLayer, leak: LeakMapping, readout: boolean, inputMax: number, s: SettingsLayer | undefined): LayerInput {
  const maxT = Math.max(0, ...ints.threshold);
  const maxB = Math.max(0, ...ints.bias.map(Math.abs));
  const spec: DenseLayerInput = { size: L.size, probBits: ints.probBits, probCodes: ints.probCodes };
  if (!readout) spec.threshold = ints.threshold.every((t) => t === ints.threshold[0]) ? ints.threshold[0] : ints.threshold;
  if (ints.bias.some((b) => b !== 0)) spec.bias = ints.bias;
  if (!readout) {
    spec.leak = leak.leak;
    spec.reset = L.reset;
    // Wide enough for a threshold plus one step's full input and bias, with a sign bit and headroom.
    spec.membraneBits = s?.membraneBits ?? Math.min(24, Math.max(16, signedWidth(maxT + L.fanIn * inputMax + maxB) + 1));
    if (s?.noise) spec.noise = s.noise;
  }
  if (s?.lanes !== undefined) spec.lanes = s.lanes;
  if (s?.eventsPerCycle !== undefined) spec.eventsPerCycle = s.eventsPerCycle;
  if (!L.conv) return spec;
  const { size, eventsPerCycle: _e, type: _t, ...rest } = spec;
  return { type: 'conv2d', channels: size, ...convFields(L.conv), ...rest, ...(s?.offsetsPerCycle !== undefined ? { offsetsPerCycle: s.offsetsPerCycle } : {}) };
}

function layerReport(c: ChainLayer, L: FloatLayer, ints: IntegerLayer, leak: LeakMapping, readout: boolean, resetWhy: string): LayerReport {
  const maxT = Math.max(0, ...ints.threshold);
  return {
    synapse: c.synapse.name,
    neuron: c.neuron.name,
    kind: L.kind,
    fanIn: L.fanIn,
    size: L.size,
    ...(L.conv ? { conv: { ...L.conv, ...(c.pool ? { poolNode: [c.pool.node, ...(c.pool.threshold ? [c.pool.threshold] : [])].map(label).join(' → ') } : {}) } } : {}),
    inputScale: L.inputScale ?? 1,
    scale: { min: Math.min(...ints.scale), max: Math.max(...ints.scale) },
    leak,
    maxDecay: Math.max(...L.decay),
    leakDeadBelowThreshold: !readout && leak.leak > 0 && maxT < 2 ** leak.leak,
    reset: readout ? null : L.reset,
    resetWhy: readout ? '' : resetWhy,
    stats: ints.stats,
  };
}

/** A hardware knob in /bsnn/settings that the layer's kind does not have (the bsnn/1 format refuses it too). */
function checkKnobs(s: SettingsLayer, c: ChainLayer, l: number, source: string): void {
  const conv = c.synapse.type === 'Conv2d';
  const knob = conv ? (s.eventsPerCycle !== undefined ? 'eventsPerCycle' : null) : s.offsetsPerCycle !== undefined ? 'offsetsPerCycle' : null;
  if (knob) throw new BsnnError(`${source}: dataset /bsnn/settings: layers[${l}].${knob} does not apply to ${label(c.synapse)} (${conv ? 'eventsPerCycle is for dense layers' : 'offsetsPerCycle is for Conv2d layers'})`);
}

/**
 * The layer binarised (with a bsnn export's codes when they agree with the weights), refusing what ±1 weights
 * and the integer membrane cannot hold, named by NIR node (ranges.ts).
 */
function integersOf(c: ChainLayer, L: FloatLayer, readout: boolean, extras: Record<string, NirArray> | undefined, s: SettingsLayer | undefined, opts: ImportOptions, source: string): IntegerLayer {
  const carried = extras?.prob_codes && extras.scale && s ? { codes: extras.prob_codes.data, scale: extras.scale.data, probBits: s.probBits } : undefined;
  const gain = stepGain(L);
  checkOverflow(c, L, gain, source);
  const ints = binarise(L, { probBits: opts.probBits ?? s?.probBits ?? DEFAULTS.probBits, clip: opts.clip ?? DEFAULTS.clip, sharedScale: L.kind === 'LI', carried });
  if (ints.stats.carried !== true) checkSilent(c, L, ints, source);
  checkIntegers(c, L, gain, ints, readout, s?.membraneBits ?? MAX_MEMBRANE_BITS, source);
  return ints;
}

/** /bsnn/settings of a bsnn export, checked against the graph; null for another framework's file. */
function settingsOf(nir: NirFile, layers: number, source: string): BsnnSettings | null {
  if (!nir.bsnn) return null;
  const settings = parseSettings(nir.bsnn.settings, source);
  if (settings.layers.length !== layers) {
    throw new BsnnError(`${source}: dataset /bsnn/settings: layers has ${count(settings.layers.length, 'entry', 'entries')}, the graph has ${count(layers, 'layer')} (was the file edited after bsnn export?)`);
  }
  return settings;
}

/** The model name: --name, else the export's, else the file's; a bad one is blamed on where it came from. */
function nameOf(opts: ImportOptions, settings: BsnnSettings | null, source: string): string {
  const name = opts.name ?? settings?.name ?? nameFrom(source);
  const from = opts.name !== undefined ? '--name' : `${source}: dataset /bsnn/settings: name`;
  if (!MODEL_NAME.test(name)) throw new BsnnError(`${from}: "${name}" must be a Verilog-safe identifier of 1..40 characters`);
  return name;
}

export function convertNir(nir: NirFile, source: string, opts: ImportOptions = {}): ImportResult {
  const chain = chainOf(nir, source);
  checkDatasets(nir.nodes, source);
  const settings = settingsOf(nir, chain.layers.length, source);
  const name = nameOf(opts, settings, source);
  const dt = opts.dt ?? settings?.dt;
  const last = chain.layers.length - 1;
  const potential = chain.layers[last].neuron.type === 'LI';
  const input = inputOf(chain.input, source);
  let at: Cursor = { size: input.size, shape: input.shape, inputMax: 1, inputScale: 1 };
  const float: FloatLayer[] = [];
  const reports: LayerReport[] = [];
  const layers: LayerInput[] = chain.layers.map((c, l) => {
    checkFlattens(c.flattens, at.size, source);
    const s = settings?.layers[l];
    if (s) checkKnobs(s, c, l, source);
    const forced = opts.reset ?? s?.reset;
    const why = opts.reset ? '--reset' : s?.reset ? 'bsnn export settings' : undefined;
    const ctx = { source, fanIn: at.size, dt, reset: forced, resetWhy: why, inShape: at.shape, pool: c.pool, inputScale: at.inputScale };
    const { layer: L, resetWhy } = floatLayer(c.synapse, c.neuron, ctx);
    const readout = l === last && potential;
    const ints = integersOf(c, L, readout, nir.bsnn?.layers[l], s, opts, source);
    const leak = leakShift(L);
    reports.push(layerReport(c, L, ints, leak, readout, resetWhy));
    float.push(L);
    const spec = layerSpec(L, ints, leak, readout, at.inputMax, s);
    at = advance(L);
    return spec;
  });
  checkFlattens(chain.trailing, at.size, source);
  checkOutput(chain.output, at.size, source);
  const model: ModelInput = {
    format: 'bsnn/1',
    name,
    description: settings?.description ?? `imported from ${basename(source)} (NIR ${nir.version}) by bsnn import`,
    seed: opts.seed ?? settings?.seed ?? DEFAULTS.seed,
    timesteps: opts.timesteps ?? settings?.timesteps ?? DEFAULTS.timesteps,
    sampling: settings?.sampling ?? { mode: 'time-ensemble', samples: 1 },
    input: { size: input.size, encoding: settings?.encoding ?? 'rate', ...(input.shape ? { shape: [input.shape.c, input.shape.h, input.shape.w] as [number, number, number] } : {}) },
    layers,
  };
  if (potential) model.readout = settings?.temperature !== undefined ? { mode: 'potential', temperature: settings.temperature } : { mode: 'potential' };
  return { model, float, report: { source, version: nir.version, input: chain.input.name, dt: dt ?? null, fromBsnnExport: settings !== null, layers: reports } };
}
