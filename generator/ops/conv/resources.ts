/**
 * The analytical resource model of conv.v.hbs (docs/estimation.md): flip-flops and memories counted from the
 * template's registers and arrays (the widths come from the emitter's own context), LUTs and carries from the
 * fitted features of the dense datapath where the logic is the same (weight compares, accumulators, the neuron
 * update, the runtime seed), and the conv's own address arithmetic (index decomposition, offset sequencer,
 * pool scan) as `ctrl` bits. Not fitted against Yosys on conv designs: `bsnn estimate` with Yosys measures them.
 */
import type { ConvLayer, PlannedModel } from '../../ir/types.js';
import { mapMemory, type MemoryMapping } from '../../estimate/libmap.js';
import { memoryRegisters, romLaneLuts, romMuxLaneLuts, varyingColumns, WEIGHT_COMPARE_LUTS, distinctVaryingColumns, type BlockStructure } from '../../estimate/structure.js';
import { analyseSynapses, memoryResources, rngStructures, rowBit, rowMemory, type NeuronPart } from '../synapses/resources.js';
import { convContext } from './emit.js';
import { convGeometryOf, spikeRowBits } from './geometry.js';

export function convStructures(plan: PlannedModel, L: ConvLayer): BlockStructure[] {
  const ctx = convContext(plan.name, plan, L);
  const g = convGeometryOf(L);
  const { P, F, HW } = g;
  const an = analyseSynapses(L, plan.mode);
  // Several passes: padding lanes serve real channels; one pass, Yosys removes lanes past C.
  const live = F === 1 ? Math.min(P, L.size) : P;
  const A = L.accBits;
  const B = L.membraneBits;
  const W = L.datapathBits;
  const noise = L.noise;
  const name = (m: string) => `layer${L.index}.${m}`;
  const evBits = ctx.evMsb + 1;
  const ev = mapMemory({ name: name('evmem'), depth: g.inputs, width: evBits, rom: false, transparent: false, block: g.inputs * evBits >= 4096 });
  // two offsets per cycle: two accumulator banks of ⌈Ho·Wo/2⌉ rows (by position parity), a second held copy
  const pairs = ctx.pairs;
  const banks = pairs ? 2 : 1;
  const acc = mapMemory({ name: name('accmem'), depth: pairs ? ctx.hbMax + 1 : HW, width: live * A, rom: false, transparent: false, block: ctx.accAttr !== '' });
  const vmem = mapMemory({ name: name('vmem'), depth: F * HW, width: live * B, rom: false, transparent: false, block: ctx.vmemAttr !== '' });
  const spk = mapMemory({ name: name('spkmem'), depth: HW, width: spikeRowBits(live), rom: false, transparent: false, block: ctx.spkAttr !== '' });
  const rows = [
    { mapping: mapMemory(rowMemory(L, 'thrmem', L.threshold, B)), values: L.threshold, bits: B },
    { mapping: mapMemory(rowMemory(L, 'biasmem', L.bias, B)), values: L.bias, bits: B },
  ];
  const noiseTable = noise
    ? mapMemory({ name: name('eta'), depth: 2 ** noise.bits, width: varyingColumns(noise.table.length, noise.tableBits, (r, c) => (noise.table[r] >>> c) & 1), rom: true, transparent: false, block: false })
    : null;
  const part: NeuronPart = {
    states: 6,
    ff: 0,
    membranes: vmem,
    rows,
    noiseTable,
    streams: noise ? { name: 'noise', count: live, bits: noise.bits } : null,
    features: {},
  };

  const b = (msb: number) => msb + 1;
  const perSample = plan.mode === 'per-sample';
  const valBits = b(ctx.valSeqMsb);
  // the decomposition stages (ev_q, stages 1..4 and their valids), the sequencer and the accumulate stages
  const decomp = evBits + ctx.decompFF;
  const sequencer = 1 + ctx.kyBits + ctx.kxBits + ctx.cyBits + ctx.cxBits + ctx.ryBits + ctx.rxBits + b(ctx.qxMsb) + ctx.rxBits + ctx.prowBits + ctx.rwBits + valBits;
  // valids, positions, values, fwd, fwd_row; two offsets per cycle: the second offset's valid and position, per
  // bank its write, slot, row address, fwd and fwd_row
  const accStages = pairs
    ? 8 + 2 * ctx.posBits + 2 * (ctx.hbMsb + 1) + 2 * valBits + 2 + 2 * live * A
    : 3 + 2 * ctx.posBits + 2 * valBits + 1 + live * A;
  // the pair's second offset: cx1, rx1, cx2, rx2 (decrements and muxes), srow + 1, its position adder and
  // range compares; per bank the slot's row-address mux
  const pairLogic = pairs ? 2 * (ctx.cxBits + ctx.rxBits) + ctx.rwBits + ctx.prowBits + 2 * ctx.cxBits + 2 * (ctx.hbMsb + 1) : 0;
  const update = ctx.posBits + ctx.vaBits + 4 + 3 * (ctx.posBits + ctx.vaBits) + live * (W + B + (noise ? noise.tableBits : 0)) + P + ctx.vaBits;
  const pool = 4 * ctx.posBits + ctx.lcBits + ctx.dxBits + 2 * ctx.qBits + 5 + ctx.qBits + P + P * ctx.cntBits + P + (ctx.sumPool ? P * ctx.cntBits : 0) + ctx.emBits;
  const ctrl = 7 + (F > 1 ? b(ctx.fwMsb) + ctx.rwBits + ctx.vaBits + ctx.emBits : 0) + 3 * ctx.ewBits + (perSample ? ctx.smpBits + 1 + ctx.rwBits : 0);
  const draws = an.drawsPerCycle;
  const seed = { lfsrs: (an.weightStreams > 0 ? 1 : 0) + (noise ? 1 : 0), lfsrBits: (an.weightStreams > 0 ? draws * L.probBits : 0) + (noise ? noise.bits : 0), streams: an.weightStreams + (noise ? live : 0) };
  const held = an.held ? Array.from({ length: banks }, () => an.held!) : [];
  const mems: MemoryMapping[] = [ev, an.prob, ...held, ...Array.from({ length: banks }, () => acc), vmem, spk, ...rows.map((r) => r.mapping), ...(noiseTable ? Array.from({ length: live }, () => noiseTable) : [])];
  let ff = decomp + sequencer + accStages + update + pool + ctrl;
  // prob_q (and prob_q1 when the pair draws), held_q (held_q1), w_q (w_q1), w_half
  ff += an.drawsPerCycle * memoryRegisters(an.prob, true) + (an.held ? banks * memoryRegisters(an.held, true) : 0) + banks * live + (an.drawsPerCycle === 2 ? 1 : 0);
  ff += banks * memoryRegisters(acc, true) + memoryRegisters(vmem, true) + memoryRegisters(spk, true) + memoryRegisters(ev, true);
  ff += 1 + b(ctx.owMsb) + (ctx.sumPool ? b(ctx.outValMsb) : 0); // out_valid, out_idx, out_val
  ff += 32 * seed.lfsrs + seed.streams;
  const exact = memoryResources(mems);
  exact.ff = ff;
  exact.lut = exact.lutAsMemory;
  const rowLanes = new Set<string>();
  for (const r of rows) if (r.mapping.kind === 'logic') distinctVaryingColumns(F, P * r.bits, rowBit(r.values, L, r.bits), rowLanes);
  let memMux = 0;
  for (const m of [...mems, ...(draws === 2 ? [an.prob] : [])]) if (m.kind === 'lutram' || m.kind === 'bram') memMux += (m.multA - 1) * m.spec.width;
  // the restoring divisions' subtractors (their carry chains and the remainder muxes)
  const divisions = 2 * ctx.decompSubtract;
  const Cin = L.inShape.c;
  const biasUsed = L.bias.some((x) => x !== 0);
  const features: Record<string, number> = {
    one: 1,
    wcmp: draws * an.weightStreams * WEIGHT_COMPARE_LUTS[L.probBits],
    // two offsets per cycle: an adder per bank and lane, and the dense pair draw's per-bit cost of the second draw
    acc: banks * live * A,
    accDirect: L.inputMax > 1 ? banks * live * A : 0,
    drawPair: draws === 2 ? an.weightStreams * L.probBits : 0,
    updBias: biasUsed ? live * W : 0,
    updBiasRom: biasUsed && F > 1 ? live * W : 0,
    updLeak: L.leak > 0 ? live * W : 0,
    updNoise: noise ? live * (noise.tableBits + 2) : 0,
    updSub: L.reset === 'subtract' ? live * W : 0,
    vnext: live * B,
    wide13: W >= 13 ? live : 0,
    sumHigh: live * Math.max(0, W - A - 2),
    // address arithmetic: counters, the sequencer's adders and compares, the divisions, the constant products,
    // the forwarding mux and compare, the pool counts and the emission's index
    ctrl: ctrl + sequencer + pairLogic + divisions + ctx.ckBits * Cin.toString(2).length + ctx.prowBits + ctx.posBits + banks * live * A + pool + 2 * ctx.emBits,
    romProb: an.prob.kind === 'logic' ? draws * varyingColumns(F * L.fanIn, live * L.probBits, (r, c) => (L.probRows[r * P + Math.floor(c / L.probBits)] >>> c % L.probBits) & 1) * (perSample ? romMuxLaneLuts(F * L.fanIn) : romLaneLuts(F * L.fanIn)) : 0,
    romRows: rowLanes.size * romMuxLaneLuts(F),
    romNoise: noiseTable && noiseTable.kind === 'logic' ? live * noiseTable.spec.width * romLaneLuts(noiseTable.spec.depth) : 0,
    memMux,
    seedLfsr: seed.lfsrs,
    seedLfsrK: seed.lfsrBits,
    seedStream: seed.streams,
    seedStreamK: draws * an.weightStreams * L.probBits + (noise ? live * noise.bits : 0),
  };
  return [{ block: `layer${L.index}/datapath`, layer: L.index, kind: 'datapath', exact, features, memories: mems }, ...rngStructures(L, an, part)];
}
