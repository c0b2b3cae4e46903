/**
 * Yosys 0.23 `memory_libmap` for `synth_xilinx -family xc7`, replayed: which primitive (logic, LUT RAM, block
 * RAM) a memory becomes and how many, for the analytical resource model (estimate/analytical.ts).
 */
/** One memory as `memory_libmap` sees it. */
export interface MemorySpec {
  name: string;
  /** Words (Yosys SIZE). */
  depth: number;
  /** Bits per word after `opt_mem` dropped the bit lanes that never change. */
  width: number;
  /** No write port. */
  rom: boolean;
  /** The read port must see a write of the previous cycle's edge (an asynchronous read behind an address register). */
  transparent: boolean;
  /** `(* ram_style / rom_style = "block" *)`: only block RAM is allowed. */
  block: boolean;
  /** Two read ports (a ROM read for two events per cycle): block RAM only in true dual port, one port each. */
  readPorts?: 1 | 2;
  /**
   * Write-enable granularity in bits when the write port enables parts of a word (the direct-input encoder's
   * 9-bit lanes); absent: the whole word. A cell without byte enables that is narrower than this holds each
   * part in whole cells: a 9-bit part takes 12 bits of a 6-bit RAM32M (seen in Yosys 0.23).
   */
  byte?: number;
}

export type MemoryKind = 'none' | 'logic' | 'lutram' | 'bram';

export interface MemoryMapping {
  spec: MemorySpec;
  kind: MemoryKind;
  /** Yosys cell the memory became ('' for logic). */
  primitive: string;
  /** memory_libmap's cost of the choice. */
  cost: number;
  /** Physical cells (LUT RAM or block RAM primitives). */
  cells: number;
  bram18: number;
  bram36: number;
  /** LUTs used as memory (RAM32M / RAM64M are 4 LUTs each, RAM64X1D 2, RAM128X1D 4). */
  lutAsMemory: number;
  /** Address ranges the depth is split into (1 = no external read mux). */
  multA: number;
}

interface RamOption {
  id: string;
  kind: 'lutram' | 'bram';
  option: string;
  /** log2 of the depth at the narrowest width. */
  abits: number;
  /** Selectable widths (per port for block RAM, one global width for LUT RAM). */
  dbits: number[];
  cost: number;
  /** Part of the cost that scales with the bits used (`widthscale;` alone in the library means all of it). */
  widthscale: number;
  /** Byte (write enable) granularity; 0 = none. */
  byte: number;
  /** LUT RAM that cannot hold a ROM (prune_rom). */
  pruneRom: boolean;
  /** LUT RAM: the read port is asynchronous (a synchronous read costs an output register, emulated). */
  asyncRead: boolean;
  /** Block RAM primitives per cell. */
  bram18: number;
  bram36: number;
  /** LUTs per LUT RAM cell; for per-bit cells (RAM64X1D) per used bit, see lutPerBit. */
  lutsPerCell: number;
  lutPerBit: boolean;
}

/**
 * The RAM library `synth_xilinx -family xc7` gives memory_libmap (lutrams_xc5v.txt, brams_xc4v.txt with
 * HAS_SIZE_36, HAS_CASCADE, HAS_CONFLICT_BUG, HAS_MIXWIDTH_SDP), in library order: ties go to the first.
 * The single-port LUT RAM is left out: our read and write addresses always differ, so it never applies.
 */
const lutram = (id: string, abits: number, width: number, cost: number, widthscale: number, lutsPerCell: number, lutPerBit = false): RamOption => ({
  id: `$__XILINX_LUTRAM_${id}_`,
  kind: 'lutram',
  option: `ABITS ${abits}`,
  abits,
  dbits: [width],
  cost,
  widthscale,
  byte: 0,
  pruneRom: true,
  asyncRead: true,
  bram18: 0,
  bram36: 0,
  lutsPerCell,
  lutPerBit,
});
const blockram = (id: string, option: string, abits: number, dbits: number[], cost: number, bram18: number, bram36: number): RamOption => ({
  id: `$__XILINX_BLOCKRAM_${id}_`,
  kind: 'bram',
  option,
  abits,
  dbits,
  cost,
  widthscale: 0,
  byte: 9,
  pruneRom: false,
  asyncRead: false,
  bram18,
  bram36,
  lutsPerCell: 0,
  lutPerBit: false,
});
const RAM_LIBRARY: RamOption[] = [
  // dual-port LUT RAM: RAM32M (4 LUTs), RAM64X1D per bit (2 LUTs), RAM128X1D per bit (4 LUTs)
  lutram('DP', 5, 4, 8, 8, 4),
  lutram('DP', 6, 2, 8, 8, 2, true),
  lutram('DP', 7, 1, 8, 8, 4, true),
  // quad-port LUT RAM: RAM32M, RAM64M
  lutram('QP', 5, 2, 7, 7, 4),
  lutram('QP', 6, 1, 7, 7, 4),
  // simple dual-port LUT RAM: RAM32M (6 bits x 32), RAM64M (3 bits x 64)
  lutram('SDP', 5, 6, 8, 7, 4),
  lutram('SDP', 6, 3, 8, 7, 4),
  // block RAM, true dual port: RAMB18E1, RAMB36E1, two cascaded RAMB36E1
  blockram('TDP', 'HALF', 14, [1, 2, 4, 9, 18], 129, 1, 0),
  blockram('TDP', 'FULL', 15, [1, 2, 4, 9, 18, 36], 257, 0, 1),
  blockram('TDP', 'CASCADE', 16, [1, 2, 4, 9], 513, 0, 2),
  // block RAM, simple dual port (mixed widths allowed on 7-series)
  blockram('SDP', 'HALF', 14, [1, 2, 4, 9, 18, 36], 129, 1, 0),
  blockram('SDP', 'FULL', 15, [1, 2, 4, 9, 18, 36, 72], 257, 0, 1),
];

/** memory_libmap's per-bit cost of a memory lowered to logic (synth_xilinx: -logic-cost-rom 0.015625; RAM default 1). */
const LOGIC_COST_ROM = 0.015625;
const LOGIC_COST_RAM = 1;
/** memory_libmap's weights of the soft logic a mapping needs (FACTOR_MUX, FACTOR_DEMUX, FACTOR_EMU). */
const FACTOR_MUX = 0.5;
const FACTOR_DEMUX = 0.5;
const FACTOR_EMU = 2;

interface Geometry {
  cost: number;
  repl: number;
  multA: number;
  unit: number;
}

/** handle_geom for one library option: the cheapest base width (first wins ties). One write port, one read port, no wide ports. */
function geometry(mem: MemorySpec, opt: RamOption, scoreEmu: number): Geometry {
  let best: Geometry | undefined;
  for (let b = 0; b < opt.dbits.length; b++) {
    const unit = opt.dbits[b];
    let effByte = opt.byte === 0 || opt.byte > unit ? unit : opt.byte;
    if (mem.rom) effByte = 1;
    const swizzle = mem.byte && !mem.rom
      ? Math.ceil(mem.width / mem.byte) * Math.ceil(mem.byte / effByte) * effByte
      : Math.ceil(mem.width / effByte) * effByte;
    const addrs = 2 ** (opt.abits - b);
    const multA = Math.ceil(mem.depth / addrs);
    const repl = Math.ceil((multA * swizzle) / unit);
    const scoreMux = (multA - 1) * mem.width;
    const scoreDemux = !mem.rom && multA !== 1 ? multA : 0;
    let cost = (opt.cost - opt.widthscale) * repl;
    cost += (opt.widthscale * multA * mem.width) / unit;
    cost += scoreMux * FACTOR_MUX + scoreDemux * FACTOR_DEMUX + scoreEmu * FACTOR_EMU;
    if (!best || cost < best.cost) best = { cost, repl, multA, unit };
  }
  return best!;
}

/** The mapping Yosys 0.23 `synth_xilinx -family xc7` chooses for one memory. */
export function mapMemory(mem: MemorySpec): MemoryMapping {
  const base = { spec: mem, cells: 0, bram18: 0, bram36: 0, lutAsMemory: 0, multA: 1 };
  if (mem.depth <= 0 || mem.width <= 0) return { ...base, kind: 'none', primitive: '', cost: 0 };
  const logicCost = mem.width * mem.depth * (mem.rom ? LOGIC_COST_ROM : LOGIC_COST_RAM);
  // Emulation score: one point for the (unshared) read port, three for soft transparency logic.
  const scoreEmu = 1 + (mem.transparent ? 3 : 0);
  let chosen: { opt: RamOption; g: Geometry } | undefined;
  // memory_libmap keeps the logic fallback's cost in an int (truncated); a hard mapping must beat it strictly.
  let best = mem.block ? Infinity : Math.trunc(logicCost);
  for (const opt of RAM_LIBRARY) {
    if (mem.block && opt.kind !== 'bram') continue;
    if (mem.rom && opt.pruneRom) continue;
    if (mem.readPorts === 2 && opt.kind === 'bram' && opt.id.includes('SDP')) continue;
    const g = geometry(mem, opt, scoreEmu);
    if (g.cost < best) {
      best = g.cost;
      chosen = { opt, g };
    }
  }
  if (!chosen) return { ...base, kind: 'logic', primitive: '', cost: logicCost };
  const { opt, g } = chosen;
  const lutAsMemory = opt.kind === 'lutram' ? (opt.lutPerBit ? g.multA * mem.width * opt.lutsPerCell : g.repl * opt.lutsPerCell) : 0;
  return {
    spec: mem,
    kind: opt.kind,
    primitive: `${opt.id} ${opt.option}`,
    cost: g.cost,
    cells: g.repl,
    bram18: g.repl * opt.bram18,
    bram36: g.repl * opt.bram36,
    lutAsMemory,
    multA: g.multA,
  };
}
