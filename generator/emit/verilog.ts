/**
 * Planned IR → Verilog sources and memory images (in memory; `writeFolderAtomically` puts them on disk).
 * Every number in the RTL comes from the planned IR; the templates only arrange it.
 */
import { leapMasks, LFSR_WIDTH } from '../rng/lfsr.js';
import type { PlannedLayer, PlannedModel } from '../ir/types.js';
import { TEMPLATES_DIR } from '../util/paths.js';
import { memImage } from './mem.js';
import { render } from './templates.js';
import { addrBits, countBits } from '../ir/widths.js';

export interface EmittedFile {
  /** Path relative to the output folder. */
  path: string;
  content: string;
}

export interface EmittedDesign {
  top: string;
  files: EmittedFile[];
}

/** Memories at or above this size go to block RAM; smaller ones are left to the tool (LUTs in practice). */
export const BRAM_THRESHOLD_BITS = 4096;

const hex32 = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
const msb = (bits: number) => bits - 1;

/** Seeds as one Verilog vector, lane 0 in the low 32 bits. */
function seedVector(seeds: Uint32Array): string {
  return '{' + Array.from(seeds).reverse().map((s) => `32'h${hex32(s)}`).join(', ') + '}';
}

/** Zero-extend `expr` of `from` bits to `to` bits. */
function zext(expr: string, from: number, to: number): string {
  return to > from ? `{${to - from}'d0, ${expr}}` : expr;
}

/** Sign-extend `expr` (a plain identifier) of `from` bits to `to` bits. */
function sext(expr: string, from: number, to: number): string {
  return to > from ? `{{${to - from}{${expr}[${from - 1}]}}, ${expr}}` : expr;
}

/** A two's complement literal of `width` bits. */
function signedLiteral(v: number, width: number): string {
  const mask = 2 ** width - 1;
  const pattern = v < 0 ? 2 ** width + v : v;
  return `${width}'sh${(pattern & mask).toString(16)}`;
}

export const lfsrModuleName = (prefix: string, k: number) => `${prefix}_lfsr_k${k}`;

export function lfsrContext(prefix: string, k: number) {
  const equations = leapMasks(k).map((mask) => {
    const terms: string[] = [];
    for (let b = LFSR_WIDTH - 1; b >= 0; b--) if ((mask >>> b) & 1) terms.push(`s[${b}]`);
    return terms.join(' ^ ');
  });
  return { module: lfsrModuleName(prefix, k), k, plural: k > 1, kMsb: k - 1, keepMsb: LFSR_WIDTH - 1 - k, equations };
}

/**
 * The shared runtime-seed LFSR of a group of streams that advance together (docs/semantics.md §1.2): it starts
 * at seed_rt and leaps k steps on `adv`, as the group's constant-seed LFSRs do. Its draw `<name>` is XORed into
 * each stream's own draw, which by linearity gives the draws from seed(id) ^ seed_rt.
 */
function runtimeSeedLfsr(name: string, k: number, adv: string, what: string): string {
  const state = `${name}_s`;
  const eq = lfsrContext('', k).equations.map((e, b) => `    assign ${name}[${b}] = ${e.replace(/\bs\[/g, `${state}[`)};`);
  return [
    `    reg  [31:0] ${state} = 32'd0;   // the runtime-seed stream of ${what}`,
    `    wire [${k - 1}:0] ${name};`,
    ...eq,
    '    always @(posedge clk) begin',
    `        if (rst) ${state} <= 32'd0;`,
    `        else if (seed_load) ${state} <= seed_rt;`,
    `        else if (${adv}) ${state} <= {${state}[${LFSR_WIDTH - 1 - k}:0], ${name}};`,
    '    end',
  ].join('\n');
}

/** {k{~lock}}: the shared draw is left out where the lane's seed(id) equals seed_rt. */
const lockMask = (k: number, lock: string) => `{${k}{~${lock}}}`;

export interface LayerNames {
  module: string;
  probFile: string;
  thrFile: string;
  biasFile: string;
}

export function layerNames(prefix: string, L: PlannedLayer): LayerNames {
  return {
    module: `${prefix}_layer${L.index}`,
    probFile: `${prefix}_layer${L.index}_prob.mem`,
    thrFile: `${prefix}_layer${L.index}_thr.mem`,
    biasFile: `${prefix}_layer${L.index}_bias.mem`,
  };
}

/** Widths of one layer's datapath, shared by its template and the top level. */
function layerWidths(L: PlannedLayer) {
  const rows = L.passes * L.fanIn;
  const ow = addrBits(L.size);
  const pw = addrBits(L.lanes);
  return {
    rows,
    iw: addrBits(L.fanIn),
    ew: countBits(L.fanIn),
    ow,
    fw: addrBits(L.passes),
    rw: addrBits(rows),
    sw: Math.max(ow, pw),
    w: L.datapathBits,
  };
}

function layerContext(prefix: string, plan: PlannedModel, L: PlannedLayer) {
  const names = layerNames(prefix, L);
  const W = layerWidths(L);
  const direct = L.index === 0 && plan.input.encoding === 'direct';
  const P = L.lanes;
  const B = L.membraneBits;
  const evBits = W.iw + (direct ? 8 : 0);
  const noise = L.noise
    ? {
        kind: L.noise.kind,
        bits: L.noise.bits,
        lockMask: lockMask(L.noise.bits, 'n_lock'),
        rMsb: L.noise.bits - 1,
        etaMsb: L.noise.tableBits - 1,
        lfsrModule: lfsrModuleName(prefix, L.noise.bits),
        cases: Array.from(L.noise.table, (eta, r) => `${L.noise!.bits}'d${r}: eta_of = ${signedLiteral(eta, L.noise!.tableBits)};`),
      }
    : null;
  return {
    ...names,
    index: L.index,
    M: L.fanIn,
    N: L.size,
    P,
    F: L.passes,
    k: L.probBits,
    B,
    pPlural: P > 1,
    fPlural: L.passes > 1,
    mode: plan.mode,
    perSample: plan.mode === 'per-sample',
    direct,
    leak: L.leak,
    subtract: L.reset === 'subtract',
    noise,
    lfsrModule: lfsrModuleName(prefix, L.probBits),
    weightSeeds: seedVector(L.weightSeeds),
    noiseSeeds: L.noise ? seedVector(L.noise.seeds) : '',
    seedMsb: 32 * P - 1,
    nseedMsb: 32 * P - 1,
    iwMsb: msb(W.iw),
    owMsb: msb(W.ow),
    owBits: W.ow,
    ewMsb: msb(W.ew),
    ewBits: W.ew,
    fwMsb: msb(W.fw),
    fwBits: W.fw,
    rwMsb: msb(W.rw),
    rwBits: W.rw,
    pMsb: P - 1,
    pMax: P - 1,
    pBits: P,
    pwMsb: msb(W.sw),
    pwBits: W.sw,
    sumMsb: msb(W.sw),
    kMsb: L.probBits - 1,
    aMsb: L.accBits - 1,
    aBits: L.accBits,
    bMsb: B - 1,
    wMsb: W.w - 1,
    wBits: W.w,
    vmax: 2 ** (B - 1) - 1,
    vminAbs: 2 ** (B - 1),
    mMax: L.fanIn - 1,
    fMax: L.passes - 1,
    rows: W.rows,
    rowsMax: W.rows - 1,
    smpMsb: msb(countBits(W.rows)),
    smpBits: countBits(W.rows),
    probMsb: P * L.probBits - 1,
    vrowMsb: P * B - 1,
    vrowBits: P * B,
    probAttr: W.rows * P * L.probBits >= BRAM_THRESHOLD_BITS ? '(* rom_style = "block" *) ' : '',
    heldAttr: W.rows * P >= BRAM_THRESHOLD_BITS ? '(* ram_style = "block" *) ' : '',
    padFrom: L.size - (L.passes - 1) * P,
    evMsb: evBits - 1,
    evWrite: direct ? '{ev_idx, ev_val}' : 'ev_idx',
    evIdxSlice: direct ? `${evBits - 1}:8` : `${W.iw - 1}:0`,
    evRowIdx: zext('ev_q_idx', W.iw, W.rw),
    xvExpr: direct ? `$signed(${zext('val2', 8, L.accBits)})` : `${L.accBits}'sd1`,
    sext: {
      v: sext('v', B, W.w),
      thr: sext('thr_b', B, W.w),
      bias: sext('bias_b', B, W.w),
      acc: sext('acc', L.accBits, W.w),
      vsat: sext('vsat_q', B, W.w),
      eta: L.noise ? sext('eta_n', L.noise.tableBits, W.w) : '',
    },
    multiPass: L.passes > 1,
    emitWide: W.sw > W.ow,
    emitExpr: `${zext('pass_base', W.ow, W.sw)} + ${L.readout ? 'lane' : 'lowest(spk_q)'}`,
    // the runtime seed (docs/semantics.md §1.2): shared runtime-seed LFSRs of the weight and noise draws
    rtStreams: [
      runtimeSeedLfsr('w_rt', L.probBits, 'w_adv', 'the weight draws'),
      ...(L.noise ? [runtimeSeedLfsr('n_rt', L.noise.bits, "state == S_UPD", 'the threshold-noise draws')] : []),
    ].join('\n'),
    wLockMask: lockMask(L.probBits, 'w_lock'),
    // the potential readout layer (docs/semantics.md §4): P values of W bits, passed on lane by lane
    readout: L.readout,
    valRowMsb: P * W.w - 1,
    valShift: `{${W.w}'d0, val_q[${P * W.w - 1}:${W.w}]}`,
    lastLaneLast: L.size - (L.passes - 1) * P - 1,
  };
}

/** Widths of the top module's ports: the template and every testbench read them from here. */
export function topPortWidths(plan: PlannedModel) {
  return {
    inAddr: addrBits(plan.input.size),
    cls: plan.classBits,
    votes: plan.voteBits,
    layer: addrBits(plan.layers.length),
    neuron: Math.max(...plan.layers.map((L) => addrBits(L.size))),
    sample: countBits(plan.samples - 1),
    timestep: countBits(plan.timesteps - 1),
  };
}

function topContext(prefix: string, plan: PlannedModel) {
  const nL = plan.layers.length;
  const ports = topPortWidths(plan);
  const iw = ports.inAddr;
  const neuronBits = ports.neuron;
  const layerBits = ports.layer;
  const layers = plan.layers.map((L, l) => ({
    index: l,
    module: layerNames(prefix, L).module,
    owMsb: addrBits(L.size) - 1,
    direct: l === 0 && plan.input.encoding === 'direct',
    inValid: l === 0 ? 'enc_valid' : `l${l - 1}_valid`,
    inIdx: l === 0 ? 'enc_idx' : `l${l - 1}_idx`,
    readout: L.readout,
    valMsb: L.datapathBits - 1,
  }));
  // Spiking layers report to the trace; a potential readout layer emits values, not spikes.
  const spiking = plan.layers.filter((L) => !L.readout).map((L) => L.index);
  let layerMux = `${layerBits}'d0`;
  let neuronMux = `${neuronBits}'d0`;
  for (const l of [...spiking].reverse()) {
    layerMux = `l${l}_valid ? ${layerBits}'d${l} : ${layerMux}`;
    neuronMux = `l${l}_valid ? ${zext(`l${l}_idx`, addrBits(plan.layers[l].size), neuronBits)} : ${neuronMux}`;
  }
  const cnt = ports.votes;
  const out = plan.layers[nL - 1];
  const potential = plan.readout === 'potential';
  return {
    module: `${prefix}_top`,
    potential,
    // votes: +1 per output spike, or + (acc + b) sign-extended to the vote width (never narrower: widths.ts)
    voteIncrement: potential ? sext(`l${nL - 1}_val`, out.datapathBits, cnt) : "1'b1",
    // argmax from the smallest vote: 0 unsigned, -2^(cnt-1) signed
    bestInit: potential ? `{1'b1, ${cnt - 1}'d0}` : `${cnt}'d0`,
    argmaxGreater: potential ? '$signed(votes[c]) > $signed(best)' : 'votes[c] > best',
    traceValid: spiking.length === 0 ? "1'b0" : spiking.map((l) => `l${l}_valid`).join(' | '),
    name: plan.name,
    modelHash: plan.modelHash,
    layerSummary: [plan.input.size, ...plan.layers.map((L) => L.size)].join('-'),
    T: plan.timesteps,
    S: plan.samples,
    M: plan.input.size,
    mode: plan.mode,
    direct: plan.input.encoding === 'direct',
    encoderModule: `${prefix}_encoder`,
    layers,
    iwMsb: iw - 1,
    clsMsb: ports.cls - 1,
    clsBits: ports.cls,
    cntMsb: cnt - 1,
    cntBits: cnt,
    cMax: plan.outputs - 1,
    lMax: nL - 1,
    lBits: nL,
    layerMsb: layerBits - 1,
    layerBits,
    neuronMsb: neuronBits - 1,
    sMsb: ports.sample - 1,
    sBits: ports.sample,
    sMax: plan.samples - 1,
    tMsb: ports.timestep - 1,
    tBits: ports.timestep,
    tMax: plan.timesteps - 1,
    traceMux: `    assign trace_layer = ${layerMux};\n    assign trace_neuron = ${neuronMux};`,
  };
}

function encoderContext(prefix: string, plan: PlannedModel) {
  const M = plan.input.size;
  return {
    module: `${prefix}_encoder`,
    M,
    mMax: M - 1,
    encoding: plan.input.encoding,
    rate: plan.input.encoding === 'rate',
    direct: plan.input.encoding === 'direct',
    iwMsb: addrBits(M) - 1,
    ewMsb: countBits(M) - 1,
    ewBits: countBits(M),
    seed: hex32(plan.input.seed),
    // the input stream's LFSR is inline (one stream: a loadable state is cheaper than a shared runtime stream)
    equations: lfsrContext(prefix, 8).equations,
  };
}

/** Memory images of one layer: probabilities, thresholds and biases in pass-row order. */
function layerMemories(L: PlannedLayer, names: LayerNames): EmittedFile[] {
  const P = L.lanes;
  const rowsOf = (perNeuron: Int32Array) => {
    const out = new Int32Array(L.passes * P);
    out.set(perNeuron);
    return out;
  };
  return [
    { path: `mem/${names.probFile}`, content: memImage(L.probRows, L.passes * L.fanIn, P, L.probBits) },
    // the readout layer has no thresholds
    ...(L.readout ? [] : [{ path: `mem/${names.thrFile}`, content: memImage(rowsOf(L.threshold), L.passes, P, L.membraneBits) }]),
    { path: `mem/${names.biasFile}`, content: memImage(rowsOf(L.bias), L.passes, P, L.membraneBits) },
  ];
}

/** The LFSR leap widths a design instantiates (the encoder's LFSR is inline). */
function leapWidths(plan: PlannedModel): number[] {
  const ks = new Set<number>();
  for (const L of plan.layers) {
    ks.add(L.probBits);
    if (L.noise) ks.add(L.noise.bits);
  }
  return [...ks].sort((a, b) => a - b);
}

export function emitVerilog(plan: PlannedModel): EmittedDesign {
  const prefix = plan.name;
  const files: EmittedFile[] = [];
  for (const k of leapWidths(plan)) {
    files.push({ path: `rtl/${lfsrModuleName(prefix, k)}.v`, content: render(TEMPLATES_DIR, 'lfsr_leap.v.hbs', lfsrContext(prefix, k)) });
  }
  files.push({ path: `rtl/${prefix}_encoder.v`, content: render(TEMPLATES_DIR, 'encoder.v.hbs', encoderContext(prefix, plan)) });
  for (const L of plan.layers) {
    const ctx = layerContext(prefix, plan, L);
    files.push({ path: `rtl/${ctx.module}.v`, content: render(TEMPLATES_DIR, 'layer.v.hbs', ctx) });
    files.push(...layerMemories(L, ctx));
  }
  const top = topContext(prefix, plan);
  files.push({ path: `rtl/${top.module}.v`, content: render(TEMPLATES_DIR, 'top.v.hbs', top) });
  return { top: top.module, files };
}
