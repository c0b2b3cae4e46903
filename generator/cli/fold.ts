/** --target-us: lanes per layer chosen for a latency per image, or the fastest design the part holds. */
import { chooseFolding } from '../analysis/folding.js';
import { DEFAULT_MAX_UTILISATION } from '../analysis/folding-defaults.js';
import { DEFAULT_CLOCK_MHZ } from '../board/clock.js';
import { findPart } from '../board/part.js';
import type { PartInfo } from '../estimate/types.js';
import type { Model } from '../model/schema.js';
import type { DatasetName } from '../train/defaults.js';
import { BsnnError } from '../util/errors.js';
import { chooseInputs } from './inputs.js';

/** The lanes for `target`; says on stderr what was chosen, from which inputs, and whether the target is met. */
function lanesForTarget(model: Model, target: string, part: PartInfo, clockMHz: number, inputs: Uint8Array[], source: string): number[] {
  const latencyUS = target === 'fastest' ? undefined : Number(target);
  if (latencyUS !== undefined && !(Number.isFinite(latencyUS) && latencyUS > 0)) throw new BsnnError(`--target-us: "${target}" is neither a positive number of µs nor "fastest"`);
  const c = chooseFolding(model, inputs, { part, clockMHz, latencyUS });
  const lut = `${Math.round(100 * c.utilisation.lut)} % of the LUTs of ${part.part}`;
  const missed = c.met ? '' : `; the target is not met: this is the fastest design within ${DEFAULT_MAX_UTILISATION * 100} % of the part`;
  console.error(
    `bsnn: --target-us ${target}: lanes ${c.lanes.join(',')}, ${c.latencyUS.toFixed(1)} µs per image (${Math.round(c.cyclesPerInference)} cycles at ${clockMHz} MHz, ${lut}; activity of ${source})${missed}`,
  );
  return c.lanes;
}

/** Lanes for --target-us at the part and clock, from 16 inputs (the data set's, else random). */
export function targetLanes(model: Model, targetUs: string, partName: string, clockMhz: number | undefined, data: { dataset?: DatasetName; data?: string }): number[] {
  const part = findPart(partName);
  if (!part) throw new BsnnError(`--part: "${partName}" is not a Zynq-7000 part`);
  const { inputs, source } = chooseInputs({ inputs: 16, inputSeed: 1, dataset: data.dataset, data: data.data }, model);
  return lanesForTarget(model, targetUs, part, clockMhz ?? DEFAULT_CLOCK_MHZ, inputs, source);
}
