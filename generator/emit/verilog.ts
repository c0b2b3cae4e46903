/**
 * Planned IR → Verilog sources and memory images (in memory; `writeFolderAtomically` puts them on disk).
 * Every number in the RTL comes from the planned IR; the templates only arrange it. Each layer's module and
 * memories come from its op (generator/ops/<kind>/); this file adds the LFSRs, the encoder and the top level.
 */
import type { PlannedModel } from '../ir/types.js';
import { addrBits, countBits } from '../ir/widths.js';
import { opOf } from '../ops/registry.js';
import { weightDrawsPerCycle } from '../ops/synapses/plan.js';
import { TEMPLATES_DIR } from '../util/paths.js';
import type { EmittedFile } from './files.js';
import { render } from './templates.js';
import { hex32, lfsrContext, lfsrModuleName, sext, zext } from './verilog-text.js';


export interface EmittedDesign {
  top: string;
  files: EmittedFile[];
}

/** Widths of the top module's ports: the template and every testbench read them from here. */
export function topPortWidths(plan: PlannedModel) {
  return {
    inAddr: addrBits(plan.input.size),
    cls: plan.classBits,
    votes: plan.voteBits,
    layer: addrBits(plan.layers.length),
    // a layer's output events index its outputs (dense: its neurons; conv: the flat CHW index of its output)
    neuron: Math.max(...plan.layers.map((L) => addrBits(L.outputs))),
    sample: countBits(plan.samples - 1),
    timestep: countBits(plan.timesteps - 1),
  };
}

function topContext(prefix: string, plan: PlannedModel, modules: string[]) {
  const nL = plan.layers.length;
  const ports = topPortWidths(plan);
  const iw = ports.inAddr;
  const neuronBits = ports.neuron;
  const layerBits = ports.layer;
  const layers = plan.layers.map((L, l) => {
    const valueBits = opOf(L).ports(L).valueBits;
    // Input values (direct input, a sum pool before): ev_val of countBits(inputMax) bits, from the producer's
    // value (the producer's out_val is a signed word one bit wider, its sign bit 0).
    const inValBits = countBits(L.inputMax);
    const inVal = L.inputMax <= 1 ? null : l === 0 ? 'enc_val' : `l${l - 1}_val[${inValBits - 1}:0]`;
    return {
      index: l,
      module: modules[l],
      owMsb: addrBits(L.outputs) - 1,
      inVal,
      inValid: l === 0 ? 'enc_valid' : `l${l - 1}_valid`,
      inIdx: l === 0 ? 'enc_idx' : `l${l - 1}_idx`,
      // a layer whose events carry values (the potential readout, a sum pool) has an out_val port
      values: valueBits !== null,
      valMsb: (valueBits ?? 1) - 1,
      // the potential readout's values go to the votes, not to the trace
      traced: !(valueBits !== null && l === nL - 1),
    };
  });
  // Spiking layers report to the trace; the output layer that emits values, not spikes, does not.
  const spiking = layers.filter((l) => l.traced).map((l) => l.index);
  let layerMux = `${layerBits}'d0`;
  let neuronMux = `${neuronBits}'d0`;
  for (const l of [...spiking].reverse()) {
    layerMux = `l${l}_valid ? ${layerBits}'d${l} : ${layerMux}`;
    neuronMux = `l${l}_valid ? ${zext(`l${l}_idx`, addrBits(plan.layers[l].outputs), neuronBits)} : ${neuronMux}`;
  }
  const cnt = ports.votes;
  const out = plan.layers[nL - 1];
  // The output layer's events either count one vote each (spikes) or carry a signed value to add (potentials).
  const outValueBits = opOf(out).ports(out).valueBits;
  const potential = outValueBits !== null;
  return {
    module: `${prefix}_top`,
    potential,
    // votes: +1 per output spike, or + (acc + b) sign-extended to the vote width (never narrower: widths.ts)
    voteIncrement: outValueBits !== null ? sext(`l${nL - 1}_val`, outValueBits, cnt) : "1'b1",
    // argmax from the smallest vote: 0 unsigned, -2^(cnt-1) signed
    bestInit: potential ? `{1'b1, ${cnt - 1}'d0}` : `${cnt}'d0`,
    argmaxGreater: potential ? '$signed(vote_q) > $signed(best)' : 'vote_q > best',
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
  const iw = addrBits(M);
  const common = {
    module: `${prefix}_encoder`,
    M,
    encoding: plan.input.encoding,
    rate: plan.input.encoding === 'rate',
    direct: plan.input.encoding === 'direct',
    iwMsb: iw - 1,
  };
  if (common.rate) {
    return {
      ...common,
      mMax: M - 1,
      ewMsb: countBits(M) - 1,
      ewBits: countBits(M),
      seed: hex32(plan.input.seed),
      // the input stream's LFSR is inline (one stream: a loadable state is cheaper than a shared runtime stream)
      equations: lfsrContext(prefix, 8).equations,
    };
  }
  // Direct input: 72-bit words of 8 intensities and their nonzero flags (docs/semantics.md §7).
  const w = { words: Math.ceil(M / 8) }; // as analysis/encoder.ts counts them
  const raBits = countBits(w.words);
  const laneBits = Math.min(3, iw);
  const wideIdx = iw > 3; // the index has a word part: {base, lane}
  const baseBits = iw - 3;
  const partial = M % 8;
  const lanes = Array.from({ length: Math.min(8, M) }, (_, k) => ({ k, hi: 9 * k + 8, lo: 9 * k }));
  return {
    ...common,
    NW: w.words,
    nwMax: w.words - 1,
    laneOf: `in_addr[${laneBits - 1}:0]`,
    laneBits,
    wordOf: wideIdx ? `in_addr[${iw - 1}:3]` : '0',
    lanes,
    raMsb: raBits - 1,
    raBits,
    raSlice: raBits > addrBits(w.words) ? `[${addrBits(w.words) - 1}:0]` : '',
    wideIdx,
    baseMsb: baseBits - 1,
    baseSlice: wideIdx && raBits > baseBits ? `[${baseBits - 1}:0]` : '',
    partial: partial !== 0,
    partialLanes: partial,
    lastMask: ((1 << partial) - 1).toString(16).padStart(2, '0'),
    nzBytes: Array.from({ length: 8 }, (_, j) => `x_q[${9 * (7 - j) + 8}]`).join(', '),
    belowBits: [...Array.from({ length: 6 }, (_, j) => `|rem[${6 - j}:0]`), 'rem[0]', "1'b0"].join(', '),
    // the byte of the lowest lane left: an AND-OR over the one-hot low
    valMux: Array.from({ length: 8 }, (_, j) => `({8{low[${j}]}} & x_q[${9 * j + 7}:${9 * j}])`).join(' |\n                             '),
    laneMsb: laneBits - 1,
    // bit b of the lane number: the OR of the one-hot low over the lanes with bit b set (only the bits an index has)
    laneOfLow: `{${Array.from({ length: laneBits }, (_, i) => laneBits - 1 - i)
      .map((b) => [0, 1, 2, 3, 4, 5, 6, 7].filter((j) => (j >> b) & 1).reverse().map((j) => `low[${j}]`).join(' | '))
      .join(', ')}}`,
    outIdx: wideIdx ? '{base, lane}' : 'lane',
  };
}

/**
 * The LFSR modules a design instantiates, by leap width k and whether they draw two per cycle (the weight
 * streams of a layer taking two events per cycle, time-ensemble); the encoder's LFSR is inline.
 */
function leapModules(plan: PlannedModel): { k: number; pair: boolean }[] {
  const keys = new Set<string>();
  for (const L of plan.layers) {
    for (const s of opOf(L).randomStreams(L)) {
      const pair = s.name === 'weight' && weightDrawsPerCycle(L, plan.mode) === 2;
      keys.add(`${s.bits}:${pair ? 1 : 0}`);
    }
  }
  return [...keys]
    .map((key) => ({ k: Number(key.split(':')[0]), pair: key.endsWith(':1') }))
    .sort((a, b) => a.k - b.k || Number(a.pair) - Number(b.pair));
}

export function emitVerilog(plan: PlannedModel): EmittedDesign {
  const prefix = plan.name;
  const files: EmittedFile[] = [];
  for (const { k, pair } of leapModules(plan)) {
    files.push({ path: `rtl/${lfsrModuleName(prefix, k, pair)}.v`, content: render(TEMPLATES_DIR, 'lfsr_leap.v.hbs', lfsrContext(prefix, k, pair)) });
  }
  files.push({ path: `rtl/${prefix}_encoder.v`, content: render(TEMPLATES_DIR, 'encoder.v.hbs', encoderContext(prefix, plan)) });
  const modules: string[] = [];
  for (const L of plan.layers) {
    const layer = opOf(L).emit(prefix, plan, L);
    modules.push(layer.module);
    files.push(...layer.files);
  }
  const top = topContext(prefix, plan, modules);
  files.push({ path: `rtl/${top.module}.v`, content: render(TEMPLATES_DIR, 'top.v.hbs', top) });
  return { top: top.module, files };
}
