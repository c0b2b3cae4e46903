/**
 * The planned IR: every number the emitter, golden model, cycle model and estimators need, decided once.
 * Nothing downstream re-derives a parameter that lives here.
 */
export type SamplingMode = 'time-ensemble' | 'per-sample';
export type Encoding = 'rate' | 'direct';

export interface PlannedNoise {
  kind: 'uniform' | 'logistic';
  /** m: random bits per draw. */
  bits: number;
  scale: number;
  /** η[r] for r in 0..2^m-1 (semantics §2). */
  table: Int32Array;
  /** Width of a signed word that holds every η. */
  tableBits: number;
  /** Seed of each lane's noise stream. */
  seeds: Uint32Array;
}

/**
 * A memory of the hardware, declared once by the plan: every consumer (emitter, resource and power models)
 * reads its placement from here. `block` is the block-RAM rule of ir/memory.ts.
 */
export interface PlannedMemory {
  /** Words. */
  depth: number;
  /** Bits per word. */
  width: number;
  /** Marked for block RAM (`*_style = "block"`); otherwise the tool picks (LUT RAM or logic in practice). */
  block: boolean;
}

/**
 * What every layer kind shares: the event-driven synaptic core (docs/semantics.md §4). Each active input
 * event reads one probability row per pass, and P lanes each draw a ±1 weight and accumulate ±x.
 */
export interface SynapticLayer {
  index: number;
  /** M */
  fanIn: number;
  /** N */
  size: number;
  /** P */
  lanes: number;
  /** F = ceil(N / P) */
  passes: number;
  /** Input events each lane takes per cycle (1 or 2): speed only, the draws and results are the same. */
  eventsPerCycle: 1 | 2;
  /** k */
  probBits: number;
  /**
   * Probability codes in memory order: row (f·M + i) holds the P lanes' codes of neurons f·P + j for input i.
   * Padding lanes hold code 0. Length F·M·P.
   */
  probRows: Uint8Array;
  bias: Int32Array;
  /** A: signed accumulator width, never wraps (semantics §4). */
  accBits: number;
  /** W: signed width of the layer's datapath after the accumulator (ir/widths.ts). */
  datapathBits: number;
  /** Largest input value on this layer's events (255 for a direct-input first layer, else 1). */
  inputMax: number;
  /** The 8-bit input values ride on this layer's events (a direct-input first layer). */
  directInput: boolean;
  /** Seed of each lane's weight stream. */
  weightSeeds: Uint32Array;
  /** Probability rows (F·M × P·k bits) and, per-sample, the held weight rows (F·M × P bits). */
  memories: { prob: PlannedMemory; held: PlannedMemory | null };
  /** Distinct output event indices (dense: N; conv: C·H·W of its output shape). */
  outputs: number;
  /** Largest value on an output event (1 for spikes; a sum pool's window area). */
  outputMax: number;
}

/** What the planner derives for every kind before the kind's op completes it (the op sets the datapath width). */
export type SynapseCore = Omit<SynapticLayer, 'datapathBits'>;

/** IF/LIF neurons (semantics §4 LAYER_STEP): thresholds, leak, reset, membrane width, optional noise. */
export interface SpikingNeurons {
  threshold: Int32Array;
  /** λ; 0 = no leak. */
  leak: number;
  reset: 'subtract' | 'zero';
  /** B */
  membraneBits: number;
  noise: PlannedNoise | null;
}

/** A spiking dense layer (semantics §4 LAYER_STEP). */
export interface DenseLayer extends SynapticLayer, SpikingNeurons {
  kind: 'dense';
}

/** Channels × rows × columns of a feature map; flat index (c·h + y)·w + x. */
export interface Shape3 {
  c: number;
  h: number;
  w: number;
}

/** Where a conv layer's kernel goes over its input, and what comes out (model/shapes.ts convGeometry). */
export interface ConvGeometry {
  /** [kh, kw] */
  kernel: [number, number];
  /** [sh, sw] */
  stride: [number, number];
  /** [ph, pw], zeros */
  padding: [number, number];
  /** The neurons: C_out × Ho × Wo. */
  convShape: Shape3;
  /** Non-overlapping pool (stride = size) on the output spikes, or none. */
  pool: { kind: 'or' | 'sum'; size: [number, number] } | null;
  /** What leaves the layer: convShape, pooled. */
  outShape: Shape3;
}

/**
 * A spiking 2-D convolution (semantics §4.1 CONV_STEP): the synaptic core's N = output channels and
 * M = C_in·kh·kw kernel rows; threshold, bias and noise per channel; an optional pool on its output spikes.
 */
export interface ConvLayer extends SynapticLayer, SpikingNeurons, ConvGeometry {
  kind: 'conv2d';
  inShape: Shape3;
  /**
   * Time ensemble: a fresh weight per use (semantics §4.1, what the RTL does), or one kernel sample per
   * timestep used at every position — the alternative evaluate measures (golden model only).
   */
  kernelSample: 'per-use' | 'per-timestep';
  /**
   * Kernel offsets of an event the engine takes per cycle (1 or 2): speed only, the draws and results are the
   * same (docs/engine.md "Conv layers", semantics §7).
   */
  offsetsPerCycle: 1 | 2;
}

/**
 * The non-spiking readout layer of a potential readout (the last layer; semantics §4): it passes acc + b of
 * each neuron to the vote counters. No membrane, threshold, leak, reset or noise.
 */
export interface ReadoutLayer extends SynapticLayer {
  kind: 'readout';
  /** Width of the signed bias words. */
  biasBits: number;
}

/** Every layer kind; each has one home in generator/ops/<kind>/ (ops/registry.ts). */
export type PlannedLayer = DenseLayer | ReadoutLayer | ConvLayer;
export type LayerKind = PlannedLayer['kind'];

/** How the output is read (docs/semantics.md §5): spike counts, or summed potentials of a non-spiking last layer. */
export type ReadoutMode = 'spikes' | 'potential';

export interface PlannedModel {
  name: string;
  format: string;
  /** sha256 (hex) of the planned arithmetic: the identity of what the hardware computes. */
  modelHash: string;
  seed: number;
  timesteps: number;
  samples: number;
  mode: SamplingMode;
  /** `shape`: the input as a C × H × W image (flat CHW order), when the model gives one. */
  input: { size: number; encoding: Encoding; seed: number; shape?: Shape3 };
  layers: PlannedLayer[];
  outputs: number;
  /** Bits of an output class index. */
  classBits: number;
  readout: ReadoutMode;
  /** Potential readout: the evaluator's softmax temperature (semantics §5); 1 and unused for spikes. */
  temperature: number;
  /**
   * Bits of a vote counter. Spikes: unsigned, up to S·T spikes per output neuron. Potential: signed (two's
   * complement), holding ±S·T·(M·xmax + max|b|) of the readout layer (ir/widths.ts voteBitsFor).
   */
  voteBits: number;
  /** The vote counters are signed (potential readout). */
  signedVotes: boolean;
}
