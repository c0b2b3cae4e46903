/**
 * Writing a folder of files all at once: everything goes to a sibling temporary folder, which is renamed
 * into place only when complete. A failure leaves any existing output exactly as it was.
 *
 * Only a folder that is missing, empty, or an earlier output of ours (it holds a manifest.json written by
 * bsnn) is ever replaced: `--out .` in a source tree must be an error, never a deleted repository.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BsnnError } from './errors.js';

export interface OutFile {
  path: string;
  content: string | Uint8Array;
}

/** The generator field every bsnn manifest starts with; it marks a folder as ours to replace. */
export const MANIFEST_GENERATOR_PREFIX = 'bsnn ';

function isOurOutput(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { generator?: unknown };
    return typeof m.generator === 'string' && m.generator.startsWith(MANIFEST_GENERATOR_PREFIX);
  } catch {
    return false;
  }
}

/** Throws unless `target` may be replaced as a whole. */
export function checkReplaceable(target: string): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new BsnnError(`${target} exists and is not a folder: choose another --out`);
  const entries = readdirSync(target);
  if (entries.length === 0 || isOurOutput(target)) return;
  throw new BsnnError(
    `${target} is not empty and is not an earlier bsnn output (no bsnn manifest.json): refusing to replace it; choose an empty or new --out folder`,
  );
}

export function writeFolderAtomically(outDir: string, files: OutFile[]): void {
  const target = resolve(outDir);
  checkReplaceable(target);
  const parent = dirname(target);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw new BsnnError(`cannot create ${parent}: ${(e as Error).message}`);
  }
  const tag = `${process.pid}-${Date.now()}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
  const old = join(parent, `.${basename(target)}.old-${tag}`);
  try {
    for (const f of files) {
      const p = join(tmp, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    if ((e as NodeJS.ErrnoException).code) throw new BsnnError(`cannot write ${target}: ${(e as Error).message}`);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

/** One file, written whole or not at all: a sibling temporary file renamed over the target. */
export function writeFileAtomically(file: string, content: string | Uint8Array): void {
  const target = resolve(file);
  if (existsSync(target) && statSync(target).isDirectory()) throw new BsnnError(`${target} is a folder: give a file name`);
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new BsnnError(`cannot write ${target}: ${(e as Error).message}`);
  }
}

/** Write files under `dir` as they are, not atomically: for scratch folders (simulators, tests). */
export function writeFiles(dir: string, files: readonly OutFile[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}
