/**
 * A bsnn/1 model → NIR (docs/nir.md "Export"). Each layer becomes Affine (mean weights 2p − 1, bias) and a
 * neuron node whose discrete-time step (float-net.ts) is the bsnn step with its integer parameters:
 *   leak 0 → IF (r = 1, v_threshold = θ);
 *   leak λ → LIF with τ = dt·2^λ and r = 2^λ, so dt/τ = 2^−λ and (dt/τ)·r = 1 (inputs added unscaled);
 *   potential readout → LI with τ = dt·2^20 and r = 2^20 (a near-perfect integrator; import drops the leak).
 * v_reset = 0 is written for NIR 1.0 readers; the reset mode itself, the probability codes and what NIR cannot
 * hold go to /bsnn, so that `bsnn import` of the file plans to the same model hash.
 */
import { codeProbability, quantiseProbability } from '../ir/quantise.js';
import type { Model } from '../model/schema.js';
import { BsnnError } from '../util/errors.js';
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

export function exportNir(model: Model, dt = EXPORT_DT): NirFile {
  const nodes: NirNode[] = [node('input', 'Input', { shape: arr([model.input.size]) })];
  const chain = ['input'];
  const extras: NirFile['bsnn'] = { settings: '', layers: [] };
  const potential = model.readout?.mode === 'potential';
  let fanIn = model.input.size;
  model.layers.forEach((layer, l) => {
    if (layer.type === 'conv2d') throw new BsnnError(`layers[${l}]: NIR export of conv2d layers is not supported yet (dense layers only; docs/nir.md)`);
    const N = layer.size;
    const codes = codesOf(layer);
    const weight = new Float64Array(N * fanIn);
    codes.forEach((row, n) => row.forEach((q, i) => (weight[n * fanIn + i] = 2 * codeProbability(q, layer.probBits) - 1)));
    nodes.push(node(`fc${l}`, 'Affine', { weight: { shape: [N, fanIn], data: weight }, bias: arr(perNeuronList(layer.bias, N, 0)) }));
    const zeros = arr(new Array<number>(N).fill(0));
    if (potential && l === model.layers.length - 1) {
      nodes.push(node(`li${l}`, 'LI', { tau: arr(new Array<number>(N).fill(dt * 2 ** READOUT_SHIFT)), r: arr(new Array<number>(N).fill(2 ** READOUT_SHIFT)), v_leak: zeros }));
    } else if (layer.leak === 0) {
      nodes.push(node(`if${l}`, 'IF', { r: arr(new Array<number>(N).fill(1)), v_threshold: arr(perNeuronList(layer.threshold, N, 1)), v_reset: zeros }));
    } else {
      const tau = dt * 2 ** layer.leak;
      nodes.push(node(`lif${l}`, 'LIF', { tau: arr(new Array<number>(N).fill(tau)), r: arr(new Array<number>(N).fill(2 ** layer.leak)), v_leak: zeros, v_threshold: arr(perNeuronList(layer.threshold, N, 1)), v_reset: zeros }));
    }
    chain.push(nodes[nodes.length - 2].name, nodes[nodes.length - 1].name);
    extras.layers.push({ prob_codes: { shape: [N, fanIn], data: Float64Array.from(codes.flat()) }, scale: arr(new Array<number>(N).fill(1)) });
    fanIn = N;
  });
  nodes.push(node('output', 'Output', { shape: arr([fanIn]) }));
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
        ...(layer.noise ? { noise: layer.noise } : {}),
      };
    }),
  };
  extras.settings = JSON.stringify(settings);
  const edges = chain.slice(1).map((to, i): [string, string] => [chain[i], to]);
  return { version: NIR_VERSION, nodes, edges, bsnn: extras };
}
