/**
 * Guards around h5wasm for files that are not what they claim: a missing, non-HDF5 or truncated file is refused
 * from its header before HDF5 sees it, and HDF5's error stack (which h5wasm prints and carries on from) is
 * captured so that a damaged file gives one message with HDF5's reason.
 */
import fs, { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { BsnnError } from '../util/errors.js';

/** The eight bytes every HDF5 file starts with (\x89HDF\r\n\x1a\n). */
export const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The file length the superblock declares (base address + end-of-file address), or null when this reader does
 * not know the layout. Superblock versions 0 and 1 (h5py's default) and 2 and 3 (h5wasm's) are read.
 */
function declaredLength(head: Buffer): number | null {
  const version = head[8];
  const offsets = version <= 1 ? head[13] : head[9];
  const baseAt = version === 0 ? 24 : version === 1 ? 28 : version <= 3 ? 12 : -1;
  if (baseAt < 0 || (offsets !== 4 && offsets !== 8)) return null;
  const address = (at: number) => (offsets === 8 ? Number(head.readBigUInt64LE(at)) : head.readUInt32LE(at));
  // v0/v1: base, free-space info, end of file; v2/v3: base, superblock extension, end of file
  const base = address(baseAt);
  const eof = address(baseAt + 2 * offsets);
  const undefinedAddress = offsets === 8 ? Number.MAX_SAFE_INTEGER : 0xffffffff;
  return eof >= undefinedAddress || base >= undefinedAddress ? null : base + eof;
}

/**
 * Refuse a missing, non-HDF5 or truncated file before h5wasm sees it (its own errors are HDF5 diagnostics on
 * stderr, and a truncated file may even open, then look empty).
 */
export function checkHeader(file: string): void {
  if (!existsSync(file)) throw new BsnnError(`${file}: no such file`);
  const stat = statSync(file);
  if (stat.isDirectory()) throw new BsnnError(`${file}: is a directory, not a NIR file`);
  if (stat.size === 0) throw new BsnnError(`${file}: the file is empty (a NIR file is HDF5)`);
  const head = Buffer.alloc(64);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  // HDF5 allows a user block of 512·2^n bytes before the signature; NIR writers never use one.
  if (!head.subarray(0, 8).equals(HDF5_SIGNATURE)) throw new BsnnError(`${file}: not an HDF5 file (no HDF5 signature): a NIR file is HDF5`);
  const length = stat.size < head.length ? stat.size : declaredLength(head);
  if (stat.size < head.length || (length !== null && stat.size < length)) {
    const says = stat.size < head.length ? 'its HDF5 header is cut short' : `its HDF5 superblock says ${length} bytes`;
    throw new BsnnError(`${file}: truncated: the file has ${stat.size} bytes, ${says}`);
  }
}

/**
 * h5wasm prints HDF5's error stack on stderr (dozens of lines per problem) and carries on; its Node build writes
 * it with fs.writeSync(2, …). Run `fn` with those writes captured into `diagnostics`, so that the user sees one
 * message of ours that quotes HDF5's reason.
 */
export function quietly<T>(diagnostics: string[], fn: () => T): T {
  const writeSync = fs.writeSync;
  fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, offset?: number, length?: number, ...rest: unknown[]) => {
    if (fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, data, offset, length, ...rest);
    if (typeof data === 'string') {
      diagnostics.push(data);
      return Buffer.byteLength(data);
    }
    const from = typeof offset === 'number' ? offset : 0;
    const n = typeof length === 'number' ? length : data.byteLength - from;
    diagnostics.push(Buffer.from(data.buffer, data.byteOffset + from, n).toString('utf8'));
    return n;
  }) as typeof fs.writeSync;
  try {
    return fn();
  } finally {
    fs.writeSync = writeSync;
  }
}

/** HDF5's innermost reason from a captured error stack ("bad local heap signature"), or null if none. */
export function hdf5Reason(diagnostics: string[]): string | null {
  const reasons = diagnostics.join('').split('\n').flatMap((line) => {
    const m = /#\d+: .* in [\w.]+\(\): (.+)$/.exec(line);
    return m ? [m[1].trim()] : [];
  });
  return reasons.length > 0 ? reasons[reasons.length - 1] : null;
}
