/** What a conv layer costs: cycles (docs/semantics.md §7), activity, energy and resources. */
import type { ConvLayer, PlannedModel } from '../../ir/types.js';
import type { ActivityEnergy, EnergyCoefficients } from '../../estimate/energy.js';
import type { BlockStructure } from '../../estimate/structure.js';
import { BsnnError } from '../../util/errors.js';
import type { LayerActivity, LayerTraffic } from '../op.js';

const notYet = (what: string): never => {
  throw new BsnnError(`conv2d layers: ${what} is not built yet (issue 12); the golden model (evaluate) supports them`);
};

export const convStepBusy = (_L: ConvLayer, _events: number, _passSpikes: ArrayLike<number>): number => notYet('the cycle model');
export const convActivity = (_L: ConvLayer, _plan: PlannedModel, _traffic: LayerTraffic): LayerActivity => notYet('the activity model');
export const convStructures = (_plan: PlannedModel, _L: ConvLayer): BlockStructure[] => notYet('the resource model');
export const convEnergyPJ = (_L: ConvLayer, _plan: PlannedModel, _act: LayerActivity & LayerTraffic, _c: EnergyCoefficients): ActivityEnergy => notYet('the energy model');
