/** The conv layer's Verilog module. */
import type { ConvLayer, PlannedModel } from '../../ir/types.js';
import type { EmittedFile } from '../../emit/files.js';
import { BsnnError } from '../../util/errors.js';

export function emitConv(_prefix: string, _plan: PlannedModel, L: ConvLayer): { module: string; files: EmittedFile[] } {
  throw new BsnnError(`layers[${L.index}]: RTL for conv2d layers is not built yet (issue 12); the golden model (evaluate) supports them`);
}
