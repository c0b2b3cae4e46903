/**
 * Power and energy model: an activity-based, pre-place-and-route estimate for the Zynq-7000 programmable
 * logic (28 nm 7-series fabric). Energy per inference = golden-model event counts × per-event energies
 * (estimate/energy.ts; each layer's op prices its own activity), plus the clock tree for every cycle the design
 * runs, plus the part's static power. A pure function of its inputs: no I/O, no mutable state, nothing cached.
 *
 * Every number has its source or derivation in docs/estimation.md ("Power and energy"), and the doc says
 * plainly which figures are published, which are calibrated against public Vivado reports and which are
 * derived by arithmetic from those. The signoff figure is Vivado report_power with simulation activity.
 */
import type { PlannedModel } from '../ir/types.js';
import { opOf } from '../ops/registry.js';
import { encoderReads, encoderWords } from '../analysis/encoder.js';
import { addrBits } from '../ir/widths.js';
import { ENERGY_28NM, encoderEventPJ, encoderScanPJ, encoderWordPJ, noEnergy, type ActivityEnergy, type EnergyCoefficients } from './energy.js';
import { mapMemory } from './libmap.js';
import { encoderMemory } from './structure.js';
import type { Activity, PartInfo, PowerBreakdownItem, PowerEstimate, Resources } from './types.js';

/**
 * Activity of one inference. The golden model's counts (types.ts), plus optionally the encoder's reads (inputs
 * for rate coding, 8-input words for direct input); when absent they are `encoderScans(plan)` (exact, not an
 * approximation).
 */
export type PowerActivity = Activity & { encoderScansPerInference?: number };

export interface PowerInput {
  part: PartInfo;
  clockMHz: number;
  resources: Resources;
  activity: PowerActivity;
  plan: PlannedModel;
  /** Coefficients; ENERGY_28NM unless given (for sensitivity studies). */
  coefficients?: EnergyCoefficients;
}

export const POWER_METHOD =
  'activity-based estimate from golden-model event counts × per-event energies for 28 nm 7-series; ' +
  'pre-place-and-route; see docs/estimation.md';

/**
 * Static power outside the PL that Vivado's "Device Static" includes: the PS rails (VCCPINT, VCCPAUX, VCCPLL),
 * the XADC and VCCO. From the xc7z020 report in docs/estimation.md: Device Static 114.0 mW − PL 33.8 mW. The
 * PS is the same block on every Zynq-7000, so the same figure is added for every part.
 */
export const NON_PL_STATIC_MW = 114.0 - 33.8;

const PER_LAYER: Array<keyof Activity> = ['eventsPerLayer', 'spikesPerLayer', 'memReadsPerLayer', 'weightDrawsPerLayer', 'accUpdatesPerLayer', 'neuronUpdatesPerLayer'];

/**
 * What the encoder reads per inference (docs/semantics.md §3, §7): every input every timestep for rate coding;
 * every 8-input word once for direct input, whose event list layer 0 replays.
 */
export const encoderScans = (plan: PlannedModel): number => encoderReads(plan);

/** The activity part of one inference's energy, by category (pJ). Linear in every activity count. */
export function activityEnergyPJ(plan: PlannedModel, act: PowerActivity, c: EnergyCoefficients = ENERGY_28NM): ActivityEnergy {
  const nL = plan.layers.length;
  for (const a of PER_LAYER) {
    const v = act[a] as number[];
    if (!Array.isArray(v) || v.length !== nL) throw new Error(`activity.${a} has ${v?.length ?? 0} entries, the model ${nL} layers`);
  }
  const e = noEnergy();
  plan.layers.forEach((L, l) => {
    const layerAct = {
      events: act.eventsPerLayer[l],
      spikes: act.spikesPerLayer[l],
      memReads: act.memReadsPerLayer[l],
      weightDraws: act.weightDrawsPerLayer[l],
      accUpdates: act.accUpdatesPerLayer[l],
      neuronUpdates: act.neuronUpdatesPerLayer[l],
    };
    const le = opOf(L).energyPJ(L, plan, layerAct, c);
    for (const k of Object.keys(e) as Array<keyof ActivityEnergy>) e[k] += le[k];
  });
  const scans = act.encoderScansPerInference ?? encoderScans(plan);
  const M = plan.input.size;
  if (plan.input.encoding === 'rate') {
    e.encoder = scans * encoderScanPJ(M, c);
  } else {
    // direct: the words read, plus the events emitted once per inference (layer 0 sees them every timestep)
    const block = mapMemory(encoderMemory(plan)).kind === 'bram';
    const events = act.eventsPerLayer[0] / (plan.samples * plan.timesteps);
    e.encoder = scans * encoderWordPJ(encoderWords(M).words, block, c) + events * encoderEventPJ(addrBits(M), c);
  }
  return e;
}

/**
 * Power at back-to-back operation (a new inference starts as the last ends) and energy per inference.
 *
 *   static  = part.staticMW
 *   clock   = (clockRoot + clockPerFF × FFs) × f
 *   dynamic = clock + Σ(activity energy per inference) × inferences per second
 *   energy per inference = total power × latency
 *
 * Zero activity counts give static + clock exactly; scaling every activity count by s scales the activity
 * part of dynamic power by s exactly (cycles held fixed).
 */
export function estimatePower(input: PowerInput): PowerEstimate {
  const { part, clockMHz, resources, activity, plan } = input;
  const c = input.coefficients ?? ENERGY_28NM;
  if (!(clockMHz > 0)) throw new Error(`clockMHz must be positive, got ${clockMHz}`);
  const cycles = activity.cyclesPerInference;
  if (!(cycles > 0)) throw new Error(`activity.cyclesPerInference must be positive, got ${cycles}`);
  if (!(resources.ff >= 0)) throw new Error(`resources.ff must be a count, got ${resources.ff}`);

  const latencyUS = cycles / clockMHz;
  const inferencesPerSecond = 1e6 / latencyUS;
  // pJ × (1/s) = pW; 1 mW = 1e9 pW.
  const toMW = (pJPerInference: number) => (pJPerInference * inferencesPerSecond) / 1e9;

  const clockMW = ((c.clockRoot + c.clockPerFF * resources.ff) * clockMHz) / 1e3; // pJ × MHz = µW
  const a = activityEnergyPJ(plan, activity, c);
  const breakdown: PowerBreakdownItem[] = [
    { item: 'static', mW: part.staticMW },
    { item: 'clock', mW: clockMW },
    { item: 'memory reads', mW: toMW(a.memoryReads) },
    { item: 'weight draws', mW: toMW(a.weightDraws) },
    { item: 'runtime seed', mW: toMW(a.runtimeSeed) },
    { item: 'accumulate', mW: toMW(a.accumulate) },
    { item: 'neuron updates', mW: toMW(a.neuronUpdates) },
    { item: 'spikes and event lists', mW: toMW(a.spikesAndEvents) },
    { item: 'encoder', mW: toMW(a.encoder) },
  ];
  const dynamicMW = breakdown.slice(1).reduce((s, b) => s + b.mW, 0);
  const totalMW = part.staticMW + dynamicMW;
  return {
    staticMW: part.staticMW,
    dynamicMW,
    totalMW,
    // mW × µs = nJ; / 1000 = µJ.
    energyPerInferenceUJ: (totalMW * latencyUS) / 1e3,
    deviceStaticMW: part.staticMW + NON_PL_STATIC_MW,
    deviceEnergyPerInferenceUJ: ((totalMW + NON_PL_STATIC_MW) * latencyUS) / 1e3,
    breakdown,
    method: POWER_METHOD,
  };
}
