/**
 * The estimate's Fmax, remembered per design so that gen-rtl can check its clock without running Yosys.
 *
 * `bsnn estimate` (and `gen-rtl --clock-mhz auto`) time the synthesised core; the result is a pure function of
 * the core's RTL and memory images and of the bsnn version (which fixes the timing model), so it is stored
 * under the SHA-256 of exactly those. gen-rtl emits the same core, computes the same key and reads the record:
 * a check it can make in milliseconds. A record never changes what gen-rtl writes unless `--clock-mhz auto`
 * asked for it, and then only by what a fresh timing run would give, so outputs stay byte-identical.
 *
 * Where: $BSNN_CACHE_DIR, else $XDG_CACHE_HOME/bsnn, else ~/.cache/bsnn; one small JSON file per design under
 * timing/. A folder that cannot be written only means the next gen-rtl cannot check.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EmittedFile } from '../emit/files.js';
import { bsnnVersion } from '../util/paths.js';

export interface TimingRecord {
  /** SHA-256 of the bsnn version and the core's files (timingKey). */
  key: string;
  fmaxMHz: number;
  logicLevels: number;
  method: string;
  /** Which Yosys ran (native or yowasp). */
  engine: string;
  /** For a person reading the file: the model and lanes it was made for. */
  model: string;
  lanes: number[];
}

export function cacheDir(): string {
  const env = process.env;
  if (env.BSNN_CACHE_DIR) return env.BSNN_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'bsnn');
}

/** The key of a core: its files (path and content, in path order) and the bsnn version. */
export function timingKey(coreFiles: readonly EmittedFile[]): string {
  const h = createHash('sha256').update(`bsnn ${bsnnVersion()} timing\n`);
  for (const f of [...coreFiles].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`${f.path}\n${f.content.length}\n`).update(f.content);
  }
  return h.digest('hex');
}

const recordPath = (key: string) => join(cacheDir(), 'timing', `${key}.json`);

export function readTimingRecord(key: string): TimingRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(recordPath(key), 'utf8')) as TimingRecord;
    return r.key === key && Number.isFinite(r.fmaxMHz) && r.fmaxMHz > 0 ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Stores the record (atomically: a half-written file is never read); false when the folder is not writable. */
export function writeTimingRecord(r: TimingRecord): boolean {
  const path = recordPath(r.key);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(join(cacheDir(), 'timing'), { recursive: true });
    writeFileSync(tmp, JSON.stringify(r, null, 2) + '\n');
    renameSync(tmp, path);
    return true;
  } catch {
    return false;
  }
}
