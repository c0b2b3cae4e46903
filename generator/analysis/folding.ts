/**
 * Folding chosen for the user (FINN's target-throughput folding, for lanes): the lanes of every layer that meet
 * a latency target on a part, or the fastest design the part holds. An analysis pass: it plans candidates,
 * measures them with the golden model, the cycle model and the analytical resource model, and returns figures.
 *
 * The search starts from the smallest design (one lane per layer, one event per cycle) and repeatedly makes one
 * move on one layer: cut its passes (by half while there are more than 8, then by one) or let it take two events
 * per cycle (a conv2d layer: two kernel offsets per cycle). The move that saves the most cycles per LUT it adds wins, as long as the design stays within the
 * utilisation cap. Two events per cycle draw the same weights; lanes decide which weight
 * stream feeds which synapse (docs/semantics.md §1), so a model refolded this way draws other (equally
 * distributed) samples: evaluate the chosen folding, not the original one.
 */
import { neuronsOf } from '../model/shapes.js';
import { estimateResources } from '../estimate/analytical.js';
import { utilisation } from '../estimate/estimate.js';
import type { PartInfo, Resources, Utilisation } from '../estimate/types.js';
import { GoldenModel } from '../golden/infer.js';
import { planModel } from '../ir/plan.js';
import type { PlannedModel } from '../ir/types.js';
import type { Model } from '../model/schema.js';
import { predictCycles } from './cycles.js';
import { DEFAULT_MAX_UTILISATION } from './folding-defaults.js';

export interface FoldingTarget {
  part: PartInfo;
  clockMHz: number;
  /** Latency per image to meet, µs; without it, the fastest design within the cap. */
  latencyUS?: number;
  /** Highest utilisation of LUTs, flip-flops and block RAM to plan for (place-and-route needs headroom). */
  maxUtilisation?: number;
  /** Probability bits of every layer (as `planModel`'s option). */
  probBits?: number;
}

export interface FoldingPoint {
  lanes: number[];
  eventsPerCycle: number[];
  /** Kernel offsets per cycle (conv2d layers; 1 for the others). */
  offsetsPerCycle: number[];
  cyclesPerInference: number;
  latencyUS: number;
  resources: Resources;
  utilisation: Utilisation;
}

export interface FoldingChoice extends FoldingPoint {
  plan: PlannedModel;
  /** The latency target is met (always true without a target). */
  met: boolean;
  /** Every design the search stepped through, smallest first. */
  path: FoldingPoint[];
}

export { DEFAULT_MAX_UTILISATION };

interface Measured {
  point: FoldingPoint;
  plan: PlannedModel;
}

/** The knobs the search turns, per layer. */
type Knobs = Pick<FoldingPoint, 'lanes' | 'eventsPerCycle' | 'offsetsPerCycle'>;

function measure(model: Model, knobs: Knobs, inputs: Uint8Array[], target: FoldingTarget): Measured {
  const { lanes, eventsPerCycle, offsetsPerCycle } = knobs;
  const plan = planModel(model, { lanes, eventsPerCycle, offsetsPerCycle, probBits: target.probBits });
  const golden = new GoldenModel(plan);
  let cycles = 0;
  for (const x of inputs) cycles += predictCycles(plan, golden.infer(x, { activity: true }), x).total;
  const cyclesPerInference = cycles / inputs.length;
  const resources = estimateResources(plan).total;
  return {
    plan,
    point: { lanes, eventsPerCycle, offsetsPerCycle, cyclesPerInference, latencyUS: cyclesPerInference / target.clockMHz, resources, utilisation: utilisation(resources, target.part) },
  };
}

const withinCap = (u: Utilisation, cap: number) => u.lut <= cap && u.ff <= cap && u.bram <= cap && u.dsp <= cap;

/** Lanes of a layer of N neurons with fewer passes: half as many while there are many, then one fewer. */
function fewerPasses(N: number, P: number): number {
  const F = Math.ceil(N / P);
  return Math.ceil(N / (F > 8 ? Math.ceil(F / 2) : F - 1));
}

/** The moves from `k`, one layer at a time: fewer passes, or two events per cycle (conv layers: two offsets per cycle). */
function moves(k: Knobs, sizes: number[], conv: boolean[]): Knobs[] {
  const out: Knobs[] = [];
  const set = (xs: number[], l: number, v: number) => xs.map((x, i) => (i === l ? v : x));
  for (let l = 0; l < sizes.length; l++) {
    if (k.lanes[l] < sizes[l]) out.push({ ...k, lanes: set(k.lanes, l, fewerPasses(sizes[l], k.lanes[l])) });
    if (!conv[l] && k.eventsPerCycle[l] === 1) out.push({ ...k, eventsPerCycle: set(k.eventsPerCycle, l, 2) });
    if (conv[l] && k.offsetsPerCycle[l] === 1) out.push({ ...k, offsetsPerCycle: set(k.offsetsPerCycle, l, 2) });
  }
  return out;
}

export function chooseFolding(model: Model, inputs: Uint8Array[], target: FoldingTarget): FoldingChoice {
  if (inputs.length === 0) throw new RangeError('chooseFolding needs at least one input');
  const cap = target.maxUtilisation ?? DEFAULT_MAX_UTILISATION;
  const sizes = model.layers.map(neuronsOf);
  const conv = model.layers.map((s) => s.type === 'conv2d');
  const met = (p: FoldingPoint) => target.latencyUS === undefined || p.latencyUS <= target.latencyUS;
  let current = measure(model, { lanes: sizes.map(() => 1), eventsPerCycle: sizes.map(() => 1), offsetsPerCycle: sizes.map(() => 1) }, inputs, target);
  const path = [current.point];
  while (!(target.latencyUS !== undefined && met(current.point))) {
    // Every move within the cap; the one that saves the most cycles per LUT wins (ties to the first: the lower
    // layer, lanes before events per cycle).
    let best: { next: Measured; gain: number } | undefined;
    for (const knobs of moves(current.point, sizes, conv)) {
      const next = measure(model, knobs, inputs, target);
      if (!withinCap(next.point.utilisation, cap)) continue;
      const saved = current.point.cyclesPerInference - next.point.cyclesPerInference;
      const gain = saved / Math.max(1, next.point.resources.lut - current.point.resources.lut);
      if (saved > 0 && (!best || gain > best.gain)) best = { next, gain };
    }
    if (!best) break;
    current = best.next;
    path.push(current.point);
  }
  return { ...current.point, plan: current.plan, met: met(current.point), path };
}
