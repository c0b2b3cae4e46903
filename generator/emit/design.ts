/** gen-rtl: planned IR → every output file, manifest included, ready for writeFolderAtomically. */
import { createHash } from 'node:crypto';
import { resolveTarget, type TargetOptions } from '../board/target.js';
import type { PlannedModel } from '../ir/types.js';
import { MANIFEST_GENERATOR_PREFIX } from '../util/atomic.js';
import { BsnnError } from '../util/errors.js';
import { bsnnVersion } from '../util/paths.js';
import { emitHostFiles } from '../host/index.js';
import { axiModuleName, emitAxiWrapper } from './axi.js';
import { wrapperInterfaces } from './bus.js';
import { emitComponentXml, ipVlnv } from './ipxact.js';
import { opOf } from '../ops/registry.js';
import type { EmittedFile } from './files.js';
import { emitVerilog } from './verilog.js';
import { DEFAULT_CLOCK_MHZ, MAX_FCLK_MHZ } from '../board/clock.js';
import { emitBoardXdc, emitBuildTcl } from './vivado.js';

export const DEFAULT_PART = 'xc7z020clg400-1';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface Design {
  top: string;
  files: EmittedFile[];
}

export interface DesignOptions extends TargetOptions {
  /** FCLK_CLK0, the PL clock the Vivado block design runs the core at; default DEFAULT_CLOCK_MHZ. */
  clockMHz?: number;
}

function checkClock(mhz: number): number {
  if (!Number.isFinite(mhz) || mhz <= 0 || mhz > MAX_FCLK_MHZ) {
    throw new BsnnError(`--clock-mhz: ${mhz} is not a PL clock the Zynq PS can make (more than 0, at most ${MAX_FCLK_MHZ} MHz)`);
  }
  return mhz;
}

/**
 * Everything gen-rtl writes: rtl/ and mem/ (the core and its AXI wrapper), constraints/<board>.xdc (when a
 * board is known), vivado/build.tcl, ip/component.xml and manifest.json. Without options the target is the
 * default board (PYNQ-Z2).
 */
export function generateDesign(plan: PlannedModel, opts: DesignOptions = {}): Design {
  const target = resolveTarget(opts);
  const clockMHz = checkClock(opts.clockMHz ?? DEFAULT_CLOCK_MHZ);
  const generator = `${MANIFEST_GENERATOR_PREFIX}${bsnnVersion()}`;
  const { top, files: core } = emitVerilog(plan);
  // The AXI wrapper (AXI4-Stream in/out, AXI4-Lite registers, interrupt) is what a Zynq block design uses.
  const wrapperFile = emitAxiWrapper(plan);
  const rtl = [...core, wrapperFile];

  // Vivado-side files read the wrapper's ports back from its emitted text, so they follow the RTL.
  const wrapper = wrapperInterfaces(plan, wrapperFile.content);
  const rtlFiles = rtl.filter((f) => f.path.endsWith('.v')).map((f) => f.path);
  const memFiles = rtl.filter((f) => f.path.endsWith('.mem')).map((f) => f.path);
  const vivado = { plan, wrapper, rtlFiles, memFiles, generator };
  const integration: EmittedFile[] = [
    ...(target.board ? [emitBoardXdc(target.board)] : []),
    emitBuildTcl({ ...vivado, target, clockMHz }),
    emitComponentXml(vivado),
  ];

  // Host drivers (driver/: C header, C example, TypeScript driver), listed and hashed by the manifest too.
  const driverFiles = emitHostFiles(plan);

  const files = [...rtl, ...integration, ...driverFiles];
  const manifest = {
    generator,
    format: plan.format,
    name: plan.name,
    modelHash: plan.modelHash,
    top,
    axiTop: axiModuleName(plan.name),
    board: target.board?.name ?? null,
    part: target.part,
    clockMHz,
    ip: ipVlnv(plan),
    semantics: 'docs/semantics.md',
    knobs: {
      timesteps: plan.timesteps,
      samples: plan.samples,
      mode: plan.mode,
      input: { size: plan.input.size, encoding: plan.input.encoding },
      readout: plan.readout,
      layers: plan.layers.map((L) => opOf(L).manifestKnobs(L)),
    },
    files: files.map((f) => ({ path: f.path, sha256: sha256(f.content) })),
  };
  return { top, files: [...files, { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) + '\n' }] };
}
