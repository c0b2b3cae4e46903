/**
 * Host-side drivers for the AXI wrapper (issue 4, item 5), all under driver/ in gen-rtl's output:
 * <name>_regs.h (C register map and accessors), <name>_example.c (one inference from the ARM side),
 * <name>_driver.ts (TypeScript register map and typed driver, generated with ts-morph), <name>_pynq.py
 * (the PYNQ framework's path: Overlay, allocate, AXI DMA) and <name>_uio.dtso (the device-tree overlay the
 * C example needs under Linux). Each carries the model hash that the core's ID registers report.
 */
import type { EmittedFile } from '../emit/files.js';
import type { PlannedModel } from '../ir/types.js';
import { emitCExample } from './c-example.js';
import { emitCHeader } from './c-header.js';
import { emitDtOverlay } from './linux.js';
import { emitPyDriver } from './py-driver.js';
import { emitTsDriver } from './ts-driver.js';
import { hostView, WRAPPER_REGISTER_MAP, type HostRegisterMap } from './view.js';

export { hostView, WRAPPER_REGISTER_MAP, type HostRegisterMap, type HostView } from './view.js';

/** The driver files of `plan`; `map` is the wrapper's register map unless a test asks for another. */
export function emitHostFiles(plan: PlannedModel, map: HostRegisterMap = WRAPPER_REGISTER_MAP): EmittedFile[] {
  const view = hostView(plan, map);
  return [emitCHeader(view), emitCExample(view), emitTsDriver(view), emitPyDriver(view), emitDtOverlay(view)];
}
