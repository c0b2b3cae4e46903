/**
 * One interface per layer kind (FINN's op classes, hls4ml's layer types): every consumer of a planned layer
 * asks its op, never the layer's kind. Adding a kind means one folder under generator/ops/ that implements
 * this interface and one line in ops/registry.ts; a kind left out of the registry is a compile error.
 */
import type { LayerSpec, Model } from '../model/schema.js';
import type { LayerShape } from '../model/shapes.js';
import type { PlannedLayer, PlannedModel, SynapseCore } from '../ir/types.js';
import type { EmittedFile } from '../emit/files.js';
import type { EnergyCoefficients, ActivityEnergy } from '../estimate/energy.js';
import type { BlockStructure } from '../estimate/structure.js';
import type { GoldenScratch } from './synapses/golden.js';

import type { JsonPath } from '../model/load.js';

export type { JsonPath };

/** Where a layer's validation reports: `add` returns false once enough problems are listed. */
export interface ProblemSink {
  add(path: JsonPath, msg: string): boolean;
}

/** A layer's golden-model state for one inference (semantics §4), made once per model and re-seeded per run. */
export interface LayerRuntime {
  /** Re-seed every stream of the layer from runtime seed `runSeed` (semantics §1.2). */
  reseed(runSeed: number): void;
  /** Start of a sample: clear the state; per-sample mode, draw and hold a weight sample. */
  startSample(): void;
  /**
   * One timestep over `nEv` input events (indices `idx`, values `val`, or all 1 when null). Output events go
   * to `outIdx`; a layer that adds to the votes directly adds to `votes`. Returns the number of output events.
   */
  step(idx: Int32Array, val: Int32Array | null, nEv: number, votes: Int32Array): number;
  readonly outIdx: Int32Array;
  /** The values of the output events (a sum pool's counts), or null when every output event carries 1. */
  readonly outVal: Int32Array | null;
  /** Synapse uses (input event × neuron it reaches) of the last step, which had `nEv` input events. */
  synapses(nEv: number): number;
}

/** Hardware events of one layer in one inference (estimate/types.ts Activity, per layer). */
export interface LayerActivity {
  memReads: number;
  weightDraws: number;
  accUpdates: number;
  neuronUpdates: number;
}

/** Counts of one layer over one inference, as the golden model gives them. */
export interface LayerTraffic {
  /** Input events over the inference. */
  events: number;
  /** Output events (spikes) over the inference. */
  spikes: number;
}

/** What the top level needs to wire a layer's module. */
export interface LayerPorts {
  /** Output events carry a signed value of this many bits (`out_val`), or none (spikes). */
  valueBits: number | null;
}

export interface LayerOp<L extends PlannedLayer = PlannedLayer> {
  readonly kind: L['kind'];

  // ---- model and plan ----
  /** The kind's own cross-field rules on `layers[index]` (shapes common to all kinds are checked before). */
  validate(spec: LayerSpec, at: (...rest: PropertyKey[]) => JsonPath, problems: ProblemSink): void;
  /** The planned layer from its spec, given the synaptic core the planner derived for it and its shape. */
  plan(spec: LayerSpec, core: SynapseCore, model: Model, shape: LayerShape): L;
  /** The fields of the model hash, in the order that keeps existing hashes (ir/plan.ts hashPlan). */
  hashFields(L: L): { fields: Record<string, unknown>; arrays: ArrayBufferView[] };
  /** The layer's entry in the manifest's `knobs.layers`. */
  manifestKnobs(L: L): Record<string, unknown>;
  /** The layer with `mismatch` applied to every threshold (evaluation's threshold mismatch); unchanged without thresholds. */
  withThresholdMismatch(L: L, mismatch: (threshold: number) => number): L;

  // ---- golden model ----
  runtime(L: L, plan: PlannedModel, scratch: GoldenScratch): LayerRuntime;

  // ---- RTL ----
  /** The layer's Verilog module and its memory images. */
  emit(prefix: string, plan: PlannedModel, L: L): { module: string; files: EmittedFile[] };
  ports(L: L): LayerPorts;
  /** The layer's random streams by name ("weight", "noise"): bits per draw and each lane's seed. */
  randomStreams(L: L): { name: string; bits: number; seeds: Uint32Array }[];

  /** The pass that emits output event `index` (the cycle model counts spikes per pass). */
  outputPass(L: L, index: number): number;

  // ---- cycles (docs/semantics.md §7) ----
  /** Cycles the layer is busy for one timestep with `events` input events and `passSpikes[f]` output events of pass f. */
  stepBusy(L: L, events: number, passSpikes: ArrayLike<number>): number;
  /** Cycles the layer is busy at the start of a sample. */
  sampleBusy(L: L, perSample: boolean): number;

  // ---- activity, resources, power ----
  activity(L: L, plan: PlannedModel, traffic: LayerTraffic): LayerActivity;
  /** The layer's blocks for the analytical resource model (before the fitted coefficients). */
  structures(plan: PlannedModel, L: L): BlockStructure[];
  /** Energy of the layer's activity in one inference, pJ, by category. */
  energyPJ(L: L, plan: PlannedModel, act: LayerActivity & LayerTraffic, c: EnergyCoefficients): ActivityEnergy;
}
