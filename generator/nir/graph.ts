/**
 * The NIR graph as a chain: Input → (Flatten)* → [Affine|Linear → IF|LIF|LI]+ → Output. Everything else is
 * refused here, all problems at once, each naming the node and its type (docs/nir.md "What is refused").
 */
import { BsnnError } from '../util/errors.js';
import type { NirFile, NirNode } from './hdf5.js';

export const SYNAPSE_TYPES = ['Affine', 'Linear'] as const;
export const NEURON_TYPES = ['IF', 'LIF', 'LI'] as const;
const SUPPORTED = new Set<string>(['Input', 'Output', 'Flatten', ...SYNAPSE_TYPES, ...NEURON_TYPES]);

/** Why a known NIR primitive cannot be mapped (yet). */
const REFUSALS: Record<string, string> = {
  Conv1d: 'convolution is not supported yet (dense layers only)',
  Conv2d: 'convolution is not supported yet (dense layers only)',
  SumPool2d: 'pooling is not supported yet (it comes with convolution)',
  AvgPool2d: 'pooling is not supported yet (it comes with convolution)',
  CubaLIF: 'current-based LIF (a synaptic current state with its own time constant) has no bsnn neuron',
  CubaLI: 'current-based LI (a synaptic current state with its own time constant) has no bsnn neuron',
  Delay: 'synaptic delays have no bsnn equivalent',
  I: 'a bare integrator is not mapped (use LI as a potential readout)',
  Scale: 'a scaling node between layers is not mapped',
  Threshold: 'a bare threshold node is not mapped (use IF or LIF)',
  NIRGraph: 'nested subgraphs are not supported',
};

export interface Chain {
  input: NirNode;
  /** Affine/Linear and neuron nodes in order, paired: synapse, neuron, synapse, neuron, … */
  layers: { synapse: NirNode; neuron: NirNode }[];
  /** Flatten nodes passed over (no-ops for dense layers). */
  flattens: NirNode[];
}

/** How every message names a node: its name and its type. */
export const label = (n: NirNode) => `node '${n.name}' (${n.type})`;

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
  return pairUp(order.slice(1, -1), inputs[0], source);
}

function pairUp(middle: NirNode[], input: NirNode, source: string): Chain {
  const flattens = middle.filter((n) => n.type === 'Flatten');
  const rest = middle.filter((n) => n.type !== 'Flatten');
  const layers: Chain['layers'] = [];
  for (let i = 0; i < rest.length; i += 2) {
    const synapse = rest[i];
    const neuron = rest[i + 1];
    if (!(SYNAPSE_TYPES as readonly string[]).includes(synapse.type)) {
      throw new BsnnError(`${source}: ${label(synapse)} follows ${i === 0 ? 'the input' : label(rest[i - 1])}; bsnn expects Affine or Linear there (a layer is a synapse node, then a neuron node)`);
    }
    if (!neuron || !(NEURON_TYPES as readonly string[]).includes(neuron.type)) {
      throw new BsnnError(`${source}: ${label(synapse)} is followed by ${neuron ? label(neuron) : 'the Output'}; bsnn expects IF, LIF or LI after a synapse node`);
    }
    if (neuron.type === 'LI' && i + 2 < rest.length) throw new BsnnError(`${source}: ${label(neuron)} is not the last layer; LI maps only onto the potential readout, which is the last layer`);
    layers.push({ synapse, neuron });
  }
  if (layers.length === 0) throw new BsnnError(`${source}: no Affine/Linear + neuron layer between Input and Output`);
  return { input, layers, flattens };
}
