/**
 * IDX files (the MNIST format, yann.lecun.com/exdb/mnist): a 4-byte magic — two zero bytes, a type byte, the
 * number of dimensions — then one big-endian uint32 per dimension, then the data in row-major order.
 * Only type 0x08 (unsigned byte) is supported: MNIST images are 0x00000803 (count × rows × cols) and labels
 * 0x00000801 (count). Gzip-compressed files (.gz, or any file starting with the gzip magic 1f 8b) are
 * decompressed with node:zlib.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BsnnError } from '../util/errors.js';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export interface IdxDataset {
  /** One Uint8Array(rows·cols) of intensities 0..255 per image. */
  inputs: Uint8Array[];
  labels: Uint8Array;
  rows: number;
  cols: number;
}

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const hex = (v: number, digits: number) => '0x' + v.toString(16).padStart(digits, '0');

function readBytes(file: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BsnnError(`${file}: cannot read IDX file (${code ?? (e as Error).message})`);
  }
  if (file.endsWith('.gz') || (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b)) {
    try {
      return gunzipSync(raw);
    } catch (e) {
      throw new BsnnError(`${file}: not a valid gzip file (${(e as Error).message})`);
    }
  }
  return raw;
}

/** Parse IDX bytes; `file` names the source in error messages. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new BsnnError(`${file}: truncated IDX file: expected at least 4 header bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new BsnnError(
      `${file}: not an IDX file: magic number ${hex(magic, 8)} (expected 0x000008NN, e.g. 0x00000803 for images, 0x00000801 for labels)`,
    );
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const name = TYPE_NAMES[type] ? `${TYPE_NAMES[type]} data` : 'an unknown type';
    throw new BsnnError(`${file}: unsupported IDX type byte ${hex(type, 2)} (${name}); only 0x08 (unsigned byte) is supported`);
  }
  const ndims = bytes[3];
  // 0x000008NN with NN = 0 does fit the magic: say what is wrong with it rather than "not an IDX file".
  if (ndims === 0) throw new BsnnError(`${file}: IDX file of 0 dimensions (magic ${hex(magic, 8)}): a labels file has 1 (count), an images file 2 to 4 (count × …)`);
  const header = 4 + 4 * ndims;
  if (bytes.length < header) {
    throw new BsnnError(`${file}: truncated IDX header: expected ${header} bytes for ${ndims} dimensions, got ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - header;
  if (actual < expected) {
    throw new BsnnError(
      `${file}: truncated IDX data: dimensions ${dims.join('×')} need ${expected} data bytes (${header + expected} in all), got ${actual} (${bytes.length} in all)`,
    );
  }
  if (actual > expected) {
    throw new BsnnError(
      `${file}: IDX file longer than its header says: dimensions ${dims.join('×')} need ${expected} data bytes, got ${actual} (${actual - expected} extra)`,
    );
  }
  // A plain Uint8Array view (not a Buffer), whatever the source.
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, expected) };
}

/** Read an IDX file (optionally gzip-compressed). */
export function readIdx(file: string): IdxArray {
  return parseIdx(readBytes(file), file);
}

/** Read an images file (3 dimensions: count × rows × cols) and a labels file (1 dimension: count). */
export function loadIdxDataset(imagesPath: string, labelsPath: string): IdxDataset {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (images.dims.length !== 3) {
    throw new BsnnError(
      `${imagesPath}: an images file must have 3 dimensions (count × rows × cols, magic 0x00000803), this one has ${images.dims.length} (${images.dims.join('×') || 'scalar'})`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new BsnnError(
      `${labelsPath}: a labels file must have 1 dimension (count, magic 0x00000801), this one has ${labels.dims.length} (${labels.dims.join('×') || 'scalar'})`,
    );
  }
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new BsnnError(
      `dimension mismatch: ${imagesPath} holds ${count} images but ${labelsPath} holds ${labels.dims[0]} labels`,
    );
  }
  const size = rows * cols;
  const inputs = Array.from({ length: count }, (_, i) => images.data.slice(i * size, (i + 1) * size));
  return { inputs, labels: labels.data.slice(), rows, cols };
}

/** Encode an unsigned-byte IDX file (for tests and for exporting data sets). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new BsnnError(`encodeIdx: dimensions ${dims.join('×')} need ${expected} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
