/**
 * Pre-place-and-route Fmax estimate from a Yosys `synth_xilinx` netlist (`write_json`) for 7-series / Zynq-7000,
 * speed grade -1.
 *
 * Yosys `ltp` cannot be used: it treats the Xilinx flip-flop cells as combinational and reports loops. Here the
 * netlist is read as a timing graph instead: start points are flip-flop Q outputs, block-RAM data outputs,
 * LUT-RAM/SRL outputs (clock-to-out after a write) and, optionally, top-level inputs; end points are flip-flop
 * D/CE/R/S/CLR/PRE inputs, block-RAM and LUT-RAM address/data/enable inputs and, optionally, top-level outputs.
 * Combinational cells are LUT1..LUT6, CARRY4, MUXF7/MUXF8, the asynchronous read port of LUT-RAM (address to
 * data out, as UG474 describes it) and SRL address to Q; INV/BUF are absorbed (Vivado folds them into the
 * neighbouring LUT or the flip-flop's inversion bits). The longest path is found by dynamic programming over a
 * topological order of net bits; combinational loops (there should be none) are detected as strongly connected
 * components, reported, and their internal edges dropped so that the analysis always terminates.
 *
 * Every delay and where it comes from is listed in docs/estimation.md, section Timing. This is an estimate:
 * Vivado re-synthesises, places and routes, and its Fmax can differ by tens of percent either way.
 */
import { BsnnError } from '../util/errors.js';

/** Cell and routing delays in ns. Defaults: `ZYNQ7000_SPEED1_DELAYS`. */
export interface TimingDelays {
  /** Flip-flop clock to Q (Vivado `Prop_fdre_C_Q`: 0.456 SLICEL, 0.518 SLICEM on -1; the larger is used). */
  ffClockToOut: number;
  /** Flip-flop setup, D input (Vivado `Setup_fdre_C_D` is +0.031 on the required time, i.e. −0.031 ns). */
  ffSetupD: number;
  /** Flip-flop setup, CE input (Vivado `Setup_fdre_C_CE`). */
  ffSetupCE: number;
  /** Flip-flop setup of the synchronous R/S input; also used as the recovery time of CLR/PRE. */
  ffSetupSR: number;
  /** LUT6 propagation, any input to O6 (T_ILO; Vivado `Prop_lut6_I*_O`). */
  lut6: number;
  /** LUT1..LUT5 propagation: mean of routed Vivado arcs (0.12 through O6, ~0.30 as the O5 half of a LUT6_2). */
  lutSmall: number;
  /** MUXF7: data input to O, select to O, and the slice output-mux pin when the output leaves the slice. */
  muxf7Data: number;
  muxf7Select: number;
  muxf7Exit: number;
  /** MUXF8: data input to O, select to O, and the slice output-mux pin (always taken). */
  muxf8Data: number;
  muxf8Select: number;
  muxf8Exit: number;
  /** Block RAM clock to DO without / with the optional output register (T_RCKO_DO, T_RCKO_DO_REG). */
  bramClockToOut: number;
  bramClockToOutReg: number;
  /** Block RAM setup: address, write enable, data in, port enable, REGCE, RSTREG/RSTRAM. */
  bramSetupAddr: number;
  bramSetupWE: number;
  bramSetupDI: number;
  bramSetupEN: number;
  bramSetupRegCE: number;
  bramSetupRst: number;
  /** LUT-RAM: write clock to data out (T_SHCKO), setup of WE, data in, and write address (32/64/128-deep). */
  lutramClockToOut: number;
  lutramSetupWE: number;
  lutramSetupDI: number;
  lutramSetupAddr32: number;
  lutramSetupAddr64: number;
  lutramSetupAddr128: number;
  /** SRL16E/SRLC32E: clock to Q, D setup. */
  srlClockToOut: number;
  srlSetupD: number;
  /** Routing: every net that is not a dedicated connection costs routeBase + routePerFanoutDoubling·log2(fanout). */
  routeBase: number;
  routePerFanoutDoubling: number;
}

/**
 * Zynq-7000 (Z-7010/7015/7020, Artix-7-class fabric), speed grade -1. Sources per figure in docs/estimation.md.
 */
export const ZYNQ7000_SPEED1_DELAYS: Readonly<TimingDelays> = Object.freeze({
  ffClockToOut: 0.518,
  ffSetupD: -0.031,
  ffSetupCE: 0.202,
  ffSetupSR: 0.404,
  lut6: 0.124,
  lutSmall: 0.27,
  muxf7Data: 0.223,
  muxf7Select: 0.296,
  muxf7Exit: 0.174,
  muxf8Data: 0.104,
  muxf8Select: 0.273,
  muxf8Exit: 0.192,
  bramClockToOut: 2.454,
  bramClockToOutReg: 0.882,
  bramSetupAddr: 0.566,
  bramSetupWE: 0.532,
  bramSetupDI: 0.737,
  bramSetupEN: 0.566,
  bramSetupRegCE: 0.36,
  bramSetupRst: 0.342,
  lutramClockToOut: 1.188,
  lutramSetupWE: 0.654,
  lutramSetupDI: 0.461,
  lutramSetupAddr32: 0.245,
  lutramSetupAddr64: 0.362,
  lutramSetupAddr128: 0.616,
  srlClockToOut: 1.472,
  srlSetupD: 0.173,
  routeBase: 0.6,
  routePerFanoutDoubling: 0.12,
});

/**
 * CARRY4 arcs in ps, input pin → output pin (prjxray-db Artix-7 CLBLL_L.sdf as quoted in Yosys
 * techlibs/xilinx/cells_sim.v; the CI arcs equal Vivado's -1 `Prop_carry4_CI_*` figures to the ps).
 */
const CARRY4_PS: Record<string, Record<string, number>> = {
  O0: { CYINIT: 482, S0: 223, CI: 222 },
  O1: { CYINIT: 598, DI0: 407, S0: 400, S1: 205, CI: 334 },
  O2: { CYINIT: 584, DI0: 556, DI1: 537, S0: 523, S1: 558, S2: 226, CI: 239 },
  O3: { CYINIT: 642, DI0: 615, DI1: 596, DI2: 438, S0: 582, S1: 618, S2: 330, S3: 227, CI: 313 },
  CO0: { CYINIT: 536, DI0: 379, S0: 340, CI: 271 },
  CO1: { CYINIT: 494, DI0: 465, DI1: 445, S0: 433, S1: 469, CI: 157 },
  CO2: { CYINIT: 592, DI0: 540, DI1: 520, DI2: 356, S0: 512, S1: 548, S2: 292, CI: 228 },
  CO3: { CYINIT: 580, DI0: 526, DI1: 507, DI2: 398, DI3: 385, S0: 508, S1: 528, S2: 378, S3: 380, CI: 114 },
};

export interface TimingOptions {
  delays?: Partial<TimingDelays>;
  /**
   * Paths from top-level inputs and to top-level outputs. 'registered' (default): the enclosing design drives
   * the inputs from flip-flops and captures the outputs in flip-flops, so a port costs a clock-to-out or a
   * setup plus one net. 'ignore': only paths inside the netlist count (what Vivado reports without I/O delays).
   */
  ioPaths?: 'registered' | 'ignore';
  /** Added to the period (clock jitter and skew allowance). Default 0. */
  clockUncertaintyNS?: number;
}

export interface TimingStep {
  /** Cell instance name (flattened, hierarchical with '.') or the port name for a top-level port. */
  cell: string;
  type: string;
  /** Pins the path enters and leaves the cell by ('' at the start or end). */
  from: string;
  to: string;
  /** Net the step drives (best readable name). */
  net: string;
  /** Routing delay of the net into this step, ns. */
  routeNS: number;
  /** Cell delay of this step (clock-to-out at the start, setup at the end), ns. */
  cellNS: number;
  /** Arrival time at the step's output (at the end: the required period), ns. */
  arrivalNS: number;
}

export interface TimingAnalysis {
  /** Combinational levels on the critical path: LUTs, MUXF7/F8, LUT-RAM reads, one per carry-chain entry. */
  logicLevels: number;
  /** The largest number of logic levels on any start-to-end path (not necessarily the slowest path). */
  maxLogicLevels: number;
  /** CARRY4 cells on the critical path (Vivado counts each as a level; here a chain counts once). */
  carryStages: number;
  /** The critical path, one entry per cell: "TYPE name (pin→pin)". */
  criticalPath: string[];
  steps: TimingStep[];
  /** Start clock-to-out, ns. */
  clockToOutNS: number;
  /** Logic plus routing between start and end point, ns (excludes clock-to-out and setup). */
  pathDelayNS: number;
  logicDelayNS: number;
  routeDelayNS: number;
  /** End-point setup (may be negative), ns. */
  setupNS: number;
  /** clock-to-out + path + setup + uncertainty. */
  periodNS: number;
  fmaxMHz: number;
  method: string;
  /** Combinational loops found (cells of each strongly connected component); expected empty. */
  loops: string[][];
  warnings: string[];
  stats: { cells: number; startPoints: number; endPoints: number; edges: number };
}

export const TIMING_METHOD =
  'pre-place-and-route estimate: longest register-to-register path of the Yosys synth_xilinx netlist, ' +
  'cell delays for Zynq-7000 speed grade -1 (Vivado -1 timing reports, prjxray-db Artix-7 timings via Yosys ' +
  'cells_sim.v, DS189 block RAM cross-check), routing 0.6 ns + 0.12 ns per fanout doubling per net; ' +
  'see docs/estimation.md#timing';

// ---------------------------------------------------------------------------------------------------------
// Netlist reading and flattening

type Bit = number | string;

interface JsonCell {
  type: string;
  parameters?: Record<string, string | number>;
  attributes?: Record<string, string | number>;
  port_directions?: Record<string, 'input' | 'output' | 'inout'>;
  connections: Record<string, Bit[]>;
}
interface JsonModule {
  attributes?: Record<string, string | number>;
  ports?: Record<string, { direction: 'input' | 'output' | 'inout'; bits: Bit[] }>;
  cells?: Record<string, JsonCell>;
  netnames?: Record<string, { hide_name?: number; bits: Bit[]; offset?: number; upto?: number }>;
}
interface JsonNetlist {
  modules: Record<string, JsonModule>;
}

/** A flattened cell: connections as global bit ids (−1 for a constant or unconnected bit). */
interface FlatCell {
  name: string;
  type: string;
  params: Record<string, string | number>;
  /** port → bits; direction per port. */
  conns: Map<string, number[]>;
  dirs: Map<string, 'input' | 'output' | 'inout'>;
}

interface Flat {
  cells: FlatCell[];
  inputs: { name: string; bit: number }[];
  outputs: { name: string; bit: number }[];
  bitNames: Map<number, string>;
  nBits: number;
}

const truthy = (v: string | number | undefined) => v !== undefined && v !== 0 && !/^0*$/.test(String(v));

function isLibraryModule(m: JsonModule | undefined): boolean {
  if (!m) return true;
  const a = m.attributes ?? {};
  return truthy(a.blackbox) || truthy(a.whitebox) || truthy(a.lib_whitebox);
}

function flatten(json: JsonNetlist, top: string): Flat {
  if (!json || typeof json !== 'object' || !json.modules) throw new BsnnError('timing: not a Yosys write_json netlist (no "modules")');
  const topModule = json.modules[top];
  if (!topModule) throw new BsnnError(`timing: module "${top}" is not in the netlist (modules: ${Object.keys(json.modules).filter((k) => !isLibraryModule(json.modules[k])).join(', ') || 'none'})`);
  let next = 0;
  const cells: FlatCell[] = [];
  const bitNames = new Map<number, string>();
  const nameScore = new Map<number, number>();

  const nameBit = (bit: number, name: string, hidden: boolean) => {
    // Prefer visible names, then fewer '$', then shorter.
    const score = (hidden || name.includes('$') ? 1000 : 0) + name.length;
    const old = nameScore.get(bit);
    if (old === undefined || score < old) {
      nameScore.set(bit, score);
      bitNames.set(bit, name);
    }
  };

  const instantiate = (modName: string, prefix: string, portMap: Map<number, number>, depth: number) => {
    if (depth > 64) throw new BsnnError(`timing: hierarchy deeper than 64 levels at ${prefix}`);
    const mod = json.modules[modName];
    const local = new Map<number, number>(portMap);
    const g = (b: Bit): number => {
      if (typeof b === 'string') return -1;
      let id = local.get(b);
      if (id === undefined) {
        id = next++;
        local.set(b, id);
      }
      return id;
    };
    for (const [net, info] of Object.entries(mod.netnames ?? {})) {
      const hidden = !!info.hide_name;
      info.bits.forEach((b, i) => {
        if (typeof b === 'string') return;
        const idx = info.bits.length > 1 ? `[${(info.offset ?? 0) + (info.upto ? info.bits.length - 1 - i : i)}]` : '';
        nameBit(g(b), `${prefix}${net}${idx}`, hidden);
      });
    }
    for (const [cname, c] of Object.entries(mod.cells ?? {})) {
      const sub = json.modules[c.type];
      if (sub && !isLibraryModule(sub)) {
        const map = new Map<number, number>();
        for (const [port, info] of Object.entries(sub.ports ?? {})) {
          const outer = c.connections[port] ?? [];
          info.bits.forEach((b, i) => {
            if (typeof b === 'string') return;
            const ob = outer[i];
            if (ob === undefined || typeof ob === 'string') return; // constant or open: internal bit stays undriven
            map.set(b, g(ob));
          });
        }
        instantiate(c.type, `${prefix}${cname}.`, map, depth + 1);
        continue;
      }
      const dirs = new Map<string, 'input' | 'output' | 'inout'>();
      const libPorts = sub?.ports ?? {};
      const conns = new Map<string, number[]>();
      for (const [port, bits] of Object.entries(c.connections)) {
        conns.set(port, bits.map(g));
        const d = c.port_directions?.[port] ?? libPorts[port]?.direction ?? guessDirection(port);
        dirs.set(port, d);
      }
      cells.push({ name: `${prefix}${cname}`, type: c.type, params: c.parameters ?? {}, conns, dirs });
    }
    return local;
  };

  const topMap = instantiate(top, '', new Map(), 0);
  const inputs: Flat['inputs'] = [];
  const outputs: Flat['outputs'] = [];
  for (const [port, info] of Object.entries(topModule.ports ?? {})) {
    info.bits.forEach((b, i) => {
      if (typeof b === 'string') return;
      const id = topMap.get(b)!;
      const name = info.bits.length > 1 ? `${port}[${i}]` : port;
      if (info.direction === 'input') inputs.push({ name, bit: id });
      else if (info.direction === 'output') outputs.push({ name, bit: id });
      else {
        inputs.push({ name, bit: id });
        outputs.push({ name, bit: id });
      }
    });
  }
  return { cells, inputs, outputs, bitNames, nBits: next };
}

/** Only for a cell with neither port_directions nor a library module in the JSON. */
function guessDirection(port: string): 'input' | 'output' {
  return /^(O|Q|CO|DO|SPO|DPO|P|PCOUT)/.test(port) && !/^(OE|OCE)/.test(port) ? 'output' : 'input';
}

// ---------------------------------------------------------------------------------------------------------
// Cell models

type Role =
  | { kind: 'ignore' }
  | { kind: 'alias' } // INV/BUF: output net is the input net
  | { kind: 'box' }; // everything else: arcs, start points, end points below

const FF_TYPES = new Set(['FDRE', 'FDSE', 'FDCE', 'FDPE', 'FDRE_1', 'FDSE_1', 'FDCE_1', 'FDPE_1', 'FDRSE', 'FDRSE_1', 'FDCPE', 'FDCPE_1', 'LDCE', 'LDPE', 'LDCPE']);
const CLOCK_PINS = new Set(['C', 'CLK', 'WCLK', 'CLKARDCLK', 'CLKBWRCLK', 'CLKA', 'CLKB', 'RDCLK', 'WRCLK', 'G']);
const IGNORED = /^(BUFG|BUFGCE|BUFGCE_1|BUFGCTRL|BUFGMUX|BUFGMUX_1|BUFGMUX_CTRL|BUFH|BUFHCE|BUFR|BUFIO|BUFMR|BUFMRCE|GND|VCC|\$scopeinfo)$/;
const ALIASES = /^(INV|BUF|IBUF|OBUF|IBUFG)$/;

function role(type: string): Role {
  if (IGNORED.test(type)) return { kind: 'ignore' };
  if (ALIASES.test(type)) return { kind: 'alias' };
  return { kind: 'box' };
}

const param = (p: Record<string, string | number>, k: string): number => {
  const v = p[k];
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (/^[01xz]+$/i.test(v)) return parseInt(v.replace(/[xz]/gi, '0'), 2) || 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};

interface Arc {
  outPort: string;
  outIndex: number;
  delay: number;
  levels: number;
}

/** How a (non-alias, non-ignored) cell behaves in timing. */
interface CellModel {
  /** Combinational arcs from an input pin. */
  arcs(port: string, index: number): Arc[];
  /** Clock-to-out when the output pin is a start point. */
  start(port: string, index: number): number | undefined;
  /** Setup when the input pin is an end point. */
  end(port: string, index: number): number | undefined;
  /** Short label of the delay class for messages. */
  known: boolean;
}

const LUTRAM = /^RAM(16|32|64|128|256|512)X(\d)(S|D)(_1)?$|^RAM(32|64)M$/;

function lutramDepth(type: string): number {
  const m = /^RAM(\d+)/.exec(type);
  return m ? Number(m[1]) : 64;
}

function cellModel(c: FlatCell, d: TimingDelays): CellModel {
  const t = c.type;
  const none: Arc[] = [];
  const lut = /^LUT([1-6])$/.exec(t);
  if (lut) {
    const delay = lut[1] === '6' ? d.lut6 : d.lutSmall;
    return { known: true, arcs: (p) => (/^I\d$/.test(p) ? [{ outPort: 'O', outIndex: 0, delay, levels: 1 }] : none), start: () => undefined, end: () => undefined };
  }
  if (t === 'CARRY4') {
    return {
      known: true,
      arcs: (p, i) => {
        const pin = p === 'CI' || p === 'CYINIT' ? p : `${p}${i}`;
        const out: Arc[] = [];
        for (const [o, ins] of Object.entries(CARRY4_PS)) {
          const ps = ins[pin];
          if (ps === undefined) continue;
          const m = /^(CO|O)(\d)$/.exec(o)!;
          out.push({ outPort: m[1], outIndex: Number(m[2]), delay: ps / 1000, levels: p === 'CI' ? 0 : 1 });
        }
        return out;
      },
      start: () => undefined,
      end: () => undefined,
    };
  }
  if (t === 'MUXF7' || t === 'MUXF8') {
    const f7 = t === 'MUXF7';
    return {
      known: true,
      arcs: (p) => (p === 'I0' || p === 'I1' ? [{ outPort: 'O', outIndex: 0, delay: f7 ? d.muxf7Data : d.muxf8Data, levels: 1 }] : p === 'S' ? [{ outPort: 'O', outIndex: 0, delay: f7 ? d.muxf7Select : d.muxf8Select, levels: 1 }] : none),
      start: () => undefined,
      end: () => undefined,
    };
  }
  if (FF_TYPES.has(t)) {
    return {
      known: true,
      arcs: () => none,
      start: (p) => (p === 'Q' ? d.ffClockToOut : undefined),
      end: (p) => (p === 'D' ? d.ffSetupD : p === 'CE' || p === 'GE' ? d.ffSetupCE : /^(R|S|CLR|PRE)$/.test(p) ? d.ffSetupSR : undefined),
    };
  }
  if (/^RAMB(18|36)E1$/.test(t)) {
    const regA = param(c.params, 'DOA_REG') !== 0;
    const regB = param(c.params, 'DOB_REG') !== 0;
    return {
      known: true,
      arcs: () => none,
      start: (p) => {
        if (/^DO(P)?A/.test(p)) return regA ? d.bramClockToOutReg : d.bramClockToOut;
        if (/^DO(P)?B/.test(p)) return regB ? d.bramClockToOutReg : d.bramClockToOut;
        return d.bramClockToOut; // cascade, ECC outputs
      },
      end: (p) => {
        if (CLOCK_PINS.has(p)) return undefined;
        if (p.startsWith('ADDR')) return d.bramSetupAddr;
        if (p.startsWith('WE')) return d.bramSetupWE;
        if (p.startsWith('EN')) return d.bramSetupEN;
        if (p.startsWith('REGCE')) return d.bramSetupRegCE;
        if (p.startsWith('RST')) return d.bramSetupRst;
        return d.bramSetupDI; // DI, DIP, cascade and ECC inputs
      },
    };
  }
  if (LUTRAM.test(t)) {
    const depth = lutramDepth(t);
    const quad = /M$/.test(t);
    const read =
      (depth <= 32 ? d.lutSmall : d.lut6) +
      (depth >= 128 ? d.muxf7Data + (depth >= 256 ? d.muxf8Data + d.muxf8Exit : d.muxf7Exit) : 0);
    const readLevels = depth >= 256 ? 3 : depth >= 128 ? 2 : 1;
    const setupAddr = depth <= 32 ? d.lutramSetupAddr32 : depth <= 64 ? d.lutramSetupAddr64 : d.lutramSetupAddr128;
    const arc = (outPort: string): Arc[] => [{ outPort, outIndex: -1, delay: read, levels: readLevels }];
    return {
      known: true,
      arcs: (p) => {
        if (quad) {
          const m = /^ADDR([A-H])$/.exec(p);
          return m ? arc(`DO${m[1]}`) : none;
        }
        if (/^DPRA\d*$/.test(p)) return arc('DPO');
        if (/^A\d*$/.test(p)) return arc(/D(_1)?$/.test(t) ? 'SPO' : 'O');
        return none;
      },
      start: () => d.lutramClockToOut,
      end: (p) => {
        if (p === 'WE') return d.lutramSetupWE;
        if (/^D(I[A-H])?$/.test(p)) return d.lutramSetupDI;
        if (quad ? p === 'ADDRD' || p === 'ADDRH' : /^A\d*$/.test(p)) return setupAddr;
        return undefined;
      },
    };
  }
  if (/^SRL(C)?(16|32)E(_1)?$/.test(t)) {
    return {
      known: true,
      arcs: (p) => (/^A\d*$/.test(p) ? [{ outPort: 'Q', outIndex: 0, delay: d.lut6, levels: 1 }] : none),
      start: (p) => (/^Q/.test(p) ? d.srlClockToOut : undefined),
      end: (p) => (p === 'D' ? d.srlSetupD : p === 'CE' ? d.lutramSetupWE : undefined),
    };
  }
  // Unknown cell (DSP48E1, FIFO, ...): a sequential black box with flip-flop timing; reported in warnings.
  return {
    known: false,
    arcs: () => none,
    start: () => d.ffClockToOut,
    end: (p) => (CLOCK_PINS.has(p) || /CLK/.test(p) ? undefined : d.ffSetupD),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Analysis

interface Edge {
  from: number;
  to: number;
  cell: number;
  inPin: string;
  outPin: string;
  route: number;
  delay: number;
  levels: number;
}

interface Load {
  cell: number; // −1 for a top-level output
  port: string;
  index: number;
}

const pinName = (port: string, index: number, width: number) => (width > 1 ? `${port}[${index}]` : port);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Longest start-to-end path of a mapped 7-series netlist. `netlistJson` is the text of Yosys `write_json`
 * (flattened or hierarchical; a hierarchy is flattened here), `top` the top module's name.
 */
export function analyseTiming(netlistJson: string, top: string, opts: TimingOptions = {}): TimingAnalysis {
  const d: TimingDelays = { ...ZYNQ7000_SPEED1_DELAYS, ...(opts.delays ?? {}) };
  const io = opts.ioPaths ?? 'registered';
  let json: JsonNetlist;
  try {
    json = JSON.parse(netlistJson) as JsonNetlist;
  } catch (e) {
    throw new BsnnError(`timing: the netlist is not valid JSON: ${(e as Error).message}`);
  }
  const flat = flatten(json, top);
  const warnings: string[] = [];

  // 1. INV/BUF are absorbed: their output net is their input net.
  const alias = new Int32Array(flat.nBits).fill(-1);
  const roles = flat.cells.map((c) => role(c.type));
  flat.cells.forEach((c, i) => {
    if (roles[i].kind !== 'alias') return;
    const inPort = [...c.dirs].find(([, dir]) => dir === 'input')?.[0];
    const outPort = [...c.dirs].find(([, dir]) => dir === 'output')?.[0];
    const a = inPort ? c.conns.get(inPort)?.[0] : undefined;
    const b = outPort ? c.conns.get(outPort)?.[0] : undefined;
    if (b !== undefined && b >= 0) alias[b] = a ?? -1;
    if (a === -1 && b !== undefined && b >= 0) alias[b] = -2; // a constant: the output is constant
  });
  const resolve = (b: number): number => {
    let x = b;
    for (let guard = 0; x >= 0 && alias[x] !== -1 && guard < 1_000_000; guard++) x = alias[x] === -2 ? -1 : alias[x];
    return x;
  };

  // 2. Models, drivers and loads.
  const models = flat.cells.map((c, i) => (roles[i].kind === 'box' ? cellModel(c, d) : undefined));
  const unknown = new Map<string, number>();
  flat.cells.forEach((c, i) => {
    if (models[i] && !models[i]!.known) unknown.set(c.type, (unknown.get(c.type) ?? 0) + 1);
  });
  for (const [t, n] of unknown) warnings.push(`cell type ${t} (${n}) has no timing model: treated as a flip-flop-like black box`);
  const latches = flat.cells.filter((c) => /^LD/.test(c.type)).length;
  if (latches) warnings.push(`${latches} latch(es) treated as flip-flops`);

  const loads = new Map<number, Load[]>();
  const driver = new Map<number, { cell: number; port: string; index: number }>();
  flat.cells.forEach((c, ci) => {
    if (!models[ci]) return;
    for (const [port, bits] of c.conns) {
      const dir = c.dirs.get(port);
      bits.forEach((raw, index) => {
        const b = dir === 'output' ? raw : resolve(raw);
        if (b < 0) return;
        if (dir === 'output' || dir === 'inout') driver.set(b, { cell: ci, port, index });
        if ((dir === 'input' || dir === 'inout') && !CLOCK_PINS.has(port)) {
          const l = loads.get(b);
          if (l) l.push({ cell: ci, port, index });
          else loads.set(b, [{ cell: ci, port, index }]);
        }
      });
    }
  });
  for (const o of flat.outputs) {
    const b = resolve(o.bit);
    if (b < 0) continue;
    const l = loads.get(b);
    const load = { cell: -1, port: o.name, index: 0 };
    if (l) l.push(load);
    else loads.set(b, [load]);
  }

  const fanout = (b: number) => loads.get(b)?.length ?? 1;
  const routeFor = (b: number, load: Load): number => {
    const drv = driver.get(b);
    if (drv && load.cell >= 0) {
      const dt = flat.cells[drv.cell].type;
      const lt = flat.cells[load.cell].type;
      // Dedicated slice connections: carry chain, LUT → MUXF7 → MUXF8, the LUT feeding its CARRY4's S input.
      if (lt === 'CARRY4' && load.port === 'CI' && dt === 'CARRY4' && drv.port === 'CO' && drv.index === 3) return 0;
      if (lt === 'MUXF8' && (load.port === 'I0' || load.port === 'I1') && dt === 'MUXF7') return 0;
      if (lt === 'MUXF7' && (load.port === 'I0' || load.port === 'I1') && (/^LUT\d$/.test(dt) || LUTRAM.test(dt))) return 0;
      if (lt === 'CARRY4' && load.port === 'S' && /^LUT\d$/.test(dt) && fanout(b) === 1) return 0;
    }
    return d.routeBase + d.routePerFanoutDoubling * Math.log2(Math.max(1, fanout(b)));
  };

  // 3. Edges (combinational arcs), start points, end points.
  const edges: Edge[] = [];
  const outEdges = new Map<number, number[]>();
  const startAt = new Map<number, { time: number; label: string; cell: number; pin: string }>();
  const ends: { bit: number; setup: number; cell: number; pin: string; route: number }[] = [];
  flat.cells.forEach((c, ci) => {
    const m = models[ci];
    if (!m) return;
    const widths = new Map([...c.conns].map(([p, bits]) => [p, bits.length]));
    for (const [port, bits] of c.conns) {
      const dir = c.dirs.get(port);
      bits.forEach((raw, index) => {
        if (dir === 'output') {
          if (raw < 0) return;
          const t = m.start(port, index);
          if (t !== undefined) startAt.set(raw, { time: t, label: pinName(port, index, bits.length), cell: ci, pin: pinName(port, index, bits.length) });
          return;
        }
        if (CLOCK_PINS.has(port)) return;
        const b = resolve(raw);
        if (b < 0) return;
        const load: Load = { cell: ci, port, index };
        const route = routeFor(b, load);
        const setup = m.end(port, index);
        if (setup !== undefined) ends.push({ bit: b, setup, cell: ci, pin: pinName(port, index, bits.length), route });
        for (const arc of m.arcs(port, index)) {
          const outBits = c.conns.get(arc.outPort);
          if (!outBits) continue;
          const targets = arc.outIndex >= 0 ? [arc.outIndex] : outBits.map((_, k) => k);
          for (const k of targets) {
            const ob = outBits[k];
            if (ob === undefined || ob < 0) continue;
            let delay = arc.delay;
            if (c.type === 'MUXF7') {
              // The F7 output leaves the slice through the xMUX pin unless it only feeds an F8.
              const ls = loads.get(ob) ?? [];
              if (ls.length === 0 || ls.some((l) => l.cell < 0 || flat.cells[l.cell].type !== 'MUXF8' || l.port === 'S')) delay += d.muxf7Exit;
            } else if (c.type === 'MUXF8') delay += d.muxf8Exit;
            const e: Edge = { from: b, to: ob, cell: ci, inPin: pinName(port, index, widths.get(port) ?? 1), outPin: pinName(arc.outPort, k, outBits.length), route, delay, levels: arc.levels };
            const id = edges.push(e) - 1;
            const l = outEdges.get(b);
            if (l) l.push(id);
            else outEdges.set(b, [id]);
          }
        }
      });
    }
  });
  if (io === 'registered') {
    for (const inp of flat.inputs) {
      const b = resolve(inp.bit);
      if (b < 0 || !loads.has(b) || driver.has(b)) continue;
      if ((loads.get(b) ?? []).every((l) => l.cell >= 0 && CLOCK_PINS.has(l.port))) continue;
      startAt.set(b, { time: d.ffClockToOut, label: inp.name, cell: -1, pin: inp.name });
    }
    for (const o of flat.outputs) {
      const b = resolve(o.bit);
      if (b < 0) continue;
      ends.push({ bit: b, setup: d.ffSetupD, cell: -1, pin: o.name, route: routeFor(b, { cell: -1, port: o.name, index: 0 }) });
    }
  }

  // 4. Topological order of the bit graph by Tarjan's SCC algorithm (iterative). Inside a strongly connected
  //    component (a combinational loop) only edges to a later-discovered bit are kept: that drops every DFS
  //    back edge, so the rest is acyclic and the loop is broken at one place, not removed.
  const n = flat.nBits;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack: number[] = [];
  const order: number[] = []; // SCCs emitted in reverse topological order; flattened
  const loopsRaw: number[][] = [];
  let counter = 0;
  let nComp = 0;
  const succ = (v: number) => outEdges.get(v) ?? [];
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1 || !outEdges.has(s)) continue;
    const work: { v: number; i: number }[] = [{ v: s, i: 0 }];
    index[s] = low[s] = counter++;
    stack.push(s);
    onStack[s] = 1;
    while (work.length) {
      const frame = work[work.length - 1];
      const es = succ(frame.v);
      if (frame.i < es.length) {
        const w = edges[es[frame.i++]].to;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ v: w, i: 0 });
        } else if (onStack[w]) low[frame.v] = Math.min(low[frame.v], index[w]);
        continue;
      }
      work.pop();
      if (work.length) low[work[work.length - 1].v] = Math.min(low[work[work.length - 1].v], low[frame.v]);
      if (low[frame.v] === index[frame.v]) {
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          comp[w] = nComp;
          members.push(w);
        } while (w !== frame.v);
        const selfLoop = members.length === 1 && succ(frame.v).some((e) => edges[e].to === frame.v);
        if (members.length > 1 || selfLoop) loopsRaw.push(members);
        // Within a component, discovery order; pushed reversed because the whole list is reversed below.
        members.sort((a, b) => index[b] - index[a]);
        order.push(...members);
        nComp++;
      }
    }
  }
  order.reverse();

  // 5. Longest arrival per bit, with predecessor edges; a separate pass for the most logic levels.
  const arrival = new Float64Array(n).fill(-Infinity);
  const levels = new Int32Array(n);
  const maxLv = new Int32Array(n).fill(-1);
  const pred = new Int32Array(n).fill(-1);
  for (const [b, s] of startAt) {
    arrival[b] = s.time;
    maxLv[b] = 0;
  }
  let droppedLoopEdges = 0;
  for (const v of order) {
    if (arrival[v] === -Infinity) continue;
    for (const ei of succ(v)) {
      const e = edges[ei];
      if (comp[e.to] === comp[v] && index[e.to] <= index[v]) {
        droppedLoopEdges++;
        continue;
      }
      const t = arrival[v] + e.route + e.delay;
      if (t > arrival[e.to]) {
        arrival[e.to] = t;
        levels[e.to] = levels[v] + e.levels;
        pred[e.to] = ei;
      }
      if (maxLv[v] + e.levels > maxLv[e.to]) maxLv[e.to] = maxLv[v] + e.levels;
    }
  }

  const cellLabel = (ci: number) => flat.cells[ci].name;
  const loops = loopsRaw.map((members) => {
    const names = new Set<string>();
    for (const v of members) for (const ei of succ(v)) if (comp[edges[ei].to] === comp[v]) names.add(`${flat.cells[edges[ei].cell].type} ${cellLabel(edges[ei].cell)}`);
    return [...names];
  });
  if (loops.length) warnings.push(`${loops.length} combinational loop(s) found and broken at ${droppedLoopEdges} back edge(s)`);

  // 6. The worst end point.
  let best = -Infinity;
  let bestEnd: (typeof ends)[number] | undefined;
  let maxLogicLevels = 0;
  for (const e of ends) {
    if (arrival[e.bit] === -Infinity) continue;
    const t = arrival[e.bit] + e.route + e.setup;
    if (t > best) {
      best = t;
      bestEnd = e;
    }
    if (maxLv[e.bit] > maxLogicLevels) maxLogicLevels = maxLv[e.bit];
  }
  const uncertainty = opts.clockUncertaintyNS ?? 0;
  const stats = { cells: flat.cells.length, startPoints: startAt.size, endPoints: ends.length, edges: edges.length };
  if (!bestEnd) {
    warnings.push('no register-to-register path: the netlist has no timed path');
    return {
      logicLevels: 0, maxLogicLevels: 0, carryStages: 0, criticalPath: [], steps: [], clockToOutNS: 0, pathDelayNS: 0,
      logicDelayNS: 0, routeDelayNS: 0, setupNS: 0, periodNS: 0, fmaxMHz: Infinity, method: TIMING_METHOD, loops, warnings, stats,
    };
  }

  // 7. Walk the predecessors back to the start point.
  const netName = (b: number) => flat.bitNames.get(b) ?? `net${b}`;
  const chain: Edge[] = [];
  for (let b = bestEnd.bit, guard = 0; pred[b] !== -1 && guard <= edges.length; guard++) {
    const e = edges[pred[b]];
    chain.push(e);
    b = e.from;
  }
  chain.reverse();
  const startBit = chain.length ? chain[0].from : bestEnd.bit;
  const start = startAt.get(startBit)!;
  const steps: TimingStep[] = [];
  steps.push({
    cell: start.cell >= 0 ? cellLabel(start.cell) : start.label,
    type: start.cell >= 0 ? flat.cells[start.cell].type : 'input port',
    from: '',
    to: start.pin,
    net: netName(startBit),
    routeNS: 0,
    cellNS: r3(start.time),
    arrivalNS: r3(start.time),
  });
  let logic = 0;
  let route = 0;
  let carry = 0;
  for (const e of chain) {
    const c = flat.cells[e.cell];
    logic += e.delay;
    route += e.route;
    if (c.type === 'CARRY4') carry++;
    steps.push({ cell: c.name, type: c.type, from: e.inPin, to: e.outPin, net: netName(e.to), routeNS: r3(e.route), cellNS: r3(e.delay), arrivalNS: r3(arrival[e.to]) });
  }
  route += bestEnd.route;
  steps.push({
    cell: bestEnd.cell >= 0 ? cellLabel(bestEnd.cell) : bestEnd.pin,
    type: bestEnd.cell >= 0 ? flat.cells[bestEnd.cell].type : 'output port',
    from: bestEnd.pin,
    to: '',
    net: netName(bestEnd.bit),
    routeNS: r3(bestEnd.route),
    cellNS: r3(bestEnd.setup),
    arrivalNS: r3(best),
  });
  const display = (s: TimingStep) => {
    const nm = s.cell.includes('$') ? (s.net.includes('$') ? shorten(s.cell) : `→${s.net}`) : s.cell;
    const pins = s.from && s.to ? ` (${s.from}→${s.to})` : s.to ? ` (${s.to})` : s.from ? ` (${s.from})` : '';
    return `${s.type} ${nm}${pins}`;
  };
  const period = best + uncertainty;
  return {
    logicLevels: levels[bestEnd.bit],
    maxLogicLevels,
    carryStages: carry,
    criticalPath: steps.map(display),
    steps,
    clockToOutNS: r3(start.time),
    pathDelayNS: r3(logic + route),
    logicDelayNS: r3(logic),
    routeDelayNS: r3(route),
    setupNS: r3(bestEnd.setup),
    periodNS: r3(period),
    fmaxMHz: Math.round((1000 / period) * 10) / 10,
    method: TIMING_METHOD,
    loops,
    warnings,
    stats,
  };
}

function shorten(name: string): string {
  return name.length > 60 ? `…${name.slice(-57)}` : name;
}
