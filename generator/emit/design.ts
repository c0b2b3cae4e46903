/** gen-rtl: planned IR → every output file, manifest included, ready for writeFolderAtomically. */
import { createHash } from 'node:crypto';
import { resolveTarget, type TargetOptions } from '../board/target.js';
import type { PlannedModel } from '../ir/types.js';
import { MANIFEST_GENERATOR_PREFIX } from '../util/atomic.js';
import { bsnnVersion } from '../util/paths.js';
import { emitHostFiles } from '../host/index.js';
import { axiModuleName, emitAxiWrapper } from './axi.js';
import { wrapperInterfaces } from './bus.js';
import { emitComponentXml, ipVlnv } from './ipxact.js';
import { opOf } from '../ops/registry.js';
import type { EmittedFile } from './files.js';
import { emitVerilog } from './verilog.js';
import { buildClock, IO_PLL_MHZ, parseClock, type BuildClock } from '../board/clock.js';
import { emitBoardXdc, emitBuildTcl } from './vivado.js';

export const DEFAULT_PART = 'xc7z020clg400-1';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface Design {
  top: string;
  files: EmittedFile[];
  /** The core's files alone (what bsnn estimate synthesises): their timing record's key comes from them. */
  core: EmittedFile[];
  /** FCLK_CLK0 as built. */
  clock: BuildClock;
}

export interface DesignOptions extends TargetOptions {
  /** --clock-mhz: the fastest FCLK the PS7 makes at or below it; default DEFAULT_CLOCK_MHZ (board/clock.ts). */
  clockMHz?: number;
  /** A clock already resolved by the rule (gen-rtl's --clock-mhz auto); takes the place of clockMHz. */
  clock?: BuildClock;
}

/**
 * Everything gen-rtl writes: rtl/ and mem/ (the core and its AXI wrapper), constraints/<board>.xdc (when a
 * board is known), vivado/build.tcl, ip/component.xml and manifest.json. Without options the target is the
 * default board (PYNQ-Z2).
 */
export function generateDesign(plan: PlannedModel, opts: DesignOptions = {}): Design {
  const target = resolveTarget(opts);
  const clock = opts.clock ?? buildClock(parseClock(opts.clockMHz));
  const clockMHz = clock.mhz;
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
    emitBuildTcl({ ...vivado, target, clock }),
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
    // Where the clock came from: the FCLK is the IO PLL divided by d0·d1 (docs/zynq.md §1, "The clock").
    clock: { source: clock.source, ioPllMHz: IO_PLL_MHZ, divisor: clock.divisor },
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
  return { top, files: [...files, { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) + '\n' }], core, clock };
}
