/** Real NIR files (../shared/nir beside the repository, as CI lays it out) and hand-made ones for tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NirArray, NirFile, NirNode } from '../../generator/nir/hdf5.js';

/** Resolved from the repository root, not from the working directory. */
export const NIR_DIR = fileURLToPath(new URL('../../../shared/nir/', import.meta.url));
export const realNir = (name: string) => join(NIR_DIR, name);

export const scratch = () => mkdtempSync(join(tmpdir(), 'bsnn-nir-test-'));

export const arr = (data: number[], shape: number[] = [data.length]): NirArray => ({ shape, data: Float64Array.from(data) });
export const node = (name: string, type: string, params: Record<string, NirArray> = {}): NirNode => ({ name, type, params, text: {} });

/** A chain Input → nodes… → Output as a NIR file without bsnn extras (as another framework would write it). */
export function chainFile(inputs: number, outputs: number, middle: NirNode[]): NirFile {
  const nodes = [node('input', 'Input', { shape: arr([inputs]) }), ...middle, node('output', 'Output', { shape: arr([outputs]) })];
  const edges = nodes.slice(1).map((n, i): [string, string] => [nodes[i].name, n.name]);
  return { version: '0.2.0', nodes, edges, bsnn: null };
}
