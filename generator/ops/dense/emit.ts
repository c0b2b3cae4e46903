/** The spiking layer's Verilog module (dense.v.hbs beside this file) and its memory images. */
import type { DenseLayer, PlannedModel } from '../../ir/types.js';
import type { EmittedFile } from '../../emit/files.js';
import { lfsrModuleName, lockMask, runtimeSeedLfsr, seedVector, sext, signedLiteral } from '../../emit/verilog-text.js';
import { OPS_DIR } from '../dirs.js';
import { layerMemFile, layerModule, probImage, rowImage, synapseContext } from '../synapses/emit.js';

function noiseContext(prefix: string, L: DenseLayer) {
  const n = L.noise;
  if (!n) return null;
  return {
    kind: n.kind,
    bits: n.bits,
    lockMask: lockMask(n.bits, 'n_lock'),
    rMsb: n.bits - 1,
    etaMsb: n.tableBits - 1,
    lfsrModule: lfsrModuleName(prefix, n.bits),
    cases: Array.from(n.table, (eta, r) => `${n.bits}'d${r}: eta_of = ${signedLiteral(eta, n.tableBits)};`),
  };
}

export function denseContext(prefix: string, plan: PlannedModel, L: DenseLayer) {
  const noiseStreams = L.noise ? [runtimeSeedLfsr('n_rt', L.noise.bits, 'state == S_UPD', 'the threshold-noise draws')] : [];
  const core = synapseContext(prefix, plan, L, 'lowest(spk_q)', noiseStreams);
  const B = L.membraneBits;
  const W = L.datapathBits;
  return {
    ...core,
    thrFile: layerMemFile(prefix, L, 'thr'),
    B,
    bMsb: B - 1,
    vmax: 2 ** (B - 1) - 1,
    vminAbs: 2 ** (B - 1),
    vrowMsb: L.lanes * B - 1,
    vrowBits: L.lanes * B,
    leak: L.leak,
    subtract: L.reset === 'subtract',
    noise: noiseContext(prefix, L),
    noiseSeeds: L.noise ? seedVector(L.noise.seeds) : '',
    nseedMsb: 32 * L.lanes - 1,
    padFrom: L.size - (L.passes - 1) * L.lanes,
    sext: {
      v: sext('v', B, W),
      thr: sext('thr_b', B, W),
      bias: sext('bias_b', B, W),
      acc: sext('acc', L.accBits, W),
      vsat: sext('vsat_q', B, W),
      eta: L.noise ? sext('eta_n', L.noise.tableBits, W) : '',
    },
  };
}

export function emitDense(prefix: string, plan: PlannedModel, L: DenseLayer): { module: string; files: EmittedFile[] } {
  const ctx = denseContext(prefix, plan, L);
  return layerModule(OPS_DIR.dense, 'dense.v.hbs', ctx, [
    probImage(prefix, L),
    { path: `mem/${ctx.thrFile}`, content: rowImage(L, L.threshold, L.membraneBits) },
    { path: `mem/${ctx.biasFile}`, content: rowImage(L, L.bias, L.membraneBits) },
  ]);
}
