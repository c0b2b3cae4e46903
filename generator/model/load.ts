/** Reading and validating a model description; every error names the JSON path (or line) it is about. */
import { constants } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import type { LayerKind } from '../ir/types.js';
import { layerKindOf, opOfKind } from '../ops/registry.js';
import { count } from '../ops/synapses/validate.js';
import { BsnnError } from '../util/errors.js';
import { closest } from '../util/suggest.js';
import { layerShapes, showShape, type LayerShape } from './shapes.js';
import { HDF5_SIGNATURE } from '../nir/hdf5-guard.js';
import { CONV_ONLY_FIELDS, ConvLayerSchema, DenseLayerSchema, FORMAT, ModelSchema, NoiseSchema, ReadoutSchema, type Model, type LayerSpec } from './schema.js';

export type JsonPath = ReadonlyArray<PropertyKey>;

export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(root)' : out;
}

const MAX_REPORTED = 10;

/** The longest string V8 makes (about 2^29 characters): a longer file cannot be parsed as one JSON text. */
const { MAX_STRING_LENGTH } = constants;


/** Collects at most MAX_REPORTED messages; `add` refuses (returns false) and sets `truncated` beyond that. */
class Problems {
  readonly list: string[] = [];
  truncated = false;
  add(path: JsonPath, msg: string): boolean {
    if (this.list.length >= MAX_REPORTED) {
      this.truncated = true;
      return false;
    }
    this.list.push(`${formatPath(path)}: ${msg}`);
    return true;
  }
}

/** A short, human-readable rendering of any value (never throws: no JSON.stringify of objects). */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string': {
      const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
      return JSON.stringify(s);
    }
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n (a bigint)`;
    case 'undefined':
      return 'nothing';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${count(value.length, 'entry', 'entries')}`;
      return 'an object';
  }
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  object: 'an object',
  array: 'an array',
  boolean: 'true or false',
};
const expectedText = (e: string) => EXPECTED[e] ?? e;

/** The value at `path` inside `root`, or undefined; tolerant of anything. */
export function valueAt(root: unknown, path: JsonPath): unknown {
  let o = root;
  for (const k of path) {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return undefined;
    try {
      o = Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<PropertyKey, unknown>)[k as never] : undefined;
    } catch {
      return undefined;
    }
  }
  return o;
}

/** Fields an object at `path` may have, for "unknown field" messages. */
function knownFields(path: JsonPath, root: unknown): string[] | undefined {
  const keys = (o: { shape: object }) => Object.keys(o.shape);
  const p = path.map((k) => (typeof k === 'number' ? '#' : String(k))).join('/');
  switch (p) {
    case '':
      return keys(ModelSchema);
    case 'sampling':
      return keys(ModelSchema.shape.sampling);
    case 'input':
      return keys(ModelSchema.shape.input);
    case 'layers/#':
      return keys((valueAt(root, [...path, 'type']) === 'conv2d' ? ConvLayerSchema : DenseLayerSchema));
    case 'layers/#/pool':
      return keys(ConvLayerSchema.shape.pool.unwrap());
    case 'layers/#/noise':
      return keys(NoiseSchema);
    case 'readout':
      return keys(ReadoutSchema);
    default:
      return undefined;
  }
}

function unknownFields(allKeys: readonly string[], path: JsonPath, root: unknown): string {
  const known = knownFields(path, root) ?? [];
  const keys = allKeys.slice(0, 5);
  let unmatched = allKeys.length > keys.length;
  const parts = keys.map((k) => {
    const guess = closest(k, known);
    if (guess !== undefined) return `${show(k)} (did you mean "${guess}"?)`;
    unmatched = true;
    return show(k);
  });
  const list = unmatched && known.length > 0 ? `; the fields here are ${known.join(', ')}` : '';
  if (allKeys.length > keys.length) parts.push(`and ${allKeys.length - keys.length} more`);
  return `unknown field${allKeys.length > 1 ? 's' : ''} ${parts.join(', ')}${list}`;
}

type Found = { path: JsonPath; msg: string };

/** Turns one zod issue into user-facing problems (a union issue may stand for problems deeper down). */
function describeIssue(issue: z.core.$ZodIssue, root: unknown, prefix: JsonPath, out: Found[]): void {
  const path = [...prefix, ...issue.path];
  const value = valueAt(root, path);
  const say = (msg: string): void => {
    out.push({ path, msg });
  };
  switch (issue.code) {
    case 'unrecognized_keys':
      return say(unknownFields(issue.keys, path, root));
    case 'invalid_type': {
      if (path.length === 0) return say(`expected a JSON object with "format": "${FORMAT}", got ${show(value)}`);
      if (value === undefined) return say(`missing (expected ${expectedText(issue.expected)})`);
      if (issue.expected === 'int' && typeof value === 'number' && Number.isFinite(value)) return say(`expected an integer, got ${show(value)}`);
      if ((issue.expected === 'number' || issue.expected === 'int') && typeof value === 'number') return say(`expected a finite number, got ${show(value)}`);
      return say(`expected ${expectedText(issue.expected)}, got ${show(value)}`);
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
      const expected = options.length === 1 ? options[0] : `one of ${options.join(', ')}`;
      return say(value === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${show(value)}`);
    }
    case 'invalid_union': {
      const { options } = issue as { options?: unknown[] };
      if (options && value === undefined) {
        const conv = CONV_ONLY_FIELDS.filter((f) => valueAt(root, [...path.slice(0, -1), f]) !== undefined).map((f) => `"${f}"`);
        return say(`missing: a layer without "type" is dense, but this one has ${conv.join(', ')}; give "type": "conv2d" (or remove them)`);
      }
      if (options) return say(`expected ${options.map((o) => JSON.stringify(o)).join(' or ')} (the layer kind), got ${show(value)}`);
      // A branch whose issues are all "wrong type right here" did not match at all; if exactly one branch did
      // match the outer type (e.g. an array for `number | number[]`), its deeper issues are the real problems.
      const rejectedOutright = (issues: z.core.$ZodIssue[]) => issues.every((i) => i.path.length === 0 && i.code === 'invalid_type');
      const near = issue.errors.filter((issues) => issues.length > 0 && !rejectedOutright(issues));
      if (near.length === 1) {
        for (const inner of near[0]) describeIssue(inner, root, path, out);
        return;
      }
      const expected = issue.errors.flatMap((issues) => issues.filter((i) => i.path.length === 0 && i.code === 'invalid_type').map((i) => expectedText((i as { expected: string }).expected)));
      if (expected.length === issue.errors.length) {
        // NaN and ±Infinity are numbers to JavaScript but not to the format: say "finite".
        const wanted = typeof value === 'number' ? expected.map((e) => (e === 'a number' ? 'a finite number' : e)) : expected;
        return say(value === undefined ? `missing (expected ${wanted.join(' or ')})` : `expected ${wanted.join(' or ')}, got ${show(value)}`);
      }
      return say(`${show(value)} is not valid here`);
    }
    case 'too_big':
    case 'too_small': {
      const big = issue.code === 'too_big';
      const limit = Number(big ? (issue as { maximum: number | bigint }).maximum : (issue as { minimum: number | bigint }).minimum);
      const inclusive = issue.inclusive !== false;
      if (typeof value === 'number') {
        if (inclusive) return say(`${show(value)} is ${big ? 'above the maximum' : 'below the minimum'} ${limit}`);
        return say(`${show(value)} must be ${big ? 'less' : 'greater'} than ${limit}`);
      }
      if (Array.isArray(value)) return say(`has ${count(value.length, 'entry', 'entries')}, expected ${big ? 'at most' : 'at least'} ${limit}`);
      if (typeof value === 'string') return say(`is ${count(value.length, 'character')} long, expected ${big ? 'at most' : 'at least'} ${limit}`);
      return say(issue.message);
    }
    case 'invalid_format':
      return say(`${issue.message}, got ${show(value)}`);
    case 'custom':
      return say(issue.message);
    default:
      return say(`${issue.message}${value === undefined ? '' : `, got ${show(value)}`}`);
  }
}

/** All zod issues as problems, in zod's order (which follows the schema). */
function schemaProblems(issues: readonly z.core.$ZodIssue[], root: unknown, problems: Problems): void {
  // zod adds a "safe integer range" issue next to the schema's own min/max for huge integers: drop it then.
  const safeRange = (i: z.core.$ZodIssue) => (i.code === 'too_big' || i.code === 'too_small') && i.origin === 'int';
  const ranged = new Set(issues.filter((i) => !safeRange(i)).map((i) => formatPath(i.path)));
  for (const issue of issues) {
    if (safeRange(issue) && ranged.has(formatPath(issue.path))) continue;
    const found: Found[] = [];
    describeIssue(issue, root, [], found);
    for (const f of found) if (!problems.add(f.path, f.msg)) return;
  }
}

/** Rules that need more than one field: shapes and ranges that depend on other fields. */
function checkLayer(layer: LayerSpec, l: number, shape: LayerShape, problems: Problems, kind: LayerKind): void {
  const at = (...rest: PropertyKey[]) => ['layers', l, ...rest];
  const { probBits: k } = layer;
  const size = shape.neurons;
  const fanIn = shape.rows;
  const perNeuron = layer.type === 'conv2d' ? `one per output channel, layers[${l}].channels` : `one per neuron, layers[${l}].size`;
  const hasProb = layer.prob !== undefined;
  const hasCodes = layer.probCodes !== undefined;
  if (hasProb === hasCodes) {
    problems.add(at(), hasProb ? 'give "prob" or "probCodes", not both' : 'missing "prob" (floats in [0,1]) or "probCodes" (k-bit integers)');
    return;
  }
  const key = hasProb ? 'prob' : 'probCodes';
  const rows = (layer.prob ?? layer.probCodes) as number[][];
  const fanInFrom =
    layer.type === 'conv2d'
      ? `input channels × kernel rows × kernel columns = ${shape.inShape!.c}·${shape.conv!.kernel[0]}·${shape.conv!.kernel[1]}`
      : l === 0
        ? "the layer's fan-in, input.size"
        : shape.inShape
          ? `the layer's fan-in, the ${showShape(shape.inShape)} output of layers[${l - 1}] flattened`
          : `the layer's fan-in, layers[${l - 1}].size`;
  if (rows.length !== size && size !== fanIn && rows.length === fanIn && rows.every((row) => row.length === size)) {
    problems.add(at(key), `is ${rows.length}×${size}, expected ${size}×${fanIn} (one row per neuron, one entry per input): is it transposed?`);
    return;
  }
  if (rows.length !== size && !problems.add(at(key), `has ${count(rows.length, 'row')}, expected ${size} (${perNeuron})`)) return;
  const maxCode = 2 ** k - 1;
  for (let n = 0; n < rows.length; n++) {
    const row = rows[n];
    if (row.length !== fanIn) {
      if (!problems.add(at(key, n), `has ${count(row.length, 'entry', 'entries')}, expected ${fanIn} (${fanInFrom})`)) return;
      continue;
    }
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      let bad: string | undefined;
      if (hasProb) {
        if (!(v >= 0 && v <= 1)) bad = `${v} is outside [0,1]`;
      } else if (!Number.isInteger(v) || v < 0 || v > maxCode) {
        bad = `${v} is not an integer code in 0..${maxCode} (probBits ${k})`;
      }
      if (bad !== undefined && !problems.add(at(key, n, i), bad)) return;
    }
  }
  opOfKind(kind).validate(layer, at, problems);
}

/** Validate an already-parsed JSON value; throws BsnnError listing up to 10 problems. */
export function validateModel(json: unknown, source = 'model'): Model {
  let parsed: ReturnType<typeof ModelSchema.safeParse>;
  try {
    parsed = ModelSchema.safeParse(json);
  } catch (e) {
    // zod merges issue lists with push(...list), which overflows the stack on ~10^5 issues. The schema caps
    // the big arrays, so this is a last resort, not an expected path.
    if (e instanceof RangeError) throw new BsnnError(`${source} is not a valid ${FORMAT} model: it has too many problems to list (${e.message})`);
    throw e;
  }
  const problems = new Problems();
  if (!parsed.success) {
    schemaProblems(parsed.error.issues, json, problems);
  } else {
    const m = parsed.data;
    const shape = m.input.shape;
    const badShape = shape !== undefined && shape[0] * shape[1] * shape[2] !== m.input.size;
    if (badShape) problems.add(['input', 'shape'], `is ${shape.join('×')} = ${shape[0] * shape[1] * shape[2]} values, but input.size is ${m.input.size}`);
    const { shapes, problem } = badShape ? { shapes: [], problem: null } : layerShapes(m);
    for (let l = 0; l < shapes.length && !problems.truncated; l++) checkLayer(m.layers[l], l, shapes[l], problems, layerKindOf(m, l));
    if (problem) problems.add(problem.path, problem.msg);
    const last = m.layers.length - 1;
    if (m.layers[last].type === 'conv2d') problems.add(['layers', last, 'type'], 'the last layer is conv2d: the output layer must be dense (one neuron per class; flattening into it is implicit)');
  }
  if (problems.list.length > 0) {
    const more = problems.truncated ? `\n  (stopped after the first ${MAX_REPORTED} problems)` : '';
    throw new BsnnError(`${source} is not a valid ${FORMAT} model:\n  ${problems.list.join('\n  ')}${more}`);
  }
  return parsed.data as Model;
}

/** Line and column (1-based; columns count UTF-16 units, a tab is one) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Find the first syntax error of a JSON text (RFC 8259), as an offset and a description, or null if the text
 * is valid. Run after JSON.parse has failed, to say where and what in the same words on every Node version,
 * and with `duplicates` after it has succeeded: JSON.parse keeps the last of two equal property names and
 * drops the other without a word, so a second "kernel" would silently win.
 * Iterative, so deep nesting cannot overflow the stack.
 */
export function findJsonSyntaxError(text: string, duplicates = false): { offset: number; message: string } | null {
  const n = text.length;
  let i = 0;
  const stack: string[] = [];
  /** With `duplicates`: the property names of each open object, innermost last. */
  const names: Set<string>[] = [];
  const charAt = (at: number) => {
    if (at >= n) return 'the end of the file';
    const ch = String.fromCodePoint(text.codePointAt(at)!);
    return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? `'${ch}'` : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  };
  const fail = (offset: number, message: string) => ({ offset, message });
  const skipWs = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    }
  };
  const HEX = /^[0-9a-fA-F]{4}$/;
  /** Scans a string starting at the quote at i; returns an error or advances i past the closing quote. */
  const scanString = () => {
    const start = i;
    for (let j = i + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        i = j + 1;
        return null;
      }
      if (c < 0x20) return fail(j, c === 0x0a ? 'line break inside a string (is a closing " missing?)' : `control character U+${c.toString(16).padStart(4, '0').toUpperCase()} inside a string (escape it)`);
      if (c === 0x5c) {
        const e = text[j + 1];
        if (e === 'u') {
          if (!HEX.test(text.slice(j + 2, j + 6))) return fail(j, 'invalid \\u escape (needs 4 hex digits)');
          j += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
        else return fail(j, `invalid escape \\${e ?? ''} in a string`);
      }
    }
    return fail(start, 'string is never closed (missing ")');
  };
  const scanNumber = () => {
    const start = i;
    const digits = () => {
      const s = i;
      while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
      return i - s;
    };
    if (text[i] === '-') i++;
    if (text[i] === '0') {
      i++;
      if (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) return fail(start, 'a number must not have leading zeros');
    } else if (digits() === 0) return fail(i, `expected a digit, got ${charAt(i)}`);
    if (text[i] === '.') {
      i++;
      if (digits() === 0) return fail(i, `expected a digit after ".", got ${charAt(i)}`);
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (digits() === 0) return fail(i, `expected a digit in the exponent, got ${charAt(i)}`);
    }
    return null;
  };
  /** After "{" or ",": a quoted property name and a colon. */
  const scanKey = (afterComma: boolean) => {
    skipWs();
    if (text[i] === '}' && afterComma) return fail(i, 'trailing comma before "}"');
    if (text[i] !== '"') {
      return fail(i, `expected a property name in double quotes, got ${text[i] === "'" ? 'a single quote' : charAt(i)}`);
    }
    const start = i;
    const err = scanString();
    if (err) return err;
    if (duplicates) {
      const raw = text.slice(start + 1, i - 1);
      const name = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      const seen = names[names.length - 1];
      if (seen.has(name)) return fail(start, `duplicate property "${name}" in one object (JSON would keep only the last: remove one)`);
      seen.add(name);
    }
    skipWs();
    if (text[i] !== ':') return fail(i, `expected ":" after the property name, got ${charAt(i)}`);
    i++;
    return null;
  };

  skipWs();
  if (i >= n) return fail(i, n === 0 ? 'the file is empty' : 'the file is empty (only white space)');
  for (;;) {
    // A value starts at i (after white space).
    skipWs();
    const c = text[i];
    let opened = false;
    if (c === undefined) return fail(i, 'unexpected end of the file, expected a value');
    if (c === '{' || c === '[') {
      i++;
      skipWs();
      const close = c === '{' ? '}' : ']';
      if (text[i] === close) i++;
      else {
        stack.push(close);
        opened = true;
        if (c === '{') {
          if (duplicates) names.push(new Set());
          const err = scanKey(false);
          if (err) return err;
        }
      }
    } else if (c === '"') {
      const err = scanString();
      if (err) return err;
    } else if (c === '-' && text.startsWith('-Infinity', i)) return fail(i, '-Infinity is not allowed in JSON');
    else if (c === '-' || (c >= '0' && c <= '9')) {
      const err = scanNumber();
      if (err) return err;
    } else {
      const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (word) i += word.length;
      else if (text.startsWith('NaN', i) || text.startsWith('Infinity', i)) return fail(i, `${text.startsWith('NaN', i) ? 'NaN' : 'Infinity'} is not allowed in JSON`);
      else if (c === "'") return fail(i, 'JSON strings need double quotes, got a single quote');
      else return fail(i, `unexpected ${charAt(i)}, expected a value`);
    }
    if (opened) continue;
    // A value ended at i: close containers or move to the next element.
    for (;;) {
      skipWs();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? fail(i, `unexpected ${charAt(i)} after the end of the JSON value`) : null;
      if (text[i] === ',') {
        i++;
        if (top === '}') {
          const err = scanKey(true);
          if (err) return err;
        } else {
          skipWs();
          if (text[i] === ']') return fail(i, 'trailing comma before "]"');
        }
        break;
      }
      if (text[i] === top) {
        i++;
        stack.pop();
        if (top === '}' && duplicates) names.pop();
        continue;
      }
      if (i >= n) return fail(i, `unexpected end of the file, expected "," or "${top}"`);
      const hint = /^["{[\-0-9tfn]/.test(text[i]) ? ' (is a comma missing?)' : '';
      return fail(i, `expected "," or "${top}" ${top === '}' ? 'after a property value' : 'after an array element'}, got ${charAt(i)}${hint}`);
    }
  }
}

/** JSON.parse with the line and column of a syntax error or of a property name given twice in one object. */
export function parseJson(text: string, source: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const found = findJsonSyntaxError(text);
    if (found) throw malformedAt(text, source, found);
    // Not a syntax error (e.g. out of memory): say what JSON.parse said, with a line if it gave a position.
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const where = pos && !/line \d+/.test(msg) ? (({ line, column }) => ` (line ${line}, column ${column})`)(lineColumn(text, Number(pos[1]))) : '';
    throw new BsnnError(`${source}: malformed JSON: ${msg}${where}`);
  }
  const duplicate = findJsonSyntaxError(text, true);
  if (duplicate) throw malformedAt(text, source, duplicate);
  return value;
}

function malformedAt(text: string, source: string, found: { offset: number; message: string }): BsnnError {
  const { line, column } = lineColumn(text, found.offset);
  return new BsnnError(`${source}: malformed JSON at line ${line}, column ${column}: ${found.message}`);
}

/**
 * The text of a model file; refuses a device (/dev/zero would never end) and a file too long for a string. A
 * pipe is read (`bsnn gen-rtl <(…)`).
 */
function readModelText(file: string): string {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new BsnnError(`${file}: is a directory, not a model file`);
    if (!stat.isFile() && !stat.isFIFO()) throw new BsnnError(`${file}: is a device or a socket, not a model file`);
    if (stat.size > MAX_STRING_LENGTH) throw new BsnnError(`${file}: is ${stat.size} bytes, more than the ${MAX_STRING_LENGTH} characters a JSON text can have here: not a model file`);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof BsnnError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', ENOTDIR: 'no such file (a part of the path is not a folder)' };
    throw new BsnnError(`${file}: ${(code && why[code]) ?? `cannot read (${code ?? (e as Error).message})`}`);
  }
}

/** The HDF5 signature as read as UTF-8 (its first byte alone is not valid UTF-8 and becomes U+FFFD). */
const HDF5_AS_TEXT = HDF5_SIGNATURE.toString('utf8');

export function loadModel(file: string): Model {
  let text = readModelText(file);
  if (text.startsWith(HDF5_AS_TEXT)) throw new BsnnError(`${file}: is an HDF5 file (a NIR graph?), not a bsnn/1 model JSON: convert a NIR file with bsnn import`);
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return validateModel(parseJson(text, file), file);
}
