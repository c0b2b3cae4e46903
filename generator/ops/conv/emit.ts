/** The conv layer's Verilog module (conv.v.hbs beside this file) and its memory images. */
import type { ConvLayer, PlannedModel } from '../../ir/types.js';
import type { EmittedFile } from '../../emit/files.js';
import { addrBits, countBits } from '../../ir/widths.js';
import { declareMemory } from '../../ir/memory.js';
import { lfsrModuleName, lockMask, runtimeSeedLfsr, seedVector, sext, signedLiteral, zext } from '../../emit/verilog-text.js';
import { BsnnError } from '../../util/errors.js';
import { OPS_DIR } from '../dirs.js';
import { lowestTree } from '../dense/emit.js';
import { layerMemFile, layerModule, layerModuleName, probImage, rowImage } from '../synapses/emit.js';
import { convGeometryOf } from './geometry.js';

/**
 * `expr` (a value in 0..max) divided by the constant `d`, without a divider: restoring division unrolled over
 * the quotient's bits, each a compare and a subtract of a constant (Yosys builds a full divider for `/`).
 * Declares `<q>` and `<r>`.
 */
export function divChain(name: string, expr: string, exprBits: number, max: number, d: number): { lines: string[]; qBits: number; rBits: number } {
  const qBits = countBits(Math.floor(max / d));
  const rBits = countBits(d - 1);
  if (d === 1) {
    return {
      lines: [`    wire [${qBits - 1}:0] ${name}_q = ${zext(expr, exprBits, qBits)};`, `    wire [0:0] ${name}_r = 1'b0;`],
      qBits,
      rBits,
    };
  }
  const n = countBits(max);
  const lines = [`    wire [${n - 1}:0] ${name}_r${qBits} = ${zext(expr, exprBits, n)};`];
  for (let b = qBits - 1; b >= 0; b--) {
    const c = `${n}'d${d * 2 ** b}`;
    lines.push(`    wire ${name}_g${b} = ${name}_r${b + 1} >= ${c};`);
    lines.push(`    wire [${n - 1}:0] ${name}_r${b} = ${name}_g${b} ? ${name}_r${b + 1} - ${c} : ${name}_r${b + 1};`);
  }
  const gs = Array.from({ length: qBits }, (_, i) => `${name}_g${qBits - 1 - i}`).join(', ');
  lines.push(`    wire [${qBits - 1}:0] ${name}_q = {${gs}};`);
  // the remainder is below d: its high bits are zero (conv.v.hbs waives the lint of the decomposition)
  lines.push(`    wire [${rBits - 1}:0] ${name}_r = ${name}_r0[${rBits - 1}:0];`);
  return { lines, qBits, rBits };
}

/** `expr` (bits wide) times the constant `c`, as a sum of shifted constants (no multiplier, no DSP), in `out` bits. */
export function constTimes(expr: string, bits: number, c: number, out: number): string {
  const terms: string[] = [];
  for (let b = 0; b < bits; b++) {
    const k = c * 2 ** b;
    if (k >= 2 ** out) continue;
    terms.push(`({${out}{${expr}[${b}]}} & ${out}'d${k})`);
  }
  return terms.length ? terms.join(' + ') : `${out}'d0`;
}

function noiseContext(prefix: string, L: ConvLayer) {
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

  // decomposition of the flat CHW index: c, then y and x, then (y + ph, x + pw) by the stride
  const inH = H * W;
  const dc = divChain('dc', 'ev_q_idx', iw, inputs - 1, inH);
  const cBits = dc.qBits;
  const pinBits = countBits(inH - 1);
  const dy = divChain('dy', 'pin1', pinBits, inH - 1, W);
  const yBits = dy.qBits;
  const xBits = dy.rBits;
  const yyMax = H - 1 + ph;
  const xxMax = W - 1 + pw;
  const yyBits = countBits(yyMax);
  const xxBits = countBits(xxMax);
  const qy = divChain('qy', 'yy2', yyBits, yyMax, sh);
  const qx = divChain('qx', 'xx2', xxBits, xxMax, sw);
  const qyMax = Math.floor(yyMax / sh);
  const qxMax = Math.floor(xxMax / sw);
  // signed coordinate registers: from -kernel to the largest quotient
  const cyBits = countBits(Math.max(qyMax, kh, Ho)) + 1;
  const cxBits = countBits(Math.max(qxMax, kw, Wo)) + 1;
  const prowBits = Math.max(countBits(Math.max(qyMax, kh) * Wo + Wo), cxBits) + 1;
  const ckBits = countBits((Cin - 1) * KK);
  const kxBits = countBits(kw - 1);
  const kyBits = countBits(kh - 1);
  const ryBits = qy.rBits;
  const rxBits = qx.rBits;
  const sumPool = L.pool?.kind === 'sum';
  // a sum pool counts a window's spikes per lane; an or pool (and no pool) keeps one bit
  const cntBits = sumPool ? countBits(A) : 1;
  const outValBits = cntBits + 1; // a signed value (ports().valueBits)
  const emBits = countBits(F * P * Q);
  const lcBits = Math.max(1, countBits(A - 1));

  const mem = (depth: number, width: number) => declareMemory(depth, width).block;
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
    KK,
    k: L.probBits,
    mode: plan.mode,
    perSample,
    direct: L.directInput,
    values,
    valMsb: valBits - 1,
    pool: L.pool ? `${L.pool.kind} pool ${L.pool.size[0]}x${L.pool.size[1]}` : 'no pool',
    sumPool,
    outValMsb: outValBits - 1,
    lfsrModule: lfsrModuleName(prefix, L.probBits),
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
    dcLines: dc.lines.join('\n'),
    cMsb: cBits - 1,
    pinMsb: pinBits - 1,
    pinExpr: Cin === 1 ? zext('ev_q_idx', iw, pinBits) : `dc_r[${pinBits - 1}:0]`,
    dcPinWide: Cin !== 1 && dc.rBits > pinBits,
    dyLines: dy.lines.join('\n'),
    yMsb: yBits - 1,
    xMsb: xBits - 1,
    yyMsb: yyBits - 1,
    xxMsb: xxBits - 1,
    yyExpr: `${zext('y2', yBits, yyBits)} + ${yyBits}'d${ph}`,
    xxExpr: `${zext('x2', xBits, xxBits)} + ${xxBits}'d${pw}`,
    qyLines: qy.lines.join('\n'),
    qxLines: qx.lines.join('\n'),
    qyMsb: qy.qBits - 1,
    qxMsb: qx.qBits - 1,
    ryMsb: ryBits - 1,
    rxMsb: rxBits - 1,
    ryBits,
    rxBits,
    shMax: sh - 1,
    swMax: sw - 1,
    ckMsb: ckBits - 1,
    ckBits,
    ckExpr: constTimes('c2', cBits, KK, ckBits),
    prowMsb: prowBits - 1,
    prowBits,
    prowExpr: constTimes('qy3', qy.qBits, Wo, prowBits),
    cyMsb: cyBits - 1,
    cxMsb: cxBits - 1,
    cyExt: `{${cyBits - qy.qBits}'d0, qy4}`,
    cxExt: `{${cxBits - qx.qBits}'d0, qx4}`,
    cxExt0: `{${cxBits - qx.qBits}'d0, qx0}`,
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
    ckRow: zext('ck4', ckBits, rw),
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
    spkAttr: mem(HW, P) ? '(* ram_style = "block" *) ' : '',
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
    qhMax: (L.pool ? L.pool.size[0] : 1) - 1,
    Hp: L.outShape.h,
    Wp: L.outShape.w,
    wpMax: L.outShape.w - 1,
    Q,
    qMax: Q - 1,
    qBits: countBits(Q),
    qMsb: countBits(Q) - 1,
    cntMsb: cntBits - 1,
    cntBits,
    cntRowMsb: P * cntBits - 1,
    finExpr: sumPool ? (cntBits > 1 ? `prev + {${cntBits - 1}'d0, sd_row[jj]}` : 'prev + sd_row[jj]') : 'prev | sd_row[jj]',
    emQ: zext('sd_q', countBits(Q), emBits),
    dxMsb: countBits((L.pool ? L.pool.size[1] : 1) - 1) - 1,
    dxBits: countBits((L.pool ? L.pool.size[1] : 1) - 1),
    rowStep: (L.pool ? L.pool.size[0] : 1) * Wo,
    owMsb: ow - 1,
    emMsb: emBits - 1,
    emBits,
    passStep: P * Q,
    laneOffsets: Array.from({ length: P }, (_, j) => `${addrBits(P)}'d${j}: lane_off = ${emBits}'d${j * Q};`),
    ljMsb: addrBits(P) - 1,
    lowestTree: lowestTree(P),
    emWide: emBits > ow,
    rtStreams: [
      runtimeSeedLfsr('w_rt', L.probBits, 'w_adv', 'the weight draws'),
      ...(L.noise ? [runtimeSeedLfsr('n_rt', L.noise.bits, 'u1_v', 'the threshold-noise draws')] : []),
    ].join('\n'),
    wLockMask: lockMask(L.probBits, 'w_lock'),
  };
}

export function emitConv(prefix: string, plan: PlannedModel, L: ConvLayer): { module: string; files: EmittedFile[] } {
  const ctx = convContext(prefix, plan, L);
  return layerModule(OPS_DIR.conv, 'conv.v.hbs', ctx, [
    probImage(prefix, L),
    { path: `mem/${ctx.thrFile}`, content: rowImage(L, L.threshold, L.membraneBits) },
    { path: `mem/${ctx.biasFile}`, content: rowImage(L, L.bias, L.membraneBits) },
  ]);
}
