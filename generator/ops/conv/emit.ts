/** The conv layer's Verilog module (conv.v.hbs beside this file) and its memory images. */
import type { ConvLayer, PlannedModel } from '../../ir/types.js';
import type { EmittedFile } from '../../emit/files.js';
import { addrBits, countBits } from '../../ir/widths.js';
import { declareMemory } from '../../ir/memory.js';
import { lfsrModuleName, lockMask, runtimeSeedLfsr, seedVector, sext, zext } from '../../emit/verilog-text.js';
import { BsnnError } from '../../util/errors.js';
import { OPS_DIR } from '../dirs.js';
import { lowestTree, noiseContext } from '../dense/emit.js';
import { layerMemFile, layerModule, layerModuleName, probImage, rowImage } from '../synapses/emit.js';
import { convGeometryOf, spikeRowBits } from './geometry.js';
import { weightDrawsPerCycle } from '../synapses/plan.js';
import { decomposition, decompositionStages } from './decompose.js';

/**
 * `out`: exactly `n` bits (1 or 2) of the P-bit `src` are set, as a binary tree of (any, one[, two]) flags:
 * log2 P levels of LUTs. The tests `v & (v - 1) == 0` it replaces are P-bit carry chains; after the spike row's
 * block-RAM read, and after `em_q - 1`, they were the critical paths of a 64-lane conv layer.
 */
export function exactlyTree(out: string, src: string, P: number, n: 1 | 2): string {
  if (P === 1) return `    wire ${out} = ${n === 1 ? `${src}[0]` : "1'b0"};`;
  const levels = addrBits(P);
  const width = (d: number) => 2 ** (levels - d);
  const [a, o, t] = [`${out}_a`, `${out}_o`, `${out}_t`];
  const lines = [`    wire [${width(0) - 1}:0] ${a}0 = ${width(0) > P ? `{${width(0) - P}'d0, ${src}}` : src};`];
  for (let d = 1; d <= levels; d++) {
    // level 0: one is the bit itself, two is never
    const one = (i: number) => (d === 1 ? `${a}0[${i}]` : `${o}${d - 1}[${i}]`);
    lines.push(`    wire [${width(d) - 1}:0] ${a}${d}, ${o}${d}${n === 2 ? `, ${t}${d}` : ''};`);
    for (let k = 0; k < width(d); k++) {
      const [l, r] = [2 * k, 2 * k + 1];
      const [al, ar] = [`${a}${d - 1}[${l}]`, `${a}${d - 1}[${r}]`];
      lines.push(`    assign ${a}${d}[${k}] = ${al} | ${ar};`);
      lines.push(`    assign ${o}${d}[${k}] = (${one(l)} & ~${ar}) | (~${al} & ${one(r)});`);
      if (n === 2) {
        const both = `(${one(l)} & ${one(r)})`;
        lines.push(`    assign ${t}${d}[${k}] = ${d === 1 ? both : `(${t}${d - 1}[${l}] & ~${ar}) | (~${al} & ${t}${d - 1}[${r}]) | ${both}`};`);
      }
    }
  }
  lines.push(`    wire ${out} = ${n === 1 ? o : t}${levels}[0];`);
  return ['    /* verilator lint_off UNUSEDSIGNAL */', ...lines, '    /* verilator lint_on UNUSEDSIGNAL */'].join('\n');
}

export function convContext(prefix: string, plan: PlannedModel, L: ConvLayer) {
  if (L.eventsPerCycle !== 1) throw new BsnnError(`layers[${L.index}].eventsPerCycle: conv2d layers take one event per cycle (their offsets are one per cycle)`);
  const g = convGeometryOf(L);
  const { P, F, M, KK, Ho, Wo, HW, Q, A } = g;
  const { c: Cin, h: H, w: W } = L.inShape;
  const [kh, kw] = L.kernel;
  const [sh, sw] = L.stride;
  const [ph, pw] = L.padding;
  const perSample = plan.mode === 'per-sample';
  const inputs = Cin * H * W;
  const iw = addrBits(inputs);
  const ew = countBits(inputs);
  const values = L.inputMax > 1;
  const valBits = countBits(L.inputMax);
  const rows = F * M;
  const rw = addrBits(rows);
  const ow = addrBits(L.outputs);
  const posw = addrBits(HW);
  const vaw = addrBits(F * HW);
  const B = L.membraneBits;
  const Wd = L.datapathBits;
  const Ab = L.accBits;

  const yyMax = H - 1 + ph;
  const xxMax = W - 1 + pw;
  const qyMax = Math.floor(yyMax / sh);
  const qxMax = Math.floor(xxMax / sw);
  // signed coordinate registers: from -kernel to the largest quotient
  const cyBits = countBits(Math.max(qyMax, kh, Ho)) + 1;
  const cxBits = countBits(Math.max(qxMax, kw, Wo)) + 1;
  const prowBits = Math.max(countBits(Math.max(qyMax, kh) * Wo + Wo), cxBits) + 1;
  const ckBits = countBits((Cin - 1) * KK);
  // the event decomposition pipeline (decompose.ts): what the sequencer loads from its last stage
  const dec = decomposition(L, { iw, valBits: values ? valBits : 1, ckBits, prowBits });
  const o = dec.out;
  if (dec.stages !== decompositionStages(L)) throw new Error(`layers[${L.index}]: the decomposition has ${dec.stages} stages, the cycle model counts ${decompositionStages(L)}`);
  const kxBits = countBits(kw - 1);
  const kyBits = countBits(kh - 1);
  const ryBits = o.ry.bits;
  const rxBits = o.rx.bits;
  const sumPool = L.pool?.kind === 'sum';
  // a sum pool counts a window's spikes per lane; an or pool (and no pool) keeps one bit
  const cntBits = sumPool ? countBits(A) : 1;
  const outValBits = cntBits + 1; // a signed value (ports().valueBits)
  const emBits = countBits(F * P * Q);
  const lcBits = Math.max(1, countBits(A - 1));

  const mem = (depth: number, width: number) => declareMemory(depth, width).block;
  // two offsets per cycle (docs/engine.md "Conv layers"): the pairs (kx, kx + 1) of a kernel row, an odd row's
  // last offset alone; the accumulators in two banks of ⌈Ho·Wo/2⌉ rows by position parity
  const pairs = L.offsetsPerCycle === 2;
  const pairDraw = weightDrawsPerCycle(L, plan.mode) === 2;
  const kxEnd = pairs ? 2 * Math.floor((kw - 1) / 2) : kw - 1;
  const hbBits = addrBits(Math.ceil(HW / 2));
  // a position's row in its bank: position / 2 (one row when Ho·Wo <= 2)
  const half = (name: string) => (posw > 1 ? `${name}[${posw - 1}:1]` : "1'b0");
  return {
    module: layerModuleName(prefix, L),
    probFile: layerMemFile(prefix, L, 'prob'),
    thrFile: layerMemFile(prefix, L, 'thr'),
    biasFile: layerMemFile(prefix, L, 'bias'),
    index: L.index,
    Cin,
    H,
    W,
    kh,
    kw,
    sh,
    sw,
    ph,
    pw,
    Ho,
    Wo,
    C: L.size,
    P,
    F,
    M,
    k: L.probBits,
    mode: plan.mode,
    perSample,
    direct: L.directInput,
    values,
    valMsb: valBits - 1,
    pool: L.pool ? `${L.pool.kind} pool ${L.pool.size[0]}x${L.pool.size[1]}` : 'no pool',
    sumPool,
    outValMsb: outValBits - 1,
    lfsrModule: lfsrModuleName(prefix, L.probBits, pairDraw),
    pairs,
    pairDraw,
    kxEnd,
    kxPlus2: kxBits >= 2 ? `kx + ${kxBits}'d2` : 'kx', // one bit: a kernel row of at most 2 offsets is one pair
    has1: kw % 2 === 0 ? "1'b1" : `kx != ${kxBits}'d${kxEnd}`,
    posExpr1: `prow + ${sext('cx1', cxBits, prowBits)}`,
    hbMsb: hbBits - 1,
    hbMax: Math.ceil(HW / 2) - 1,
    a1PosH: half('a1_pos'),
    a1Pos1H: half('a1_pos1'),
    upH: half('up'),
    clrH: half('clr'),
    u1H: half('u1_p'),
    accUp: pairs ? 'acc_up' : 'acc_rd',
    weightSeeds: seedVector(L.weightSeeds),
    seedMsb: 32 * P - 1,
    iwMsb: iw - 1,
    ewMsb: ew - 1,
    ewBits: ew,
    evMsb: iw + (values ? valBits : 0) - 1,
    evWrite: values ? '{ev_idx, ev_val}' : 'ev_idx',
    evIdx: values ? `ev_q[${iw + valBits - 1}:${valBits}]` : 'ev_q',
    evVal: values ? `ev_q[${valBits - 1}:0]` : "1'b1",
    inMax: inputs - 1,
    // decomposition stages
    decomposition: dec.text,
    decompFF: dec.ff,
    decompSubtract: dec.subtractBits,
    dv: o.v,
    ryD: o.ry.expr,
    rxD: o.rx.expr,
    prowD: o.prow.expr,
    valD: o.val.expr,
    qxMsb: o.qx.bits - 1,
    qxD: o.qx.expr,
    noneValid: Array.from({ length: dec.stages + 1 }, (_, i) => `!v${i}`).join(' && '),
    decompDepth: dec.stages + 1,
    ryMsb: ryBits - 1,
    rxMsb: rxBits - 1,
    ryBits,
    rxBits,
    shMax: sh - 1,
    swMax: sw - 1,
    ckBits,
    prowMsb: prowBits - 1,
    prowBits,
    cyMsb: cyBits - 1,
    cxMsb: cxBits - 1,
    cyExt: `{${cyBits - o.qy.bits}'d0, ${o.qy.expr}}`,
    cxExt: `{${cxBits - o.qx.bits}'d0, ${o.qx.expr}}`,
    cxExt0: `{${cxBits - o.qx.bits}'d0, qx0}`,
    cyBits,
    cxBits,
    kxMsb: kxBits - 1,
    kyMsb: kyBits - 1,
    kxBits,
    kyBits,
    kwMax: kw - 1,
    khMax: kh - 1,
    // the sequencer's row: row_base + c·kh·kw + offset
    rwMsb: rw - 1,
    rwBits: rw,
    ckRow: zext(o.ck.expr, ckBits, rw),
    rows,
    rowsMax: rows - 1,
    smpMsb: countBits(rows) - 1,
    smpBits: countBits(rows),
    posMsb: posw - 1,
    posBits: posw,
    posExpr: `prow + ${sext('cx', cxBits, prowBits)}`,
    HW,
    hwMax: HW - 1,
    vaMsb: vaw - 1,
    vaBits: vaw,
    vdepthMax: F * HW - 1,
    pMsb: P - 1,
    pBits: P,
    kMsb: L.probBits - 1,
    probMsb: P * L.probBits - 1,
    probAttr: L.memories.prob.block ? '(* rom_style = "block" *) ' : '',
    heldAttr: L.memories.held?.block ? '(* ram_style = "block" *) ' : '',
    accAttr: mem(HW, P * Ab) ? '(* ram_style = "block" *) ' : '',
    vmemAttr: mem(F * HW, P * B) ? '(* ram_style = "block" *) ' : '',
    spkAttr: mem(HW, spikeRowBits(P)) ? '(* ram_style = "block" *) ' : '',
    aMsb: Ab - 1,
    aBits: Ab,
    accRowMsb: P * Ab - 1,
    accRowBits: P * Ab,
    xvExpr: values ? `$signed(${zext('a2_val', valBits, Ab)})` : `${Ab}'sd1`,
    valSeqMsb: (values ? valBits : 1) - 1,
    fwMsb: addrBits(F) - 1,
    fwBits: addrBits(F),
    fMax: F - 1,
    multiPass: F > 1,
    // neuron update, as dense.v.hbs
    B,
    bMsb: B - 1,
    wMsb: Wd - 1,
    wBits: Wd,
    vmax: 2 ** (B - 1) - 1,
    vminAbs: 2 ** (B - 1),
    vrowMsb: P * B - 1,
    vrowBits: P * B,
    leak: L.leak,
    subtract: L.reset === 'subtract',
    noise: noiseContext(prefix, L),
    noiseSeeds: L.noise ? seedVector(L.noise.seeds) : '',
    nseedMsb: 32 * P - 1,
    padFrom: L.size - (F - 1) * P,
    sext: {
      v: sext('v', B, Wd),
      thr: sext('thr_b', B, Wd),
      bias: sext('bias_b', B, Wd),
      acc: sext('acc_b', Ab, Wd),
      vsat: sext('vsat_q', B, Wd),
      eta: L.noise ? sext('eta_n', L.noise.tableBits, Wd) : '',
    },
    // pool and emission
    A,
    aMax: A - 1,
    lcMsb: lcBits - 1,
    lcBits,
    qh: L.pool ? L.pool.size[0] : 1,
    qw: L.pool ? L.pool.size[1] : 1,
    qwMax: (L.pool ? L.pool.size[1] : 1) - 1,
    Hp: L.outShape.h,
    Wp: L.outShape.w,
    wpMax: L.outShape.w - 1,
    Q,
    qBits: countBits(Q),
    qMsb: countBits(Q) - 1,
    cntMsb: cntBits - 1,
    cntBits,
    cntRowMsb: P * cntBits - 1,
    finExpr: sumPool ? (cntBits > 1 ? `prev + {${cntBits - 1}'d0, sd_row[jj]}` : 'prev + sd_row[jj]') : 'prev | sd_row[jj]',
    // the count is nonzero if it was or this row's bit is set (a window's count never wraps): no adder in front
    finAnyExpr: cntBits > 1 ? `prev != ${cntBits}'d0 || sd_row[jj]` : 'prev[0] | sd_row[jj]',
    finOneTree: exactlyTree('fin_one', 'fin_any', P, 1),
    // em_rest (em_q less its lowest lane) has one lane exactly when em_q has two: no subtraction in front
    restOneTree: exactlyTree('rest_one', 'em_q', P, 2),
    emQ: zext('sd_q', countBits(Q), emBits),
    dxMsb: countBits((L.pool ? L.pool.size[1] : 1) - 1) - 1,
    dxBits: countBits((L.pool ? L.pool.size[1] : 1) - 1),
    // Position steps as posBits-wide literals, modulo the width: a step that reaches past the map (a 1×2 map's
    // row of 2) is taken only where its result is never used, and a literal wider than its value would not lint.
    rowStep: ((L.pool ? L.pool.size[0] : 1) * Wo) % 2 ** posw,
    woStep: Wo % 2 ** posw,
    owMsb: ow - 1,
    emMsb: emBits - 1,
    emBits,
    passStep: P * Q,
    laneOffsets: Array.from({ length: P }, (_, j) => `${addrBits(P)}'d${j}: lane_off = ${emBits}'d${j * Q};`),
    ljMsb: addrBits(P) - 1,
    lowestTree: lowestTree(P),
    emWide: emBits > ow,
    rtStreams: [
      runtimeSeedLfsr('w_rt', L.probBits, 'w_adv', 'the weight draws', pairDraw ? { adv2: 'w_adv2', half: 'w_half' } : undefined),
      ...(L.noise ? [runtimeSeedLfsr('n_rt', L.noise.bits, 'u1_v', 'the threshold-noise draws')] : []),
    ].join('\n'),
    wLockMask: lockMask(L.probBits, 'w_lock'),
  };
}

export function emitConv(prefix: string, plan: PlannedModel, L: ConvLayer): { module: string; files: EmittedFile[] } {
  // evaluate's other meaning of a kernel sample is the golden model's only
  if (L.kernelSample !== 'per-use') throw new BsnnError(`layers[${L.index}]: a kernel sample per timestep is not built in RTL (the RTL draws a fresh weight per use)`);
  const ctx = convContext(prefix, plan, L);
  return layerModule(OPS_DIR.conv, 'conv.v.hbs', ctx, [
    probImage(prefix, L),
    { path: `mem/${ctx.thrFile}`, content: rowImage(L, L.threshold, L.membraneBits) },
    { path: `mem/${ctx.biasFile}`, content: rowImage(L, L.bias, L.membraneBits) },
  ]);
}
