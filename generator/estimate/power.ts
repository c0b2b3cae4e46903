/**
 * Power and energy model: an activity-based, pre-place-and-route estimate for the Zynq-7000 programmable
 * logic (28 nm 7-series fabric). Energy per inference = golden-model event counts × per-event energies,
 * plus the clock tree for every cycle the design runs, plus the part's static power. A pure function of its
 * inputs: no I/O, no mutable state (the coefficient set is frozen), nothing cached.
 *
 * Every number below has its source or derivation in docs/estimation.md ("Power and energy"), and the doc says
 * plainly which figures are published, which are calibrated against public Vivado reports and which are
 * derived by arithmetic from those. The signoff figure is Vivado report_power with simulation activity.
 */
import { datapathBits } from '../ir/widths.js';
import { BRAM_THRESHOLD_BITS } from '../emit/verilog.js';
import type { Encoding, PlannedModel, SamplingMode } from '../ir/types.js';
import type { Activity, PartInfo, PowerBreakdownItem, PowerEstimate, Resources } from './types.js';

// ---------------------------------------------------------------------------------------------------------
// Parts
// ---------------------------------------------------------------------------------------------------------

/**
 * PL static power model (docs/estimation.md "Static power"): staticMW ≈ STATIC_FIXED_MW + STATIC_PER_KLC_MW ×
 * (logic cells / 1000), a straight line through two public Vivado report_power results (typical process,
 * VCCINT + VCCAUX + VCCBRAM static, junction 28.2–28.5 °C): xc7z020 33.8 mW, xc7z045 132.0 mW.
 */
export const STATIC_FIXED_MW = 2.3;
export const STATIC_PER_KLC_MW = 0.3706;

/** DS190 Table 1 figures (logic cells in thousands, LUTs, flip-flops, 36 Kb block RAMs, DSP48E1 slices). */
const DS190: ReadonlyArray<{ part: string; kLC: number; lut: number; ff: number; bram36: number; dsp: number }> = [
  { part: 'xc7z007s', kLC: 23, lut: 14_400, ff: 28_800, bram36: 50, dsp: 66 },
  { part: 'xc7z010', kLC: 28, lut: 17_600, ff: 35_200, bram36: 60, dsp: 80 },
  { part: 'xc7z012s', kLC: 55, lut: 34_400, ff: 68_800, bram36: 72, dsp: 120 },
  { part: 'xc7z014s', kLC: 65, lut: 40_600, ff: 81_200, bram36: 107, dsp: 170 },
  { part: 'xc7z015', kLC: 74, lut: 46_200, ff: 92_400, bram36: 95, dsp: 160 },
  { part: 'xc7z020', kLC: 85, lut: 53_200, ff: 106_400, bram36: 140, dsp: 220 },
  { part: 'xc7z030', kLC: 125, lut: 78_600, ff: 157_200, bram36: 265, dsp: 400 },
  { part: 'xc7z035', kLC: 275, lut: 171_900, ff: 343_800, bram36: 500, dsp: 900 },
  { part: 'xc7z045', kLC: 350, lut: 218_600, ff: 437_200, bram36: 545, dsp: 900 },
];

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Zynq-7000 parts: capacities from DS190, typical PL static power at ~25 °C junction (an estimate, see doc). */
export const PART_TABLE: PartInfo[] = DS190.map((p) => ({
  part: p.part,
  lut: p.lut,
  ff: p.ff,
  bram36: p.bram36,
  dsp: p.dsp,
  staticMW: round1(STATIC_FIXED_MW + STATIC_PER_KLC_MW * p.kLC),
}));

/** Logic cells (thousands) of a table part, for reference. */
export function logicCellsK(part: string): number | undefined {
  return DS190.find((p) => p.part === part)?.kLC;
}

/**
 * The table entry for a part name: the base part ("xc7z020") or a full name with package and speed grade
 * ("xc7z020clg400-1", "XC7Z020-1CLG400C", "7z020"). Returns a copy whose `part` is the name as given
 * (lower case, trimmed); undefined for parts not in the table.
 */
export function findPart(name: string): PartInfo | undefined {
  const s = name.trim().toLowerCase();
  const m = /^(?:xc)?(7z0(?:07s|12s|14s|10|15|20|30|35|45))(.*)$/.exec(s);
  if (!m) return undefined;
  const rest = m[2];
  // What follows the base part is a package, three letters and its pin count ("clg400-1", "sbg485-1"), or an
  // ordering-code speed grade ("-1clg400c"); never another digit or a bare letter (xc7z0100 and xc7z010s
  // are not parts).
  if (rest !== '' && !/^(?:-\d|[a-z]{3}\d)/.test(rest)) return undefined;
  const entry = PART_TABLE.find((p) => p.part === `xc${m[1]}`);
  return entry ? { ...entry, part: s.startsWith('xc') ? s : `xc${s}` } : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Energy coefficients, pJ per event at VCCINT = 1.0 V, typical process, 28 nm 7-series fabric
// ---------------------------------------------------------------------------------------------------------

export interface EnergyCoefficients {
  /** One flip-flop output transition, including its share of the routed output net. */
  ffToggle: number;
  /** One LUT output transition (logic), including its routed output net and carry-chain share. */
  lutToggle: number;
  /** Clock tree, per flip-flop per clock cycle (leaf clock load and local routing). */
  clockPerFF: number;
  /** Clock tree root per cycle: global buffer, spine and row buffers of one clock domain. */
  clockRoot: number;
  /** Block RAM: fixed part of one enabled RAMB18 port access (a RAMB36 access counts as two). */
  bramAccess: number;
  /** Block RAM: additional energy per data bit read. */
  bramPerBit: number;
  /** Probability that a data bit or LUT output changes on an access with fresh random data. */
  toggleProb: number;
}

/** The coefficient set of docs/estimation.md. */
export const ENERGY_28NM: Readonly<EnergyCoefficients> = Object.freeze({
  ffToggle: 0.08,
  lutToggle: 0.15,
  clockPerFF: 0.025,
  clockRoot: 20,
  bramAccess: 4.3,
  bramPerBit: 0.3,
  toggleProb: 0.5,
});

/** ceil(log2(x)), and at least 1 bit to address x entries (as the emitter's widths). */
const clog2 = (x: number) => {
  let b = 0;
  while (2 ** b < x) b++;
  return b;
};
const addrBits = (count: number) => Math.max(1, clog2(count));

/** Widest RAMB18 port for a memory `depth` deep: 512×36 (SDP), 1K×18, 2K×9, 4K×4, 8K×2, 16K×1. */
function ramb18Width(depth: number): number {
  if (depth <= 512) return 36;
  if (depth <= 1024) return 18;
  if (depth <= 2048) return 9;
  if (depth <= 4096) return 4;
  if (depth <= 8192) return 2;
  return 1;
}

/**
 * One read (or write) of a `width`-bit word from a block RAM memory `depth` deep: every RAMB18 primitive
 * holding a slice of the word is enabled (width-split mapping, no cascade power gating), each pays the fixed
 * access energy, and every data bit pays the per-bit energy.
 */
export function bramAccessPJ(width: number, depth: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const depthSlices = Math.max(1, Math.ceil(depth / 16384));
  const primitives = Math.ceil(width / ramb18Width(Math.min(depth, 16384))) * depthSlices;
  return primitives * c.bramAccess + width * c.bramPerBit;
}

/**
 * One read (or write) of a `width`-bit word from LUT RAM/ROM `depth` deep: ceil(depth/64) 64-bit LUTs per
 * bit whose outputs change with probability ½, a mux tree of one fewer LUT/F7/F8 level per bit, and the
 * address nets (log2 depth of them, one LUT-toggle equivalent each, also with probability ½).
 */
export function lutramAccessPJ(width: number, depth: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const perBit = Math.ceil(depth / 64);
  return c.toggleProb * c.lutToggle * (width * (2 * perBit - 1) + clog2(depth));
}

/** A weight (or noise) draw in one lane: a 32-bit LFSR leap of k ≤ 8 steps and the k-bit comparison r < q. */
export function drawPJ(k: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const stateFlips = 32 * c.toggleProb * c.ffToggle; // an m-sequence state: each bit changes with prob ½
  const leapXor = 2 * k * c.toggleProb * c.lutToggle; // k new bits, ~2 LUTs each after flattening the leap
  const compare = (Math.ceil(k / 2) + 1) * c.toggleProb * c.lutToggle; // carry-chain r < q and the &q term
  return stateFlips + leapXor + compare;
}

/**
 * The runtime seed's share of one lane's k-bit draw (semantics §1.2, layer.v.hbs): the lane XORs the k bits of
 * its layer's shared runtime-seed LFSR into its own draw, and that LFSR's own leap (state flips and leap
 * XORs, as in drawPJ) is shared by the P lanes that draw together. With SEED = 0 that LFSR holds zero and none
 * of this toggles: the estimate assumes a non-zero seed, the way a host that re-seeds every run uses it.
 */
export function runtimeSeedDrawPJ(k: number, lanes: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const xor = k * c.toggleProb * c.lutToggle;
  const sharedLfsr = 32 * c.toggleProb * c.ffToggle + 2 * k * c.toggleProb * c.lutToggle;
  return xor + sharedLfsr / lanes;
}

/** One accumulator update in one lane: an A-bit add/subtract and its A-bit register, half the bits change. */
export function accumulatePJ(accBits: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return accBits * c.toggleProb * (c.ffToggle + c.lutToggle);
}

/** Shape of one layer for the neuron-update energy. */
export interface NeuronUpdateShape {
  membraneBits: number;
  accBits: number;
  passes: number;
  leak: boolean;
  resetSubtract: boolean;
  noiseBits: number;
  noiseTableBits: number;
}

/**
 * One neuron update in one lane (docs/semantics.md §4): leak, three-input sum, saturation, threshold compare
 * (with noise), reset and select on the W = max(B, A, η)+2-bit datapath, each unit W LUTs with half of them
 * changing; the membrane, threshold and bias rows read and the membrane row written (LUT RAM, F deep); the
 * accumulator cleared; with threshold noise, an m-bit draw and an η-table lookup.
 */
export function neuronUpdatePJ(s: NeuronUpdateShape, c: EnergyCoefficients = ENERGY_28NM): number {
  const etaBits = s.noiseBits > 0 ? s.noiseTableBits : 1;
  const W = datapathBits(s.membraneBits, s.accBits, etaBits);
  const units =
    2 /* leaked + acc + bias */ +
    2 /* saturate high, low */ +
    1 /* threshold compare */ +
    1 /* next-value select */ +
    (s.leak ? 1 : 0) /* v − (v >> λ) */ +
    (s.resetSubtract ? 2 : 0) /* v − θ and its saturation */ +
    (s.noiseBits > 0 ? 1 : 0); /* θ + η */
  const logic = units * W * c.toggleProb * c.lutToggle;
  const rows = 4 * lutramAccessPJ(s.membraneBits, s.passes, c); // read v, θ, b; write v
  const accClear = s.accBits * c.toggleProb * c.ffToggle;
  const noise = s.noiseBits > 0 ? drawPJ(s.noiseBits, c) + lutramAccessPJ(s.noiseTableBits, 2 ** s.noiseBits, c) : 0;
  return logic + rows + accClear + noise;
}

/** A counter increment: two bits change on average (amortised binary counter), register and adder. */
export const counterPJ = (c: EnergyCoefficients = ENERGY_28NM) => 2 * (c.ffToggle + c.lutToggle);

/** One output spike leaving a layer: lowest-set-lane select, index add and the registered index and valid. */
export function spikePJ(outIdxBits: number, lanes: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return (
    (outIdxBits + Math.ceil(lanes / 4)) * c.toggleProb * c.lutToggle + (outIdxBits + 2) * c.toggleProb * c.ffToggle
  );
}

/** One event written into a layer's event list (LUT RAM, `depth` = M entries) and the write pointer. */
export function eventWritePJ(eventBits: number, depth: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return lutramAccessPJ(eventBits, depth, c) + counterPJ(c);
}

/** One event read from the event list in one pass: the LUT RAM read, its output register, the read counter. */
export function eventReadPJ(eventBits: number, depth: number, c: EnergyCoefficients = ENERGY_28NM): number {
  return lutramAccessPJ(eventBits, depth, c) + eventBits * c.toggleProb * c.ffToggle + counterPJ(c);
}

/**
 * The encoder handling one input in one timestep (docs/semantics.md §3): the 8-bit intensity read (LUT RAM,
 * M deep) into its register, the scan counter, and for rate coding an 8-bit draw and comparison (for direct
 * coding a zero test, two LUTs).
 */
export function encoderScanPJ(encoding: Encoding, inputs: number, c: EnergyCoefficients = ENERGY_28NM): number {
  const read = lutramAccessPJ(8, inputs, c) + 8 * c.toggleProb * c.ffToggle + counterPJ(c);
  return read + (encoding === 'rate' ? drawPJ(8, c) : 2 * c.toggleProb * c.lutToggle);
}

// ---------------------------------------------------------------------------------------------------------
// The shape the model needs from the plan
// ---------------------------------------------------------------------------------------------------------

export type MemoryKind = 'bram' | 'lutram';

/** Per layer, the widths and memory placements the energy model needs (all plan-derived). */
export interface PowerLayerShape {
  /** M */
  fanIn: number;
  /** N */
  neurons: number;
  /** P */
  lanes: number;
  /** k */
  probBits: number;
  /** B */
  membraneBits: number;
  /** A */
  accBits: number;
  /** 255 for a direct-input first layer (events carry an 8-bit value), else 1. */
  inputMax: number;
  leak: boolean;
  resetSubtract: boolean;
  /** m; 0 = no threshold noise. */
  noiseBits: number;
  /** Width of an η entry (ignored without noise). */
  noiseTableBits: number;
  /** Where the probability rows (P·k bits, F·M rows) live. */
  probMemory: MemoryKind;
  /** Per-sample mode: where the held weight rows (P bits, F·M rows) live; null in time-ensemble mode. */
  heldMemory: MemoryKind | null;
}

export interface PowerShape {
  mode: SamplingMode;
  encoding: Encoding;
  /** Inputs of the first layer (the encoder's memory depth). */
  inputSize: number;
  samples: number;
  timesteps: number;
  /** Output classes (readout counters). */
  outputs: number;
  layers: PowerLayerShape[];
  /**
   * Potential readout (docs/semantics.md §4): the last layer passes acc + b of every neuron to a signed
   * counter of `voteBits` each timestep instead of spiking. Absent: spike counts.
   */
  potentialReadout?: { voteBits: number };
}

/** The shape of a planned model; memory placement follows the emitter's block-RAM threshold. */
export function powerShapeFromPlan(plan: PlannedModel): PowerShape {
  return {
    mode: plan.mode,
    encoding: plan.input.encoding,
    inputSize: plan.input.size,
    samples: plan.samples,
    timesteps: plan.timesteps,
    outputs: plan.outputs,
    ...(plan.readout === 'potential' ? { potentialReadout: { voteBits: plan.voteBits } } : {}),
    layers: plan.layers.map((L) => {
      const rows = L.passes * L.fanIn;
      return {
        fanIn: L.fanIn,
        neurons: L.size,
        lanes: L.lanes,
        probBits: L.probBits,
        membraneBits: L.membraneBits,
        accBits: L.accBits,
        inputMax: L.inputMax,
        leak: L.leak > 0,
        resetSubtract: L.reset === 'subtract' && !L.readout, // the readout layer does not reset
        noiseBits: L.noise ? L.noise.bits : 0,
        noiseTableBits: L.noise ? L.noise.tableBits : 0,
        probMemory: rows * L.lanes * L.probBits >= BRAM_THRESHOLD_BITS ? 'bram' : 'lutram',
        heldMemory: plan.mode === 'per-sample' ? (rows * L.lanes >= BRAM_THRESHOLD_BITS ? 'bram' : 'lutram') : null,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The estimate
// ---------------------------------------------------------------------------------------------------------

/**
 * Activity of one inference. The golden model's counts (types.ts), plus optionally the encoder's input
 * scans; when absent they are S·T·M (every input is read every timestep, docs/semantics.md §3 — exact, not
 * an approximation).
 */
export type PowerActivity = Activity & { encoderScansPerInference?: number };

export interface PowerInput {
  part: PartInfo;
  clockMHz: number;
  resources: Resources;
  activity: PowerActivity;
  shape: PowerShape;
  /** Coefficients; ENERGY_28NM unless given (for sensitivity studies). */
  coefficients?: EnergyCoefficients;
}

export const POWER_METHOD =
  'activity-based estimate from golden-model event counts × per-event energies for 28 nm 7-series; ' +
  'pre-place-and-route; see docs/estimation.md';

/** Energy of one inference by category, pJ, excluding the clock tree and static power. */
export interface ActivityEnergy {
  memoryReads: number;
  weightDraws: number;
  /** The runtime seed's XORs and shared LFSRs on the weight and noise draws. */
  runtimeSeed: number;
  accumulate: number;
  neuronUpdates: number;
  spikesAndEvents: number;
  encoder: number;
}

function memoryAccessPJ(kind: MemoryKind, width: number, depth: number, c: EnergyCoefficients): number {
  return kind === 'bram' ? bramAccessPJ(width, depth, c) : lutramAccessPJ(width, depth, c);
}

/** The activity part of one inference's energy, by category (pJ). Linear in every activity count. */
export function activityEnergyPJ(shape: PowerShape, act: PowerActivity, c: EnergyCoefficients = ENERGY_28NM): ActivityEnergy {
  const L = shape.layers.length;
  const arrays: Array<keyof Activity> = [
    'eventsPerLayer',
    'spikesPerLayer',
    'memReadsPerLayer',
    'weightDrawsPerLayer',
    'accUpdatesPerLayer',
    'neuronUpdatesPerLayer',
  ];
  for (const a of arrays) {
    const v = act[a] as number[];
    if (!Array.isArray(v) || v.length !== L) throw new Error(`activity.${a} has ${v?.length ?? 0} entries, the shape ${L} layers`);
  }
  const e: ActivityEnergy = { memoryReads: 0, weightDraws: 0, runtimeSeed: 0, accumulate: 0, neuronUpdates: 0, spikesAndEvents: 0, encoder: 0 };
  shape.layers.forEach((s, l) => {
    const F = Math.ceil(s.neurons / s.lanes);
    const rows = F * s.fanIn;
    const events = act.eventsPerLayer[l];
    const evBits = addrBits(s.fanIn) + (s.inputMax > 1 ? 8 : 0);

    // Memory rows. Time-ensemble: every read is a probability row (P·k bits). Per-sample: the event pipeline
    // reads held rows (P bits) once per event per pass; the rest are sampling-phase probability reads, each
    // followed by a held-row write.
    const probRead = memoryAccessPJ(s.probMemory, s.lanes * s.probBits, rows, c);
    if (shape.mode === 'per-sample' && s.heldMemory) {
      const heldAccess = memoryAccessPJ(s.heldMemory, s.lanes, rows, c);
      const heldReads = events * F;
      const probReads = Math.max(0, act.memReadsPerLayer[l] - heldReads);
      e.memoryReads += heldReads * heldAccess + probReads * (probRead + heldAccess);
    } else {
      e.memoryReads += act.memReadsPerLayer[l] * probRead;
    }

    e.weightDraws += act.weightDrawsPerLayer[l] * drawPJ(s.probBits, c);
    // each weight draw, and in a noisy layer each neuron update's noise draw (padding lanes too)
    e.runtimeSeed +=
      act.weightDrawsPerLayer[l] * runtimeSeedDrawPJ(s.probBits, s.lanes, c) +
      (s.noiseBits > 0 ? act.neuronUpdatesPerLayer[l] * runtimeSeedDrawPJ(s.noiseBits, s.lanes, c) : 0);
    e.accumulate += act.accUpdatesPerLayer[l] * accumulatePJ(s.accBits, c);
    e.neuronUpdates +=
      act.neuronUpdatesPerLayer[l] *
      neuronUpdatePJ(
        {
          membraneBits: s.membraneBits,
          accBits: s.accBits,
          passes: F,
          leak: s.leak,
          resetSubtract: s.resetSubtract,
          noiseBits: s.noiseBits,
          noiseTableBits: s.noiseTableBits,
        },
        c,
      );

    const spikes = act.spikesPerLayer[l];
    const readout = l === L - 1 ? counterPJ(c) : 0; // the last layer's spikes increment a class counter
    if (l === L - 1 && shape.potentialReadout) {
      // every neuron, every timestep: one value leaves the layer (like a spike) and is added to a vote counter
      e.spikesAndEvents += shape.samples * shape.timesteps * s.neurons * (spikePJ(addrBits(s.neurons), s.lanes, c) + accumulatePJ(shape.potentialReadout.voteBits, c));
    }
    e.spikesAndEvents +=
      spikes * (spikePJ(addrBits(s.neurons), s.lanes, c) + readout) +
      events * eventWritePJ(evBits, s.fanIn, c) +
      events * F * eventReadPJ(evBits, s.fanIn, c);
  });
  const scans = act.encoderScansPerInference ?? shape.samples * shape.timesteps * shape.inputSize;
  e.encoder = scans * encoderScanPJ(shape.encoding, shape.inputSize, c);
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
  const { part, clockMHz, resources, activity, shape } = input;
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
  const a = activityEnergyPJ(shape, activity, c);
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
    breakdown,
    method: POWER_METHOD,
  };
}
