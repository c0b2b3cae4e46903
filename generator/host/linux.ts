/**
 * What a Linux image needs for the C example (driver/<name>_example.c) and the device-tree overlay that
 * provides it (driver/<name>_uio.dtso): the core's register window and the DMA's as UIO devices, the core's
 * interrupt, and a DMA buffer the kernel leaves alone. One table of addresses for both files; they are
 * Vivado's usual choices for the block design of vivado/build.tcl (its reports/addresses.txt has the real ones).
 */
import { BLOCK_DESIGN } from '../emit/vivado.js';
import { render } from '../emit/templates.js';
import type { EmittedFile } from '../emit/files.js';
import { TEMPLATES_DIR } from '../util/paths.js';
import { hex32, provenance, type HostView } from './view.js';

export const LINUX_LAYOUT = {
  /** The core's AXI4-Lite window on M_AXI_GP0, and its size (the IP-XACT address block). */
  corePhys: 0x43c00000,
  coreSpan: 0x1000,
  /** The AXI DMA's registers, and Vivado's default range for them. */
  dmaPhys: 0x40400000,
  dmaSpan: 0x10000,
  /** The DMA buffer: the top 1 MiB of the PYNQ-Z2's 512 MiB, kept from the kernel. */
  bufPhys: 0x1ff00000,
  bufSpan: 0x100000,
  /** The core's irq is IRQ_F2P[2]: GIC interrupt 63, shared peripheral interrupt 63 - 32. */
  coreIrqGic: 63,
} as const;

const hex = (x: number) => `0x${x.toString(16)}`;
const HEX = (x: number) => `${hex32(x)}u`;

/** The addresses as the C example's #define defaults take them. */
export const cLayout = () => ({ corePhys: HEX(LINUX_LAYOUT.corePhys), dmaPhys: HEX(LINUX_LAYOUT.dmaPhys), bufPhys: HEX(LINUX_LAYOUT.bufPhys) });

export const dtOverlayPath = (v: HostView) => `driver/${v.name}_uio.dtso`;

export function emitDtOverlay(v: HostView): EmittedFile {
  const L = LINUX_LAYOUT;
  const context = {
    name: v.name,
    module: v.module,
    provenance: provenance(v),
    modelHash: v.modelHash,
    coreCell: BLOCK_DESIGN.core,
    dmaCell: BLOCK_DESIGN.dma,
    coreUnit: L.corePhys.toString(16),
    coreReg: `${hex(L.corePhys)} ${hex(L.coreSpan)}`,
    dmaUnit: L.dmaPhys.toString(16),
    dmaReg: `${hex(L.dmaPhys)} ${hex(L.dmaSpan)}`,
    bufUnit: L.bufPhys.toString(16),
    bufReg: `${hex(L.bufPhys)} ${hex(L.bufSpan)}`,
    memMiB: L.bufPhys / (1 << 20),
    irqGic: L.coreIrqGic,
    irqSpi: L.coreIrqGic - 32,
  };
  return { path: dtOverlayPath(v), content: render(TEMPLATES_DIR, 'host/uio.dtso.hbs', context) };
}
