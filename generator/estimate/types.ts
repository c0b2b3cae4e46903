/**
 * The estimate report: what a design costs before Vivado runs. Every figure says how it was obtained
 * (method), because pre-place-and-route numbers are estimates and must read as such.
 */

/** Resource counts in Xilinx 7-series primitives. LUTs count logic LUTs plus LUTs used as memory. */
export interface Resources {
  lut: number;
  /** LUTs by input count, LUT1..LUT6 (logic only). */
  lutBySize: Record<string, number>;
  /** LUTs used as distributed RAM or ROM (RAM32M, RAM64M, RAM32X1D, ...: 4 or 2 LUTs each). */
  lutAsMemory: number;
  ff: number;
  carry4: number;
  muxf7: number;
  muxf8: number;
  bram18: number;
  bram36: number;
  dsp: number;
}

export interface BlockResources {
  /** Hierarchical block, e.g. "layer0/lanes", "layer0/probmem", "encoder", "top". */
  block: string;
  layer: number | null;
  resources: Resources;
}

export interface PartInfo {
  part: string;
  lut: number;
  ff: number;
  bram36: number;
  dsp: number;
  /** Typical device static power at 25 °C junction, mW (source in docs/estimation.md). */
  staticMW: number;
}

export interface Utilisation {
  lut: number;
  ff: number;
  bram: number;
  dsp: number;
}

export interface PowerBreakdownItem {
  /** What consumes: "static", "clock", "bram reads", "weight draws", "accumulate", "neuron updates", ... */
  item: string;
  mW: number;
}

export interface PowerEstimate {
  /** PL static power of the part (VCCINT, VCCAUX, VCCBRAM). */
  staticMW: number;
  dynamicMW: number;
  /** PL only: static + dynamic. */
  totalMW: number;
  /** PL only: totalMW × latency. */
  energyPerInferenceUJ: number;
  /** Vivado's "Device Static" basis: PL static plus the PS rails, XADC and VCCO (docs/estimation.md). */
  deviceStaticMW: number;
  /** (deviceStaticMW + dynamicMW) × latency: comparable with published board or device totals. */
  deviceEnergyPerInferenceUJ: number;
  breakdown: PowerBreakdownItem[];
  method: string;
}

/** Activity of one inference, averaged over a set of inputs, from the golden model. */
export interface Activity {
  inputs: number;
  /** Per layer: input events per inference. */
  eventsPerLayer: number[];
  /** Per layer: output spikes per inference. */
  spikesPerLayer: number[];
  /** Memory row reads (probability or held-weight rows) per inference, per layer. */
  memReadsPerLayer: number[];
  /** Weight draws (lane samples) per inference, per layer. */
  weightDrawsPerLayer: number[];
  /** Accumulator updates (lane × event) per inference, per layer. */
  accUpdatesPerLayer: number[];
  /** Neuron updates (lane × pass × timestep) per inference, per layer. */
  neuronUpdatesPerLayer: number[];
  /** Synaptic operations per inference: Σ events × real neurons (one op = one ±1/±x accumulate). */
  synapticOps: number;
  cyclesPerInference: number;
  /**
   * Cycles per inference with samples streamed back to back through the AXI wrapper (analysis/stream.ts): the
   * next sample streams in while the core runs where it can (direct input), and the result leaves.
   */
  streamedCyclesPerInference: number;
}

export interface EstimateReport {
  model: string;
  /** Which inputs drove the activity (cycles, power, energy are means over them). */
  inputSource: string;
  modelHash: string;
  part: PartInfo;
  knobs: { lanes: number[]; probBits: number[] };
  resources: { method: 'yosys' | 'analytical'; total: Resources; blocks: BlockResources[] };
  utilisation: Utilisation;
  fits: boolean;
  /** When it does not fit: knob changes that would make it fit. */
  fitAdvice: string[];
  timing: {
    /** Estimated Fmax (synthesis), NaN without synthesis. */
    fmaxMHz: number;
    logicLevels: number | null;
    /** The build clock: what gen-rtl builds with the same --clock-mhz (board/clock.ts); throughput and power are at it. */
    clockMHz: number;
    /** Where the build clock came from, in words ("the default", "--clock-mhz 95", "--clock-mhz auto: ..."). */
    clockSource: string;
    /** Whether the build clock is at or below the estimated Fmax; null without synthesis. */
    meetsClock: boolean | null;
    /** The build clock against the Fmax in words: the slack, or by how much it misses and the clock that meets it. */
    check: string;
    /** The fastest FCLK the PS7 makes at or below the Fmax: the --clock-mhz that builds the design at its speed. */
    fmaxClockMHz: number | null;
    method: string;
  };
  activity: Activity;
  throughput: {
    cyclesPerInference: number;
    latencyUS: number;
    inferencesPerSecond: number;
    /** Inferences per second with samples streamed back to back through AXI (overlapped where the core allows). */
    streamedPerSecond: number;
    /** Giga synaptic operations per second at the clock used. */
    gsops: number;
  };
  power: PowerEstimate;
  /**
   * The same figures at the estimated Fmax itself (issue 11's "latency per image" = cycles ÷ estimated Fmax);
   * null without synthesis. timing.fmaxClockMHz is the FCLK that comes closest from below.
   */
  atFmax: AtClock | null;
}

/** Throughput, power and energy at one clock. */
export interface AtClock {
  clockMHz: number;
  latencyUS: number;
  inferencesPerSecond: number;
  /** Samples streamed back to back through AXI (overlapped where the core allows), per second. */
  streamedPerSecond: number;
  gsops: number;
  power: PowerEstimate;
}
