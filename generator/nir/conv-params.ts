/**
 * A NIR Conv2d node (+ its pool) → the geometry of a bsnn conv2d layer (semantics §4.1), refusing what bsnn
 * cannot compute: dilation, groups, asymmetric "same" padding, a pool whose stride is not its size or that
 * pads, a Threshold that is not "any spike in the window".
 */
import type { Shape3 } from '../ir/types.js';
import { BsnnError } from '../util/errors.js';
import type { NirNode } from './hdf5.js';
import type { FloatConv } from './float-net.js';
import { label, missingParam, type ChainPool } from './graph.js';

const show = (a: ArrayLike<number>) => `[${Array.from(a).join(',')}]`;

/** An integer pair parameter given as a scalar or two values ([rows, columns]), or the default when absent. */
export function pairParam(node: NirNode, key: string, source: string, dflt?: number): [number, number] {
  const a = node.params[key];
  if (!a) {
    if (dflt !== undefined) return [dflt, dflt];
    throw missingParam(node, key, source);
  }
  const v = Array.from(a.data);
  if ((v.length !== 1 && v.length !== 2) || !v.every((x) => Number.isInteger(x) && x >= 0)) {
    throw new BsnnError(`${source}: ${label(node)}: dataset '${key}' is ${show(v)}, expected one or two non-negative integers`);
  }
  return v.length === 1 ? [v[0], v[0]] : [v[0], v[1]];
}

/** bsnn's format limits (model/schema.ts), checked here so that the message names the node. */
function within(node: NirNode, what: string, v: number[], lo: number, hi: number, source: string): void {
  if (v.some((x) => x < lo || x > hi)) throw new BsnnError(`${source}: ${label(node)}: ${what} ${show(v)} is outside bsnn's ${lo}..${hi}`);
}

/** Padding: integers, or the strings "valid" (0) and "same" (stride 1, odd kernel: (k − 1)/2 on every side). */
function paddingOf(node: NirNode, kernel: [number, number], stride: [number, number], source: string): [number, number] {
  const t = node.text.padding;
  if (t === undefined) return pairParam(node, 'padding', source, 0);
  if (t === 'valid') return [0, 0];
  if (t === 'same' && stride[0] === 1 && stride[1] === 1 && kernel[0] % 2 === 1 && kernel[1] % 2 === 1) return [(kernel[0] - 1) / 2, (kernel[1] - 1) / 2];
  throw new BsnnError(`${source}: ${label(node)}: padding "${t}" with a ${kernel[0]}×${kernel[1]} kernel and stride ${show(stride)}; bsnn pads symmetrically (integers, "valid", or "same" with stride 1 and an odd kernel)`);
}

/** The pool stage: bsnn pools are non-overlapping (stride = size) and unpadded. */
function poolOf(p: ChainPool, source: string): FloatConv['pool'] {
  const size = pairParam(p.node, 'kernel_size', source);
  const stride = pairParam(p.node, 'stride', source, size[0]);
  const padding = pairParam(p.node, 'padding', source, 0);
  within(p.node, 'kernel_size', size, 1, 32, source);
  if (stride[0] !== size[0] || stride[1] !== size[1]) throw new BsnnError(`${source}: ${label(p.node)}: stride ${show(stride)} ≠ kernel_size ${show(size)}; bsnn pools are non-overlapping (stride = size)`);
  if (padding[0] !== 0 || padding[1] !== 0) throw new BsnnError(`${source}: ${label(p.node)}: padding ${show(padding)}; bsnn pools do not pad`);
  return { kind: p.kind, size };
}

/**
 * The Threshold of an "or" pool: one value, or one per element of the pooled output [C, Hp, Wp] (leading 1s
 * allowed), each in [0, 1). NIR's Threshold is z = 1 iff x > θ: on a window's spike count, any θ in [0, 1)
 * means "at least one spike". Checked after the neuron's datasets, whose shapes say more about a wrong
 * geometry than the pooled output's does.
 */
export function checkOrThreshold(p: ChainPool, out: Shape3, source: string): void {
  const t = p.threshold!;
  const th = t.params.threshold;
  if (!th) throw missingParam(t, 'threshold', source);
  const dims = th.shape.slice(th.shape.findIndex((d) => d !== 1));
  const fits = th.data.length === 1 || (dims.length === 3 && dims[0] === out.c && dims[1] === out.h && dims[2] === out.w);
  if (!fits) throw new BsnnError(`${source}: ${label(t)}: dataset 'threshold' has shape ${show(th.shape)}, expected [${out.c},${out.h},${out.w}] (the output of ${label(p.node)}) or a single value`);
  if (!Array.from(th.data).every((x) => x >= 0 && x < 1)) {
    throw new BsnnError(`${source}: ${label(t)}: threshold ${show(Array.from(th.data).slice(0, 4))}${th.data.length > 4 ? '…' : ''} after ${label(p.node)}; only values in [0, 1) (at least one spike in the window) map onto an "or" pool`);
  }
}

export interface ConvWeights {
  geometry: FloatConv;
  /** [C_out][C_in·kh·kw] in (c_in, ky, kx) order: NIR's weight [C_out, C_in, kh, kw] as stored. */
  weight: Float64Array;
  channels: number;
  rows: number;
}

/** A Conv2d node on an input image: its weights and geometry (with the pool that follows it). */
export function convOf(node: NirNode, pool: ChainPool | null, inShape: Shape3 | null, source: string): ConvWeights {
  if (!inShape) throw new BsnnError(`${source}: ${label(node)} has no image input: give the Input node a [channels, rows, columns] shape (a Conv2d cannot follow a dense layer)`);
  const w = node.params.weight;
  if (!w) throw missingParam(node, 'weight', source);
  if (w.shape.length !== 4) throw new BsnnError(`${source}: ${label(node)}: dataset 'weight' has shape [${w.shape.join(',')}], expected [C_out, C_in, kh, kw]`);
  const [C, Cin, kh, kw] = w.shape;
  if (!w.data.every(Number.isFinite)) throw new BsnnError(`${source}: ${label(node)}: dataset 'weight' holds a non-finite value`);
  const groups = node.params.groups ? Array.from(node.params.groups.data) : [1];
  if (groups.some((g) => g !== 1)) throw new BsnnError(`${source}: ${label(node)}: groups ${show(groups)}; bsnn convolutions are dense over the input channels (groups 1)`);
  if (Cin !== inShape.c) throw new BsnnError(`${source}: ${label(node)}: dataset 'weight' takes ${Cin} input channels, the input has ${inShape.c} (${inShape.c}×${inShape.h}×${inShape.w})`);
  const dilation = pairParam(node, 'dilation', source, 1);
  if (dilation[0] !== 1 || dilation[1] !== 1) throw new BsnnError(`${source}: ${label(node)}: dilation ${show(dilation)}; bsnn kernels are not dilated (dilation 1)`);
  const stride = pairParam(node, 'stride', source, 1);
  const kernel: [number, number] = [kh, kw];
  const padding = paddingOf(node, kernel, stride, source);
  within(node, 'output channels', [C], 1, 4096, source);
  within(node, 'kernel', kernel, 1, 32, source);
  within(node, 'stride', stride, 1, 32, source);
  within(node, 'padding', padding, 0, 31, source);
  const given = node.params.input_shape;
  if (given && (given.data.length !== 2 || given.data[0] !== inShape.h || given.data[1] !== inShape.w)) {
    throw new BsnnError(`${source}: ${label(node)}: input_shape ${show(given.data)}, but its input is ${inShape.c}×${inShape.h}×${inShape.w}`);
  }
  const out = (n: number, d: 0 | 1) => Math.floor((n + 2 * padding[d] - kernel[d]) / stride[d]) + 1;
  const convShape = { c: C, h: out(inShape.h, 0), w: out(inShape.w, 1) };
  if (convShape.h < 1 || convShape.w < 1) throw new BsnnError(`${source}: ${label(node)}: a ${kh}×${kw} kernel with padding ${show(padding)} does not fit the ${inShape.c}×${inShape.h}×${inShape.w} input`);
  const p = pool ? poolOf(pool, source) : null;
  const outShape = p ? { c: C, h: Math.floor(convShape.h / p.size[0]), w: Math.floor(convShape.w / p.size[1]) } : convShape;
  if (outShape.h < 1 || outShape.w < 1) throw new BsnnError(`${source}: ${label(pool!.node)}: a ${p!.size[0]}×${p!.size[1]} pool does not fit the ${C}×${convShape.h}×${convShape.w} convolution output`);
  return { geometry: { inShape, kernel, stride, padding, convShape, pool: p, outShape }, weight: w.data, channels: C, rows: Cin * kh * kw };
}
