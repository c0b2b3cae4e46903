/** One NIR synapse + neuron pair (+ pool) → a FloatLayer: shapes checked, parameters broadcast, dt applied, reset decided. */
import type { Shape3 } from '../ir/types.js';
import { BsnnError } from '../util/errors.js';
import type { NirArray, NirNode } from './hdf5.js';
import type { FloatConv, FloatLayer, NeuronKind } from './float-net.js';
import { label, missingParam, type ChainPool } from './graph.js';
import { checkOrThreshold, convOf } from './conv-params.js';

export type ResetChoice = 'subtract' | 'zero';

export interface LayerContext {
  source: string;
  fanIn: number;
  /** Seconds per timestep; required for LIF and LI. */
  dt: number | undefined;
  /** Reset forced by the user (--reset) or by bsnn export settings. */
  reset: ResetChoice | undefined;
  resetWhy: string | undefined;
  /** The input as an image (Input shape, or the previous conv layer's output), or null when flat. */
  inShape: Shape3 | null;
  /** The pool after this layer's neuron (conv layers only). */
  pool: ChainPool | null;
  /** bsnn input values per NIR input value (1/area after an AvgPool2d; see FloatLayer.inputScale). */
  inputScale: number;
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * A per-neuron parameter: a scalar, a one-element array, or N values (any shape with N elements). A conv
 * layer's neurons are its channels: N values, or N·positions values ([C, Ho, Wo], as Sinabs writes them) that
 * must be equal within each channel, since bsnn holds one per channel.
 */
function perNeuron(node: NirNode, key: string, size: number, ctx: LayerContext, dflt?: number, positions = 1): Float64Array {
  const a: NirArray | undefined = node.params[key];
  if (!a) {
    if (dflt !== undefined) return new Float64Array(size).fill(dflt);
    throw missingParam(node, key, ctx.source);
  }
  if (!a.data.every(Number.isFinite)) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset '${key}' holds a non-finite value`);
  if (a.data.length === 1) return new Float64Array(size).fill(a.data[0]);
  if (a.data.length === size) return a.data;
  if (positions > 1 && a.data.length === size * positions) {
    const out = new Float64Array(size);
    for (let n = 0; n < size; n++) {
      const ch = a.data.subarray(n * positions, (n + 1) * positions);
      if (!ch.every((x) => x === ch[0])) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset '${key}' varies across the positions of channel ${n}; bsnn holds one value per channel`);
      out[n] = ch[0];
    }
    return out;
  }
  const want = positions > 1 ? `${size} channels (or ${size}·${positions} channel × position values)` : `${size} neurons`;
  throw new BsnnError(`${ctx.source}: ${label(node)}: dataset '${key}' has ${a.data.length} values (shape [${a.shape.join(',')}]), the layer has ${want}`);
}

interface Synapse {
  weight: Float64Array;
  bias: Float64Array;
  size: number;
  fanIn: number;
  conv?: FloatConv;
}

function convSynapse(node: NirNode, ctx: LayerContext): Synapse {
  const c = convOf(node, ctx.pool, ctx.inShape, ctx.source);
  const bias = perNeuron(node, 'bias', c.channels, ctx, 0);
  return { weight: c.weight, bias, size: c.channels, fanIn: c.rows, conv: c.geometry };
}

function synapse(node: NirNode, ctx: LayerContext): Synapse {
  if (node.type === 'Conv2d') return convSynapse(node, ctx);
  const w = node.params.weight;
  if (!w) throw missingParam(node, 'weight', ctx.source);
  if (w.shape.length !== 2) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset 'weight' has shape [${w.shape.join(',')}], expected [out, in]`);
  const [N, M] = w.shape;
  if (N < 1 || M < 1) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset 'weight' has shape [${w.shape.join(',')}]: a layer needs at least one neuron and one input`);
  if (M !== ctx.fanIn) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset 'weight' takes ${M} inputs, the previous layer gives ${ctx.fanIn}`);
  if (!w.data.every(Number.isFinite)) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset 'weight' holds a non-finite value`);
  const bias = node.type === 'Affine' ? perNeuron(node, 'bias', N, ctx) : new Float64Array(N);
  return { weight: w.data, bias, size: N, fanIn: M };
}

/** Missing v_reset (NIR < 1.0 files): reset by subtraction, as NIR's reference LIF simulation does. */
function resetOf(neuron: NirNode, size: number, positions: number, ctx: LayerContext): { reset: ResetChoice; vReset: Float64Array; why: string } {
  const given = neuron.params.v_reset !== undefined;
  const vReset = perNeuron(neuron, 'v_reset', size, ctx, 0, positions);
  if (ctx.reset) return { reset: ctx.reset, vReset, why: ctx.resetWhy ?? 'chosen' };
  if (!given) return { reset: 'subtract', vReset, why: 'v_reset missing (NIR < 1.0): subtract, as NIR\'s reference simulation' };
  return { reset: 'zero', vReset, why: 'v_reset given: reset to it (override with --reset subtract)' };
}

export function floatLayer(syn: NirNode, neuron: NirNode, ctx: LayerContext): { layer: FloatLayer; resetWhy: string } {
  const { weight, bias, size, fanIn, conv } = synapse(syn, ctx);
  const positions = conv ? conv.convShape.h * conv.convShape.w : 1;
  const param = (key: string, dflt?: number) => perNeuron(neuron, key, size, ctx, dflt, positions);
  const kind = neuron.type as NeuronKind;
  const r = param('r', 1);
  let decay = new Float64Array(size);
  if (kind !== 'IF') {
    if (ctx.dt === undefined) throw new BsnnError(`${ctx.source}: ${label(neuron)} has a time constant, and NIR files do not store the timestep: give --dt (seconds; the NIR paper's lif_norse.nir uses 1e-4)`);
    const tau = param('tau');
    decay = tau.map((t) => ctx.dt! / t);
    const bad = decay.findIndex((d) => !(d > 0 && d <= 1));
    if (bad >= 0) throw new BsnnError(`${ctx.source}: ${label(neuron)}: tau[${bad}] = ${tau[bad]} with dt = ${ctx.dt} gives dt/tau = ${decay[bad]}, outside (0, 1]: the discrete step would overshoot`);
  }
  const vLeak = kind === 'IF' ? new Float64Array(size) : param('v_leak', 0);
  const vThreshold = kind === 'LI' ? new Float64Array(size) : param('v_threshold');
  if (kind !== 'LI' && vThreshold.some((t) => !(t > 0))) throw new BsnnError(`${ctx.source}: ${label(neuron)}: dataset 'v_threshold' holds a value ≤ 0; bsnn thresholds are positive`);
  const rs = kind === 'LI' ? { reset: 'subtract' as const, vReset: new Float64Array(size), why: '' } : resetOf(neuron, size, positions, ctx);
  if (rs.reset === 'zero' && rs.vReset.some((x) => x !== 0)) {
    throw new BsnnError(`${ctx.source}: ${label(neuron)}: v_reset ≠ 0; bsnn resets to 0 or by subtraction (--reset subtract to map it as subtraction)`);
  }
  const layer: FloatLayer = { kind, node: neuron.name, fanIn, size, weight, bias, decay, r, vLeak, vThreshold, reset: rs.reset, vReset: rs.vReset };
  if (conv) layer.conv = conv;
  if (conv && ctx.pool?.threshold) checkOrThreshold(ctx.pool, conv.outShape, ctx.source);
  if (ctx.inputScale !== 1) layer.inputScale = ctx.inputScale;
  return { layer, resetWhy: rs.why };
}

/** The Input node's shape: its size, and the image it is when it has three dimensions (leading 1s dropped). */
export function inputOf(input: NirNode, source: string): { size: number; shape: Shape3 | null } {
  const shape = input.params.shape;
  if (!shape) throw missingParam(input, 'shape', source);
  if (shape.data.length === 0) throw new BsnnError(`${source}: ${label(input)}: dataset 'shape' is empty`);
  const dims = Array.from(shape.data);
  const size = product(dims);
  if (!dims.every((d) => Number.isInteger(d) && d >= 1)) throw new BsnnError(`${source}: ${label(input)}: dataset 'shape' [${dims.join(',')}] is not a positive shape`);
  while (dims.length > 3 && dims[0] === 1) dims.shift();
  return { size, shape: dims.length === 3 ? { c: dims[0], h: dims[1], w: dims[2] } : null };
}

/** The Output node's shape, when it gives one, must hold as many values as the last layer emits. */
export function checkOutput(output: NirNode, size: number, source: string): void {
  const shape = output.params.shape;
  if (!shape || shape.data.length === 0) return;
  const dims = Array.from(shape.data);
  if (!dims.every((d) => Number.isInteger(d) && d >= 1)) throw new BsnnError(`${source}: ${label(output)}: dataset 'shape' [${dims.join(',')}] is not a positive shape`);
  if (product(dims) !== size) throw new BsnnError(`${source}: ${label(output)}: dataset 'shape' [${dims.join(',')}] holds ${product(dims)} values, the last layer emits ${size}`);
}

/**
 * Flatten nodes are no-ops on bsnn's flat CHW indices: check that each flattens what arrives. Its start_dim and
 * end_dim are not checked: exporters disagree on whether they count the batch dimension (PyTorch's default
 * start_dim 1 is written as is by some, shifted to 0 by others, such as Sinabs and bsnn), and the next layer's
 * weights, which must take every value that arrives (floatLayer's fan-in check), say what was meant.
 */
export function checkFlattens(flattens: NirNode[], size: number, source: string): void {
  for (const f of flattens) {
    const t = f.params.input_type;
    if (t && product(Array.from(t.data)) !== size) throw new BsnnError(`${source}: ${label(f)}: flattens ${product(Array.from(t.data))} values, it receives ${size}`);
  }
}
