/**
 * A read NIR file → a bsnn/1 model (plain JSON, validated by the caller), the float network it came from,
 * and a conversion report that lists every approximation with its size. Settings that NIR cannot hold
 * (seed, T, sampling, encoding, widths, lanes, noise) come from the options, else from a bsnn export's
 * /bsnn/settings, else from the defaults in DEFAULTS.
 */
import { basename } from 'node:path';
import { MODEL_NAME, type DenseLayerInput, type ModelInput } from '../model/schema.js';
import { BsnnError } from '../util/errors.js';
import type { NirFile } from './hdf5.js';
import { chainOf } from './graph.js';
import type { FloatLayer } from './float-net.js';
import { floatLayer, inputSize, type ResetChoice } from './layer-params.js';
import { binarise, leakShift, type LayerStats, type LeakMapping } from './binarise.js';
import { parseSettings, type BsnnSettings } from './settings.js';
import { DEFAULTS } from './defaults.js';
import { signedWidth } from '../ir/widths.js';

export interface ImportOptions {
  /** Seconds per timestep (NIR does not store it); required for LIF and LI unless the file carries it. */
  dt?: number;
  timesteps?: number;
  probBits?: number;
  seed?: number;
  name?: string;
  /** Override the reset of every spiking layer (for files whose exporter means the other one). */
  reset?: ResetChoice;
  /** Scale quantile in (0, 1]: 1 = max|w| (no clipping). */
  clip?: number;
}

export { DEFAULTS };

export interface LayerReport {
  synapse: string;
  neuron: string;
  kind: FloatLayer['kind'];
  fanIn: number;
  size: number;
  scale: { min: number; max: number };
  leak: LeakMapping;
  /** Largest dt/τ of the layer (0 for IF). */
  maxDecay: number;
  /** The leak shift acts only on |v| ≥ 2^λ; true when every threshold lies below that (v > 0 then never leaks). */
  leakDeadBelowThreshold: boolean;
  reset: ResetChoice | null;
  resetWhy: string;
  stats: LayerStats;
}

export interface ConversionReport {
  source: string;
  version: string;
  dt: number | null;
  fromBsnnExport: boolean;
  layers: LayerReport[];
}

export interface ImportResult {
  model: ModelInput;
  float: FloatLayer[];
  report: ConversionReport;
}

/** A Verilog-safe model name from the file name. */
function nameFrom(source: string): string {
  const stem = basename(source).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]/g, '_');
  const name = /^[A-Za-z]/.test(stem) ? stem : `nir_${stem}`;
  return name.slice(0, 40);
}


export function convertNir(nir: NirFile, source: string, opts: ImportOptions = {}): ImportResult {
  const chain = chainOf(nir, source);
  const settings: BsnnSettings | null = nir.bsnn ? parseSettings(nir.bsnn.settings, source) : null;
  const name = opts.name ?? settings?.name ?? nameFrom(source);
  if (!MODEL_NAME.test(name)) throw new BsnnError(`--name: "${name}" must be a Verilog-safe identifier of 1..40 characters`);
  const dt = opts.dt ?? settings?.dt;
  const last = chain.layers.length - 1;
  const potential = chain.layers[last].neuron.type === 'LI';
  let fanIn = inputSize(chain.input, chain.flattens, source);
  const inputs = fanIn;
  const float: FloatLayer[] = [];
  const reports: LayerReport[] = [];
  const layers: ModelInput['layers'] = chain.layers.map(({ synapse, neuron }, l) => {
    const s = settings?.layers[l];
    const forced = opts.reset ?? s?.reset;
    const why = opts.reset ? '--reset' : s?.reset ? 'bsnn export settings' : undefined;
    const { layer: L, resetWhy } = floatLayer(synapse, neuron, { source, fanIn, dt, reset: forced, resetWhy: why });
    const extras = nir.bsnn?.layers[l];
    const carried = extras?.prob_codes && extras.scale && s ? { codes: extras.prob_codes.data, scale: extras.scale.data, probBits: s.probBits } : undefined;
    const ints = binarise(L, { probBits: opts.probBits ?? s?.probBits ?? DEFAULTS.probBits, clip: opts.clip ?? DEFAULTS.clip, sharedScale: L.kind === 'LI', carried });
    const leak = leakShift(L);
    const readout = l === last && potential;
    const maxT = Math.max(0, ...ints.threshold);
    const maxB = Math.max(0, ...ints.bias.map(Math.abs));
    reports.push({
      synapse: synapse.name,
      neuron: neuron.name,
      kind: L.kind,
      fanIn,
      size: L.size,
      scale: { min: Math.min(...ints.scale), max: Math.max(...ints.scale) },
      leak,
      maxDecay: Math.max(...L.decay),
      leakDeadBelowThreshold: !readout && leak.leak > 0 && maxT < 2 ** leak.leak,
      reset: readout ? null : L.reset,
      resetWhy: readout ? '' : resetWhy,
      stats: ints.stats,
    });
    float.push(L);
    fanIn = L.size;
    const spec: DenseLayerInput = { size: L.size, probBits: ints.probBits, probCodes: ints.probCodes };
    if (!readout) spec.threshold = ints.threshold.every((t) => t === ints.threshold[0]) ? ints.threshold[0] : ints.threshold;
    if (ints.bias.some((b) => b !== 0)) spec.bias = ints.bias;
    if (!readout) {
      spec.leak = leak.leak;
      spec.reset = L.reset;
      // Wide enough for a threshold plus one step's full input and bias, with a sign bit and headroom.
      spec.membraneBits = s?.membraneBits ?? Math.min(24, Math.max(16, signedWidth(maxT + L.fanIn + maxB) + 1));
      if (s?.noise) spec.noise = s.noise;
    }
    if (s?.lanes !== undefined) spec.lanes = s.lanes;
    if (s?.eventsPerCycle !== undefined) spec.eventsPerCycle = s.eventsPerCycle;
    return spec;
  });
  const model: ModelInput = {
    format: 'bsnn/1',
    name,
    description: settings?.description ?? `imported from ${basename(source)} (NIR ${nir.version}) by bsnn import`,
    seed: opts.seed ?? settings?.seed ?? DEFAULTS.seed,
    timesteps: opts.timesteps ?? settings?.timesteps ?? DEFAULTS.timesteps,
    sampling: settings?.sampling ?? { mode: 'time-ensemble', samples: 1 },
    input: { size: inputs, encoding: settings?.encoding ?? 'rate' },
    layers,
  };
  if (potential) model.readout = settings?.temperature !== undefined ? { mode: 'potential', temperature: settings.temperature } : { mode: 'potential' };
  return { model, float, report: { source, version: nir.version, dt: dt ?? null, fromBsnnExport: settings !== null, layers: reports } };
}
