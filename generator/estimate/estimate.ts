/**
 * bsnn estimate: resources, timing, throughput, power and energy of a planned design, before Vivado runs.
 * Resources come from real synthesis (Yosys, per block) or from the analytical model (milliseconds, for
 * sweeps); activity comes from the bit-exact golden model; cycles from the cycle model.
 */
import { buildClock, clockVersusFmax, fclkAtOrBelow, MIN_FCLK_MHZ, parseClock, type BuildClock } from '../board/clock.js';
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
import { readTimingRecord, timingKey, writeTimingRecord } from './timing-record.js';
import type { Activity, AtClock, EstimateReport, PartInfo, Resources, Utilisation } from './types.js';

export type ResourceMethod = 'yosys' | 'analytical';

export interface EstimateOptions {
  part: string;
  /**
   * The build clock, as --clock-mhz gives it (board/clock.ts): a number (the fastest FCLK at or below it), 'auto'
   * (the fastest FCLK at or below the estimated Fmax; needs synthesis), or undefined: what gen-rtl builds by
   * default. Throughput and power are reported at it, and again at the estimated Fmax.
   */
  clockMHz?: number | 'auto';
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
export type Replan = (lanes: number | number[] | undefined, probBits?: number | number[]) => PlannedModel;

/** The estimated timing of a core: Yosys synth_xilinx, then the netlist's longest path (synth/timing.ts). */
export interface CoreTiming {
  fmaxMHz: number;
  logicLevels: number;
  method: string;
}

/**
 * Synthesise the core (not the AXI wrapper, Vivado files or drivers: the estimate measures the core) and time
 * its netlist. The Fmax is recorded for gen-rtl, which checks its clock against it (timing-record.ts).
 */
export async function synthesiseCore(plan: PlannedModel, opts: { engine?: SynthEngine; onPass?: (pass: string) => void } = {}): Promise<{ stat: string; timing: CoreTiming }> {
  const design = emitVerilog(plan);
  const syn = await synthesise({ top: design.top, files: design.files }, { engine: opts.engine, netlist: true, onPass: opts.onPass });
  const t = analyseTiming(syn.netlist!, design.top);
  const timing = { fmaxMHz: t.fmaxMHz, logicLevels: t.logicLevels, method: t.method };
  writeTimingRecord({ key: timingKey(design.files), ...timing, engine: syn.engine, model: plan.name, lanes: plan.layers.map((L) => L.lanes) });
  return { stat: syn.stat, timing };
}

/**
 * The estimate's Fmax of a design: the record `bsnn estimate` left for exactly this core, else a synthesis run
 * now (which records it). `recorded` says which.
 */
export async function estimatedFmax(plan: PlannedModel, opts: { engine?: SynthEngine; onPass?: (pass: string) => void; onSynthesis?: () => void } = {}): Promise<CoreTiming & { recorded: boolean }> {
  const rec = readTimingRecord(timingKey(emitVerilog(plan).files));
  if (rec) return { fmaxMHz: rec.fmaxMHz, logicLevels: rec.logicLevels, method: rec.method, recorded: true };
  opts.onSynthesis?.();
  return { ...(await synthesiseCore(plan, opts)).timing, recorded: false };
}

/** Latency, throughput, power and energy at one clock. */
function atClock(plan: PlannedModel, part: PartInfo, resources: Resources, activity: Activity, clockMHz: number): AtClock {
  const latencyUS = activity.cyclesPerInference / clockMHz;
  const power = estimatePower({ part, clockMHz, resources, activity, plan });
  return {
    clockMHz,
    latencyUS,
    inferencesPerSecond: 1e6 / latencyUS,
    streamedPerSecond: (clockMHz * 1e6) / activity.streamedCyclesPerInference,
    gsops: (activity.synapticOps * (1e6 / latencyUS)) / 1e9,
    power,
  };
}

/** The clock the figures are at: the rule of board/clock.ts, with the estimate's Fmax for auto. */
function resolveBuildClock(req: number | 'auto' | undefined, fmaxMHz: number): BuildClock {
  const r = parseClock(req);
  if (r.kind === 'auto' && !Number.isFinite(fmaxMHz)) {
    throw new BsnnError('--clock-mhz: auto needs the estimated Fmax, which needs synthesis: drop --synth none (sweeps take a number)');
  }
  return buildClock(r, fmaxMHz);
}

export async function estimate(plan: PlannedModel, opts: EstimateOptions, replan: Replan): Promise<EstimateReport> {
  const part = resolvePart(opts.part);
  parseClock(opts.clockMHz); // a bad clock is refused before minutes of synthesis
  const activity: Activity = measureActivity(plan, opts.inputs);

  let resources: EstimateReport['resources'];
  let core: CoreTiming | undefined;
  if (opts.resources === 'yosys') {
    opts.onStep?.('synthesising with Yosys (synth_xilinx)');
    const syn = await synthesiseCore(plan, { engine: opts.engine, onPass: opts.onPass });
    resources = { method: 'yosys', ...blocksFromStat(plan, syn.stat) };
    core = syn.timing;
  } else {
    resources = { method: 'analytical', ...estimateResources(plan) };
  }
  const fmaxMHz = core?.fmaxMHz ?? NaN;
  const clock = resolveBuildClock(opts.clockMHz, fmaxMHz);
  const check = core ? clockVersusFmax(clock.mhz, fmaxMHz) : undefined;
  const timing: EstimateReport['timing'] = {
    fmaxMHz,
    logicLevels: core?.logicLevels ?? null,
    clockMHz: clock.mhz,
    clockSource: clock.source,
    meetsClock: check ? check.meets : null,
    check: check?.text ?? `Fmax not estimated (no synthesis): the ${clock.mhz} MHz clock is not checked`,
    fmaxClockMHz: core ? fclkAtOrBelow(Math.max(fmaxMHz, MIN_FCLK_MHZ)).mhz : null,
    method: core?.method ?? `no synthesis: Fmax not estimated; throughput and power at ${clock.mhz} MHz`,
  };

  const util = utilisation(resources.total, part);
  const fits = fitsPart(util);
  const build = atClock(plan, part, resources.total, activity, clock.mhz);
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
    throughput: { cyclesPerInference: activity.cyclesPerInference, latencyUS: build.latencyUS, inferencesPerSecond: build.inferencesPerSecond, streamedPerSecond: build.streamedPerSecond, gsops: build.gsops },
    power: build.power,
    atFmax: core ? atClock(plan, part, resources.total, activity, fmaxMHz) : null,
  };
}
