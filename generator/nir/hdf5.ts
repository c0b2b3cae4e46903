/**
 * NIR files as plain data: an HDF5 file (read and written with h5wasm, gzip included) ⇄ a NirFile.
 * The layout (NIR's own serialisation): /version, /node/type = "NIRGraph", /node/edges ([n,2] strings),
 * /node/nodes/<name>/type and one dataset per parameter. bsnn's extras live under /bsnn (see export.ts),
 * outside /node, so that NIR's own readers, which pass every node dataset to a constructor, still load the file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type H5Wasm from 'h5wasm/node';
import { BsnnError } from '../util/errors.js';
import { writeFileAtomically } from '../util/atomic.js';
import { checkHeader, hdf5Reason, quietly } from './hdf5-guard.js';

/** A numeric dataset: shape ([] for a scalar) and values in row-major order. */
export interface NirArray {
  shape: number[];
  data: Float64Array;
}

export interface NirNode {
  name: string;
  type: string;
  /** Numeric parameters by dataset name (`type` excluded); string parameters other than `type` are kept as text. */
  params: Record<string, NirArray>;
  text: Record<string, string>;
}

export interface NirFile {
  version: string;
  nodes: NirNode[];
  edges: [string, string][];
  /** /bsnn extras written by `bsnn export`: JSON settings and per-layer integer datasets, or null. */
  bsnn: { settings: string; layers: Record<string, NirArray>[] } | null;
}

type H5 = typeof H5Wasm;
/** h5wasm, loaded on the first NIR read or write (a 4 MB WebAssembly module: not at import of bsnn). */
let h5wasm: H5 | undefined;
async function h5(): Promise<H5> {
  if (!h5wasm) {
    const lib = (await import('h5wasm/node')).default;
    await lib.ready;
    h5wasm = lib;
  }
  return h5wasm;
}
/** The loaded module, for the readers below (they run only after h5() has resolved). */
const loaded = (): H5 => h5wasm!;

function numeric(v: unknown, where: string): Float64Array {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return Float64Array.of(Number(v));
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Float64Array.from(v as unknown as ArrayLike<number | bigint>, Number);
  throw new BsnnError(`${where}: is not a numeric dataset`);
}

type Group = InstanceType<H5['Group']>;
type Dataset = InstanceType<H5['Dataset']>;

function datasetIn(g: Group, name: string, where: string): Dataset {
  const d = g.get(name);
  if (!(d instanceof loaded().Dataset)) throw new BsnnError(`${where}: missing (expected a dataset)`);
  return d;
}

function groupIn(g: Group, name: string, where: string): Group {
  const d = g.get(name);
  if (!(d instanceof loaded().Group)) throw new BsnnError(`${where}: missing (expected a group)`);
  return d;
}

function text(d: Dataset, where: string): string {
  const v = d.value;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  throw new BsnnError(`${where}: expected a string`);
}

function readNode(nodes: Group, name: string, file: string): NirNode {
  const where = `${file}: node '${name}'`;
  const g = groupIn(nodes, name, where);
  const type = text(datasetIn(g, 'type', `${where}: dataset 'type'`), `${where}: dataset 'type'`);
  const params: Record<string, NirArray> = {};
  const texts: Record<string, string> = {};
  for (const key of g.keys().sort()) {
    if (key === 'type') continue;
    const child = g.get(key);
    // Subgraphs (a NIRGraph node) and anything else that is not a dataset are left to the graph check.
    if (!(child instanceof loaded().Dataset)) continue;
    const v = child.value;
    if (typeof v === 'string') texts[key] = v;
    else params[key] = { shape: child.shape ?? [], data: numeric(v, `${where} (${type}): dataset '${key}'`) };
  }
  return { name, type, params, text: texts };
}

function readEdges(graph: Group, file: string): [string, string][] {
  const where = `${file}: dataset /node/edges`;
  const d = datasetIn(graph, 'edges', where);
  const v = d.value;
  // An empty edge list is read as such (whatever its dtype), so that the graph check says what is missing.
  const shape = d.shape ?? [];
  const empty = v === null || shape.some((n) => n === 0);
  const flat = empty ? [] : Array.isArray(v) ? v : [v];
  const pairs = shape.length === 1 || (shape.length === 2 && shape[1] === 2);
  if (!empty && !pairs) throw new BsnnError(`${where}: expected an [n,2] array of node names, got shape [${shape.join(',')}]`);
  if (!flat.every((s) => typeof s === 'string')) throw new BsnnError(`${where}: expected an [n,2] array of node names, got ${typeof flat[0] === 'string' ? 'a mix of names and numbers' : 'numbers'}`);
  if (flat.length % 2 !== 0) throw new BsnnError(`${where}: expected an [n,2] array of node names, got ${flat.length} names (an odd number)`);
  const edges: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) edges.push([flat[i] as string, flat[i + 1] as string]);
  return edges;
}

function readExtras(f: Group, file: string): NirFile['bsnn'] {
  if (!(f.get('bsnn') instanceof loaded().Group)) return null;
  const g = groupIn(f, 'bsnn', `${file}: /bsnn`);
  const settings = text(datasetIn(g, 'settings', `${file}: dataset /bsnn/settings`), `${file}: dataset /bsnn/settings`);
  const layersGroup = groupIn(g, 'layers', `${file}: /bsnn/layers`);
  const layers: Record<string, NirArray>[] = [];
  for (let l = 0; layersGroup.get(String(l)) instanceof loaded().Group; l++) {
    const lg = groupIn(layersGroup, String(l), `${file}: /bsnn/layers/${l}`);
    const out: Record<string, NirArray> = {};
    for (const key of lg.keys().sort()) {
      const d = datasetIn(lg, key, `${file}: dataset /bsnn/layers/${l}/${key}`);
      out[key] = { shape: d.shape ?? [], data: numeric(d.value, `${file}: dataset /bsnn/layers/${l}/${key}`) };
    }
    layers.push(out);
  }
  return { settings, layers };
}

function readOpened(lib: H5, file: string): NirFile {
  let f: InstanceType<typeof lib.File>;
  try {
    f = new lib.File(resolve(file), 'r');
  } catch (e) {
    throw new BsnnError(`${file}: HDF5 cannot open it (${(e as Error).message})`);
  }
  try {
    const graph = groupIn(f, 'node', `${file}: /node`);
    const graphType = graph.get('type') instanceof lib.Dataset ? text(graph.get('type') as Dataset, `${file}: dataset /node/type`) : '';
    if (graphType !== 'NIRGraph') throw new BsnnError(`${file}: /node/type is "${graphType}", expected "NIRGraph": not a NIR graph`);
    const nodesGroup = groupIn(graph, 'nodes', `${file}: /node/nodes`);
    const nodes = nodesGroup.keys().sort().map((name) => readNode(nodesGroup, name, file));
    // The version is only reported: one that is not a string is shown as it is, not refused.
    const v = f.get('version') instanceof lib.Dataset ? (f.get('version') as Dataset).value : undefined;
    const version = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : v === undefined || v === null ? 'unknown' : `unknown (${String(v)})`;
    return { version, nodes, edges: readEdges(graph, file), bsnn: readExtras(f, file) };
  } finally {
    f.close();
  }
}

/**
 * Read a NIR file. Errors name the file and the node or dataset; a damaged file (HDF5 reports an error, or
 * h5wasm throws its own) is refused with HDF5's reason, whatever was read before it.
 */
export async function readNir(file: string): Promise<NirFile> {
  checkHeader(file);
  const lib = await h5();
  const diagnostics: string[] = [];
  let nir: NirFile;
  try {
    nir = quietly(diagnostics, () => readOpened(lib, file));
  } catch (e) {
    const why = hdf5Reason(diagnostics);
    if (e instanceof BsnnError) throw why === null ? e : new BsnnError(`${e.message} (HDF5: ${why}; is the file damaged?)`);
    throw new BsnnError(`${file}: HDF5 cannot read it (${why ?? (e as Error).message}): is the file damaged or truncated?`);
  }
  const why = hdf5Reason(diagnostics);
  if (why !== null) throw new BsnnError(`${file}: HDF5 reported an error reading it (${why}): is the file damaged?`);
  return nir;
}

/** Matrices are stored gzip-compressed in one chunk (NIR files are small; h5wasm needs chunks for gzip). */
function writeArray(g: Group, name: string, a: NirArray, dtype: '<f' | '<d' | '<B' | '<q'): void {
  const data = dtype === '<f' ? Float32Array.from(a.data) : dtype === '<d' ? Float64Array.from(a.data) : dtype === '<B' ? Uint8Array.from(a.data) : BigInt64Array.from(a.data, (x) => BigInt(x));
  if (a.shape.length === 0) {
    g.create_dataset({ name, data, shape: [], dtype });
    return;
  }
  const big = a.data.length >= 64;
  g.create_dataset({ name, data, shape: a.shape, dtype, ...(big ? { chunks: a.shape, compression: 'gzip' as const } : {}) });
}

/** Shapes, dimensions and conv/pool geometry: integers on disk, as NIR's writers store them. */
const INTEGER_KEYS = new Set(['shape', 'input_type', 'start_dim', 'end_dim', 'input_shape', 'kernel_size', 'stride', 'padding', 'dilation', 'groups']);

/** How each parameter is typed on disk: integer shapes and codes as integers, parameters as float32 (as the NIR writers do). */
function dtypeOf(key: string): '<f' | '<B' | '<q' {
  if (INTEGER_KEYS.has(key)) return '<q';
  if (key === 'prob_codes') return '<B';
  return '<f';
}

/** Write a NIR file whole or not at all: built in a scratch folder, then renamed into place. */
export async function writeNir(file: string, nir: NirFile): Promise<void> {
  const lib = await h5();
  const dir = mkdtempSync(join(tmpdir(), 'bsnn-nir-'));
  try {
    const scratch = join(dir, 'out.nir');
    const f = new lib.File(scratch, 'w');
    try {
      f.create_dataset({ name: 'version', data: nir.version });
      const graph = f.create_group('node');
      graph.create_dataset({ name: 'type', data: 'NIRGraph' });
      graph.create_dataset({ name: 'edges', data: nir.edges.flat(), shape: [nir.edges.length, 2] });
      const nodes = graph.create_group('nodes');
      for (const n of nir.nodes) {
        const g = nodes.create_group(n.name);
        g.create_dataset({ name: 'type', data: n.type });
        for (const [k, a] of Object.entries(n.params)) writeArray(g, k, a, dtypeOf(k));
      }
      if (nir.bsnn) {
        const extras = f.create_group('bsnn');
        extras.create_dataset({ name: 'settings', data: nir.bsnn.settings });
        const layers = extras.create_group('layers');
        nir.bsnn.layers.forEach((l, i) => {
          const g = layers.create_group(String(i));
          for (const [k, a] of Object.entries(l)) writeArray(g, k, a, k === 'prob_codes' ? '<B' : '<d');
        });
      }
    } finally {
      f.close();
    }
    writeFileAtomically(file, readFileSync(scratch));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
