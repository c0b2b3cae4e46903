/** Spike traces in the format of docs/semantics.md §6, from the golden model, and their comparison. */
import { GoldenModel, type InferenceResult } from '../golden/infer.js';
import type { PlannedModel } from '../ir/types.js';

/** The golden model's runs of a batch of inputs, each with its runtime seed: the spike trace, optionally the activity. */
export interface GoldenRuns {
  inputs: Uint8Array[];
  seeds: number[];
  results: InferenceResult[];
}

/** Run the golden model once per input (with its trace; `activity` adds what the cycle model needs). */
export function runGolden(plan: PlannedModel, inputs: Uint8Array[], seeds: number[], opts: { activity?: boolean } = {}): GoldenRuns {
  const g = new GoldenModel(plan);
  const results = inputs.map((x, n) => g.infer(x, { trace: true, activity: opts.activity, seed: seeds[n] }));
  return { inputs, seeds, results };
}

/** The runs as trace lines. */
export function traceLines(runs: GoldenRuns): string[] {
  const lines: string[] = [];
  runs.results.forEach((r, n) => {
    const tr = r.trace!;
    for (let e = 0; e < tr.neuron.length; e++) lines.push(`${n} ${tr.sample[e]} ${tr.timestep[e]} ${tr.layer[e]} ${tr.neuron[e]}`);
    lines.push(`R ${n} ${r.cls} ${Array.from(r.counts).join(' ')}`);
  });
  return lines;
}

export interface SpikeLine {
  input: number;
  sample: number;
  timestep: number;
  layer: number;
  neuron: number;
}

export interface ResultLine {
  input: number;
  cls: number;
  counts: number[];
}

export interface ParsedTrace {
  /** Spikes of each input, in emission order. */
  spikes: SpikeLine[][];
  results: (ResultLine | undefined)[];
  /** Cycles per inference, where the simulator reported them. */
  cycles: (number | undefined)[];
}

export function parseTrace(lines: string[], inputs: number): ParsedTrace {
  const out: ParsedTrace = {
    spikes: Array.from({ length: inputs }, () => []),
    results: new Array(inputs).fill(undefined),
    cycles: new Array(inputs).fill(undefined),
  };
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f[0] === '') continue;
    if (f[0] === '#') {
      if (f[1] === 'cycles') out.cycles[Number(f[2])] = Number(f[3]);
      continue;
    }
    if (f[0] === 'R') {
      const input = Number(f[1]);
      out.results[input] = { input, cls: Number(f[2]), counts: f.slice(3).map(Number) };
      continue;
    }
    const [input, sample, timestep, layer, neuron] = f.map(Number);
    if (input >= 0 && input < inputs) out.spikes[input].push({ input, sample, timestep, layer, neuron });
  }
  return out;
}

export interface Divergence {
  input: number;
  what: string;
}

export interface Comparison {
  compared: number;
  mismatched: number;
  first?: Divergence;
  /** Spikes compared (over the layers compared). */
  spikesCompared: number;
  /** Whether each inference's measured cycles were compared with the cycle model too. */
  cyclesCompared: boolean;
}

const describeSpike = (s?: SpikeLine) => (s ? `spike of neuron ${s.neuron} (layer ${s.layer}, sample ${s.sample}, timestep ${s.timestep})` : 'no further spike');

/** The one of two trace lines that comes first in (sample, timestep, layer) order. */
function earlier(x: SpikeLine, y: SpikeLine): SpikeLine {
  const p = [x.sample, x.timestep, x.layer];
  const q = [y.sample, y.timestep, y.layer];
  const d = p.findIndex((v, i) => v !== q[i]);
  return d < 0 || p[d] < q[d] ? x : y;
}

/**
 * Compare the simulator's trace with the golden model's, input by input. Output-layer spikes and the result
 * line always; hidden layers too when `allLayers`; the measured cycles when `expectedCycles` (the cycle model's).
 */
export function compareTraces(expected: ParsedTrace, got: ParsedTrace, outputLayer: number, allLayers: boolean, expectedCycles?: number[]): Comparison {
  const n = expected.results.length;
  let mismatched = 0;
  let spikesCompared = 0;
  let first: Divergence | undefined;
  const keep = (s: SpikeLine) => allLayers || s.layer === outputLayer;
  for (let i = 0; i < n; i++) {
    const e = expected.spikes[i].filter(keep);
    const g = got.spikes[i].filter(keep);
    let why: string | undefined;
    for (let k = 0; k < Math.max(e.length, g.length); k++) {
      const a = e[k];
      const b = g[k];
      if (a && b && a.sample === b.sample && a.timestep === b.timestep && a.layer === b.layer && a.neuron === b.neuron) continue;
      // Name the divergence where it starts: the earlier of the two lines.
      const at = a && b ? earlier(a, b) : (a ?? b!);
      why = `layer ${at.layer}, sample ${at.sample}, timestep ${at.timestep}: expected ${describeSpike(a)}, got ${describeSpike(b)}`;
      break;
    }
    spikesCompared += e.length;
    const er = expected.results[i];
    const gr = got.results[i];
    if (!why) {
      if (!gr) why = 'the simulator produced no result (did it finish?)';
      else if (er && (er.cls !== gr.cls || er.counts.join(' ') !== gr.counts.join(' ')))
        why = `result: expected class ${er.cls} votes [${er.counts.join(' ')}], got class ${gr.cls} votes [${gr.counts.join(' ')}]`;
      else if (expectedCycles && got.cycles[i] !== expectedCycles[i]) why = `cycles: the cycle model predicts ${expectedCycles[i]}, the simulation took ${got.cycles[i] ?? 'none'}`;
    }
    if (why) {
      mismatched++;
      first ??= { input: i, what: why };
    }
  }
  return { compared: n, mismatched, first, spikesCompared, cyclesCompared: expectedCycles !== undefined };
}
