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
import { importNir, importNirToFile } from '../generator/nir/import.js';
import type { NirFile, NirNode } from '../generator/nir/hdf5.js';
import { formatReport } from '../generator/nir/report.js';
import { BsnnError } from '../generator/util/errors.js';
import { runBsnn } from './helpers/cli.js';
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

  it('a threshold the membrane cannot hold: the NIR node and the quotient, not the unwritten model\'s field', async () => {
    const file = chainFile(2, 2, [fc([1, 0, 0, 1], [2, 2]), ifNode([1e30, 1])]);
    const m = await refusal(await written('huge-threshold.nir', file));
    expect(m).toContain("node 'n' (IF): v_threshold/α = 1e+30/1 = 1e+30 does not fit the 24-bit membrane (at most 8388607; neuron 0)");
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
  async function exported(name: string, edit: (layers: Record<string, unknown>[], root: Record<string, unknown>) => void): Promise<string> {
    const model = validateModel(randomConvModel({ seed: 3, shape: [1, 4, 4], convs: [{ channels: 2, kernel: 3 }], dense: [2] }));
    const nir = exportNir(model, 1e-3);
    const settings = JSON.parse(nir.bsnn!.settings) as { layers: Record<string, unknown>[] };
    edit(settings.layers, settings);
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
    // Values the bsnn/1 format refuses are named as settings entries, not as fields of the unwritten model.
    ['probBits 9', (layers: Record<string, unknown>[]) => (layers[0].probBits = 9), 'dataset /bsnn/settings: layers[0].probBits: 9 is above the maximum 8'],
    ['lanes 0', (layers: Record<string, unknown>[]) => (layers[0].lanes = 0), 'dataset /bsnn/settings: layers[0].lanes: 0 is below the minimum 1'],
    ['membraneBits 99', (layers: Record<string, unknown>[]) => (layers[0].membraneBits = 99), 'dataset /bsnn/settings: layers[0].membraneBits: 99 is above the maximum 24'],
    ['timesteps 0', (_l: unknown, root: Record<string, unknown>) => (root.timesteps = 0), 'dataset /bsnn/settings: timesteps: 0 is below the minimum 1'],
    ['an unknown key', (layers: Record<string, unknown>[]) => (layers[0].kernel = 3), 'dataset /bsnn/settings: layers[0]: unknown key "kernel"'],
    ['a reset that is not one', (layers: Record<string, unknown>[]) => (layers[0].reset = 'none'), 'dataset /bsnn/settings: layers[0].reset: "none" is not one of "subtract", "zero"'],
  ])('%s', async (name, edit, expected) => {
    expect(await refusal(await exported(`settings-${name.replace(/ /g, '-')}.nir`, edit))).toContain(expected);
  });
});

/**
 * Cases a fuzzing review found accepted or blamed on the wrong thing. Each edits a NIR file as another
 * framework would write it (a conv model exported without the /bsnn extras), written with h5wasm directly so
 * that a dataset can be a string or a float64 beyond float32's range.
 */
describe('parameters bsnn cannot take, named by node and dataset', () => {
  /** Input 2×6×6 → Conv2d 3×3 (padding 1) → IF → SumPool2d 2 → Threshold ("or") → Flatten → Affine → IF → Output. */
  function base(): NirFile {
    const model = validateModel(randomConvModel({ seed: 5, shape: [2, 6, 6], convs: [{ channels: 3, kernel: 3, padding: 1, pool: { kind: 'or', size: 2 } }], dense: [2] }));
    return { ...exportNir(model, 1e-3), bsnn: null };
  }
  const at = (nir: NirFile, name: string): NirNode => nir.nodes.find((n) => n.name === name)!;
  /** A numeric dataset replaced by a string, as a writer that stores text would leave it. */
  const asString = (name: string, key: string, text: string) => (nir: NirFile) => {
    delete at(nir, name).params[key];
    at(nir, name).text[key] = text;
  };
  const set = (name: string, key: string, data: number[], shape?: number[]) => (nir: NirFile) => {
    at(nir, name).params[key] = arr(data, shape ?? at(nir, name).params[key]?.shape);
  };
  const scaled = (name: string, key: string, by: number) => (nir: NirFile) => {
    const a = at(nir, name).params[key];
    a.data = a.data.map((x) => x * by);
  };

  /** The edited base file, float64 numbers and `text` entries as string datasets (writeNir writes float32, no strings). */
  async function rawWritten(name: string, edit: (nir: NirFile) => void): Promise<string> {
    const nir = base();
    edit(nir);
    const h5wasm = (await import('h5wasm/node')).default;
    await h5wasm.ready;
    const f = join(dir, name);
    const h = new h5wasm.File(f, 'w');
    try {
      h.create_dataset({ name: 'version', data: nir.version });
      const g = h.create_group('node');
      g.create_dataset({ name: 'type', data: 'NIRGraph' });
      g.create_dataset({ name: 'edges', data: nir.edges.flat(), shape: [nir.edges.length, 2] });
      const nodes = g.create_group('nodes');
      for (const n of nir.nodes) {
        const ng = nodes.create_group(n.name);
        ng.create_dataset({ name: 'type', data: n.type });
        for (const [k, a] of Object.entries(n.params)) ng.create_dataset({ name: k, data: Float64Array.from(a.data), shape: a.shape, dtype: '<d' });
        for (const [k, t] of Object.entries(n.text)) ng.create_dataset({ name: k, data: t });
      }
    } finally {
      h.close();
    }
    return f;
  }

  const cases: [string, (nir: NirFile) => void, string][] = [
    // Strings where numbers belong: refused, not read as "missing" and replaced by the default.
    ['Conv2d stride "2"', asString('conv0', 'stride', '2'), `node 'conv0' (Conv2d): dataset 'stride' holds the string "2", expected numbers`],
    ['Conv2d dilation "2"', asString('conv0', 'dilation', '2'), `node 'conv0' (Conv2d): dataset 'dilation' holds the string "2", expected numbers`],
    ['Conv2d groups "2"', asString('conv0', 'groups', '2'), `node 'conv0' (Conv2d): dataset 'groups' holds the string "2", expected numbers`],
    ['Conv2d bias "0"', asString('conv0', 'bias', '0'), `node 'conv0' (Conv2d): dataset 'bias' holds the string "0", expected numbers`],
    ['Conv2d input_shape "[6,6]"', asString('conv0', 'input_shape', '[6,6]'), `node 'conv0' (Conv2d): dataset 'input_shape' holds the string "[6,6]", expected numbers`],
    ['SumPool2d padding "1"', asString('pool0', 'padding', '1'), `node 'pool0' (SumPool2d): dataset 'padding' holds the string "1", expected numbers`],
    ['Flatten input_type "[3,3,3]"', asString('flat1', 'input_type', '[3,3,3]'), `node 'flat1' (Flatten): dataset 'input_type' holds the string "[3,3,3]", expected numbers`],
    // NIR's reader rejects a dataset its class does not declare (metadata is a group, not a dataset).
    ['an unknown dataset', set('conv0', 'foo', [1]), `node 'conv0' (Conv2d): dataset 'foo' is not a Conv2d parameter`],
    // A layer that passes no current has no ±1 representation.
    ['Conv2d weights all 0', scaled('conv0', 'weight', 0), `node 'conv0' (Conv2d): dataset 'weight' is all 0: the layer passes no current`],
    ['IF r = 0', set('if0', 'r', new Array<number>(3 * 36).fill(0)), `node 'if0' (IF): dataset 'r' is 0 for every channel: the layer passes no current`],
    // Results out of range, named by node and quantity rather than by the unwritten model's field.
    ['v_threshold 1e30', set('if0', 'v_threshold', new Array<number>(3 * 36).fill(1e30)), `node 'if0' (IF): v_threshold/α = 1e+30/`],
    ['weights 1e-30', scaled('conv0', 'weight', 1e-30), `does not fit the 24-bit membrane (at most 8388607; channel 0): its weights are too small next to its threshold`],
    ['r·weight overflowing', (nir) => (scaled('conv0', 'weight', 1e200)(nir), set('if0', 'r', new Array<number>(3 * 36).fill(1e200))(nir)), `node 'if0' (IF): r = 1e+200 times the weight`],
    // Shapes that would be misread.
    ['a Threshold of shape [3,2,2]', set('or0', 'threshold', new Array<number>(12).fill(0), [3, 2, 2]), `node 'or0' (Threshold): dataset 'threshold' has shape [3,2,2], expected [3,3,3] (the output of node 'pool0' (SumPool2d))`],
  ];

  it('unedited, it imports', async () => {
    await importNirToFile(await rawWritten('fz-ok.nir', () => {}), join(dir, 'fz-ok.json'), {}, { count: 0 });
    expect(existsSync(join(dir, 'fz-ok.json'))).toBe(true);
  });

  it.each(cases)('%s: refused, naming the node and dataset', async (name, edit, expected) => {
    const m = await refusal(await rawWritten(`fz-${name.replace(/\W+/g, '-')}.nir`, edit));
    expect(m).toContain(expected);
    expect(m).not.toContain('\n');
  });

  // One case of each kind through the CLI (a child process each; the rest are the same BsnnError path).
  const CLI_CASES = ['Conv2d stride "2"', 'an unknown dataset', 'Conv2d weights all 0', 'v_threshold 1e30', 'r·weight overflowing', 'a Threshold of shape [3,2,2]'];
  it('through the CLI: exit 1, one line "bsnn: <file>: node …", no stack trace, nothing written', async () => {
    for (const [name, edit, expected] of cases.filter(([n]) => CLI_CASES.includes(n))) {
      const f = await rawWritten(`cli-${name.replace(/\W+/g, '-')}.nir`, edit);
      const out = join(dir, 'cli.json');
      const r = await runBsnn(['import', f, '--out', out, '--check', '0'], { cwd: dir });
      expect(r.status, name).toBe(1);
      expect(r.stderr.startsWith(`bsnn: ${f}: `), r.stderr).toBe(true);
      expect(r.stderr).toContain(expected);
      expect(r.stderr.trimEnd()).not.toContain('\n');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(out)).toBe(false);
    }
  }, 120_000);

  it.each([
    ['Conv2d padding "same" (a string NIR allows)', asString('conv0', 'padding', 'same')],
    ['Flatten over [1,3,3,3] from start_dim 1 (a leading 1 left)', (nir: NirFile) => (set('flat1', 'input_type', [1, 3, 3, 3], [4])(nir), set('flat1', 'start_dim', [1], [])(nir))],
    ['a Threshold of one value', set('or0', 'threshold', [0], [])],
    ['a metadata-free Flatten without start_dim and end_dim', (nir: NirFile) => (delete at(nir, 'flat1').params.start_dim, delete at(nir, 'flat1').params.end_dim)],
    // Exporters disagree on counting the batch dimension; the dense layer after it takes all 27 values.
    ['Flatten start_dim 1 (PyTorch\'s default, counting the batch)', set('flat1', 'start_dim', [1], [])],
    ['an output_type dataset on a Conv2d (types written as datasets, not groups)', set('conv0', 'output_type', [3, 6, 6], [3])],
  ])('%s: imports', async (name, edit) => {
    const out = join(dir, `ok-${name.replace(/\W+/g, '-')}.json`);
    await importNirToFile(await rawWritten(`ok-${name.replace(/\W+/g, '-')}.nir`, edit), out, {}, { count: 0 });
    expect(existsSync(out)).toBe(true);
  });

  it('one neuron without input current (documented: p = 1/2) imports, and the report does not call it exact', async () => {
    const f = await rawWritten('zero-row.nir', (nir) => {
      const w = at(nir, 'fc1').params.weight;
      w.data.fill(0, 0, w.shape[1]);
    });
    const r = await importNir(f, {}, { count: 0 });
    expect(r.report.layers[1].stats.zeroRows).toBe(1);
    expect(formatReport(r.report, null)).toContain('weights: 1 of 2 neurons pass no current (every r·weight 0): their weights are p = 1/2, mean 0 but random (not exact)');
  });
});
