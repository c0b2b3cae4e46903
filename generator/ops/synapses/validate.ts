/** Validation helpers for the fields every layer kind may have. */
import type { LayerSpec } from '../../model/schema.js';
import { neuronsOf } from '../../model/shapes.js';
import type { JsonPath, ProblemSink } from '../op.js';

/** "1 entry", "2 entries", "1 row", "3 rows". */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A per-neuron field (one number, or one per neuron): integers within lo..hi. False once the sink is full. */
export function checkPerNeuron(
  spec: LayerSpec,
  name: 'threshold' | 'bias',
  lo: number,
  hi: number,
  why: string,
  at: (...rest: PropertyKey[]) => JsonPath,
  problems: ProblemSink,
): boolean {
  const v = spec[name];
  if (v === undefined) return true;
  const n = neuronsOf(spec);
  const per = spec.type === 'conv2d' ? 'one per output channel' : 'one per neuron';
  if (Array.isArray(v) && v.length !== n && !problems.add(at(name), `has ${count(v.length, 'entry', 'entries')}, expected ${n} (${per}) or a single number`)) return false;
  const list = Array.isArray(v) ? v : [v];
  for (let n = 0; n < list.length; n++) {
    const x = list[n];
    const where = Array.isArray(v) ? at(name, n) : at(name);
    if (!Number.isInteger(x) && !problems.add(where, `${x} is not an integer`)) return false;
    if (Number.isInteger(x) && (x < lo || x > hi) && !problems.add(where, `${x} is outside ${lo}..${hi} (${why})`)) return false;
  }
  return true;
}
