/** --target-us: lanes, events and offsets per cycle per layer chosen for a latency per image, or the fastest design the part holds. */
import { chooseFolding } from '../analysis/folding.js';
import { DEFAULT_MAX_UTILISATION } from '../analysis/folding-defaults.js';
import type { PartInfo } from '../estimate/types.js';
import type { Model } from '../model/schema.js';
import { BsnnError } from '../util/errors.js';
import type { Folding } from './options.js';

/** The lanes for `target`; says on stderr what was chosen, from which inputs, and whether the target is met. */
export function lanesForTarget(model: Model, target: string, part: PartInfo, clockMHz: number, inputs: Uint8Array[], source: string): Folding {
  const latencyUS = target === 'fastest' ? undefined : Number(target);
  if (latencyUS !== undefined && !(Number.isFinite(latencyUS) && latencyUS > 0)) throw new BsnnError(`--target-us: "${target}" is neither a positive number of µs nor "fastest"`);
  const c = chooseFolding(model, inputs, { part, clockMHz, latencyUS });
  const lut = `${Math.round(100 * c.utilisation.lut)} % of the LUTs of ${part.part}`;
  const missed = c.met ? '' : `; the target is not met: this is the fastest design within ${DEFAULT_MAX_UTILISATION * 100} % of the part`;
  // offsets per cycle only where there are conv layers (the message of dense models stays as it was)
  const offsets = model.layers.some((l) => l.type === 'conv2d') ? `, offsets per cycle ${c.offsetsPerCycle.join(',')}` : '';
  console.error(
    `bsnn: --target-us ${target}: lanes ${c.lanes.join(',')}, events per cycle ${c.eventsPerCycle.join(',')}${offsets}, ${c.latencyUS.toFixed(1)} µs per image (${Math.round(c.cyclesPerInference)} cycles at ${clockMHz} MHz, ${lut}; activity of ${source})${missed}`,
  );
  return { lanes: c.lanes, eventsPerCycle: c.eventsPerCycle, offsetsPerCycle: c.offsetsPerCycle };
}
