/** One NIR synapse + neuron pair → a FloatLayer: shapes checked, parameters broadcast, dt applied, reset decided. */
import { BsnnError } from '../util/errors.js';
import type { NirArray, NirNode } from './hdf5.js';
import type { FloatLayer, NeuronKind } from './float-net.js';
import { label } from './graph.js';

export type ResetChoice = 'subtract' | 'zero';

export interface LayerContext {
  source: string;
  fanIn: number;
  /** Seconds per timestep; required for LIF and LI. */
  dt: number | undefined;
  /** Reset forced by the user (--reset) or by bsnn export settings. */
  reset: ResetChoice | undefined;
  resetWhy: string | undefined;
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A per-neuron parameter: a scalar, a one-element array, or N values (any shape with N elements). */
function perNeuron(node: NirNode, key: string, size: number, ctx: LayerContext, dflt?: number): Float64Array {
  const a: NirArray | undefined = node.params[key];
  if (!a) {
    if (dflt !== undefined) return new Float64Array(size).fill(dflt);
    throw new BsnnError(`${ctx.source}: ${label(node)}: dataset '${key}' is missing`);
  }
  if (a.data.length === 1) return new Float64Array(size).fill(a.data[0]);
  if (a.data.length !== size) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset '${key}' has ${a.data.length} values (shape [${a.shape.join(',')}]), the layer has ${size} neurons`);
  if (!a.data.every(Number.isFinite)) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset '${key}' holds a non-finite value`);
  return a.data;
}

function synapse(node: NirNode, ctx: LayerContext): { weight: Float64Array; bias: Float64Array; size: number } {
  const w = node.params.weight;
  if (!w) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset 'weight' is missing`);
  if (w.shape.length !== 2) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset 'weight' has shape [${w.shape.join(',')}], expected [out, in]`);
  const [N, M] = w.shape;
  if (M !== ctx.fanIn) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset 'weight' takes ${M} inputs, the previous layer gives ${ctx.fanIn}`);
  if (!w.data.every(Number.isFinite)) throw new BsnnError(`${ctx.source}: ${label(node)}: dataset 'weight' holds a non-finite value`);
  const bias = node.type === 'Affine' ? perNeuron(node, 'bias', N, ctx) : new Float64Array(N);
  return { weight: w.data, bias, size: N };
}

/** Missing v_reset (NIR < 1.0 files): reset by subtraction, as NIR's reference LIF simulation does. */
function resetOf(neuron: NirNode, size: number, ctx: LayerContext): { reset: ResetChoice; vReset: Float64Array; why: string } {
  const given = neuron.params.v_reset !== undefined;
  const vReset = perNeuron(neuron, 'v_reset', size, ctx, 0);
  if (ctx.reset) return { reset: ctx.reset, vReset, why: ctx.resetWhy ?? 'chosen' };
  if (!given) return { reset: 'subtract', vReset, why: 'v_reset missing (NIR < 1.0): subtract, as NIR\'s reference simulation' };
  return { reset: 'zero', vReset, why: 'v_reset given: reset to it (override with --reset subtract)' };
}

export function floatLayer(syn: NirNode, neuron: NirNode, ctx: LayerContext): { layer: FloatLayer; resetWhy: string } {
  const { weight, bias, size } = synapse(syn, ctx);
  const kind = neuron.type as NeuronKind;
  const r = perNeuron(neuron, 'r', size, ctx, 1);
  let decay = new Float64Array(size);
  if (kind !== 'IF') {
    if (ctx.dt === undefined) throw new BsnnError(`${ctx.source}: ${label(neuron)} has a time constant, and NIR files do not store the timestep: give --dt (seconds; the NIR paper's lif_norse.nir uses 1e-4)`);
    const tau = perNeuron(neuron, 'tau', size, ctx);
    decay = tau.map((t) => ctx.dt! / t);
    const bad = decay.findIndex((d) => !(d > 0 && d <= 1));
    if (bad >= 0) throw new BsnnError(`${ctx.source}: ${label(neuron)}: tau[${bad}] = ${tau[bad]} with dt = ${ctx.dt} gives dt/tau = ${decay[bad]}, outside (0, 1]: the discrete step would overshoot`);
  }
  const vLeak = kind === 'IF' ? new Float64Array(size) : perNeuron(neuron, 'v_leak', size, ctx, 0);
  const vThreshold = kind === 'LI' ? new Float64Array(size) : perNeuron(neuron, 'v_threshold', size, ctx);
  if (kind !== 'LI' && vThreshold.some((t) => !(t > 0))) throw new BsnnError(`${ctx.source}: ${label(neuron)}: dataset 'v_threshold' holds a value ≤ 0; bsnn thresholds are positive`);
  const rs = kind === 'LI' ? { reset: 'subtract' as const, vReset: new Float64Array(size), why: '' } : resetOf(neuron, size, ctx);
  if (rs.reset === 'zero' && rs.vReset.some((x) => x !== 0)) {
    throw new BsnnError(`${ctx.source}: ${label(neuron)}: v_reset ≠ 0; bsnn resets to 0 or by subtraction (--reset subtract to map it as subtraction)`);
  }
  const layer = { kind, node: neuron.name, fanIn: ctx.fanIn, size, weight, bias, decay, r, vLeak, vThreshold, reset: rs.reset, vReset: rs.vReset };
  return { layer, resetWhy: rs.why };
}

/** Input size from the Input node's `shape`, and the Flatten nodes checked to be no-ops for it. */
export function inputSize(input: NirNode, flattens: NirNode[], source: string): number {
  const shape = input.params.shape;
  if (!shape || shape.data.length === 0) throw new BsnnError(`${source}: ${label(input)}: dataset 'shape' is missing`);
  const size = product(Array.from(shape.data));
  if (!Number.isInteger(size) || size < 1) throw new BsnnError(`${source}: ${label(input)}: dataset 'shape' [${Array.from(shape.data).join(',')}] is not a positive shape`);
  for (const f of flattens) {
    const t = f.params.input_type;
    if (t && product(Array.from(t.data)) !== size) throw new BsnnError(`${source}: ${label(f)}: flattens ${product(Array.from(t.data))} values, the input has ${size}`);
  }
  return size;
}
