/**
 * Malformed NIR files: truncated or damaged HDF5, an Output that does not fit, an empty weight, values the
 * bsnn format cannot hold, /bsnn extras that do not fit the graph. Each is refused with one BsnnError naming
 * the file and the node or dataset, HDF5's own diagnostics never reach stderr, and nothing is written.
 */
import fs, { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateModel } from '../generator/model/load.js';
import { randomConvModel } from '../generator/ops/conv/random.js';
import { exportNir } from '../generator/nir/export.js';
import { readNir, writeNir } from '../generator/nir/hdf5.js';
import { importNirToFile } from '../generator/nir/import.js';
import { BsnnError } from '../generator/util/errors.js';
import { arr, chainFile, node, realNir, scratch } from './helpers/nir.js';

const dir = scratch();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes to file descriptor 2 while `fn` runs (h5wasm prints HDF5's error stack with fs.writeSync(2, …)). */
async function stderrWrites(fn: () => Promise<unknown>): Promise<number> {
  const writeSync = fs.writeSync;
  let writes = 0;
  fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, offset?: number, length?: number, ...rest: unknown[]) => {
    if (fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, data, offset, length, ...rest);
    writes++;
    // Report every byte written, or the writer retries forever.
    return typeof data === 'string' ? Buffer.byteLength(data) : (length ?? data.byteLength - (offset ?? 0));
  }) as typeof fs.writeSync;
  try {
    await fn();
  } finally {
    fs.writeSync = writeSync;
  }
  return writes;
}

/** importNirToFile of `file` must fail with a BsnnError, write nothing and print nothing; its message. */
async function refusal(file: string): Promise<string> {
  const out = join(dir, 'out.json');
  let error: unknown = null;
  const writes = await stderrWrites(() => importNirToFile(file, out, {}, { count: 0 }).catch((e: unknown) => (error = e)));
  expect(error).toBeInstanceOf(BsnnError);
  expect(existsSync(out)).toBe(false);
  expect(writes).toBe(0);
  return (error as BsnnError).message;
}

async function written(name: string, nir: Parameters<typeof writeNir>[1]): Promise<string> {
  const f = join(dir, name);
  await writeNir(f, nir);
  return f;
}

const fc = (weight: number[], shape: number[]) => node('fc', 'Linear', { weight: arr(weight, shape) });
const ifNode = (thresholds: number[]) => node('n', 'IF', { r: arr([1]), v_threshold: arr(thresholds) });

describe('truncated and damaged HDF5', () => {
  const bytes = readFileSync(realNir('cnn_sinabs.nir'));

  it.each([
    ['half of it', bytes.length >> 1, /truncated: the file has 136776 bytes, its HDF5 superblock says 273552 bytes/],
    ['100 bytes', 100, /truncated: the file has 100 bytes, its HDF5 superblock says 273552 bytes/],
    ['the signature only', 8, /truncated: the file has 8 bytes, its HDF5 header is cut short/],
    ['nothing', 0, /the file is empty/],
  ])('cut to %s: refused as truncated, before HDF5 reads it', async (_what, length, expected) => {
    const f = join(dir, `cut-${length}.nir`);
    writeFileSync(f, bytes.subarray(0, length));
    const m = await refusal(f);
    expect(m.startsWith(`${f}: `)).toBe(true);
    expect(m).toMatch(expected);
  });

  it('damaged inside: HDF5\'s reason in one message, its error stack kept off stderr', async () => {
    const flipped = Buffer.from(bytes);
    for (let i = 4000; i < flipped.length; i += 997) flipped[i] ^= 0xff;
    const f = join(dir, 'flipped.nir');
    writeFileSync(f, flipped);
    expect(await refusal(f)).toMatch(/: HDF5 cannot read it \(.+\): is the file damaged or truncated\?$/);
  });

  it('a zeroed block: what was missing, with HDF5\'s reason', async () => {
    const zeroed = Buffer.from(bytes);
    zeroed.fill(0, 512, 4096);
    const f = join(dir, 'zeroed.nir');
    writeFileSync(f, zeroed);
    expect(await refusal(f)).toMatch(/\(HDF5: .+; is the file damaged\?\)$/);
  });

  it('the real files read without a diagnostic', async () => {
    for (const name of ['cnn_sinabs.nir', 'lif_norse.nir', 'braille_noDelay_noBias_subtract.nir']) {
      expect(await stderrWrites(() => readNir(realNir(name)))).toBe(0);
    }
  });
});

describe('graphs that do not fit', () => {
  it('an Output node whose shape is not what the last layer emits', async () => {
    const file = chainFile(2, 3, [fc([1, 0, 0, 1], [2, 2]), ifNode([1, 1])]);
    expect(await refusal(await written('output.nir', file))).toContain("node 'output' (Output): dataset 'shape' [3] holds 3 values, the last layer emits 2");
    // [1, 2] (a batch dimension) holds 2 values: it fits.
    file.nodes[file.nodes.length - 1].params.shape = arr([1, 2]);
    await importNirToFile(await written('output-ok.nir', file), join(dir, 'ok.json'), {}, { count: 0 });
    expect(existsSync(join(dir, 'ok.json'))).toBe(true);
  });

  it.each([
    ['[0,2]', [0, 2]],
    ['[2,0]', [2, 0]],
  ])('a Linear weight of shape %s: no neurons or no inputs', async (name, shape) => {
    const file = chainFile(2, 2, [fc([], shape), ifNode([1])]);
    expect(await refusal(await written(`empty-${name}.nir`, file))).toContain(`node 'fc' (Linear): dataset 'weight' has shape [${shape.join(',')}]`);
  });

  it('a threshold the membrane cannot hold: the model path and the NIR nodes of that layer', async () => {
    const file = chainFile(2, 2, [fc([1, 0, 0, 1], [2, 2]), ifNode([1e30, 1])]);
    const m = await refusal(await written('huge-threshold.nir', file));
    expect(m).toMatch(/layers\[0\]\.threshold\[0\]: \S+ is outside 1\.\.\d+/);
    expect(m).toContain("(layers[0] is node 'fc' → node 'n')");
  });

  it('an Input larger than the format allows: the model path and the Input node', async () => {
    const file = chainFile(70000, 1, [fc(new Array<number>(70000).fill(0.5), [1, 70000]), ifNode([1])]);
    const m = await refusal(await written('wide-input.nir', file));
    expect(m).toContain('input.size: 70000 is above the maximum 65536');
    expect(m).toContain("(input is node 'input')");
  });

  it('an empty edge list: what the graph lacks, not the dataset\'s type', async () => {
    const file = chainFile(2, 2, [fc([1, 0, 0, 1], [2, 2]), ifNode([1, 1])]);
    file.edges = [];
    expect(await refusal(await written('no-edges.nir', file))).toContain("node 'input' (Input) does not lead to the Output node");
  });
});

describe('datasets of the wrong kind (as another writer may store them)', () => {
  type Spec = { data: unknown; shape?: number[] };
  /** Input 2 → Linear 2×2 → IF → Output, written with h5wasm directly; `edit` replaces datasets before writing. */
  async function handMade(name: string, edit: (nodes: Record<string, Record<string, Spec>>, top: Record<string, Spec>) => void): Promise<string> {
    const h5wasm = (await import('h5wasm/node')).default;
    await h5wasm.ready;
    const nodes: Record<string, Record<string, Spec>> = {
      input: { type: { data: 'Input' }, shape: { data: new BigInt64Array([2n]), shape: [1] } },
      fc: { type: { data: 'Linear' }, weight: { data: new Float32Array([1, 0, 0, 1]), shape: [2, 2] } },
      n: { type: { data: 'IF' }, r: { data: new Float32Array([1]), shape: [1] }, v_threshold: { data: new Float32Array([1, 1]), shape: [2] } },
      output: { type: { data: 'Output' }, shape: { data: new BigInt64Array([2n]), shape: [1] } },
    };
    const top: Record<string, Spec> = { version: { data: '0.2.0' }, edges: { data: ['input', 'fc', 'fc', 'n', 'n', 'output'], shape: [3, 2] } };
    edit(nodes, top);
    const f = join(dir, name);
    const h = new h5wasm.File(f, 'w');
    try {
      h.create_dataset({ name: 'version', ...top.version } as never);
      const g = h.create_group('node');
      g.create_dataset({ name: 'type', data: 'NIRGraph' });
      g.create_dataset({ name: 'edges', ...top.edges } as never);
      const group = g.create_group('nodes');
      for (const [n, datasets] of Object.entries(nodes)) {
        const ng = group.create_group(n);
        for (const [k, spec] of Object.entries(datasets)) ng.create_dataset({ name: k, ...spec } as never);
      }
    } finally {
      h.close();
    }
    return f;
  }

  it('as written here, the file imports', async () => {
    await importNirToFile(await handMade('hand-ok.nir', () => {}), join(dir, 'hand-ok.json'), {}, { count: 0 });
    expect(existsSync(join(dir, 'hand-ok.json'))).toBe(true);
  });

  it.each([
    ['a weight stored as a string', (n: Record<string, Record<string, Spec>>) => (n.fc.weight = { data: 'w' }), 'node \'fc\' (Linear): dataset \'weight\' holds the string "w", expected numbers'],
    ['a threshold stored as a string', (n: Record<string, Record<string, Spec>>) => (n.n.v_threshold = { data: 'one' }), 'node \'n\' (IF): dataset \'v_threshold\' holds the string "one", expected numbers'],
    ['an Input shape stored as a string', (n: Record<string, Record<string, Spec>>) => (n.input.shape = { data: '2' }), 'node \'input\' (Input): dataset \'shape\' holds the string "2", expected numbers'],
    ['edges of three columns', (_n: unknown, top: Record<string, Spec>) => (top.edges = { data: ['input', 'fc', 'fc', 'n', 'n', 'output'], shape: [2, 3] }), 'dataset /node/edges: expected an [n,2] array of node names, got shape [2,3]'],
    ['edges as numbers', (_n: unknown, top: Record<string, Spec>) => (top.edges = { data: new Float32Array([1, 2]), shape: [1, 2] }), 'dataset /node/edges: expected an [n,2] array of node names, got numbers'],
  ])('%s', async (name, edit, expected) => {
    expect(await refusal(await handMade(`hand-${name.replace(/ /g, '-')}.nir`, edit as never))).toContain(expected);
  });

  it('a version that is not a string is only reported', async () => {
    const f = await handMade('hand-version.nir', (_n, top) => (top.version = { data: new Float32Array([1]) }));
    expect((await readNir(f)).version).toBe('unknown (1)');
  });
});

describe('/bsnn extras that do not fit the graph', () => {
  /** A bsnn export of a conv model (conv2d → dense), its settings edited by `edit`. */
  async function exported(name: string, edit: (layers: Record<string, unknown>[]) => void): Promise<string> {
    const model = validateModel(randomConvModel({ seed: 3, shape: [1, 4, 4], convs: [{ channels: 2, kernel: 3 }], dense: [2] }));
    const nir = exportNir(model, 1e-3);
    const settings = JSON.parse(nir.bsnn!.settings) as { layers: Record<string, unknown>[] };
    edit(settings.layers);
    nir.bsnn = { ...nir.bsnn!, settings: JSON.stringify(settings) };
    return written(name, nir);
  }

  it('unedited, it imports', async () => {
    await importNirToFile(await exported('settings-ok.nir', () => {}), join(dir, 'settings-ok.json'), {}, { count: 0 });
    expect(existsSync(join(dir, 'settings-ok.json'))).toBe(true);
  });

  it.each([
    ['another number of layers', (layers: Record<string, unknown>[]) => layers.push(layers[0]), 'dataset /bsnn/settings: layers has 3 entries, the graph has 2 layers'],
    ['eventsPerCycle on the conv layer', (layers: Record<string, unknown>[]) => (layers[0].eventsPerCycle = 2), "dataset /bsnn/settings: layers[0].eventsPerCycle does not apply to node 'conv0' (Conv2d)"],
    ['offsetsPerCycle on the dense layer', (layers: Record<string, unknown>[]) => (layers[1].offsetsPerCycle = 2), "dataset /bsnn/settings: layers[1].offsetsPerCycle does not apply to node 'fc1' (Affine)"],
  ])('%s', async (name, edit, expected) => {
    expect(await refusal(await exported(`settings-${name.replace(/ /g, '-')}.nir`, edit))).toContain(expected);
  });
});
