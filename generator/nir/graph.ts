/**
 * The NIR graph as a chain: Input → layers → Output, a layer being a synapse (Affine | Linear | Conv2d), a
 * neuron (IF | LIF | LI) and, after a Conv2d layer, an optional pool (SumPool2d | AvgPool2d | SumPool2d →
 * Threshold); Flatten nodes may sit between layers. Everything else is refused here, all problems at once,
 * each naming the node and its type (docs/nir.md "What is refused").
 */
import { BsnnError } from '../util/errors.js';
import type { NirFile, NirNode } from './hdf5.js';

export const SYNAPSE_TYPES = ['Affine', 'Linear', 'Conv2d'] as const;
export const NEURON_TYPES = ['IF', 'LIF', 'LI'] as const;
export const POOL_TYPES = ['SumPool2d', 'AvgPool2d'] as const;
const SUPPORTED = new Set<string>(['Input', 'Output', 'Flatten', 'Threshold', ...SYNAPSE_TYPES, ...NEURON_TYPES, ...POOL_TYPES]);

/** Why a known NIR primitive cannot be mapped. */
const REFUSALS: Record<string, string> = {
  Conv1d: 'one-dimensional convolution is not supported (Conv2d is)',
  CubaLIF: 'current-based LIF (a synaptic current state with its own time constant) has no bsnn neuron',
  CubaLI: 'current-based LI (a synaptic current state with its own time constant) has no bsnn neuron',
  Delay: 'synaptic delays have no bsnn equivalent',
  I: 'a bare integrator is not mapped (use LI as a potential readout)',
  Scale: 'a scaling node between layers is not mapped',
  NIRGraph: 'nested subgraphs are not supported',
};

/** A pool on a conv layer's output spikes: the pool node, and for an "or" pool the Threshold after it. */
export interface ChainPool {
  node: NirNode;
  kind: 'sum' | 'avg' | 'or';
  threshold?: NirNode;
}

export interface ChainLayer {
  synapse: NirNode;
  neuron: NirNode;
  pool: ChainPool | null;
  /** Flatten nodes right before the synapse (no-ops: bsnn indices are flat CHW already). */
  flattens: NirNode[];
}

export interface Chain {
  input: NirNode;
  output: NirNode;
  layers: ChainLayer[];
  /** Flatten nodes after the last layer, before the Output. */
  trailing: NirNode[];
}

/** How every message names a node: its name and its type. */
export const label = (n: NirNode) => `node '${n.name}' (${n.type})`;

/** A numeric parameter the node lacks: missing, or given as a string (read as text, not numbers). */
export function missingParam(n: NirNode, key: string, source: string): BsnnError {
  const t = n.text[key];
  if (t === undefined) return new BsnnError(`${source}: ${label(n)}: dataset '${key}' is missing`);
  const shown = t.length > 40 ? `${t.slice(0, 37)}...` : t;
  return new BsnnError(`${source}: ${label(n)}: dataset '${key}' holds the string ${JSON.stringify(shown)}, expected numbers`);
}

/** Nodes on a cycle, by repeatedly removing nodes without incoming edges (Kahn). */
function nodesOnCycles(names: string[], edges: [string, string][]): string[] {
  const indeg = new Map(names.map((n) => [n, 0]));
  for (const [, to] of edges) indeg.set(to, (indeg.get(to) ?? 0) + 1);
  const queue = names.filter((n) => indeg.get(n) === 0);
  const removed = new Set<string>();
  while (queue.length > 0) {
    const n = queue.pop()!;
    removed.add(n);
    for (const [from, to] of edges) if (from === n) {
      indeg.set(to, indeg.get(to)! - 1);
      if (indeg.get(to) === 0) queue.push(to);
    }
  }
  // What remains holds the cycles and whatever only they feed; keep the nodes that reach themselves.
  const rest = names.filter((n) => !removed.has(n));
  const reaches = (a: string, b: string) => {
    const seen = new Set<string>();
    const stack = [a];
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const [from, to] of edges) if (from === x && !seen.has(to)) {
        if (to === b) return true;
        seen.add(to);
        stack.push(to);
      }
    }
    return false;
  };
  return rest.filter((n) => reaches(n, n));
}

/** Check the graph and return it as a chain, or throw one error that lists every problem. */
export function chainOf(nir: NirFile, source: string): Chain {
  const problems: string[] = [];
  const byName = new Map(nir.nodes.map((n) => [n.name, n]));
  for (const n of nir.nodes) {
    if (SUPPORTED.has(n.type)) continue;
    problems.push(`${label(n)}: ${REFUSALS[n.type] ?? 'not a NIR primitive bsnn knows'}`);
  }
  for (const [from, to] of nir.edges) {
    for (const end of [from, to]) if (!byName.has(end)) problems.push(`edge ${from} → ${to}: no node named '${end}'`);
  }
  const cyclic = nodesOnCycles(nir.nodes.map((n) => n.name), nir.edges.filter(([a, b]) => byName.has(a) && byName.has(b)));
  if (cyclic.length > 0) {
    problems.push(`${cyclic.map((n) => label(byName.get(n)!)).join(', ')}: on a cycle (recurrence); bsnn layers are feed-forward`);
  }
  for (const n of nir.nodes) {
    if (cyclic.includes(n.name)) continue; // its fan-out is the recurrence, already reported
    const outs = nir.edges.filter(([a]) => a === n.name).length;
    const ins = nir.edges.filter(([, b]) => b === n.name).length;
    if (outs > 1) problems.push(`${label(n)}: feeds ${outs} nodes; bsnn maps a single chain (no branches)`);
    if (ins > 1 && cyclic.length === 0) problems.push(`${label(n)}: has ${ins} inputs; bsnn maps a single chain (no merges)`);
  }
  const inputs = nir.nodes.filter((n) => n.type === 'Input');
  const outputs = nir.nodes.filter((n) => n.type === 'Output');
  if (inputs.length !== 1) problems.push(`the graph has ${inputs.length} Input nodes; bsnn needs exactly one`);
  if (outputs.length !== 1) problems.push(`the graph has ${outputs.length} Output nodes; bsnn needs exactly one`);
  if (problems.length > 0) throw new BsnnError(`${source}: cannot be mapped onto bsnn:\n  ${problems.join('\n  ')}`);

  // A single acyclic chain from the one Input: walk it.
  const next = new Map(nir.edges.map(([a, b]) => [a, b]));
  const order: NirNode[] = [];
  for (let n: NirNode | undefined = inputs[0]; n; n = byName.get(next.get(n.name) ?? '')) order.push(n);
  const last = order[order.length - 1];
  if (last.type !== 'Output') throw new BsnnError(`${source}: ${label(last)} does not lead to the Output node`);
  const unreached = nir.nodes.filter((n) => !order.includes(n));
  if (unreached.length > 0) throw new BsnnError(`${source}: ${unreached.map(label).join(', ')} not on the path from Input to Output`);
  return pairUp(order.slice(1, -1), inputs[0], last, source);
}

const is = (n: NirNode | undefined, types: readonly string[]) => n !== undefined && types.includes(n.type);

/** The optional pool after a conv layer's neuron at middle[i]: [pool, nodes used]. */
function poolAt(middle: NirNode[], i: number, synapse: NirNode, source: string): [ChainPool | null, number] {
  const p = middle[i];
  if (!is(p, POOL_TYPES)) return [null, 0];
  if (synapse.type !== 'Conv2d') throw new BsnnError(`${source}: ${label(p)} follows ${label(synapse)}'s neuron; bsnn pools only the output spikes of a Conv2d layer`);
  if (middle[i + 1]?.type === 'Threshold') {
    if (p.type !== 'SumPool2d') throw new BsnnError(`${source}: ${label(middle[i + 1])} follows ${label(p)}; only SumPool2d → Threshold maps (onto an "or" pool)`);
    return [{ node: p, kind: 'or', threshold: middle[i + 1] }, 2];
  }
  return [{ node: p, kind: p.type === 'SumPool2d' ? 'sum' : 'avg' }, 1];
}

/** Why middle[i] cannot start a layer. */
function notASynapse(n: NirNode, prev: NirNode | undefined, source: string): BsnnError {
  const after = prev ? label(prev) : 'the input';
  if (is(n, POOL_TYPES)) return new BsnnError(`${source}: ${label(n)} follows ${after}; bsnn pools only the output spikes of a Conv2d layer (Conv2d → IF/LIF → pool)`);
  if (n.type === 'Threshold') return new BsnnError(`${source}: ${label(n)} follows ${after}; a Threshold maps only right after a SumPool2d (an "or" pool); use IF or LIF for neurons`);
  return new BsnnError(`${source}: ${label(n)} follows ${after}; bsnn expects Affine, Linear or Conv2d there (a layer is a synapse node, then a neuron node)`);
}

function pairUp(middle: NirNode[], input: NirNode, output: NirNode, source: string): Chain {
  const layers: ChainLayer[] = [];
  let i = 0;
  for (;;) {
    const flattens: NirNode[] = [];
    while (middle[i]?.type === 'Flatten') flattens.push(middle[i++]);
    if (i >= middle.length) return finish(layers, flattens, input, output, source);
    const synapse = middle[i];
    if (!is(synapse, SYNAPSE_TYPES)) throw notASynapse(synapse, middle[i - 1], source);
    if (synapse.type === 'Conv2d' && flattens.length > 0) throw new BsnnError(`${source}: ${label(synapse)} follows ${label(flattens[0])}; a Conv2d layer needs an image input, not a flat one`);
    const neuron = middle[i + 1];
    if (!neuron || !is(neuron, NEURON_TYPES)) {
      throw new BsnnError(`${source}: ${label(synapse)} is followed by ${neuron ? label(neuron) : 'the Output'}; bsnn expects IF, LIF or LI after a synapse node`);
    }
    if (neuron.type === 'LI' && synapse.type === 'Conv2d') throw new BsnnError(`${source}: ${label(neuron)} follows ${label(synapse)}; the potential readout (LI) must be a dense layer (Affine or Linear)`);
    const [pool, used] = poolAt(middle, i + 2, synapse, source);
    i += 2 + used;
    if (neuron.type === 'LI' && middle.slice(i).some((n) => n.type !== 'Flatten')) throw new BsnnError(`${source}: ${label(neuron)} is not the last layer; LI maps only onto the potential readout, which is the last layer`);
    layers.push({ synapse, neuron, pool, flattens });
  }
}

function finish(layers: ChainLayer[], trailing: NirNode[], input: NirNode, output: NirNode, source: string): Chain {
  if (layers.length === 0) throw new BsnnError(`${source}: no Affine/Linear/Conv2d + neuron layer between Input and Output`);
  const last = layers[layers.length - 1];
  if (last.synapse.type === 'Conv2d') throw new BsnnError(`${source}: ${label(last.synapse)} is the last layer; the output layer must be dense (Affine or Linear: one neuron per class)`);
  return { input, output, layers, trailing };
}
