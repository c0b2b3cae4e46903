/**
 * The option vocabulary every command shares, so that one flag means one thing everywhere: `--lanes` is per
 * layer (one number for every layer, or one per layer), `--board`/`--part` name the target from the one part
 * table (generator/board/part.ts), `--clock-mhz` is the PL clock. Kept light (no zod, tfjs, vega, ts-morph):
 * main.ts builds every command's options from here before it loads any runner.
 */
import { neuronsOf } from '../model/shapes.js';
import type { Argv } from 'yargs';
import { boardNames, DEFAULT_BOARD } from '../board/boards.js';
import { DEFAULT_CLOCK_MHZ, IO_PLL_MHZ, MAX_FCLK_MHZ } from '../board/clock.js';
import type { Model } from '../model/schema.js';
import { BsnnError } from '../util/errors.js';

/** "4" or "16,16,10" → positive integers; `flag` names the option in the error. */
export function positiveIntList(flag: string, v: string): number[] {
  // `--no-lanes` or a bare `--lanes` reach here as a boolean or an empty string.
  if (typeof v !== 'string' || v.trim() === '') throw new BsnnError(`${flag}: give a value, e.g. ${flag} 4`);
  const parts = v.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.some((s) => !/^\d+$/.test(s)) || nums.some((p) => p < 1)) {
    throw new BsnnError(`${flag}: "${v}" is not a positive integer or a comma-separated list of them`);
  }
  return nums;
}

/** One k in 1..8 (`text` as the user wrote it, for the message). */
export function probBitsOk(flag: string, k: number, text = String(k)): number {
  if (!(Number.isInteger(k) && k >= 1 && k <= 8)) throw new BsnnError(`${flag}: "${text}" is not an integer 1..8`);
  return k;
}

/**
 * `--prob-bits`: one k (1..8) for every layer, kept a number (a training checkpoint's key and a sweep's label stay
 * as they were), or one per layer, conv layers first and the readout last, e.g. 1,4,4,4 (k = 1: fixed signs).
 */
export function probBitsList(flag: string, v: number | string, layers: number): number | number[] {
  const values = String(v).split(',').map((t) => probBitsOk(flag, t.trim() === '' ? NaN : Number(t), t.trim()));
  if (values.length === 1) return values[0];
  if (values.length !== layers) throw new BsnnError(`${flag}: gives ${values.length} values, the model has ${layers} layers (conv layers first, the readout last)`);
  return values;
}

export interface LanesChoice {
  /** Lanes of every layer. */
  lanes: number[];
  /** Layers whose lanes were capped at their size (a single --lanes value larger than a small layer). */
  capped: string[];
}

/**
 * `--lanes` against the layer sizes: one value is every layer's lanes, capped at each layer's neurons (a layer
 * of N neurons never has use for more than N lanes) and refused when it exceeds even the largest layer; a
 * list gives each layer's lanes and a value above its layer's size is refused.
 */
export function lanesFor(flag: string, v: string, sizes: readonly number[]): LanesChoice {
  const given = positiveIntList(flag, v);
  if (given.length === 1) {
    const P = given[0];
    const largest = Math.max(...sizes);
    if (P > largest) throw new BsnnError(`${flag}: ${P} lanes is more than the largest layer has neurons (${largest}); give at most ${largest}`);
    const capped = sizes.flatMap((N, l) => (P > N ? [`layer ${l} has ${N} neurons and gets ${N} lanes`] : []));
    return { lanes: sizes.map((N) => Math.min(P, N)), capped };
  }
  if (given.length !== sizes.length) throw new BsnnError(`${flag}: gives ${given.length} values, the model has ${sizes.length} layers`);
  given.forEach((P, l) => {
    if (P > sizes[l]) throw new BsnnError(`${flag}: ${P} lanes for layer ${l}, which has ${sizes[l]} neurons; give at most ${sizes[l]}`);
  });
  return { lanes: given, capped: [] };
}

/** The model's lanes with --lanes applied (undefined: the model's own); a capped layer is said on stderr. */
export function lanesOption(model: Model, lanes: string | undefined): number[] | undefined {
  if (lanes === undefined) return undefined;
  const choice = lanesFor('--lanes', lanes, model.layers.map(neuronsOf));
  for (const c of choice.capped) console.error(`bsnn: --lanes ${lanes}: ${c}`);
  return choice.lanes;
}

export const LANES_HELP = 'parallel neuron lanes P: one number for every layer (capped at each layer\'s size), or one per layer, e.g. 16,16,10';

export const EVENTS_PER_CYCLE_HELP =
  'input events each lane takes per cycle, 1 or 2 (2 reads two probability rows per cycle: faster, the same draws and results): one for every layer, or one per layer, e.g. 2,1';

export const OFFSETS_PER_CYCLE_HELP =
  'kernel offsets each conv2d layer takes per cycle, 1 or 2 (2 takes (ky, kx) and (ky, kx + 1) of a kernel row together: faster, the same draws and results): one for every conv2d layer, or one per layer (1 for dense layers), e.g. 2,2,1';

/** The folding knobs: --lanes, --events-per-cycle and --offsets-per-cycle. */
export const withLanes = <T>(y: Argv<T>) =>
  y
    .option('lanes', { type: 'string', describe: LANES_HELP, defaultDescription: 'the model\'s own' })
    .option('events-per-cycle', { type: 'string', describe: EVENTS_PER_CYCLE_HELP, defaultDescription: 'the model\'s own (1 where it gives none)' })
    .option('offsets-per-cycle', { type: 'string', describe: OFFSETS_PER_CYCLE_HELP, defaultDescription: 'the model\'s own (1 where it gives none)' });

/** The folding knobs per layer, as `planModel` takes them (undefined: the model's own). */
export interface Folding {
  lanes?: number[];
  eventsPerCycle?: number[];
  offsetsPerCycle?: number[];
}

/** The flags that fold a design. */
export interface FoldingArgs {
  lanes?: string;
  eventsPerCycle?: string;
  offsetsPerCycle?: string;
}

/** The model's folding with --lanes, --events-per-cycle and --offsets-per-cycle applied. */
export const foldingOption = (model: Model, a: FoldingArgs): Folding => ({
  lanes: lanesOption(model, a.lanes),
  eventsPerCycle: eventsPerCycleOption(model, a.eventsPerCycle),
  offsetsPerCycle: offsetsPerCycleOption(model, a.offsetsPerCycle),
});

/**
 * --offsets-per-cycle against the layers: one value for every conv2d layer (dense layers have no kernel
 * offsets), or one per layer; each 1 or 2, and 1 for a dense layer.
 */
export function offsetsPerCycleOption(model: Model, v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const given = positiveIntList('--offsets-per-cycle', v);
  const n = model.layers.length;
  if (given.some((o) => o > 2)) throw new BsnnError(`--offsets-per-cycle: "${v}": each value is 1 or 2`);
  if (given.length !== 1 && given.length !== n) throw new BsnnError(`--offsets-per-cycle: ${given.length} values for ${n} layers; give one, or one per layer`);
  if (given[0] === 2 && given.length === 1 && !model.layers.some((spec) => spec.type === 'conv2d')) {
    throw new BsnnError('--offsets-per-cycle: this model has no conv2d layer (dense layers take --events-per-cycle)');
  }
  if (given.length === 1) return model.layers.map((spec) => (spec.type === 'conv2d' ? given[0] : 1));
  const dense = given.findIndex((o, l) => o === 2 && model.layers[l].type !== 'conv2d');
  if (dense >= 0) throw new BsnnError(`--offsets-per-cycle: layer ${dense} is dense, which has no kernel offsets; give 1 for it (dense layers take --events-per-cycle)`);
  return given;
}

/**
 * --events-per-cycle against the layers: one value for every dense layer (conv layers take one event per
 * cycle), or one per layer; each 1 or 2.
 */
export function eventsPerCycleOption(model: Model, v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const given = positiveIntList('--events-per-cycle', v);
  const n = model.layers.length;
  if (given.some((e) => e > 2)) throw new BsnnError(`--events-per-cycle: "${v}": each value is 1 or 2`);
  if (given.length !== 1 && given.length !== n) throw new BsnnError(`--events-per-cycle: ${given.length} values for ${n} layers; give one, or one per layer`);
  if (given.length === 1) return model.layers.map((spec) => (spec.type === 'conv2d' ? 1 : given[0]));
  const conv = given.findIndex((e, l) => e === 2 && model.layers[l].type === 'conv2d');
  if (conv >= 0) throw new BsnnError(`--events-per-cycle: layer ${conv} is conv2d, which takes one event per cycle; give 1 for it`);
  return given;
}

/** --board, --part and --clock-mhz, as gen-rtl and estimate both take them. */
export const withTarget = <T>(y: Argv<T>, clock: { describe: string; defaultDescription: string }) =>
  y
    .option('board', { type: 'string', describe: `board: ${boardNames().join(', ')} (sets the part; board XDC in gen-rtl)`, defaultDescription: DEFAULT_BOARD })
    .option('part', {
      type: 'string',
      describe: 'any Zynq-7000 part as Vivado spells it, e.g. xc7z030sbg485-1 (instead of --board, or the board\'s own part)',
      defaultDescription: 'the board\'s part',
    })
    // A string: a number of MHz or auto (board/clock.ts parseClock checks it, for every command alike).
    .option('clock-mhz', { type: 'string', describe: clock.describe, defaultDescription: clock.defaultDescription })
    // The old name of --clock-mhz in estimate, kept working but not advertised.
    .option('clock', { type: 'string', hidden: true })
    .middleware((a) => {
      if (a.clock !== undefined && a['clock-mhz'] === undefined) Object.assign(a, { 'clock-mhz': a.clock, clockMhz: a.clock });
    });

const CLOCK_RULE = `a number is built as the fastest FCLK the PS7 makes at or below it (${IO_PLL_MHZ} MHz ÷ d0·d1, at most ${MAX_FCLK_MHZ}); auto: the fastest at or below the estimated Fmax`;
export const GENRTL_CLOCK = {
  describe: `PL clock FCLK_CLK0 in MHz, or auto (runs the timing estimate unless bsnn estimate has recorded it); ${CLOCK_RULE}`,
  defaultDescription: `${DEFAULT_CLOCK_MHZ}, checked against the Fmax bsnn estimate recorded for the design`,
};
export const ESTIMATE_CLOCK = {
  describe: `the build clock in MHz for throughput and power, as gen-rtl takes it (figures at the estimated Fmax come too); ${CLOCK_RULE}`,
  defaultDescription: `${DEFAULT_CLOCK_MHZ}, what gen-rtl builds by default`,
};
