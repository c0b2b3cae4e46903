/**
 * Every dataset of every node, checked once before anything reads it: a name the node's NIR type defines,
 * holding numbers (a string only where NIR allows one: Conv2d's padding "same"/"valid"). After this check a
 * numeric parameter is either absent (its default applies) or numbers, so no reader can mistake a string for
 * a missing dataset and quietly take the default.
 */
import { BsnnError } from '../util/errors.js';
import type { NirNode } from './hdf5.js';
import { label } from './graph.js';

const POOL = ['kernel_size', 'stride', 'padding'];

/**
 * The datasets of each node type bsnn maps, as NIR's classes declare them (nir/ir/*.py). NIR's reader passes
 * every dataset to the class's constructor and rejects any other name (dict2NIRNode); metadata is a group,
 * which is not a dataset and is not read here.
 */
const FIELDS: Record<string, readonly string[]> = {
  Input: ['shape'],
  Output: ['shape'],
  Flatten: ['input_type', 'start_dim', 'end_dim'],
  Affine: ['weight', 'bias'],
  Linear: ['weight'],
  Conv2d: ['input_shape', 'weight', 'stride', 'padding', 'dilation', 'groups', 'bias'],
  IF: ['r', 'v_threshold', 'v_reset'],
  LIF: ['tau', 'r', 'v_leak', 'v_threshold', 'v_reset'],
  LI: ['tau', 'r', 'v_leak'],
  SumPool2d: POOL,
  AvgPool2d: POOL,
  Threshold: ['threshold'],
};

/**
 * Every node may carry its input and output types (NIR versions write them as groups, which are not read, but
 * a writer that flattens them into datasets says nothing new) and metadata: accepted, not read, except
 * Flatten's input_type, which is checked against what arrives.
 */
const ANY_NODE = ['input_type', 'output_type', 'metadata'];

/** Datasets NIR lets hold a string; the reader of each checks the string itself (conv-params.ts paddingOf). */
const TEXT: Record<string, readonly string[]> = { Conv2d: ['padding'] };

const quoted = (t: string) => JSON.stringify(t.length > 40 ? `${t.slice(0, 37)}...` : t);

function problemsOf(n: NirNode): string[] {
  const fields = FIELDS[n.type];
  if (!fields) return []; // an unsupported type, refused by the graph check
  const out: string[] = [];
  for (const key of [...Object.keys(n.params), ...Object.keys(n.text)].sort()) {
    if (!fields.includes(key) && !ANY_NODE.includes(key)) out.push(`${label(n)}: dataset '${key}' is not a ${n.type} parameter (NIR's ${n.type} has ${fields.map((f) => `'${f}'`).join(', ')})`);
  }
  for (const [key, t] of Object.entries(n.text)) {
    if (fields.includes(key) && !TEXT[n.type]?.includes(key)) out.push(`${label(n)}: dataset '${key}' holds the string ${quoted(t)}, expected numbers`);
  }
  return out;
}

/** Throw one error for every dataset problem of the nodes (one line when there is one). */
export function checkDatasets(nodes: NirNode[], source: string): void {
  const problems = nodes.flatMap(problemsOf);
  if (problems.length === 1) throw new BsnnError(`${source}: ${problems[0]}`);
  if (problems.length > 1) throw new BsnnError(`${source}: ${problems.length} datasets cannot be read:\n  ${problems.join('\n  ')}`);
}
