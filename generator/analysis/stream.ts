/**
 * Throughput when the host streams samples back to back through the AXI wrapper (templates/axi_wrapper.v.hbs)
 * and takes every result at once: the next sample streams in while the core runs once the core reads its
 * inputs no more (direct input), so samples overlap inferences. docs/semantics.md §7 states it; the AXI
 * co-simulation holds it to the launch-to-launch cycles it measures.
 */
import type { PlannedModel } from '../ir/types.js';
import type { CycleBreakdown } from './cycles.js';

/**
 * Cycles from one launch of the core to the next, in steady state: the inference and its result (the C-cycle
 * vote sum, C + 2 beats out, two cycles of the wrapper's state machine), or the next sample's M beats from the
 * moment the inputs are free and two cycles to launch, whichever is longer.
 */
export function streamedInterval(plan: PlannedModel, c: CycleBreakdown): number {
  const C = plan.outputs;
  return Math.max(c.total + 2 * C + 4, c.inputsFreeAfter + plan.input.size + 2);
}
