/**
 * A bsnn/1 model → NIR (docs/nir.md "Export"). Each layer becomes Affine or Conv2d (mean weights 2p − 1, bias)
 * and a neuron node whose discrete-time step (float-net.ts) is the bsnn step with its integer parameters:
 *   leak 0 → IF (r = 1, v_threshold = θ);
 *   leak λ → LIF with τ = dt·2^λ and r = 2^λ, so dt/τ = 2^−λ and (dt/τ)·r = 1 (inputs added unscaled);
 *   potential readout → LI with τ = dt·2^20 and r = 2^20 (a near-perfect integrator; import drops the leak).
 * v_reset = 0 is written for NIR 1.0 readers; the reset mode itself, the probability codes and what NIR cannot
 * hold go to /bsnn, so that `bsnn import` of the file plans to the same model hash. A conv layer's pool
 * becomes SumPool2d ("sum"), or SumPool2d → Threshold(0) ("or": NIR has no spike max pool, and a Threshold
 * z = [x > 0] on the window's count is exactly "any spike"); a dense layer reading an image gets a Flatten.
 */
import { codeProbability, quantiseProbability } from '../ir/quantise.js';
import type { Model } from '../model/schema.js';
import { neuronsOf, shapesOf, type LayerShape } from '../model/shapes.js';
import type { NirArray, NirFile, NirNode } from './hdf5.js';
import type { BsnnSettings } from './settings.js';
import { EXPORT_DT } from './defaults.js';
import { perNeuron } from '../ops/synapses/plan.js';

export { EXPORT_DT };

/** The timestep written to /bsnn/settings when the caller gives none: 1 ms. */
const READOUT_SHIFT = 20;
/** The NIR version whose layout (v_reset present, edges as [n,2] strings) the file follows. */
export const NIR_VERSION = '1.0.0';

const arr = (data: ArrayLike<number>, shape: number[] = [data.length]): NirArray => ({ shape, data: Float64Array.from(data) });
/** One value per neuron, as plain numbers for the NIR datasets. */
const perNeuronList = (v: number | number[] | undefined, n: number, dflt: number) => Array.from(perNeuron(v, n, dflt));

/** The k-bit codes of a layer, from probCodes as they are or from prob quantised (semantics §2). */
function codesOf(layer: Model['layers'][number]): number[][] {
  if (layer.probCodes) return layer.probCodes;
  return layer.prob!.map((row) => row.map((p) => quantiseProbability(p, layer.probBits)));
}

function node(name: string, type: string, params: Record<string, NirArray>): NirNode {
  return { name, type, params, text: {} };
}

/** Per-neuron values as a dataset: [N], or [N, Ho, Wo] for a conv layer (each channel's value at every position, as Sinabs writes it). */
function neuronArray(values: number[], sh: LayerShape): NirArray {
  const g = sh.conv;
  if (!g) return arr(values);
  const HW = g.convShape.h * g.convShape.w;
  return { shape: [values.length, g.convShape.h, g.convShape.w], data: Float64Array.from({ length: values.length * HW }, (_, i) => values[Math.floor(i / HW)]) };
}

/** The neuron node of layer l: IF (leak 0), LIF (leak λ) or, for the potential readout, LI. */
function neuronNode(layer: Model['layers'][number], l: number, sh: LayerShape, readout: boolean, dt: number): NirNode {
  const N = neuronsOf(layer);
  const fill = (x: number) => neuronArray(new Array<number>(N).fill(x), sh);
  if (readout) return node(`li${l}`, 'LI', { tau: fill(dt * 2 ** READOUT_SHIFT), r: fill(2 ** READOUT_SHIFT), v_leak: fill(0) });
  const vThreshold = neuronArray(perNeuronList(layer.threshold, N, 1), sh);
  if (layer.leak === 0) return node(`if${l}`, 'IF', { r: fill(1), v_threshold: vThreshold, v_reset: fill(0) });
  return node(`lif${l}`, 'LIF', { tau: fill(dt * 2 ** layer.leak), r: fill(2 ** layer.leak), v_leak: fill(0), v_threshold: vThreshold, v_reset: fill(0) });
}

/** The synapse node(s) of layer l: Conv2d, or Affine (after a Flatten when it reads an image). */
function synapseNodes(layer: Model['layers'][number], l: number, sh: LayerShape, weight: Float64Array): NirNode[] {
  const N = neuronsOf(layer);
  const bias = arr(perNeuronList(layer.bias, N, 0));
  const g = sh.conv;
  const inS = sh.inShape;
  if (g && inS) {
    return [node(`conv${l}`, 'Conv2d', {
      weight: { shape: [N, inS.c, g.kernel[0], g.kernel[1]], data: weight },
      bias,
      stride: arr(g.stride),
      padding: arr(g.padding),
      dilation: arr([1, 1]),
      groups: arr([1], []),
      input_shape: arr([inS.h, inS.w]),
    })];
  }
  const affine = node(`fc${l}`, 'Affine', { weight: { shape: [N, sh.rows], data: weight }, bias });
  if (!inS) return [affine];
  return [node(`flat${l}`, 'Flatten', { input_type: arr([inS.c, inS.h, inS.w]), start_dim: arr([0], []), end_dim: arr([-1], []) }), affine];
}

/** The pool node(s) after a conv layer's neuron: SumPool2d, and a Threshold(0) after it for an "or" pool. */
function poolNodes(l: number, sh: LayerShape): NirNode[] {
  const pool = sh.conv?.pool;
  if (!pool) return [];
  const sum = node(`pool${l}`, 'SumPool2d', { kernel_size: arr(pool.size), stride: arr(pool.size), padding: arr([0, 0]) });
  if (pool.kind === 'sum') return [sum];
  const o = sh.outShape!;
  return [sum, node(`or${l}`, 'Threshold', { threshold: { shape: [o.c, o.h, o.w], data: new Float64Array(o.c * o.h * o.w) } })];
}

export function exportNir(model: Model, dt = EXPORT_DT): NirFile {
  const shapes = shapesOf(model);
  const nodes: NirNode[] = [node('input', 'Input', { shape: arr(model.input.shape ?? [model.input.size]) })];
  const extras: NirFile['bsnn'] = { settings: '', layers: [] };
  const potential = model.readout?.mode === 'potential';
  model.layers.forEach((layer, l) => {
    const sh = shapes[l];
    const N = neuronsOf(layer);
    const M = sh.rows;
    const codes = codesOf(layer);
    const weight = new Float64Array(N * M);
    codes.forEach((row, n) => row.forEach((q, i) => (weight[n * M + i] = 2 * codeProbability(q, layer.probBits) - 1)));
    nodes.push(...synapseNodes(layer, l, sh, weight), neuronNode(layer, l, sh, potential && l === model.layers.length - 1, dt), ...poolNodes(l, sh));
    extras.layers.push({ prob_codes: { shape: [N, M], data: Float64Array.from(codes.flat()) }, scale: arr(new Array<number>(N).fill(1)) });
  });
  const chain = nodes.map((n) => n.name);
  nodes.push(node('output', 'Output', { shape: arr([shapes[shapes.length - 1].outputs]) }));
  chain.push('output');
  const settings: BsnnSettings = {
    name: model.name,
    ...(model.description !== undefined ? { description: model.description } : {}),
    seed: model.seed,
    timesteps: model.timesteps,
    sampling: model.sampling,
    encoding: model.input.encoding,
    ...(model.readout?.temperature !== undefined ? { temperature: model.readout.temperature } : {}),
    dt,
    layers: model.layers.map((layer, l) => {
      const readout = potential && l === model.layers.length - 1;
      return {
        probBits: layer.probBits,
        ...(readout ? {} : { reset: layer.reset, membraneBits: layer.membraneBits }),
        ...(layer.lanes !== undefined ? { lanes: layer.lanes } : {}),
        ...(layer.type === 'dense' && layer.eventsPerCycle !== undefined ? { eventsPerCycle: layer.eventsPerCycle } : {}),
        ...(layer.type === 'conv2d' && layer.offsetsPerCycle !== undefined ? { offsetsPerCycle: layer.offsetsPerCycle } : {}),
        ...(layer.noise ? { noise: layer.noise } : {}),
      };
    }),
  };
  extras.settings = JSON.stringify(settings);
  const edges = chain.slice(1).map((to, i): [string, string] => [chain[i], to]);
  return { version: NIR_VERSION, nodes, edges, bsnn: extras };
}
