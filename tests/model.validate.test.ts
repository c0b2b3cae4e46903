/**
 * Model loading and validation (generator/model/load.ts): every rejection is a BsnnError whose message
 * names the file, the JSON path (or line and column) and what is wrong there.
 *
 * Files are only ever written to a fresh folder under os.tmpdir(), never inside the repository.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findJsonSyntaxError, loadModel, parseJson, validateModel } from '../generator/model/load.js';
import { BsnnError } from '../generator/util/errors.js';
import { prng } from '../generator/model/random.js';
import { errorOf } from './helpers/errors.js';

// ---------------------------------------------------------------------------------------------------------
// Scratch folder (outside the repository, checked) and helpers
// ---------------------------------------------------------------------------------------------------------

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const work = resolve(mkdtempSync(join(tmpdir(), 'bsnn-validate-')));
{
  const rel = relative(repoRoot, work);
  if (!rel.startsWith('..') && !rel.startsWith('/')) throw new Error(`refusing to use ${work}: it is inside the repository ${repoRoot}`);
}
afterAll(() => rmSync(work, { recursive: true, force: true }));

let fileCounter = 0;
/** Writes `text` to a new file in the scratch folder and returns its path. */
function scratchFile(text: string, name = 'model.json'): string {
  const dir = join(work, String(fileCounter++));
  mkdirSync(dir);
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A small valid model using most optional fields. Layer 0: 2×3 prob floats; layer 1: 2×2 probCodes. */
const VALID = {
  format: 'bsnn/1',
  name: 'tiny',
  description: 'a tiny model for validation tests',
  seed: 12345,
  timesteps: 4,
  sampling: { mode: 'time-ensemble', samples: 2 },
  input: { size: 3, encoding: 'rate' },
  layers: [
    {
      type: 'dense',
      size: 2,
      probBits: 4,
      prob: [
        [0.1, 0.9, 0.5],
        [1, 0, 0.25],
      ],
      threshold: [2, 3],
      bias: [0, -1],
      leak: 2,
      reset: 'zero',
      membraneBits: 12,
      noise: { kind: 'logistic', bits: 4, scale: 1.5 },
    },
    {
      size: 2,
      probBits: 3,
      probCodes: [
        [0, 7],
        [3, 4],
      ],
      threshold: 1,
      membraneBits: 12,
      lanes: 1,
    },
  ],
};

type Json = any;

/** A fresh copy of VALID, changed by `change`. */
function model(change: (m: Json) => void = () => {}): Json {
  const m = structuredClone(VALID) as Json;
  change(m);
  return m;
}

/** A dense layer of `size` neurons over `fanIn` inputs, all probabilities 0.5. */
const dense = (size: number, fanIn: number, extra: Record<string, unknown> = {}) => ({
  size,
  probBits: 4,
  prob: Array.from({ length: size }, () => Array<number>(fanIn).fill(0.5)),
  threshold: 1,
  ...extra,
});


const HEADER = (source: string) => `${source} is not a valid bsnn/1 model:`;
const STOPPED = '(stopped after the first 10 problems)';

/** The problem lines (without indentation) of validating `json`; checks the header line names the source. */
function problems(json: unknown, source = 'm.json'): string[] {
  const msg = errorOf(() => validateModel(json, source)).message;
  const [head, ...rest] = msg.split('\n');
  expect(head).toBe(HEADER(source));
  for (const line of rest) expect(line.startsWith('  ')).toBe(true);
  return rest.map((l) => l.slice(2));
}

/** 1-based line and column (UTF-16 units) of a character offset, computed independently of load.ts. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

// ---------------------------------------------------------------------------------------------------------
// Valid models and defaults
// ---------------------------------------------------------------------------------------------------------

describe('valid models', () => {
  it('accepts the full example model and returns its values', () => {
    const m = validateModel(model());
    expect(m.name).toBe('tiny');
    expect(m.sampling).toEqual({ mode: 'time-ensemble', samples: 2 });
    expect(m.layers[0].prob).toEqual(VALID.layers[0].prob);
    expect(m.layers[0].noise).toEqual({ kind: 'logistic', bits: 4, scale: 1.5 });
    expect(m.layers[1].probCodes).toEqual([
      [0, 7],
      [3, 4],
    ]);
    expect(m.layers[1].lanes).toBe(1);
  });

  it('applies the defaults: type dense, leak 0, reset subtract, membraneBits 16, samples 1', () => {
    const m = validateModel({
      format: 'bsnn/1',
      name: 'minimal',
      seed: 0,
      timesteps: 1,
      sampling: { mode: 'per-sample' },
      input: { size: 2, encoding: 'direct' },
      layers: [
        { size: 1, probBits: 1, probCodes: [[0, 1]], threshold: 1 },
        { size: 3, probBits: 8, prob: [[0], [0.5], [1]], threshold: [1, 2, 32767] },
      ],
    });
    expect(m.sampling).toEqual({ mode: 'per-sample', samples: 1 });
    for (const layer of m.layers) {
      expect(layer.type).toBe('dense');
      expect(layer.leak).toBe(0);
      expect(layer.reset).toBe('subtract');
      expect(layer.membraneBits).toBe(16);
      expect(layer.lanes).toBeUndefined();
      expect(layer.noise).toBeUndefined();
      expect(layer.bias).toBeUndefined();
    }
  });

  it('loads a valid model from a file, with or without a byte-order mark, and with CRLF line ends', () => {
    const text = JSON.stringify(model(), null, 2);
    expect(loadModel(scratchFile(text)).name).toBe('tiny');
    expect(loadModel(scratchFile(`\uFEFF${text}`)).name).toBe('tiny');
    expect(loadModel(scratchFile(text.replace(/\n/g, '\r\n'))).layers).toHaveLength(2);
  });

  it('accepts the edges of every range', () => {
    expect(() =>
      validateModel(
        model((m) => {
          m.layers[0].threshold = [1, 2047]; // 12-bit membrane: 1..2^11-1
          m.layers[0].bias = [-2048, 2047];
          m.layers[0].noise = { kind: 'uniform', bits: 8, scale: 3 };
          m.layers[1].probBits = 8;
          m.layers[1].probCodes = [
            [0, 255],
            [255, 0],
          ];
        }),
      ),
    ).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------
// Files: reading and JSON syntax
// ---------------------------------------------------------------------------------------------------------

describe('model files', () => {
  it('a missing file: "<path>: no such file"', () => {
    const file = join(work, 'does-not-exist.json');
    expect(errorOf(() => loadModel(file)).message).toBe(`${file}: no such file`);
  });

  it('a folder given as the model file', () => {
    const dir = join(work, 'a-folder.json');
    mkdirSync(dir);
    expect(errorOf(() => loadModel(dir)).message).toBe(`${dir}: is a directory, not a model file`);
  });

  it('an empty file', () => {
    const file = scratchFile('');
    expect(errorOf(() => loadModel(file)).message).toBe(`${file}: malformed JSON at line 1, column 1: the file is empty`);
  });

  it('a file of white space only', () => {
    const file = scratchFile('\n\n  ');
    expect(errorOf(() => loadModel(file)).message).toBe(`${file}: malformed JSON at line 3, column 3: the file is empty (only white space)`);
  });

  it('a missing comma between two properties, with the line and column of the second', () => {
    const good = JSON.stringify(model(), null, 2);
    const at = good.indexOf('"timesteps": 4,') + '"timesteps": 4'.length;
    const text = good.slice(0, at) + good.slice(at + 1); // drop the comma after "timesteps": 4
    const next = text.indexOf('"sampling"');
    const { line, column } = lineCol(text, next);
    expect(line).toBe(7); // sanity check of the fixture: format, name, description, seed, timesteps, sampling
    const file = scratchFile(text);
    expect(errorOf(() => loadModel(file)).message).toBe(
      `${file}: malformed JSON at line ${line}, column ${column}: expected "," or "}" after a property value, got '"' (is a comma missing?)`,
    );
  });

  it('a missing comma inside a matrix row', () => {
    const text = '{\n  "format": "bsnn/1",\n  "layers": [\n    {"prob": [[0.1, 0.2 0.3]]}\n  ]\n}\n';
    const file = scratchFile(text);
    expect(errorOf(() => loadModel(file)).message).toBe(
      `${file}: malformed JSON at line 4, column 25: expected "," or "]" after an array element, got '0' (is a comma missing?)`,
    );
  });

  it('trailing garbage after the model', () => {
    const text = `${JSON.stringify(model(), null, 2)}\n}\n`;
    const lines = text.split('\n').length - 1; // the stray "}" is on the last line
    const file = scratchFile(text);
    expect(errorOf(() => loadModel(file)).message).toBe(`${file}: malformed JSON at line ${lines}, column 1: unexpected '}' after the end of the JSON value`);
  });

  it('two models concatenated', () => {
    const one = JSON.stringify(model());
    const file = scratchFile(`${one}${one}`);
    expect(errorOf(() => loadModel(file)).message).toBe(
      `${file}: malformed JSON at line 1, column ${one.length + 1}: unexpected '{' after the end of the JSON value`,
    );
  });

  it('a bare NaN (not JSON) in a probability matrix', () => {
    const text = JSON.stringify(model(), null, 2).replace('0.25', 'NaN');
    const { line, column } = lineCol(text, text.indexOf('NaN'));
    const file = scratchFile(text);
    expect(errorOf(() => loadModel(file)).message).toBe(`${file}: malformed JSON at line ${line}, column ${column}: NaN is not allowed in JSON`);
  });

  it('bare Infinity and -Infinity', () => {
    expect(errorOf(() => parseJson('{"threshold": Infinity}', 'f.json')).message).toBe(
      'f.json: malformed JSON at line 1, column 15: Infinity is not allowed in JSON',
    );
    expect(errorOf(() => parseJson('{"bias": -Infinity}', 'f.json')).message).toBe(
      'f.json: malformed JSON at line 1, column 10: -Infinity is not allowed in JSON',
    );
  });

  it('other common mistakes: trailing commas, single quotes, unquoted keys, unclosed brackets and strings', () => {
    const cases: [string, string][] = [
      ['[1, 2,]', 'line 1, column 7: trailing comma before "]"'],
      ['{"a": 1,\n}', 'line 2, column 1: trailing comma before "}"'],
      ["{'a': 1}", 'line 1, column 2: expected a property name in double quotes, got a single quote'],
      ['{"a": \'x\'}', 'line 1, column 7: JSON strings need double quotes, got a single quote'],
      ['{a: 1}', "line 1, column 2: expected a property name in double quotes, got 'a'"],
      ['{"a" 1}', 'line 1, column 6: expected ":" after the property name, got \'1\''],
      ['{"a": [1, 2', 'line 1, column 12: unexpected end of the file, expected "," or "]"'],
      ['{"a": "abc', 'line 1, column 7: string is never closed (missing ")'],
      ['{"a": "ab\ncd"}', 'line 1, column 10: line break inside a string (is a closing " missing?)'],
      ['{"a": 01}', 'line 1, column 7: a number must not have leading zeros'],
      ['{"a": .5}', "line 1, column 7: unexpected '.', expected a value"],
      ['{"a": 1.}', "line 1, column 9: expected a digit after \".\", got '}'"],
      ['{"a": tru}', "line 1, column 7: unexpected 't', expected a value"],
      ['{"a": "\\x"}', 'line 1, column 8: invalid escape \\x in a string'],
      ['[1]\r\n\r\n  ]', "line 3, column 3: unexpected ']' after the end of the JSON value"],
    ];
    for (const [text, where] of cases) {
      expect(errorOf(() => parseJson(text, 'f.json')).message, text).toBe(`f.json: malformed JSON at ${where}`);
    }
  });

  it('a syntax error in a file never surfaces as a raw SyntaxError', () => {
    const file = scratchFile('{"format": "bsnn/1",,}');
    const e = errorOf(() => loadModel(file));
    expect(e.name).toBe('BsnnError');
    expect(e.message).toMatch(/^.*: malformed JSON at line 1, column 21: /);
  });

  it('validation errors from a file name the file', () => {
    const file = scratchFile(JSON.stringify(model((m) => (m.layers[1].probCodes[1][0] = 8))));
    expect(errorOf(() => loadModel(file)).message).toBe(`${HEADER(file)}\n  layers[1].probCodes[1][0]: 8 is not an integer code in 0..7 (probBits 3)`);
  });

  it('the string "NaN" in a JSON file is valid JSON but not a probability', () => {
    const file = scratchFile(JSON.stringify(model()).replace('0.25', '"NaN"'));
    expect(errorOf(() => loadModel(file)).message).toBe(`${HEADER(file)}\n  layers[0].prob[1][2]: expected a number, got "NaN"`);
  });

  it('a file holding a number, an array or null instead of a model', () => {
    for (const [text, got] of [
      ['42', '42'],
      ['[1, 2, 3]', 'an array of 3 entries'],
      ['[]', 'an empty array'],
      ['null', 'null'],
      ['"bsnn/1"', '"bsnn/1"'],
    ]) {
      const file = scratchFile(text);
      expect(errorOf(() => loadModel(file)).message).toBe(`${HEADER(file)}\n  (root): expected a JSON object with "format": "bsnn/1", got ${got}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Top-level structure, format and unknown fields
// ---------------------------------------------------------------------------------------------------------

describe('structure and fields', () => {
  it('a number, an array, null or nothing instead of the model object: a clear message, no crash', () => {
    const expectRoot = (json: unknown, got: string) =>
      expect(problems(json)).toEqual([`(root): expected a JSON object with "format": "bsnn/1", got ${got}`]);
    expectRoot(3.5, '3.5');
    expectRoot([model()], 'an array of 1 entry');
    expectRoot(null, 'null');
    expectRoot(undefined, 'nothing');
    expectRoot(true, 'true');
    expectRoot('{"format": "bsnn/1"}', '"{\\"format\\": \\"bsnn/1\\"}"');
  });

  it('the source defaults to "model"', () => {
    expect(errorOf(() => validateModel(7)).message.split('\n')[0]).toBe(HEADER('model'));
  });

  it('a wrong or missing format string', () => {
    expect(problems(model((m) => (m.format = 'bsnn/2')))).toEqual(['format: expected "bsnn/1", got "bsnn/2"']);
    expect(problems(model((m) => (m.format = 1)))).toEqual(['format: expected "bsnn/1", got 1']);
    expect(problems(model((m) => delete m.format))).toEqual(['format: missing (expected "bsnn/1")']);
  });

  it('missing required fields are named', () => {
    expect(problems(model((m) => delete m.name))).toEqual(['name: missing (expected a string)']);
    expect(problems(model((m) => delete m.sampling))).toEqual(['sampling: missing (expected an object)']);
    expect(problems(model((m) => delete m.layers[1].threshold))).toEqual(['layers[1].threshold: missing (expected a number or an array)']);
    expect(problems(model((m) => delete m.layers[0].size))).toEqual(['layers[0].size: missing (expected a number)']);
  });

  it('an unknown top-level field, with a suggestion for a near miss', () => {
    expect(problems(model((m) => (m.layer = [])))).toEqual(['(root): unknown field "layer" (did you mean "layers"?)']);
    expect(problems(model((m) => (m.Timesteps = 4)))).toEqual(['(root): unknown field "Timesteps" (did you mean "timesteps"?)']);
  });

  it('an unknown top-level field with no near miss lists the fields that are allowed', () => {
    expect(problems(model((m) => (m.weights = [])))).toEqual([
      '(root): unknown field "weights"; the fields here are format, name, description, dataset, dataFormat, seed, timesteps, sampling, input, layers, readout',
    ]);
  });

  it('many unknown fields: five are named, the rest counted', () => {
    const out = problems(
      model((m) => {
        for (let i = 0; i < 100_000; i++) m[`extra${i}`] = i;
      }),
    );
    expect(out).toEqual([
      '(root): unknown fields "extra0", "extra1", "extra2", "extra3", "extra4", and 99995 more; the fields here are format, name, description, dataset, dataFormat, seed, timesteps, sampling, input, layers, readout',
    ]);
  });

  it('"__proto__" from JSON is an unknown field, not a prototype', () => {
    const json = JSON.parse(JSON.stringify(model()).replace('{', '{"__proto__": {"format": "bsnn/1"},'));
    expect(problems(json)).toEqual([
      '(root): unknown field "__proto__"; the fields here are format, name, description, dataset, dataFormat, seed, timesteps, sampling, input, layers, readout',
    ]);
  });

  it('an unknown field inside a layer, with the layer index', () => {
    expect(problems(model((m) => (m.layers[1].treshold = 3)))).toEqual(['layers[1]: unknown field "treshold" (did you mean "threshold"?)']);
    expect(problems(model((m) => (m.layers[0].Threshold = 3)))).toEqual(['layers[0]: unknown field "Threshold" (did you mean "threshold"?)']);
    expect(problems(model((m) => (m.layers[0].weights = [])))).toEqual([
      'layers[0]: unknown field "weights"; the fields here are type, size, probBits, prob, probCodes, threshold, bias, leak, reset, membraneBits, noise, lanes, eventsPerCycle',
    ]);
  });

  it('an unknown field inside sampling, input and noise', () => {
    expect(problems(model((m) => (m.sampling.sample = 3)))).toEqual(['sampling: unknown field "sample" (did you mean "samples"?)']);
    expect(problems(model((m) => (m.input.encodng = 'rate')))).toEqual(['input: unknown field "encodng" (did you mean "encoding"?)']);
    expect(problems(model((m) => (m.layers[0].noise.scal = 2)))).toEqual(['layers[0].noise: unknown field "scal" (did you mean "scale"?)']);
    expect(problems(model((m) => (m.layers[0].noise.sigma = 2)))).toEqual(['layers[0].noise: unknown field "sigma"; the fields here are kind, bits, scale']);
    expect(problems(model((m) => (m.input.width = 3)))).toEqual(['input: unknown field "width"; the fields here are size, encoding, shape']);
  });

  it('two unknown fields, both with suggestions', () => {
    expect(problems(model((m) => Object.assign(m, { seeds: 1, Name: 'x' })))).toEqual([
      '(root): unknown fields "seeds" (did you mean "seed"?), "Name" (did you mean "name"?)',
    ]);
  });

  it('wrong enum values and wrong types name the field and the allowed values', () => {
    expect(problems(model((m) => (m.sampling.mode = 'ensemble')))).toEqual(['sampling.mode: expected one of "time-ensemble", "per-sample", got "ensemble"']);
    expect(problems(model((m) => (m.input.encoding = 'spikes')))).toEqual(['input.encoding: expected one of "rate", "direct", got "spikes"']);
    expect(problems(model((m) => (m.layers[0].reset = 'Zero')))).toEqual(['layers[0].reset: expected one of "subtract", "zero", got "Zero"']);
    expect(problems(model((m) => (m.layers[1].type = 'conv')))).toEqual(['layers[1].type: expected "dense" or "conv2d" (the layer kind), got "conv"']);
    expect(problems(model((m) => (m.layers[0].noise.kind = 'gauss')))).toEqual(['layers[0].noise.kind: expected one of "uniform", "logistic", got "gauss"']);
    expect(problems(model((m) => (m.layers = {})))).toEqual(['layers: expected an array, got an object']);
    expect(problems(model((m) => (m.layers[0] = null)))).toEqual(['layers[0]: expected an object, got null']);
    expect(problems(model((m) => (m.seed = 5n)))).toEqual(['seed: expected a number, got 5n (a bigint)']);
  });

  it('integer fields out of range or fractional', () => {
    expect(problems(model((m) => (m.seed = -1)))).toEqual(['seed: -1 is below the minimum 0']);
    expect(problems(model((m) => (m.seed = 2 ** 32)))).toEqual(['seed: 4294967296 is above the maximum 4294967295']);
    expect(problems(model((m) => (m.seed = 1e30)))).toEqual(['seed: 1e+30 is above the maximum 4294967295']);
    expect(problems(model((m) => (m.timesteps = 0)))).toEqual(['timesteps: 0 is below the minimum 1']);
    expect(problems(model((m) => (m.sampling.samples = 1.5)))).toEqual(['sampling.samples: expected an integer, got 1.5']);
    expect(problems(model((m) => (m.layers[0].leak = 17)))).toEqual(['layers[0].leak: 17 is above the maximum 16']);
    expect(problems(model((m) => (m.layers[1].eventsPerCycle = 3)))).toEqual(['layers[1].eventsPerCycle: 3 is above the maximum 2']);
    expect(problems(model((m) => (m.layers[0].eventsPerCycle = 1.5)))).toHaveLength(1);
    expect(problems(model((m) => (m.layers[0].membraneBits = 1)))).toEqual(['layers[0].membraneBits: 1 is below the minimum 2']);
  });

  it('layer count limits', () => {
    expect(problems(model((m) => (m.layers = [])))).toEqual(['layers: has 0 entries, expected at least 1']);
    expect(problems(model((m) => (m.layers = Array(100_000).fill(1))))).toEqual(['layers: has 100000 entries, expected at most 16']);
  });

  it('a name that is not a Verilog identifier', () => {
    expect(problems(model((m) => (m.name = '1net')))).toEqual([
      'name: must be a Verilog-safe identifier of 1..40 characters (a letter, then letters, digits or "_"), got "1net"',
    ]);
  });

  it('problems in several fields are all listed, in schema order', () => {
    expect(
      problems(
        model((m) => {
          m.timesteps = 0;
          m.layers[0].probBits = 9;
          m.input.encoding = 'x';
        }),
      ),
    ).toEqual(['timesteps: 0 is below the minimum 1', 'input.encoding: expected one of "rate", "direct", got "x"', 'layers[0].probBits: 9 is above the maximum 8']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Shapes
// ---------------------------------------------------------------------------------------------------------

describe('matrix and vector shapes', () => {
  it('prob row count differs from size', () => {
    expect(problems(model((m) => m.layers[0].prob.pop()))).toEqual(['layers[0].prob: has 1 row, expected 2 (one per neuron, layers[0].size)']);
    expect(problems(model((m) => m.layers[1].probCodes.push([1, 1])))).toEqual(['layers[1].probCodes: has 3 rows, expected 2 (one per neuron, layers[1].size)']);
    expect(problems(model((m) => (m.layers[0].prob = [])))).toEqual(['layers[0].prob: has 0 rows, expected 2 (one per neuron, layers[0].size)']);
  });

  it("a row's length differs from the fan-in: input.size for layer 0", () => {
    expect(problems(model((m) => m.layers[0].prob[1].pop()))).toEqual(["layers[0].prob[1]: has 2 entries, expected 3 (the layer's fan-in, input.size)"]);
  });

  it("a row's length differs from the fan-in: the previous layer's size for later layers", () => {
    expect(problems(model((m) => m.layers[1].probCodes[0].push(1)))).toEqual([
      "layers[1].probCodes[0]: has 3 entries, expected 2 (the layer's fan-in, layers[0].size)",
    ]);
    // Changing input.size makes every row of layer 0 wrong and leaves layer 1 alone.
    expect(problems(model((m) => (m.input.size = 4)))).toEqual([
      "layers[0].prob[0]: has 3 entries, expected 4 (the layer's fan-in, input.size)",
      "layers[0].prob[1]: has 3 entries, expected 4 (the layer's fan-in, input.size)",
    ]);
  });

  it('a wrong row count and wrong row lengths are both reported', () => {
    expect(problems(model((m) => (m.layers[1].probCodes = [[1, 2, 3]])))).toEqual([
      'layers[1].probCodes: has 1 row, expected 2 (one per neuron, layers[1].size)',
      "layers[1].probCodes[0]: has 3 entries, expected 2 (the layer's fan-in, layers[0].size)",
    ]);
  });

  it('a transposed matrix is recognised', () => {
    expect(
      problems(
        model((m) => {
          const p = m.layers[0].prob as number[][];
          m.layers[0].prob = p[0].map((_, i) => p.map((row) => row[i]));
        }),
      ),
    ).toEqual(['layers[0].prob: is 3×2, expected 2×3 (one row per neuron, one entry per input): is it transposed?']);
  });

  it('a transposed 784×512 matrix is recognised quickly', () => {
    const m = model((m) => {
      m.input.size = 784;
      m.layers[0] = dense(784, 512); // should be 512 neurons × 784 inputs
      m.layers[0].size = 512;
      m.layers[1].probCodes = [Array(512).fill(1), Array(512).fill(1)];
    });
    expect(problems(m)).toEqual(['layers[0].prob: is 784×512, expected 512×784 (one row per neuron, one entry per input): is it transposed?']);
  });

  it('a flattened matrix is recognised', () => {
    expect(problems(model((m) => (m.layers[0].prob = m.layers[0].prob.flat())))).toEqual([
      'layers[0].prob: must be an array of rows, one array of numbers per neuron, but holds no arrays (is the matrix flattened?)',
    ]);
    expect(problems(model((m) => (m.layers[1].probCodes = m.layers[1].probCodes.flat())))).toEqual([
      'layers[1].probCodes: must be an array of rows, one array of numbers per neuron, but holds no arrays (is the matrix flattened?)',
    ]);
  });

  it('a matrix with one row missing its brackets names that row', () => {
    expect(problems(model((m) => (m.layers[0].prob = [0.5, [0.1, 0.2, 0.3]])))).toEqual(['layers[0].prob[0]: expected an array, got 0.5']);
  });

  it('a matrix that is not an array', () => {
    expect(problems(model((m) => (m.layers[0].prob = 'prob.npy')))).toEqual(['layers[0].prob: expected an array, got "prob.npy"']);
  });

  it('a threshold or bias array of the wrong length', () => {
    expect(problems(model((m) => (m.layers[0].threshold = [1, 2, 3])))).toEqual([
      'layers[0].threshold: has 3 entries, expected 2 (one per neuron) or a single number',
    ]);
    expect(problems(model((m) => (m.layers[1].threshold = [5])))).toEqual(['layers[1].threshold: has 1 entry, expected 2 (one per neuron) or a single number']);
    expect(problems(model((m) => (m.layers[0].bias = [])))).toEqual(['layers[0].bias: has 0 entries, expected 2 (one per neuron) or a single number']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Values: probabilities, codes, thresholds, biases, noise
// ---------------------------------------------------------------------------------------------------------

describe('values', () => {
  it('a probability above 1, with the full path (the documented example)', () => {
    const m = model((m) => {
      m.layers = [dense(18, 3), dense(4, 18)];
      m.layers[1].prob[3][17] = 1.3;
    });
    expect(problems(m)).toEqual(['layers[1].prob[3][17]: 1.3 is outside [0,1]']);
  });

  it('a negative probability', () => {
    expect(problems(model((m) => (m.layers[0].prob[0][2] = -0.1)))).toEqual(['layers[0].prob[0][2]: -0.1 is outside [0,1]']);
  });

  it('NaN and Infinity passed in a JS object', () => {
    expect(problems(model((m) => (m.layers[0].prob[1][0] = NaN)))).toEqual(['layers[0].prob[1][0]: expected a finite number, got NaN']);
    expect(problems(model((m) => (m.layers[0].prob[1][0] = Infinity)))).toEqual(['layers[0].prob[1][0]: expected a finite number, got Infinity']);
    expect(problems(model((m) => (m.layers[1].probCodes[0][1] = -Infinity)))).toEqual(['layers[1].probCodes[0][1]: expected a finite number, got -Infinity']);
    expect(problems(model((m) => (m.layers[0].threshold = [2, NaN])))).toEqual(['layers[0].threshold[1]: expected a finite number, got NaN']);
  });

  it('the string "NaN", null and other non-numbers in a matrix', () => {
    expect(problems(model((m) => (m.layers[0].prob[0][1] = 'NaN')))).toEqual(['layers[0].prob[0][1]: expected a number, got "NaN"']);
    expect(problems(model((m) => (m.layers[0].prob[0][1] = null)))).toEqual(['layers[0].prob[0][1]: expected a number, got null']);
    expect(problems(model((m) => (m.layers[0].prob[0][1] = '0.5')))).toEqual(['layers[0].prob[0][1]: expected a number, got "0.5"']);
    expect(problems(model((m) => (m.layers[0].prob[0][1] = [0.5])))).toEqual(['layers[0].prob[0][1]: expected a number, got an array of 1 entry']);
    expect(problems(model((m) => (m.layers[0].prob[0][1] = true)))).toEqual(['layers[0].prob[0][1]: expected a number, got true']);
  });

  it('probBits 0, 9 and 2.5', () => {
    expect(problems(model((m) => (m.layers[0].probBits = 0)))).toEqual(['layers[0].probBits: 0 is below the minimum 1']);
    expect(problems(model((m) => (m.layers[1].probBits = 9)))).toEqual(['layers[1].probBits: 9 is above the maximum 8']);
    expect(problems(model((m) => (m.layers[0].probBits = 2.5)))).toEqual(['layers[0].probBits: expected an integer, got 2.5']);
    expect(problems(model((m) => (m.layers[0].probBits = '4')))).toEqual(['layers[0].probBits: expected a number, got "4"']);
  });

  it('probCodes that are not integers', () => {
    expect(problems(model((m) => (m.layers[1].probCodes[1][1] = 2.5)))).toEqual(['layers[1].probCodes[1][1]: 2.5 is not an integer code in 0..7 (probBits 3)']);
  });

  it('probCodes above 2^k-1 or negative', () => {
    expect(problems(model((m) => (m.layers[1].probCodes[0][0] = 8)))).toEqual(['layers[1].probCodes[0][0]: 8 is not an integer code in 0..7 (probBits 3)']);
    expect(problems(model((m) => (m.layers[1].probCodes[0][0] = -1)))).toEqual(['layers[1].probCodes[0][0]: -1 is not an integer code in 0..7 (probBits 3)']);
    expect(
      problems(
        model((m) => {
          m.layers[1].probBits = 1;
          m.layers[1].probCodes = [
            [0, 1],
            [2, 1],
          ];
        }),
      ),
    ).toEqual(['layers[1].probCodes[1][0]: 2 is not an integer code in 0..1 (probBits 1)']);
    expect(
      problems(
        model((m) => {
          m.layers[1].probBits = 8;
          m.layers[1].probCodes = [
            [0, 255],
            [256, 1],
          ];
        }),
      ),
    ).toEqual(['layers[1].probCodes[1][0]: 256 is not an integer code in 0..255 (probBits 8)']);
  });

  it('both prob and probCodes, or neither', () => {
    expect(problems(model((m) => (m.layers[1].prob = [[0.5, 0.5], [0.5, 0.5]])))).toEqual(['layers[1]: give "prob" or "probCodes", not both']);
    expect(problems(model((m) => delete m.layers[0].prob))).toEqual(['layers[0]: missing "prob" (floats in [0,1]) or "probCodes" (k-bit integers)']);
  });

  it('thresholds below 1', () => {
    const range = '1..2047 (a threshold is at least 1 and fits the 12-bit membrane)';
    expect(problems(model((m) => (m.layers[1].threshold = 0)))).toEqual([`layers[1].threshold: 0 is outside ${range}`]);
    expect(problems(model((m) => (m.layers[0].threshold = [3, -2])))).toEqual([`layers[0].threshold[1]: -2 is outside ${range}`]);
    expect(problems(model((m) => (m.layers[0].threshold = 0.5)))).toEqual(['layers[0].threshold: 0.5 is not an integer']);
  });

  it('thresholds beyond the membrane range (12-bit given, 16-bit by default)', () => {
    expect(problems(model((m) => (m.layers[0].threshold = [2048, 1])))).toEqual([
      'layers[0].threshold[0]: 2048 is outside 1..2047 (a threshold is at least 1 and fits the 12-bit membrane)',
    ]);
    const m16 = (thr: number) =>
      model((m) => {
        delete m.layers[1].membraneBits;
        m.layers[1].threshold = thr;
      });
    expect(() => validateModel(m16(32767))).not.toThrow();
    expect(problems(m16(32768))).toEqual(['layers[1].threshold: 32768 is outside 1..32767 (a threshold is at least 1 and fits the 16-bit membrane)']);
    expect(
      problems(
        model((m) => {
          m.layers[1].membraneBits = 2;
          m.layers[1].threshold = 2;
        }),
      ),
    ).toEqual(['layers[1].threshold: 2 is outside 1..1 (a threshold is at least 1 and fits the 2-bit membrane)']);
  });

  it('thresholds of the wrong type', () => {
    expect(problems(model((m) => (m.layers[0].threshold = '3')))).toEqual(['layers[0].threshold: expected a number or an array, got "3"']);
    expect(problems(model((m) => (m.layers[0].threshold = [1, '3'])))).toEqual(['layers[0].threshold[1]: expected a number, got "3"']);
  });

  it('biases beyond the membrane range or fractional', () => {
    expect(problems(model((m) => (m.layers[0].bias = [-2049, 0])))).toEqual(['layers[0].bias[0]: -2049 is outside -2048..2047 (a bias fits the 12-bit membrane)']);
    expect(problems(model((m) => (m.layers[0].bias = 2048)))).toEqual(['layers[0].bias: 2048 is outside -2048..2047 (a bias fits the 12-bit membrane)']);
    expect(problems(model((m) => (m.layers[0].bias = [0, 0.5])))).toEqual(['layers[0].bias[1]: 0.5 is not an integer']);
    const m16 = (bias: number) =>
      model((m) => {
        delete m.layers[1].membraneBits;
        m.layers[1].bias = bias;
      });
    expect(() => validateModel(m16(-32768))).not.toThrow();
    expect(problems(m16(-32769))).toEqual(['layers[1].bias: -32769 is outside -32768..32767 (a bias fits the 16-bit membrane)']);
  });

  it('uniform noise with a non-integer scale is rejected at layers[l].noise.scale', () => {
    expect(problems(model((m) => (m.layers[1].noise = { kind: 'uniform', bits: 2, scale: 1.5 })))).toEqual([
      'layers[1].noise.scale: 1.5 is not an integer: uniform noise steps by whole membrane units (semantics §2)',
    ]);
    expect(problems(model((m) => (m.layers[0].noise = { kind: 'uniform', bits: 4, scale: 0.25 })))).toEqual([
      'layers[0].noise.scale: 0.25 is not an integer: uniform noise steps by whole membrane units (semantics §2)',
    ]);
    // Logistic noise takes any positive scale; uniform noise any positive integer.
    expect(() => validateModel(model((m) => (m.layers[1].noise = { kind: 'logistic', bits: 2, scale: 0.7 })))).not.toThrow();
    expect(() => validateModel(model((m) => (m.layers[1].noise = { kind: 'uniform', bits: 2, scale: 2 })))).not.toThrow();
  });

  it('noise scale and bits out of range', () => {
    expect(problems(model((m) => (m.layers[0].noise.scale = 0)))).toEqual(['layers[0].noise.scale: 0 must be greater than 0']);
    expect(problems(model((m) => (m.layers[0].noise.bits = 9)))).toEqual(['layers[0].noise.bits: 9 is above the maximum 8']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// At most 10 problems; huge bad inputs stay quick and bounded
// ---------------------------------------------------------------------------------------------------------

/**
 * These inputs hold 400k bad values: validation that stopped at the tenth problem takes well under a second,
 * one that visited every pair would take hours. The bound tells those apart on a machine with both cores busy
 * (about 4x slower); it is not a speed target.
 */
const BOUNDED_MS = 20_000;

describe('the problem list is capped at 10', () => {
  const allBadLayer0 = (rows: number, v: unknown) =>
    model((m) => {
      m.layers[0].size = rows;
      m.layers[0].threshold = 1;
      m.layers[0].bias = 0;
      m.layers[0].prob = Array.from({ length: rows }, () => Array(3).fill(v));
      m.layers[1].probCodes = [Array(rows).fill(0), Array(rows).fill(0)];
    });

  it('exactly 10 problems: all listed, no "stopped" line', () => {
    const out = problems(
      model((m) => {
        m.layers[0].prob = [Array(3).fill(2), Array(3).fill(2)]; // 6 problems
        m.layers[1].probCodes = [Array(2).fill(9), Array(2).fill(9)]; // 4 problems
      }),
    );
    expect(out).toHaveLength(10);
    expect(out).not.toContain(STOPPED);
    expect(out[9]).toBe('layers[1].probCodes[1][1]: 9 is not an integer code in 0..7 (probBits 3)');
  });

  it('11 range problems: 10 listed, then a line saying it stopped', () => {
    const out = problems(allBadLayer0(4, 1.5)); // 12 bad probabilities
    expect(out).toHaveLength(11);
    expect(out.slice(0, 10)).toEqual(
      Array.from({ length: 10 }, (_, j) => `layers[0].prob[${Math.floor(j / 3)}][${j % 3}]: 1.5 is outside [0,1]`),
    );
    expect(out[10]).toBe(STOPPED);
  });

  it('exactly 10 type problems: no "stopped" line; 11: stopped', () => {
    const ten = problems(model((m) => (m.layers[0].threshold = Array(10).fill('x'))));
    expect(ten).toEqual(Array.from({ length: 10 }, (_, i) => `layers[0].threshold[${i}]: expected a number, got "x"`));
    const eleven = problems(model((m) => (m.layers[0].threshold = Array(11).fill('x'))));
    expect(eleven).toHaveLength(11);
    expect(eleven[10]).toBe(STOPPED);
  });

  it('problems in many different fields are capped too', () => {
    const out = problems({
      format: 'bsnn/0',
      name: '',
      seed: -1,
      timesteps: 0,
      sampling: { mode: 'x', samples: 0 },
      input: { size: 0, encoding: 'x' },
      layers: [{ size: 0, probBits: 0, prob: 1, threshold: 'x', leak: -1, reset: 'x', membraneBits: 0 }],
    });
    expect(out).toHaveLength(11);
    expect(out[0]).toBe('format: expected "bsnn/1", got "bsnn/0"');
    expect(out[10]).toBe(STOPPED);
  });

  it('a huge all-bad 784×512 matrix gives a quick, bounded message (no RangeError)', () => {
    const huge = (v: unknown) =>
      model((m) => {
        m.input.size = 784;
        m.layers[0] = { size: 512, probBits: 4, prob: Array.from({ length: 512 }, () => Array(784).fill(v)), threshold: 1 };
        m.layers[1].probCodes = [Array(512).fill(1), Array(512).fill(1)];
      });
    for (const [v, what] of [
      [1.3, '1.3 is outside [0,1]'],
      ['0.5', 'expected a number, got "0.5"'],
      [null, 'expected a number, got null'],
      [NaN, 'expected a finite number, got NaN'],
    ] as const) {
      const m = huge(v);
      const t0 = performance.now();
      const out = problems(m);
      const ms = performance.now() - t0;
      expect(out).toEqual([...Array.from({ length: 10 }, (_, i) => `layers[0].prob[0][${i}]: ${what}`), STOPPED]);
      expect(ms).toBeLessThan(BOUNDED_MS);
    }
  });

  it('a huge flattened matrix, a huge matrix of strings instead of rows, and a huge threshold list of strings', () => {
    const base = (change: (m: Json) => void) =>
      model((m) => {
        m.input.size = 784;
        m.layers[0] = { size: 512, probBits: 4, threshold: 1 };
        m.layers[1].probCodes = [Array(512).fill(1), Array(512).fill(1)];
        change(m);
      });
    const flattened = 'layers[0].prob: must be an array of rows, one array of numbers per neuron, but holds no arrays (is the matrix flattened?)';
    const t0 = performance.now();
    expect(problems(base((m) => (m.layers[0].prob = Array(784 * 512).fill(0.5))))).toEqual([flattened]);
    expect(problems(base((m) => (m.layers[0].prob = Array(784 * 512).fill('x'))))).toEqual([flattened]);
    expect(
      problems(
        base((m) => {
          m.layers[0].prob = Array.from({ length: 512 }, () => Array(784).fill(0.5));
          m.layers[0].threshold = Array(784 * 512).fill('1');
        }),
      ),
    ).toEqual([...Array.from({ length: 10 }, (_, i) => `layers[0].threshold[${i}]: expected a number, got "1"`), STOPPED]);
    expect(performance.now() - t0).toBeLessThan(BOUNDED_MS);
  });

  it('a huge all-bad model file: read, parsed and rejected with a bounded message', () => {
    const m = model((m) => {
      m.input.size = 784;
      m.layers[0] = { size: 512, probBits: 4, prob: Array.from({ length: 512 }, () => Array(784).fill('NaN')), threshold: 1 };
      m.layers[1].probCodes = [Array(512).fill(1), Array(512).fill(1)];
    });
    const file = scratchFile(JSON.stringify(m));
    const t0 = performance.now();
    const msg = errorOf(() => loadModel(file)).message;
    expect(performance.now() - t0).toBeLessThan(BOUNDED_MS);
    expect(msg.split('\n')).toHaveLength(12);
    expect(msg.split('\n')[1]).toBe('  layers[0].prob[0][0]: expected a number, got "NaN"');
    expect(msg.endsWith(STOPPED)).toBe(true);
    expect(msg.length).toBeLessThan(2000);
  });
});

// ---------------------------------------------------------------------------------------------------------
// findJsonSyntaxError agrees with JSON.parse
// ---------------------------------------------------------------------------------------------------------

describe('findJsonSyntaxError', () => {

  const SEEDS = [
    '{"a": [1, 2.5, -3e2], "b": {"c": null, "d": true, "e": false}}',
    '[]',
    '{}',
    '"x\\u00e9\\n"',
    '0',
    '-0.5E+3',
    '[{"k": "v"}, [[]], ""]',
    ' { "format" : "bsnn/1" , "layers" : [ { "prob" : [[0.1, 1]] } ] } ',
    '[1e5,0,-0,"\\"\\\\\\/\\b\\f\\n\\r\\t"]',
    '{\r\n\t"threshold": [1, 2],\r\n\t"bias": -3\r\n}',
  ];
  const PIECES = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '\t', '\r', '0', '1', '9', '-', '+', '.', 'e', 'E', 'a', 'u', 'n', 't', 'f',
    'true', 'false', 'null', 'NaN', 'Infinity', "'", '\u0000', '\u0001', '\u001f', '\u007f', '\u00a0', '\ufeff', '\u2028', '😀', '\ud800', 'x', '/', '01', '1.', '"a":', ',]', ',}', '\\u12'];

  function mutate(rnd: () => number, s: string): string {
    const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];
    const edits = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < edits; j++) {
      const p = Math.floor(rnd() * (s.length + 1));
      const op = rnd();
      if (op < 0.4) s = s.slice(0, p) + pick(PIECES) + s.slice(p); // insert
      else if (op < 0.7) s = s.slice(0, p) + s.slice(p + 1 + Math.floor(rnd() * 2)); // delete 1-2
      else if (op < 0.9) s = s.slice(0, p) + pick(PIECES) + s.slice(p + 1); // replace
      else {
        const q = Math.floor(rnd() * (s.length + 1)); // duplicate a slice
        const [lo, hi] = p < q ? [p, q] : [q, p];
        s = s.slice(0, lo) + s.slice(lo, hi).repeat(2) + s.slice(hi);
      }
    }
    return s;
  }

  it('returns null for every seed text', () => {
    for (const s of SEEDS) expect(findJsonSyntaxError(s), s).toBeNull();
  });

  it('agrees with JSON.parse on 5000 randomly mutated texts, and parseJson reports the position it finds', () => {
    const rnd = prng(20240611);
    let valid = 0;
    let invalid = 0;
    let duplicates = 0;
    for (let t = 0; t < 5000; t++) {
      const text = mutate(rnd, SEEDS[Math.floor(rnd() * SEEDS.length)]);
      let parsed: unknown;
      let ok = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        ok = false;
      }
      const found = findJsonSyntaxError(text);
      if (ok) {
        valid++;
        expect(found, `JSON.parse accepts ${JSON.stringify(text)}`).toBeNull();
        const duplicate = findJsonSyntaxError(text, true);
        if (duplicate === null) expect(parseJson(text, 'f.json')).toEqual(parsed);
        else {
          // The slice-doubling mutation can repeat a property: parseJson refuses it at the repeat.
          duplicates++;
          const name = /^duplicate property "(.*)" in one object/.exec(duplicate.message)![1];
          expect(text.slice(duplicate.offset)).toMatch(/^"/);
          expect(JSON.parse(text.slice(duplicate.offset).match(/^"(?:[^"\\]|\\.)*"/)![0])).toBe(name);
          const { line, column } = lineCol(text, duplicate.offset);
          expect(errorOf(() => parseJson(text, 'f.json')).message).toBe(`f.json: malformed JSON at line ${line}, column ${column}: ${duplicate.message}`);
        }
      } else {
        invalid++;
        expect(found, `JSON.parse rejects ${JSON.stringify(text)}`).not.toBeNull();
        expect(found!.offset).toBeGreaterThanOrEqual(0);
        expect(found!.offset).toBeLessThanOrEqual(text.length);
        expect(found!.message.length).toBeGreaterThan(0);
        const { line, column } = lineCol(text, found!.offset);
        expect(errorOf(() => parseJson(text, 'f.json')).message).toBe(`f.json: malformed JSON at line ${line}, column ${column}: ${found!.message}`);
      }
    }
    // The mutations must exercise both sides.
    expect(valid).toBeGreaterThan(250);
    expect(invalid).toBeGreaterThan(2500);
    expect(duplicates).toBeGreaterThan(0);
  });

  it('a property given twice in one object is refused at the second (JSON.parse would keep only the last)', () => {
    const at = (text: string) => errorOf(() => parseJson(text, 'm.json')).message;
    expect(at('{"layers": [{"kernel": 9,\n  "kernel": 3}]}')).toBe('m.json: malformed JSON at line 2, column 3: duplicate property "kernel" in one object (JSON would keep only the last: remove one)');
    // Equal after unescaping is equal.
    expect(at('{"a": 1, "\\u0061": 2}')).toMatch(/^m\.json: malformed JSON at line 1, column 10: duplicate property "a"/);
    // The same name in sibling or nested objects is not a duplicate; an inner object's names do not leak out.
    expect(parseJson('{"a": {"k": 1}, "b": {"k": 2}, "k": [{"k": 3}, {"k": 4}]}', 'm.json')).toEqual({ a: { k: 1 }, b: { k: 2 }, k: [{ k: 3 }, { k: 4 }] });
    expect(findJsonSyntaxError('{"a": {"a": {"a": 1}}}', true)).toBeNull();
  });

  it('handles very deep nesting without overflowing the stack', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(findJsonSyntaxError(deep)).toBeNull();
    expect(findJsonSyntaxError(`${deep}x`)).toEqual({ offset: 400_000, message: "unexpected 'x' after the end of the JSON value" });
    expect(findJsonSyntaxError('['.repeat(200_000))).toEqual({ offset: 200_000, message: 'unexpected end of the file, expected a value' });
  });
});

// ---------------------------------------------------------------------------------------------------------
// readout (docs/semantics.md §4, §5)
// ---------------------------------------------------------------------------------------------------------

describe('readout', () => {
  /** VALID with a potential readout: the last layer loses its threshold (it has none). */
  const potential = (change: (m: Json) => void = () => {}) =>
    model((m) => {
      m.readout = { mode: 'potential' };
      delete m.layers[1].threshold;
      change(m);
    });

  it('is optional; "spikes" and "potential" (with or without a temperature) are accepted', () => {
    expect(validateModel(model()).readout).toBeUndefined();
    expect(validateModel(model((m) => (m.readout = { mode: 'spikes' }))).readout).toEqual({ mode: 'spikes' });
    expect(validateModel(potential()).readout).toEqual({ mode: 'potential' });
    expect(validateModel(potential((m) => (m.readout.temperature = 2.5)))).toMatchObject({ readout: { mode: 'potential', temperature: 2.5 } });
  });

  it('the readout layer needs no threshold, leak, reset or membraneBits; other layers still need a threshold', () => {
    const m = validateModel(potential((m) => delete m.layers[1].membraneBits));
    expect(m.layers[1].threshold).toBeUndefined();
    expect(problems(potential((m) => delete m.layers[0].threshold))).toEqual(['layers[0].threshold: missing (expected a number or an array)']);
    // with spike counts the last layer spikes, so it needs its threshold
    expect(problems(model((m) => delete m.layers[1].threshold))).toEqual(['layers[1].threshold: missing (expected a number or an array)']);
  });

  it('refuses noise on the readout layer, naming the field', () => {
    expect(problems(potential((m) => (m.layers[1].noise = { kind: 'uniform', bits: 2, scale: 1 })))).toEqual([
      'layers[1].noise: not allowed on the last layer when "readout" is "potential": the readout layer does not spike, so it has no threshold to add noise to (remove "noise" or use "readout": { "mode": "spikes" })',
    ]);
    // noise on a hidden layer is fine
    expect(validateModel(potential()).layers[0].noise).toEqual({ kind: 'logistic', bits: 4, scale: 1.5 });
  });

  it('bad modes, temperatures and fields are named', () => {
    expect(problems(model((m) => (m.readout = { mode: 'membrane' })))).toEqual(['readout.mode: expected one of "spikes", "potential", got "membrane"']);
    expect(problems(model((m) => (m.readout = {})))).toEqual(['readout.mode: missing (expected one of "spikes", "potential")']);
    expect(problems(potential((m) => (m.readout.temperature = 0)))).toEqual(['readout.temperature: 0 must be greater than 0']);
    expect(problems(potential((m) => (m.readout.temperature = -1)))).toEqual(['readout.temperature: -1 must be greater than 0']);
    expect(problems(model((m) => (m.readout = { mode: 'spikes', temperature: 2 })))).toEqual([
      'readout.temperature: only applies to "mode": "potential" (spike counts have no temperature)',
    ]);
    expect(problems(potential((m) => (m.readout.temprature = 2)))).toEqual(['readout: unknown field "temprature" (did you mean "temperature"?)']);
    expect(problems(model((m) => (m.readout = 'potential')))).toEqual(['readout: expected an object, got "potential"']);
  });
});
