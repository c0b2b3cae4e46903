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

/**
 * A 28×28 MNIST digit (intensities 0..255) as an N-MNIST-like 2×34×34 input for cnn_sinabs.nir (N-MNIST itself
 * is not here): the digit centred (offset 3); with g = 2·I(y,x) − I(y,x−1) − I(y−1,x) (I in [0,1]), channel 0
 * (ON events) is 0.5·max(g, 0) and channel 1 (OFF) 0.5·max(−g, 0), clipped to [0, 1]: edges, as a saccade shows them.
 */
export function nmnistLike(pixels: ArrayLike<number>): number[] {
  const at = (y: number, x: number) => (y < 0 || x < 0 || y >= 28 || x >= 28 ? 0 : pixels[y * 28 + x] / 255);
  const out = new Array<number>(2 * 34 * 34).fill(0);
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const g = 2 * at(y, x) - at(y, x - 1) - at(y - 1, x);
      out[(y + 3) * 34 + x + 3] = Math.min(1, Math.max(0, g) * 0.5);
      out[34 * 34 + (y + 3) * 34 + x + 3] = Math.min(1, Math.max(0, -g) * 0.5);
    }
  }
  return out;
}
