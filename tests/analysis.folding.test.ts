/**
 * The folding choice (analysis/folding.ts): lanes per layer chosen to meet a latency target on a part, or the
 * fastest design within the utilisation cap, measured with the golden model, the cycle model and the
 * analytical resource model.
 */
import { describe, expect, it } from 'vitest';
import { chooseFolding } from '../generator/analysis/folding.js';
import { findPart } from '../generator/board/part.js';
import { validateModel } from '../generator/model/load.js';
import { randomInputs, randomModel } from '../generator/model/random.js';

const model = validateModel(randomModel({ seed: 61, name: 'fold', inputs: 48, layers: [40, 6], probBits: 3, timesteps: 4, encoding: 'direct' }));
const inputs = randomInputs(5, 6, 48);
const part = findPart('xc7z020')!;

describe('choosing lanes for a target', () => {
  const fastest = chooseFolding(model, inputs, { part, clockMHz: 100 });
  const smallest = fastest.path[0];

  it('starts from one lane per layer and only gets faster along the path', () => {
    expect(smallest.lanes).toEqual([1, 1]);
    expect(smallest.eventsPerCycle).toEqual([1, 1]);
    for (let i = 1; i < fastest.path.length; i++) {
      expect(fastest.path[i].cyclesPerInference).toBeLessThan(fastest.path[i - 1].cyclesPerInference);
      fastest.path[i].lanes.forEach((P, l) => expect(P).toBeGreaterThanOrEqual(fastest.path[i - 1].lanes[l]));
      fastest.path[i].eventsPerCycle.forEach((D, l) => expect(D).toBeGreaterThanOrEqual(fastest.path[i - 1].eventsPerCycle[l]));
    }
  });

  it('without a target: every layer in one pass, two events per cycle, when the part holds it; the reported figures are the plan\'s', () => {
    expect(fastest.met).toBe(true);
    expect(fastest.lanes).toEqual([40, 6]);
    expect(fastest.eventsPerCycle).toEqual([2, 2]);
    expect(fastest.plan.layers.map((L) => L.lanes)).toEqual(fastest.lanes);
    expect(fastest.plan.layers.map((L) => L.eventsPerCycle)).toEqual(fastest.eventsPerCycle);
    expect(fastest.latencyUS).toBeCloseTo(fastest.cyclesPerInference / 100, 9);
  });

  it('a reachable target: met, and the first design on the path that meets it', () => {
    const target = (smallest.latencyUS + fastest.latencyUS) / 2;
    const c = chooseFolding(model, inputs, { part, clockMHz: 100, latencyUS: target });
    expect(c.met).toBe(true);
    expect(c.latencyUS).toBeLessThanOrEqual(target);
    expect(c.path.slice(0, -1).every((p) => p.latencyUS > target)).toBe(true);
    expect(c.resources.lut).toBeLessThan(fastest.resources.lut);
  });

  it('an unreachable target: not met, and the fastest design within the cap instead', () => {
    const c = chooseFolding(model, inputs, { part, clockMHz: 100, latencyUS: fastest.latencyUS / 10 });
    expect(c.met).toBe(false);
    expect(c.lanes).toEqual(fastest.lanes);
  });

  it('a small cap stops the search before the part fills', () => {
    const c = chooseFolding(model, inputs, { part, clockMHz: 100, maxUtilisation: 0.03 });
    expect(c.utilisation.lut).toBeLessThanOrEqual(0.03);
    expect(c.cyclesPerInference).toBeGreaterThan(fastest.cyclesPerInference);
  });

  it('is deterministic', () => {
    expect(chooseFolding(model, inputs, { part, clockMHz: 100, latencyUS: 200 }).lanes).toEqual(chooseFolding(model, inputs, { part, clockMHz: 100, latencyUS: 200 }).lanes);
  });
});
