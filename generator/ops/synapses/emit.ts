/**
 * The template context of the synaptic core every layer module shares (the partials in this folder: event
 * list, probability and held-weight memories, weight draws, accumulators, control up to the update), and the
 * layer module's names and memory images.
 */
import { addrBits, countBits, signedWidth } from '../../ir/widths.js';
import type { PlannedModel, SynapticLayer } from '../../ir/types.js';
import type { EmittedFile } from '../../emit/files.js';
import { memImage } from '../../emit/mem.js';
import { registerPartials, render } from '../../emit/templates.js';
import { OPS_DIR } from '../dirs.js';
import { weightDrawsPerCycle } from './plan.js';
import { lfsrModuleName, lockMask, msb, runtimeSeedLfsr, seedVector, sext, zext } from '../../emit/verilog-text.js';

export const layerModuleName = (prefix: string, L: SynapticLayer) => `${prefix}_layer${L.index}`;
export const layerMemFile = (prefix: string, L: SynapticLayer, what: 'prob' | 'thr' | 'bias') => `${prefix}_layer${L.index}_${what}.mem`;

/** Per-neuron words laid out in pass rows of P (padding neurons 0). */
export function rowImage(L: SynapticLayer, perNeuron: Int32Array, bits: number): string {
  const out = new Int32Array(L.passes * L.lanes);
  out.set(perNeuron);
  return memImage(out, L.passes, L.lanes, bits);
}

/** A layer's module from its template (the synaptic partials registered), and its memory images. */
export function layerModule(dir: string, template: string, ctx: { module: string }, memories: EmittedFile[]): { module: string; files: EmittedFile[] } {
  registerPartials(OPS_DIR.synapses);
  return { module: ctx.module, files: [{ path: `rtl/${ctx.module}.v`, content: render(dir, template, ctx) }, ...memories] };
}

/** The probability rows' image: row f·M + i holds the P lanes' k-bit codes. */
export function probImage(prefix: string, L: SynapticLayer): EmittedFile {
  return { path: `mem/${layerMemFile(prefix, L, 'prob')}`, content: memImage(L.probRows, L.passes * L.fanIn, L.lanes, L.probBits) };
}

/**
 * The synaptic core's context. `emitLane` is the expression of the lane an output event comes from;
 * `runtimeStreams` the kind's own runtime-seed LFSRs.
 */
export function synapseContext(
  prefix: string,
  plan: PlannedModel,
  L: SynapticLayer,
  emitLane: string,
  runtimeStreams: string[],
  /** The neuron of lane 0 of the emitting pass, and a condition the event phase waits for before the update. */
  emission: { emitBase: string; evWait: string } = { emitBase: 'pass_base', evWait: '' },
) {
  const rows = L.passes * L.fanIn;
  const iw = addrBits(L.fanIn);
  const dual = L.eventsPerCycle === 2;
  // Two per cycle: the pair counter steps past the last event of an odd count (to M + 1).
  const ew = countBits(L.fanIn + (dual ? 1 : 0));
  const perSample = plan.mode === 'per-sample';
  const dualDraw = weightDrawsPerCycle(L, plan.mode) === 2;
  const ow = addrBits(L.size);
  const fw = addrBits(L.passes);
  const rw = addrBits(rows);
  const sw = Math.max(ow, addrBits(L.lanes));
  const P = L.lanes;
  const direct = L.directInput;
  // Events carry values: direct input (8-bit intensities) or a sum pool's counts (countBits(inputMax) bits).
  const values = L.inputMax > 1;
  const vb = countBits(L.inputMax);
  const evBits = iw + (values ? vb : 0);
  const W = L.datapathBits;
  const pairBits = Math.min(L.accBits, signedWidth(2 * L.inputMax));
  return {
    module: layerModuleName(prefix, L),
    probFile: layerMemFile(prefix, L, 'prob'),
    biasFile: layerMemFile(prefix, L, 'bias'),
    index: L.index,
    M: L.fanIn,
    N: L.size,
    P,
    F: L.passes,
    k: L.probBits,
    pPlural: P > 1,
    fPlural: L.passes > 1,
    mode: plan.mode,
    perSample,
    direct,
    values,
    valMsb: vb - 1,
    dual,
    dualDraw,
    lfsrModule: lfsrModuleName(prefix, L.probBits, dualDraw),
    weightSeeds: seedVector(L.weightSeeds),
    seedMsb: 32 * P - 1,
    iwMsb: msb(iw),
    owMsb: msb(ow),
    owBits: ow,
    ewMsb: msb(ew),
    ewBits: ew,
    fwMsb: msb(fw),
    fwBits: fw,
    rwMsb: msb(rw),
    rwBits: rw,
    pMsb: P - 1,
    pMax: P - 1,
    pBits: P,
    pwMsb: msb(sw),
    pwBits: sw,
    sumMsb: msb(sw),
    kMsb: L.probBits - 1,
    aMsb: L.accBits - 1,
    aBits: L.accBits,
    wMsb: W - 1,
    wBits: W,
    mMax: L.fanIn - 1,
    fMax: L.passes - 1,
    rows,
    rowsMax: rows - 1,
    smpMsb: msb(countBits(rows)),
    smpBits: countBits(rows),
    probMsb: P * L.probBits - 1,
    probAttr: L.memories.prob.block ? '(* rom_style = "block" *) ' : '',
    heldAttr: L.memories.held?.block ? '(* ram_style = "block" *) ' : '',
    // direct input events are the same at every timestep: written once per inference, replayed (semantics §7)
    persistentEvents: direct,
    evMsb: evBits - 1,
    evWrite: values ? '{ev_idx, ev_val}' : 'ev_idx',
    evIdxSlice: values ? `${evBits - 1}:${vb}` : `${iw - 1}:0`,
    evRowIdx: zext('ev_q_idx', iw, rw),
    evRowIdx1: zext('ev_q1_idx', iw, rw),
    xvExpr: values ? `$signed(${zext('val3', vb, L.accBits)})` : `${L.accBits}'sd1`,
    // a pair's sum of ±x in pairBits (never wider than A: with one input there is never a second event)
    pairMsb: pairBits - 1,
    pairBits,
    xpExpr0: values ? `$signed(${zext('val3', vb, pairBits)})` : `${pairBits}'sd1`,
    xpExpr1: values ? `$signed(${zext('val3_1', vb, pairBits)})` : `${pairBits}'sd1`,
    dsumExt: sext('dsum', pairBits, L.accBits),
    // the event list's banks (two per cycle): entries e and e + 1 of a pair at e / 2
    halfMax: Math.ceil(L.fanIn / 2) - 1,
    hwMsb: addrBits(Math.ceil(L.fanIn / 2)),
    evMore: dual ? 'e < n_ev' : 'e != n_ev',
    evStep: dual ? `${ew}'d2` : "1'b1",
    // e is even in a pair: e | 1 is its second event
    evOdd: `{e[${ew - 1}:1], 1'b1}`,
    multiPass: L.passes > 1,
    emitWide: sw > ow,
    emitExpr: `${zext(emission.emitBase, ow, sw)} + ${emitLane}`,
    evWait: emission.evWait,
    // the runtime seed (docs/semantics.md §1.2): shared runtime-seed LFSRs of the weight draws and the kind's own
    rtStreams: [runtimeSeedLfsr('w_rt', L.probBits, 'w_adv', 'the weight draws', dualDraw ? { adv2: 'w_adv2', half: 'w_half' } : undefined), ...runtimeStreams].join('\n'),
    wLockMask: lockMask(L.probBits, 'w_lock'),
  };
}
