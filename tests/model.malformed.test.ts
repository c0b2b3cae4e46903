/**
 * Malformed model files as the commands meet them, with the layer kinds that came after the dense format
 * (conv2d, its pool, the implicit flatten): what is not a model file at all, and fields of the wrong kind or
 * shape. Each is a BsnnError naming the file and the JSON path, and `gen-rtl` writes nothing.
 */
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { constants } from 'node:buffer';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGenRtl } from '../generator/cli/design.js';
import { loadModel } from '../generator/model/load.js';
import { randomConvModel } from '../generator/ops/conv/random.js';
import { BsnnError } from '../generator/util/errors.js';
import { errorOf } from './helpers/errors.js';

type Json = any;

const work = mkdtempSync(join(tmpdir(), 'bsnn-malformed-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let files = 0;
function fileWith(text: string): string {
  const f = join(work, `m${files++}.json`);
  writeFileSync(f, text);
  return f;
}

/** gen-rtl of `file` into a fresh folder: its message, and the folder was not created. */
async function genRtlRefusal(file: string): Promise<string> {
  const out = join(work, `out${files++}`);
  const e = await runGenRtl({ model: file, out }).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(BsnnError);
  expect(existsSync(out)).toBe(false);
  return (e as BsnnError).message;
}

describe('what is not a model file', () => {
  it.skipIf(!existsSync('/dev/zero'))('a device (/dev/zero would be read forever)', async () => {
    expect(await genRtlRefusal('/dev/zero')).toBe('/dev/zero: is a device or a socket, not a model file');
  });

  it('a file longer than a string can be (sparse: nothing is read)', async () => {
    const f = join(work, 'huge.json');
    writeFileSync(f, '');
    truncateSync(f, constants.MAX_STRING_LENGTH + 1);
    expect(await genRtlRefusal(f)).toBe(`${f}: is ${constants.MAX_STRING_LENGTH + 1} bytes, more than the ${constants.MAX_STRING_LENGTH} characters a JSON text can have here: not a model file`);
    rmSync(f);
  });

  it('a NIR (HDF5) file given where a model is expected', async () => {
    const f = join(work, 'model.nir');
    writeFileSync(f, Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]));
    expect(await genRtlRefusal(f)).toBe(`${f}: is an HDF5 file (a NIR graph?), not a bsnn/1 model JSON: convert a NIR file with bsnn import`);
  });

  it('a path through a file, a folder, a missing file', async () => {
    const f = fileWith('{}');
    expect(await genRtlRefusal(join(f, 'model.json'))).toBe(`${join(f, 'model.json')}: no such file (a part of the path is not a folder)`);
    expect(await genRtlRefusal(work)).toBe(`${work}: is a directory, not a model file`);
    expect(await genRtlRefusal(join(work, 'absent.json'))).toBe(`${join(work, 'absent.json')}: no such file`);
  });
});

/** Input 1×6×6 → conv 3×3 (2 channels, or pool 2: 2×2×2 out) → dense 2. */
function conv(): Json {
  return randomConvModel({ seed: 5, shape: [1, 6, 6], convs: [{ channels: 2, kernel: 3, pool: { kind: 'or', size: 2 } }], dense: [2] });
}

/** A malformed conv model: the change, and the path its message must name first. */
const CASES: [what: string, change: (m: Json) => unknown, path: string][] = [
  ['kernel as a string', (m) => (m.layers[0].kernel = '3'), 'layers[0].kernel: expected'],
  ['kernel null', (m) => (m.layers[0].kernel = null), 'layers[0].kernel: expected'],
  ['kernel of three sides', (m) => (m.layers[0].kernel = [3, 3, 3]), 'layers[0].kernel'],
  ['a kernel side as a string', (m) => (m.layers[0].kernel = [3, '3']), 'layers[0].kernel[1]: expected a number'],
  ['kernel as an object', (m) => (m.layers[0].kernel = { h: 3, w: 3 }), 'layers[0].kernel: expected'],
  ['stride 2.5', (m) => (m.layers[0].stride = 2.5), 'layers[0].stride'],
  ['stride 0 in one side', (m) => (m.layers[0].stride = [1, 0]), 'layers[0].stride[1]: 0 is below the minimum 1'],
  ['padding 2^53', (m) => (m.layers[0].padding = 2 ** 53), 'layers[0].padding: 9007199254740992 is above the maximum 31'],
  ['padding -1', (m) => (m.layers[0].padding = [0, -1]), 'layers[0].padding[1]: -1 is below the minimum 0'],
  ['channels 1e9', (m) => (m.layers[0].channels = 1e9), 'layers[0].channels: 1000000000 is above the maximum 4096'],
  ['channels as a string', (m) => (m.layers[0].channels = '2'), 'layers[0].channels: expected a number'],
  ['pool null', (m) => (m.layers[0].pool = null), 'layers[0].pool: expected an object, got null'],
  ['pool as a word', (m) => (m.layers[0].pool = 'or'), 'layers[0].pool: expected an object'],
  ['pool without a size', (m) => delete m.layers[0].pool.size, 'layers[0].pool.size: missing'],
  ['pool with a stride', (m) => (m.layers[0].pool.stride = 2), 'layers[0].pool: unknown field "stride"'],
  ['pool "max"', (m) => (m.layers[0].pool.kind = 'max'), 'layers[0].pool.kind: expected one of "or", "sum"'],
  ['a pool larger than the map', (m) => (m.layers[0].pool.size = [2, 5]), 'layers[0].pool.size: a 2×5 pool does not fit the 2×4×4 convolution output'],
  ['a kernel larger than the padded input', (m) => Object.assign(m.layers[0], { kernel: 9, padding: 1 }), 'layers[0].kernel: a 9×9 kernel with padding 1×1 does not fit the 1×6×6 input'],
  ['offsetsPerCycle on a dense layer', (m) => Object.assign(m.layers[1], { type: 'dense', offsetsPerCycle: 2 }), 'layers[1]: unknown field "offsetsPerCycle"'],
  ['kernel on a layer without "type" or "size"', (m) => (m.layers[1] = { ...m.layers[1], size: undefined, kernel: 3 }), 'layers[1].type: missing: a layer without "type" is dense, but this one has "kernel"; give "type": "conv2d"'],
  ['kernel on a dense layer without "type"', (m) => (m.layers[1].kernel = 3), 'layers[1]: unknown field "kernel"'],
  ['eventsPerCycle on a conv layer', (m) => (m.layers[0].eventsPerCycle = 2), 'layers[0]: unknown field "eventsPerCycle"'],
  ['size on a conv layer', (m) => (m.layers[0].size = 2), 'layers[0]: unknown field "size"'],
  ['a "flatten" layer', (m) => m.layers.splice(1, 0, { type: 'flatten' }), 'layers[1].type: expected "dense" or "conv2d" (the layer kind), got "flatten"'],
  ['a "maxpool2d" layer', (m) => m.layers.splice(1, 0, { type: 'maxpool2d', size: 2 }), 'layers[1].type: expected "dense" or "conv2d"'],
  ['no type and conv fields', (m) => delete m.layers[0].type, 'layers[0].type: missing: a layer without "type" is dense, but this one has "channels", "kernel"'],
  ['a conv layer after the dense one', (m) => m.layers.push(structuredClone(m.layers[0])), 'layers[2].type: a conv2d layer needs an image input, but layers[1] is dense'],
  ['only a conv layer', (m) => m.layers.pop(), 'layers[0].type: the last layer is conv2d'],
  ['no input.shape', (m) => delete m.input.shape, 'layers[0].type: a conv2d layer needs an image input: give "input.shape"'],
  ['input.shape of two sides', (m) => (m.input.shape = [6, 6]), 'input.shape'],
  ['input.shape not input.size', (m) => (m.input.shape = [1, 6, 5]), 'input.shape: is 1×6×5 = 30 values, but input.size is 36'],
  ['conv rows for another kernel', (m) => (m.layers[0].kernel = 2), 'layers[0].prob'],
  ['dense rows for the unpooled map', (m) => delete m.layers[0].pool, 'layers[1].prob[0]: has 8 entries, expected 32 (the layer\'s fan-in, the 2×4×4 output of layers[0] flattened)'],
  ['conv rows flattened', (m) => (m.layers[0].prob = m.layers[0].prob.flat()), 'layers[0].prob: must be an array of rows'],
  ['a threshold per position, not per channel', (m) => (m.layers[0].threshold = new Array(2 * 16).fill(1)), 'layers[0].threshold: has 32 entries, expected 2 (one per output channel)'],
];

describe('malformed conv models: the message names the path, gen-rtl writes nothing', () => {
  it('the unchanged model loads', () => {
    expect(loadModel(fileWith(JSON.stringify(conv()))).layers[0].type).toBe('conv2d');
  });

  it.each(CASES)('%s', async (_what, change, path) => {
    const m = conv();
    change(m);
    const f = fileWith(JSON.stringify(m));
    const msg = errorOf(() => loadModel(f)).message;
    expect(msg.split('\n')[0]).toBe(`${f} is not a valid bsnn/1 model:`);
    expect(msg.split('\n')[1].trim().startsWith(path)).toBe(true);
  });

  it('gen-rtl of one of them creates no folder', async () => {
    const m = conv();
    m.layers[0].pool.size = 5;
    expect(await genRtlRefusal(fileWith(JSON.stringify(m)))).toContain('layers[0].pool.size: a 5×5 pool does not fit');
  });

  it('a NaN-like 1e400 in a conv row: the element\'s path', () => {
    const text = JSON.stringify(conv()).replace(/"prob":\[\[[0-9.]+/, '"prob":[[1e400');
    expect(errorOf(() => loadModel(fileWith(text))).message).toContain('layers[0].prob[0][0]: expected a finite number, got Infinity');
  });
});
