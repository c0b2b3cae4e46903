/**
 * bsnn estimate: resources, timing, throughput, power and energy of a planned design, before Vivado runs.
 * Resources come from real synthesis (Yosys, per block) or from the analytical model (milliseconds, for
 * sweeps); activity comes from the bit-exact golden model; cycles from the cycle model.
 */
import { DEFAULT_CLOCK_MHZ } from '../board/clock.js';
import { findPart } from '../board/part.js';
import { emitVerilog } from '../emit/verilog.js';
import type { PlannedModel } from '../ir/types.js';
import { analyseTiming } from '../synth/timing.js';
import { synthesise, type SynthEngine } from '../synth/yosys.js';
import { BsnnError } from '../util/errors.js';
import { measureActivity } from './activity.js';
import { estimateResources } from './analytical.js';
import { estimatePower } from './power.js';
import { blocksFromStat } from './synthesised.js';
import type { Activity, EstimateReport, PartInfo, Resources, Utilisation } from './types.js';

export type ResourceMethod = 'yosys' | 'analytical';

export interface EstimateOptions {
  part: string;
  /** Clock for throughput and power; default the estimated Fmax (synthesis) or DEFAULT_CLOCK_MHZ. */
  clockMHz?: number;
  resources: ResourceMethod;
  engine?: SynthEngine;
  /** Inputs whose golden-model activity drives the cycle and power figures. */
  inputs: Uint8Array[];
  /** What those inputs are, for the report (e.g. "the first 32 images of the mnist test split"). */
  inputSource?: string;
  /** Called when a slow step starts (synthesis), for progress display. */
  onStep?: (what: string) => void;
  /** Called with each Yosys pass as synthesis runs. */
  onPass?: (pass: string) => void;
}


export function resolvePart(name: string): PartInfo {
  const part = findPart(name);
  if (!part) throw new BsnnError(`--part: "${name}" is not a Zynq-7000 part this tool knows (xc7z007s … xc7z100)`);
  return part;
}

export function utilisation(r: Resources, part: PartInfo): Utilisation {
  return { lut: r.lut / part.lut, ff: r.ff / part.ff, bram: (r.bram36 + r.bram18 / 2) / part.bram36, dsp: part.dsp > 0 ? r.dsp / part.dsp : 0 };
}

export const fitsPart = (u: Utilisation): boolean => u.lut <= 1 && u.ff <= 1 && u.bram <= 1 && u.dsp <= 1;

/**
 * For a design that does not fit: the largest power-of-two cap on every layer's lanes that fits, then smaller
 * probability bits at the current lanes, found with the analytical model. Returns human-readable advice.
 */
export function fitAdvice(plan: PlannedModel, part: PartInfo, replan: Replan): string[] {
  // Called once the report has found that `plan` does not fit (by whichever resource method it used).
  const fits = (p: PlannedModel) => fitsPart(utilisation(estimateResources(p).total, part));
  const advice: string[] = [];
  const lanes = plan.layers.map((L) => L.lanes);
  for (let cap = 2 ** Math.floor(Math.log2(Math.max(...lanes))); cap >= 1; cap /= 2) {
    const capped = lanes.map((P) => Math.min(P, cap));
    if (capped.every((P, l) => P === lanes[l])) continue;
    if (fits(replan(capped))) {
      advice.push(`--lanes ${capped.join(',')} fits ${part.part}`);
      break;
    }
  }
  const k = Math.max(...plan.layers.map((L) => L.probBits));
  for (let bits = k - 1; bits >= 1; bits--) {
    if (fits(replan(lanes, bits))) {
      advice.push(`--prob-bits ${bits} fits ${part.part} at the current lanes`);
      break;
    }
  }
  if (advice.length === 0) advice.push(`no lanes or prob-bits setting fits ${part.part}: use a larger part or a smaller network`);
  return advice;
}

/** Re-plan the same model with other knobs (lanes per layer or for all, probability bits). */
export type Replan = (lanes: number | number[] | undefined, probBits?: number) => PlannedModel;

export async function estimate(plan: PlannedModel, opts: EstimateOptions, replan: Replan): Promise<EstimateReport> {
  const part = resolvePart(opts.part);
  const activity: Activity = measureActivity(plan, opts.inputs);

  let resources: EstimateReport['resources'];
  let timing: EstimateReport['timing'];
  if (opts.resources === 'yosys') {
    // The core alone: the AXI wrapper, Vivado files and host drivers are not what the estimate measures.
    const design = emitVerilog(plan);
    opts.onStep?.('synthesising with Yosys (synth_xilinx)');
    const syn = await synthesise({ top: design.top, files: design.files }, { engine: opts.engine, netlist: true, onPass: opts.onPass });
    const { total, blocks } = blocksFromStat(plan, syn.stat);
    resources = { method: 'yosys', total, blocks };
    const t = analyseTiming(syn.netlist!, design.top);
    timing = { fmaxMHz: t.fmaxMHz, logicLevels: t.logicLevels, clockMHz: opts.clockMHz ?? Math.floor(t.fmaxMHz), method: t.method };
  } else {
    const { total, blocks } = estimateResources(plan);
    resources = { method: 'analytical', total, blocks };
    const clockMHz = opts.clockMHz ?? DEFAULT_CLOCK_MHZ;
    timing = { fmaxMHz: NaN, logicLevels: null, clockMHz, method: `no synthesis: Fmax not estimated; throughput and power at ${clockMHz} MHz` };
  }

  const util = utilisation(resources.total, part);
  const fits = fitsPart(util);
  const latencyUS = activity.cyclesPerInference / timing.clockMHz;
  const power = estimatePower({ part, clockMHz: timing.clockMHz, resources: resources.total, activity, plan });
  return {
    model: plan.name,
    inputSource: opts.inputSource ?? `${opts.inputs.length} inputs given by the caller`,
    modelHash: plan.modelHash,
    part,
    knobs: { lanes: plan.layers.map((L) => L.lanes), probBits: plan.layers.map((L) => L.probBits) },
    resources,
    utilisation: util,
    fits,
    fitAdvice: fits ? [] : fitAdvice(plan, part, replan),
    timing,
    activity,
    throughput: {
      cyclesPerInference: activity.cyclesPerInference,
      latencyUS,
      inferencesPerSecond: 1e6 / latencyUS,
      gsops: (activity.synapticOps * (1e6 / latencyUS)) / 1e9,
    },
    power,
  };
}
