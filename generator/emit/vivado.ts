/**
 * vivado/build.tcl (templates/vivado/build.tcl.hbs) and the board XDC: what an engineer runs in Vivado to get
 * a project, a block design (PS7 + AXI DMA + the core) and a bitstream. Stream widths, pin and interface
 * names come from the emitted wrapper's port list, so the script follows the RTL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Board, boardXdcPath } from '../board/boards.js';
import type { Target } from '../board/target.js';
import { IO_PLL_MHZ, type Fclk } from '../board/clock.js';
import type { PlannedModel } from '../ir/types.js';
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../util/paths.js';
import { signalWidth, type WrapperInterfaces } from './bus.js';
import { ipVlnv } from './ipxact.js';
import { render } from './templates.js';
import type { EmittedFile } from './files.js';

export { DEFAULT_CLOCK_MHZ, MAX_FCLK_MHZ } from '../board/clock.js';

export const BUILD_TCL_PATH = 'vivado/build.tcl';
/** Names of the block design and its cells, as the docs and the PYNQ example use them. */
export const BLOCK_DESIGN = { bd: 'system', core: 'bsnn_core', dma: 'axi_dma' } as const;

/** Widths the AXI DMA accepts for a stream. */
const DMA_STREAM_WIDTHS = [8, 16, 32, 64, 128, 256, 512, 1024];

export interface VivadoInputs {
  plan: PlannedModel;
  target: Target;
  /** FCLK_CLK0 as the clock rule resolved it (board/clock.ts). */
  clock: Fclk;
  wrapper: WrapperInterfaces;
  /** Output-relative paths of the design's Verilog sources and memory images. */
  rtlFiles: string[];
  memFiles: string[];
  generator: string;
}

/** A Tcl word for a value from our own tables: braced, and refused if it could break out of its braces. */
function tclWord(v: string): string {
  if (/[{}\\[\]$"\n]/.test(v)) throw new Error(`Tcl value ${JSON.stringify(v)} has a character build.tcl cannot carry`);
  return /^[A-Za-z0-9_.:\-/]+$/.test(v) ? v : `{${v}}`;
}

/** A name or path that goes into build.tcl unquoted. */
function tclBare(v: string): string {
  if (!/^[A-Za-z0-9_.:\-/*]+$/.test(v)) throw new Error(`build.tcl: "${v}" is not a plain name or path`);
  return v;
}

function dmaWidth(w: WrapperInterfaces, bus: string): number {
  const bits = signalWidth(w, bus, 'TDATA');
  if (!DMA_STREAM_WIDTHS.includes(bits)) throw new Error(`${w.module}: ${bus} TDATA is ${bits} bits; the AXI DMA takes ${DMA_STREAM_WIDTHS.join(', ')}`);
  return bits;
}

export function buildTclContext(i: VivadoInputs) {
  const { plan, target, wrapper } = i;
  const board: Board | null = target.board;
  const sAxisWidth = dmaWidth(wrapper, 's_axis');
  const mAxisWidth = dmaWidth(wrapper, 'm_axis');
  const busNames = wrapper.buses.map((b) => b.name);
  for (const need of ['s_axi', 's_axis', 'm_axis']) if (!busNames.includes(need)) throw new Error(`${wrapper.module}: no ${need} interface`);
  return {
    generator: i.generator,
    name: tclBare(plan.name),
    modelHash: plan.modelHash,
    top: tclBare(wrapper.module),
    part: tclBare(target.part),
    board: board ? tclBare(board.name) : '',
    boardTitle: board?.title ?? '',
    boardParts: (board?.boardParts ?? []).map(tclBare),
    boardPartGlob: board ? tclBare(board.boardPartGlob) : '',
    ps7Fallback: (board?.ps7Fallback ?? []).map(([key, value]) => ({ key: tclBare(key), value: tclWord(value) })),
    rtlFiles: i.rtlFiles.map(tclBare),
    memFiles: i.memFiles.map(tclBare),
    xdcFiles: board ? [boardXdcPath(board)] : [],
    clockMHz: i.clock.mhz,
    clockDivisor: i.clock.divisor,
    ioPllMHz: IO_PLL_MHZ,
    ipVlnv: ipVlnv(plan),
    ...BLOCK_DESIGN,
    liteBus: 's_axi',
    inBus: 's_axis',
    outBus: 'm_axis',
    busifs: busNames.join(':'),
    clockPin: wrapper.clock.name,
    resetPin: wrapper.reset.name,
    irqPin: wrapper.interrupt.name,
    sAxisWidth,
    mAxisWidth,
    // The DMA's memory side is at least 32 bits and never narrower than its stream.
    mm2sMemWidth: Math.max(32, sAxisWidth),
    s2mmMemWidth: Math.max(32, mAxisWidth),
  };
}

export function emitBuildTcl(i: VivadoInputs): EmittedFile {
  return { path: BUILD_TCL_PATH, content: render(join(TEMPLATES_DIR, 'vivado'), 'build.tcl.hbs', buildTclContext(i)) };
}

const xdcCache = new Map<string, string>();

/** constraints/<board>.xdc, copied from the package's constraints/ folder. */
export function emitBoardXdc(board: Board): EmittedFile {
  const path = boardXdcPath(board);
  let content = xdcCache.get(path);
  if (content === undefined) {
    content = readFileSync(join(PACKAGE_ROOT, path), 'utf8');
    xdcCache.set(path, content);
  }
  return { path, content };
}
