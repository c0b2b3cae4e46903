/**
 * The comparison behind `bsnn cosim`, without a simulator: a trace that differs from the golden model's in a
 * spike, a result or its cycles is a mismatch named where it starts.
 */
import { describe, expect, it } from 'vitest';
import { predictCycles } from '../generator/analysis/cycles.js';
import { compareTraces, parseTrace, runGolden, traceLines } from '../generator/cosim/trace.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { randomInputs, randomModel } from '../generator/model/random.js';

const plan = planModel(validateModel(randomModel({ seed: 5, inputs: 6, layers: [12, 3], timesteps: 4 })));
const inputs = randomInputs(7, 3, plan.input.size);
const runs = runGolden(plan, inputs, [1, 2, 3], { activity: true });
const lines = traceLines(runs);
const cycles = runs.results.map((r, i) => predictCycles(plan, r, inputs[i]).total);
const expected = parseTrace(lines, 3);
/** A simulator's trace: the golden lines, then one `# cycles` line per input as the testbenches write it. */
const simulated = (measured: number[], edit: (l: string[]) => string[] = (l) => l) => parseTrace([...edit(lines), ...measured.map((c, i) => `# cycles ${i} ${c}`)], 3);

describe('compareTraces', () => {
  it('the same spikes, results and cycles: no mismatch, cycles compared', () => {
    expect(lines.filter((l) => !l.startsWith('R')).length).toBeGreaterThan(0);
    const r = compareTraces(expected, simulated(cycles), 1, true, cycles);
    expect(r).toMatchObject({ compared: 3, mismatched: 0, cyclesCompared: true });
    expect(r.spikesCompared).toBe(lines.length - 3);
  });

  it('one cycle more than the cycle model: that input mismatches, with both counts', () => {
    const off = cycles.map((c, i) => (i === 1 ? c + 1 : c));
    const r = compareTraces(expected, simulated(off), 1, true, cycles);
    expect(r.mismatched).toBe(1);
    expect(r.first).toEqual({ input: 1, what: `cycles: the cycle model predicts ${cycles[1]}, the simulation took ${cycles[1] + 1}` });
  });

  it('without expected cycles only spikes and results count', () => {
    const r = compareTraces(expected, simulated(cycles.map((c) => c + 5)), 1, true);
    expect(r).toMatchObject({ mismatched: 0, cyclesCompared: false });
  });

  it('a missing spike is named where it starts, before any cycle difference', () => {
    const firstSpike = lines.findIndex((l) => l.startsWith('0 '));
    expect(firstSpike).toBeGreaterThanOrEqual(0);
    const r = compareTraces(expected, simulated(cycles.map((c) => c + 1), (l) => l.filter((_, k) => k !== firstSpike)), 1, true, cycles);
    expect(r.first?.input).toBe(0);
    expect(r.first?.what).toMatch(/^layer \d, sample 0, timestep \d: expected spike of neuron \d+/);
    expect(r.mismatched).toBe(3);
  });
});
