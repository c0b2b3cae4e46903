/** The potential readout layer's Verilog module (readout.v.hbs beside this file) and its memory images. */
import type { PlannedModel, ReadoutLayer } from '../../ir/types.js';
import type { EmittedFile } from '../../emit/files.js';
import { sext } from '../../emit/verilog-text.js';
import { OPS_DIR } from '../dirs.js';
import { layerModule, probImage, rowImage, synapseContext } from '../synapses/emit.js';

export function readoutContext(prefix: string, plan: PlannedModel, L: ReadoutLayer) {
  const core = synapseContext(prefix, plan, L, 'lane', []);
  const B = L.biasBits;
  const W = L.datapathBits;
  const P = L.lanes;
  return {
    ...core,
    B,
    bMsb: B - 1,
    vrowMsb: P * B - 1,
    // P values of W bits, passed on lane by lane
    valRowMsb: P * W - 1,
    valShift: `{${W}'d0, val_q[${P * W - 1}:${W}]}`,
    lastLaneLast: L.size - (L.passes - 1) * P - 1,
    sext: { bias: sext('bias_b', B, W), acc: sext('acc', L.accBits, W) },
  };
}

export function emitReadout(prefix: string, plan: PlannedModel, L: ReadoutLayer): { module: string; files: EmittedFile[] } {
  const ctx = readoutContext(prefix, plan, L);
  return layerModule(OPS_DIR.readout, 'readout.v.hbs', ctx, [probImage(prefix, L), { path: `mem/${ctx.biasFile}`, content: rowImage(L, L.bias, L.biasBits) }]);
}
