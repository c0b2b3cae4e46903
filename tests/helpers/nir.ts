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

/** A chain from an image Input [c, h, w] (the shape a conv network needs) → nodes… → Output. */
export function imageChainFile(shape: [number, number, number], outputs: number, middle: NirNode[]): NirFile {
  const file = chainFile(1, outputs, middle);
  file.nodes[0] = node('input', 'Input', { shape: arr(shape) });
  return file;
}

/** A Conv2d node as Sinabs writes one: weight [C_out, C_in, kh, kw], bias, stride, padding, dilation 1, groups 1. */
export function conv2d(name: string, weight: number[], shape: [number, number, number, number], o: { stride?: number; padding?: number; bias?: number[]; dilation?: number; groups?: number } = {}): NirNode {
  return node(name, 'Conv2d', {
    weight: arr(weight, shape),
    bias: arr(o.bias ?? new Array<number>(shape[0]).fill(0)),
    stride: arr([o.stride ?? 1, o.stride ?? 1]),
    padding: arr([o.padding ?? 0, o.padding ?? 0]),
    dilation: arr([o.dilation ?? 1, o.dilation ?? 1]),
    groups: arr([o.groups ?? 1], []),
  });
}

/** A pool node (SumPool2d or AvgPool2d) of kernel q, stride s (default q), padding p. */
export const pool2d = (name: string, type: 'SumPool2d' | 'AvgPool2d', q: number, s = q, p = 0): NirNode =>
  node(name, type, { kernel_size: arr([q, q]), stride: arr([s, s]), padding: arr([p, p]) });

/** An IF node with one threshold per channel (r = 1, no v_reset: subtraction). */
export const ifNode = (name: string, thresholds: number[]): NirNode => node(name, 'IF', { r: arr([1]), v_threshold: arr(thresholds) });
