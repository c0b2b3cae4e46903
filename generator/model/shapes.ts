/**
 * The shapes of a model's layers (docs/semantics.md §4.1): what each layer reads and emits, decided once from
 * the model and read by the loader's checks, the planner and the CLI.
 */
import type { ConvGeometry, Shape3 } from '../ir/types.js';
import type { ConvLayerSpec, LayerSpec, Model } from './schema.js';

export type { ConvGeometry, Shape3 };

/** A side given as one number or as [rows, columns]. */
export const sides = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

export const volume = (s: Shape3): number => s.c * s.h * s.w;

export const showShape = (s: Shape3): string => `${s.c}×${s.h}×${s.w}`;

/** Neurons per position: a dense layer's size, a conv layer's output channels (the lanes divide these). */
export const neuronsOf = (spec: LayerSpec): number => (spec.type === 'conv2d' ? spec.channels : spec.size);

/** A conv layer's output sizes on an input shape; a side of 0 or less means the kernel or pool does not fit. */
export function convGeometry(spec: ConvLayerSpec, inShape: Shape3): ConvGeometry {
  const kernel = sides(spec.kernel);
  const stride = sides(spec.stride);
  const padding = sides(spec.padding);
  const out = (n: number, d: 0 | 1) => Math.floor((n + 2 * padding[d] - kernel[d]) / stride[d]) + 1;
  const convShape = { c: spec.channels, h: out(inShape.h, 0), w: out(inShape.w, 1) };
  const pool = spec.pool ? { kind: spec.pool.kind, size: sides(spec.pool.size) } : null;
  const outShape = pool ? { c: convShape.c, h: Math.floor(convShape.h / pool.size[0]), w: Math.floor(convShape.w / pool.size[1]) } : convShape;
  return { kernel, stride, padding, convShape, pool, outShape };
}

/** What one layer reads and emits. */
export interface LayerShape {
  /** Rows of the probability matrix per neuron: the fan-in (dense) or C_in·kh·kw (conv). */
  rows: number;
  /** Neurons per position (dense: size; conv: channels). */
  neurons: number;
  /** Distinct input event indices. */
  inputs: number;
  /** The input as an image, when known (model input shape, or a conv layer's output). */
  inShape: Shape3 | null;
  /** Distinct output event indices. */
  outputs: number;
  /** The output as an image (conv layers). */
  outShape: Shape3 | null;
  /** Largest value on an input event. */
  inputMax: number;
  /** Largest value on an output event: 1, or a sum pool's area. */
  outputMax: number;
  conv: ConvGeometry | null;
}

/** Why layer l cannot be shaped (a conv layer without an image input, a kernel larger than its input), or null. */
export type ShapeProblem = { path: PropertyKey[]; msg: string };

/**
 * Every layer's shape, in order. Stops at the first layer that cannot be shaped and says why (the JSON path of
 * the field that does not fit); `shapes` then holds the layers before it.
 */
export function layerShapes(model: Pick<Model, 'input' | 'layers'>): { shapes: LayerShape[]; problem: ShapeProblem | null } {
  const shapes: LayerShape[] = [];
  let inputs = model.input.size;
  let inShape: Shape3 | null = model.input.shape ? { c: model.input.shape[0], h: model.input.shape[1], w: model.input.shape[2] } : null;
  let inputMax = model.input.encoding === 'direct' ? 255 : 1;
  for (let l = 0; l < model.layers.length; l++) {
    const spec = model.layers[l];
    if (spec.type === 'conv2d') {
      if (!inShape) {
        const msg =
          l === 0
            ? 'a conv2d layer needs an image input: give "input.shape" as [channels, rows, columns]'
            : `a conv2d layer needs an image input, but layers[${l - 1}] is dense (a conv layer cannot follow a dense layer)`;
        return { shapes, problem: { path: ['layers', l, 'type'], msg } };
      }
      const conv = convGeometry(spec, inShape);
      const { convShape, outShape, kernel, padding } = conv;
      if (convShape.h < 1 || convShape.w < 1) {
        const msg = `a ${kernel[0]}×${kernel[1]} kernel with padding ${padding[0]}×${padding[1]} does not fit the ${showShape(inShape)} input (rows and columns + 2·padding ≥ kernel)`;
        return { shapes, problem: { path: ['layers', l, 'kernel'], msg } };
      }
      if (outShape.h < 1 || outShape.w < 1) {
        const msg = `a ${conv.pool!.size[0]}×${conv.pool!.size[1]} pool does not fit the ${showShape(convShape)} convolution output`;
        return { shapes, problem: { path: ['layers', l, 'pool', 'size'], msg } };
      }
      const outputMax = conv.pool?.kind === 'sum' ? conv.pool.size[0] * conv.pool.size[1] : 1;
      shapes.push({ rows: inShape.c * kernel[0] * kernel[1], neurons: spec.channels, inputs, inShape, outputs: volume(outShape), outShape, inputMax, outputMax, conv });
      inShape = outShape;
      inputs = volume(outShape);
      inputMax = outputMax;
    } else {
      shapes.push({ rows: inputs, neurons: spec.size, inputs, inShape, outputs: spec.size, outShape: null, inputMax, outputMax: 1, conv: null });
      inShape = null;
      inputs = spec.size;
      inputMax = 1;
    }
  }
  return { shapes, problem: null };
}

/** layerShapes of a model that has passed validation (its shapes are known to fit). */
export function shapesOf(model: Pick<Model, 'input' | 'layers'>): LayerShape[] {
  const { shapes, problem } = layerShapes(model);
  if (problem) throw new RangeError(`${problem.path.join('.')}: ${problem.msg}`);
  return shapes;
}
