/** The spiking layer's Verilog module (dense.v.hbs beside this file) and its memory images. */
import type { DenseLayer, PlannedModel, SpikingNeurons } from '../../ir/types.js';
import type { EmittedFile } from '../../emit/files.js';
import { addrBits } from '../../ir/widths.js';
import { lfsrModuleName, lockMask, runtimeSeedLfsr, seedVector, sext, signedLiteral, zext } from '../../emit/verilog-text.js';
import { OPS_DIR } from '../dirs.js';
import { layerMemFile, layerModule, probImage, rowImage, synapseContext } from '../synapses/emit.js';

/** The threshold-noise stream of a spiking layer (dense or conv) for its template, or null without noise. */
export function noiseContext(prefix: string, L: SpikingNeurons) {
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

/**
 * `lo_idx`, the lowest set lane of `spk_q`, as a binary tree: level d holds, per node, whether any lane below it
 * spiked (lo_v<d>) and the d low bits of its lowest one (lo_i<d>). log2 P levels of 2:1 muxes instead of a
 * P-long priority chain, which capped the clock at wide lanes.
 */
export function lowestTree(P: number): string {
  const levels = addrBits(P);
  if (P === 1) return "    wire [0:0] lo_idx = 1'b0;";
  const width = (d: number) => 2 ** (levels - d);
  // the right child's valid at the top is not needed: a lint waiver around the tree
  const lines = ['    /* verilator lint_off UNUSEDSIGNAL */', `    wire [${width(0) - 1}:0] lo_v0 = ${width(0) > P ? `{${width(0) - P}'d0, em_q}` : 'em_q'};`];
  for (let d = 1; d <= levels; d++) {
    if (d < levels) lines.push(`    wire [${width(d) - 1}:0] lo_v${d};`);
    lines.push(`    wire [${width(d) * d - 1}:0] lo_i${d};`);
    for (let n = 0; n < width(d); n++) {
      const [a, b] = [2 * n, 2 * n + 1];
      if (d < levels) lines.push(`    assign lo_v${d}[${n}] = lo_v${d - 1}[${a}] | lo_v${d - 1}[${b}];`);
      lines.push(
        d === 1
          ? `    assign lo_i1[${n}] = ~lo_v0[${a}];`
          : `    assign lo_i${d}[${n * d} +: ${d}] = lo_v${d - 1}[${a}] ? {1'b0, lo_i${d - 1}[${a * (d - 1)} +: ${d - 1}]} : {1'b1, lo_i${d - 1}[${b * (d - 1)} +: ${d - 1}]};`,
      );
    }
  }
  lines.push('    /* verilator lint_on UNUSEDSIGNAL */', `    wire [${levels - 1}:0] lo_idx = lo_i${levels};`);
  return lines.join('\n');
}

export function denseContext(prefix: string, plan: PlannedModel, L: DenseLayer) {
  const noiseStreams = L.noise ? [runtimeSeedLfsr('n_rt', L.noise.bits, 'state == S_UPD', 'the threshold-noise draws')] : [];
  // The emission runs beside the next pass (dense.v.hbs): its lanes and base are its own registers.
  const core = synapseContext(prefix, plan, L, zext('lo_idx', addrBits(L.lanes), Math.max(addrBits(L.size), addrBits(L.lanes))), noiseStreams, {
    emitBase: 'em_base',
    evWait: ` && em_q == ${L.lanes}'d0`,
  });
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
    lowestTree: lowestTree(L.lanes),
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
